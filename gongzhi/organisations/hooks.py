"""What organisations adds to the partners capability without partners importing it."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongzhi.partners.ledgers import LIST_SEPARATOR, register_roster_column
from gongzhi.partners.matching import register_load_source
from gongzhi.partners.profile import register_profile_section

from .models import Membership


def current_team_memberships(partner_ids: list[int]) -> dict[int, int]:
    return dict(
        Membership.objects.current()
        .filter(partner_id__in=partner_ids, unit__kind="team")
        .values_list("partner_id")
        .annotate(n=Count("pk"))
        .values_list("partner_id", "n")
    )


def units_and_roles(partner):
    memberships = (
        Membership.objects.filter(partner=partner)
        .select_related("unit", "unit__town")
        .order_by("end_date", "-start_date")
    )
    return {"memberships": memberships}


register_load_source("team memberships", current_team_memberships)
register_profile_section(
    key="units",
    order=10,
    template="organisations/partner_units.html",
    context=units_and_roles,
)


def roster_units_and_roles(partner_ids: list[int]) -> dict[int, str]:
    """The roster ledger's cell for each partner: current units with the role held."""
    cells: dict[int, list[str]] = {}
    memberships = (
        Membership.objects.current()
        .filter(partner_id__in=partner_ids)
        .select_related("unit")
        .order_by("unit__name_sort", "unit__name", "pk")
    )
    for membership in memberships:
        cells.setdefault(membership.partner_id, []).append(
            _("%(unit)s (%(role)s)")
            % {"unit": membership.unit.name, "role": membership.get_role_display()}
        )
    return {pk: LIST_SEPARATOR.join(parts) for pk, parts in cells.items()}


register_roster_column(
    key="units",
    header=pgettext_lazy("ledger column", "Units and roles"),
    values=roster_units_and_roles,
    width=30,
)
