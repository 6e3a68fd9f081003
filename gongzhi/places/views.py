import hashlib

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property

from gongzhi.core.access import get_checked
from gongzhi.core.htmx import render_page
from gongzhi.core.models import AuditEvent
from gongzhi.core.pagecache import remembered

from . import services
from .models import ResidentialArea, Town

PAGE_SIZE = 20


class CountKeptPaginator(Paginator):
    """A paginator whose total is kept until the next write (core/pagecache.py,
    ``remembered``), keyed by the count's own SQL and parameters: a town's list of
    20,000 proposals counts its rows once after each write, not on every read, so the
    list costs the same with 200 or 20,000. Only for lists whose query does not change
    with the clock (a "now" in the query would make every key new)."""

    @cached_property
    def count(self):
        # The rows counted, whatever their order: one total for every sort of a list.
        sql, params = self.object_list.order_by().query.sql_with_params()
        key = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        return remembered("count", (key,), lambda: Paginator.count.func(self))


def paginate(request, queryset, per_page=PAGE_SIZE, *, keep_count=False):
    """The page the request asks for; ``keep_count`` keeps the total between writes
    (``CountKeptPaginator``)."""
    paginator = (CountKeptPaginator if keep_count else Paginator)(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def home(request):
    """The deployment's home: its towns (paginated, searchable), or straight to the
    town when the deployment has only one."""
    first_two = list(Town.objects.values_list("slug", flat=True)[:2])
    if len(first_two) == 1:
        return redirect("places:town", first_two[0])
    query = request.GET.get("q", "").strip()[:60]
    towns = Town.objects.order_by("name")
    if query:
        towns = towns.filter(Q(name__icontains=query) | Q(district__icontains=query))
    page = paginate(request, towns)
    # Count areas for the towns on this page only, in one query.
    area_counts = dict(
        ResidentialArea.objects.filter(town__in=[t.pk for t in page])
        .values_list("town")
        .annotate(n=Count("pk"))
        .values_list("town", "n")
    )
    for town in page:
        town.area_count = area_counts.get(town.pk, 0)
    return render(request, "places/home.html", {"page": page, "query": query})


def town_home(request, town_slug):
    town = get_object_or_404(
        Town.objects.annotate(
            area_count=Count("areas", distinct=True), site_count=Count("sites", distinct=True)
        ),
        slug=town_slug,
    )
    areas = town.areas.by_pinyin()[:12]
    return render(request, "places/town.html", {"town": town, "areas": areas})


def area_list(request, town_slug):
    town = get_object_or_404(Town, slug=town_slug)
    query = request.GET.get("q", "").strip()[:60]
    areas = town.areas.annotate(site_count=Count("sites")).by_pinyin()
    if query:
        areas = areas.filter(Q(name__icontains=query) | Q(code__icontains=query))
    page = paginate(request, areas)
    return render_page(
        request,
        "places/area_list.html",
        {"town": town, "page": page, "query": query},
        partial="results",
    )


def area_detail(request, town_slug, pk):
    area = get_object_or_404(
        ResidentialArea.objects.select_related("town"), pk=pk, town__slug=town_slug
    )
    sites = area.sites.order_by("name")
    can_see_residents = request.user.has_perm("places.view_area_residents", area)
    return render(
        request,
        "places/area_detail.html",
        {"town": area.town, "area": area, "sites": sites, "can_see_residents": can_see_residents},
    )


def area_residents(request, town_slug, pk):
    """Staff's roster of registered residents of one area, with contact details."""
    area = get_checked(
        request,
        "places.view_area_residents",
        ResidentialArea.objects.select_related("town"),
        pk=pk,
        town__slug=town_slug,
    )
    residents = area.residents.filter(is_active=True).order_by("name_sort", "display_name", "pk")
    page = paginate(request, residents)
    services.log_roster_access(actor=request.user, area=area, page_number=page.number)
    return render(
        request, "places/area_residents.html", {"town": area.town, "area": area, "page": page}
    )


def town_audit(request, town_slug):
    """The town's audit trail, newest first (secretariat and administrator)."""
    town = get_checked(request, "core.view_audit", Town, slug=town_slug)
    events = AuditEvent.objects.filter(town_id=town.pk).select_related("actor").order_by("-seq")
    page = paginate(request, events, per_page=50)
    return render(request, "places/town_audit.html", {"town": town, "page": page})
