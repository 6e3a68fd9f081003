"""Proposal pages. GET reads; every POST calls one service and shows its DomainError
as a message (409) or the form's errors (400); nothing here decides a rule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gongzhi.core.access import check_perm, get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.ledgers import logged_download
from gongzhi.core.pagecache import data_version
from gongzhi.core.scope import within_scope
from gongzhi.core.views import attempt, form_page, parse_id, submission_token
from gongzhi.places.models import Town
from gongzhi.places.views import paginate

from . import services
from .forms import (
    CommentForm,
    DeclineForm,
    ListFilterForm,
    MergeForm,
    NoteForm,
    ProposalForm,
    ReasonForm,
    SettingsForm,
    Sort,
)
from .ledgers import ledger_filename, proposal_ledger
from .models import TRANSITIONS, Comment, CommentReport, Proposal, ProposalSettings, ProposalStatus


def _town(town_slug):
    return get_object_or_404(Town, slug=town_slug)


def _proposal(town_slug, pk):
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "town__proposal_settings", "area", "site", "author", "merged_into__town"
        ),
        pk=pk,
        town__slug=town_slug,
    )
    if proposal.area is not None:
        # The area is the proposal's town's: its link then needs no query for the town.
        proposal.area.town = proposal.town
    return proposal


def _managed(request, town_slug, pk):
    """The proposal, for those who may review it (403 for staff of another area)."""
    return get_checked(
        request,
        "proposals.manage",
        Proposal.objects.select_related("town", "area"),
        pk=pk,
        town__slug=town_slug,
    )


def _comment(request, town_slug, pk, comment_pk, perm=None):
    comment = get_object_or_404(
        Comment.objects.select_related("proposal__town", "proposal__area"),
        pk=comment_pk,
        proposal__pk=pk,
        proposal__town__slug=town_slug,
    )
    if perm:
        check_perm(request, perm, comment.proposal)
    return comment


def _back(request, proposal, anchor=""):
    """Where to go after an action: a safe ``next`` (the moderation queue sends one)
    or the proposal's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(proposal.get_absolute_url() + anchor)


def _staff_links(request, town) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    tools = [
        ("proposals.moderate_town", "proposals:moderation", _("Moderation and review")),
        ("proposals.export_ledger", "proposals:ledger", _("Download the proposal ledger")),
        ("proposals.configure", "proposals:settings", _("Proposal settings")),
    ]
    return [
        {"url": reverse(name, args=[town.slug]), "label": label}
        for perm, name, label in tools
        if user.has_perm(perm, town)
    ]


# --- Public list --------------------------------------------------------------------


def proposal_list(request, town_slug):
    """The town's proposals: filter by area, status and category; sort by supports,
    newest or recently active."""
    town = _town(town_slug)
    form = ListFilterForm(request.GET or None, town=town)
    proposals = Proposal.objects.filter(town=town).select_related("area")
    sort = Sort.NEWEST
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            proposals = proposals.filter(title__icontains=data["q"].strip())
        if data["area"]:
            proposals = proposals.filter(area=data["area"])
        if data["status"]:
            proposals = proposals.filter(status=data["status"])
        if data["category"]:
            proposals = proposals.filter(category=data["category"])
        sort = data["sort"] or Sort.NEWEST
    page = paginate(request, proposals.order_by(*Sort.ORDER[sort]), keep_count=True)
    return form_page(
        request,
        "proposals/proposal_list.html",
        {
            "town": town,
            "form": form,
            "page": page,
            "staff_links": _staff_links(request, town),
            "data_version": data_version(),
        },
        form,
        partial="results",
    )


# --- Submitting ---------------------------------------------------------------------


@login_required
def submit(request, town_slug):
    town = _town(town_slug)
    area = getattr(request.user, "residential_area", None)
    initial = {"area": area.pk} if area is not None and area.town_id == town.pk else {}
    form = ProposalForm(request.POST or None, request.FILES or None, town=town, initial=initial)
    if request.method == "POST" and form.is_valid():
        proposal = attempt(
            form,
            services.submit_proposal,
            town=town,
            author=request.user,
            submission_token=submission_token(request),
            **form.cleaned_data,
        )
        if proposal is not None:
            messages.success(
                request, _("Your proposal was published. Invite neighbours to support it.")
            )
            return redirect(proposal)
    return form_page(request, "proposals/proposal_form.html", {"town": town, "form": form}, form)


# --- The proposal's page ------------------------------------------------------------


def _threads(proposal, *, staff: bool):
    """Top-level comments with their replies (one level), oldest first, read in one
    query; staff also get each comment's open reports. Each thread's replies are in
    ``thread_replies``."""
    comments = Comment.objects.select_related("author", "hidden_by").filter(proposal=proposal)
    if staff:
        comments = comments.annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True))
        )
    rows = list(comments.order_by("created_at", "pk"))
    replies = {}
    for comment in rows:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    threads = [comment for comment in rows if comment.parent_id is None]
    for thread in threads:
        thread.thread_replies = replies.get(thread.pk, [])
    return threads


def _support_context(request, proposal, rules=None):
    rules = rules or services.settings_for(proposal.town)
    user = request.user
    mine = (
        user.is_authenticated
        and proposal.supports.filter(user=user, withdrawn_at__isnull=True).exists()
    )
    own = user.is_authenticated and proposal.author_id == user.pk
    return {
        "proposal": proposal,
        "town": proposal.town,
        # Kept on the proposal by the services (counters.py).
        "support_count": proposal.support_count,
        # Supports staff recorded from residents' paper forms, shown as such.
        "paper_support_count": proposal.supports.filter(
            withdrawn_at__isnull=True, paper_recorded_at__isnull=False
        ).count()
        if proposal.support_count
        else 0,
        "threshold": rules.support_threshold,
        "i_support": mine,
        "own_forbidden": own and not rules.authors_may_support,
    }


def _detail(request, proposal, *, status=200, forms=None):
    """The proposal's page; ``forms`` carries bound forms with errors to show."""
    forms = forms or {}
    can_manage = request.user.has_perm("proposals.manage", proposal)
    try:  # read with the proposal (_proposal); None when the town has no rules yet
        rules = proposal.town.proposal_settings
    except ProposalSettings.DoesNotExist:
        rules = None
    context = {
        **_support_context(request, proposal, rules),
        "photos": proposal.photos.all(),
        "history": proposal.history.all(),
        "merged_here": proposal.merged.select_related("town").order_by("pk"),
        "threads": _threads(proposal, staff=can_manage),
        "comment_count": proposal.comment_count,
        "comment_form": forms.get("comment") or CommentForm(),
        "can_manage": can_manage,
        "can_comment": proposal.status != ProposalStatus.MERGED,
    }
    if can_manage:
        allowed = TRANSITIONS[proposal.status]
        context.update(
            can_review=ProposalStatus.UNDER_REVIEW in allowed,
            can_implement=ProposalStatus.IMPLEMENTED in allowed,
            merge_form=(
                forms.get("merge") or MergeForm(proposal=proposal, prefix="merge")
                if ProposalStatus.MERGED in allowed
                else None
            ),
            decline_form=(
                forms.get("decline") or DeclineForm(prefix="decline")
                if ProposalStatus.NOT_ADOPTED in allowed
                else None
            ),
            implement_form=forms.get("implement") or NoteForm(prefix="implement"),
        )
    return render(request, "proposals/proposal_detail.html", context, status=status)


@require_safe
def proposal_detail(request, town_slug, pk):
    """A proposal's page. Its forms post to their own URLs; a POST here (an old copy
    of the page) is refused, not ignored."""
    return _detail(request, _proposal(town_slug, pk))


def _failed(request, proposal, error: DomainError):
    messages.error(request, error.message)
    return _detail(request, proposal, status=error.status)


def _support_answer(request, proposal, *, error=None, success=""):
    """htmx swaps the support box (a 200 with the message inside it, since htmx does
    not swap error answers); without JavaScript the page is shown again."""
    if request.htmx:
        # The services changed the counts in the database: read them afresh.
        proposal.refresh_from_db(fields=["support_count", "comment_count", "status"])
        context = _support_context(request, proposal)
        context["error"] = error.message if error else ""
        context["success"] = success
        return render(request, "proposals/proposal_detail.html#support", context)
    if error is not None:
        return _failed(request, proposal, error)
    messages.success(request, success)
    return redirect(proposal.get_absolute_url() + "#support")


@login_required
@require_POST
def support(request, town_slug, pk):
    proposal = _proposal(town_slug, pk)
    try:
        services.support_proposal(proposal=proposal, user=request.user)
    except DomainError as error:
        return _support_answer(request, proposal, error=error)
    return _support_answer(request, proposal, success=_("Thank you: your support was counted."))


@login_required
@require_POST
def withdraw(request, town_slug, pk):
    proposal = _proposal(town_slug, pk)
    try:
        services.withdraw_support(proposal=proposal, user=request.user)
    except DomainError as error:
        return _support_answer(request, proposal, error=error)
    return _support_answer(request, proposal, success=_("Your support was withdrawn."))


@login_required
@require_POST
def comment(request, town_slug, pk):
    proposal = _proposal(town_slug, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail(request, proposal, status=400, forms={"comment": form})
    parent = None
    if form.cleaned_data["parent"]:
        parent = proposal.comments.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            return _failed(
                request, proposal, DomainError(_("Reply to a comment on this proposal."))
            )
    try:
        written = services.add_comment(
            proposal=proposal,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            submission_token=submission_token(request),
        )
    except DomainError as error:
        return _failed(request, proposal, error)
    if written.is_official:
        messages.success(request, _("Your official reply was published."))
    else:
        messages.success(request, _("Your comment was published."))
    return redirect(proposal.get_absolute_url() + f"#comment-{written.pk}")


@login_required
@require_POST
def report_comment(request, town_slug, pk, comment_pk):
    found = _comment(request, town_slug, pk, comment_pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Say why this comment is abusive."))
        services.report_comment(
            comment=found, reporter=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _detail(request, found.proposal, status=400 if form.errors else error.status)
    messages.success(request, _("Thank you: a moderator will look at this comment."))
    return redirect(found.proposal.get_absolute_url() + f"#comment-{found.pk}")


@require_POST
def hide_comment(request, town_slug, pk, comment_pk):
    found = _comment(request, town_slug, pk, comment_pk, perm="proposals.manage")
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give the reason for hiding the comment."))
        services.hide_comment(comment=found, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
        return _detail(request, found.proposal, status=400 if form.errors else error.status)
    messages.success(request, _("The comment was hidden; its author was told why."))
    return _back(request, found.proposal, f"#comment-{found.pk}")


@require_POST
def dismiss_reports(request, town_slug, pk, comment_pk):
    found = _comment(request, town_slug, pk, comment_pk, perm="proposals.manage")
    if services.dismiss_reports(comment=found, actor=request.user):
        messages.success(request, _("The comment stays; its reports were closed."))
    else:
        messages.info(request, _("This comment has no open reports."))
    return _back(request, found.proposal, f"#comment-{found.pk}")


# Staff decisions, one URL and small POST view each: start the review, merge,
# decline (with a reason), mark implemented. Adoption happens by putting the proposal
# on a meeting's agenda. A form that fails shows the page again with it bound (400);
# a decision the service refuses shows the page with the reason.


def _decide(request, town_slug, pk, act, key=None, form=None, invalid=""):
    """One decision. ``form(proposal)`` (if any) is the decision's bound form, shown
    again with its errors (and ``invalid`` as a message) when it fails;
    ``act(proposal, data)`` calls the service and returns the message to show."""
    proposal = _managed(request, town_slug, pk)
    try:
        data = None
        if form is not None:
            bound = form(proposal)
            if not bound.is_valid():
                if invalid:
                    messages.error(request, invalid)
                return _detail(request, proposal, status=400, forms={key: bound})
            data = bound.cleaned_data
        done = act(proposal, data)
    except DomainError as error:
        return _failed(request, proposal, error)
    messages.success(request, done)
    return redirect(proposal)


@require_POST
def start_review(request, town_slug, pk):
    def act(proposal, data):
        services.start_review(proposal=proposal, actor=request.user)
        return _("The proposal is now under review.")

    return _decide(request, town_slug, pk, act)


@require_POST
def merge(request, town_slug, pk):
    def act(proposal, data):
        services.merge(
            proposal=proposal, into=data["into"], actor=request.user, reason=data["reason"]
        )
        return _("The proposal was merged; its supporters now support the other one.")

    return _decide(
        request,
        town_slug,
        pk,
        act,
        "merge",
        lambda proposal: MergeForm(request.POST, proposal=proposal, prefix="merge"),
        _("Choose the proposal to merge into."),
    )


@require_POST
def decline(request, town_slug, pk):
    def act(proposal, data):
        services.decline(proposal=proposal, actor=request.user, reason=data["reason"])
        return _("The proposal was not adopted; the reason is published.")

    return _decide(
        request,
        town_slug,
        pk,
        act,
        "decline",
        lambda proposal: DeclineForm(request.POST, prefix="decline"),
        _("Give the reason the proposal is not adopted."),
    )


@require_POST
def mark_implemented(request, town_slug, pk):
    def act(proposal, data):
        services.mark_implemented(proposal=proposal, actor=request.user, reason=data["reason"])
        return _("The proposal is marked implemented.")

    return _decide(
        request,
        town_slug,
        pk,
        act,
        "implement",
        lambda proposal: NoteForm(request.POST, prefix="implement"),
    )


# --- Staff pages --------------------------------------------------------------------


def moderation(request, town_slug):
    """Reported comments to hide or keep, and proposals under review: the whole town
    for its secretariat, their own areas for area staff."""
    town = get_checked(request, "proposals.moderate_town", Town, slug=town_slug)
    reported = (
        within_scope(
            Comment.objects.filter(proposal__town=town),
            request.user,
            town,
            area_field="proposal__area_id",
        )
        .filter(reports__resolved_at__isnull=True)
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .select_related("author", "proposal__area", "proposal__town")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(resolved_at__isnull=True).order_by(
                    "created_at", "pk"
                ),
                to_attr="open_report_list",
            )
        )
        .order_by("created_at", "pk")
    )
    in_review = (
        within_scope(Proposal.objects.filter(town=town), request.user, town)
        .filter(status=ProposalStatus.UNDER_REVIEW)
        .select_related("area", "town")
        .order_by("-support_count", "created_at", "pk")
    )
    return render(
        request,
        "proposals/moderation.html",
        {
            "town": town,
            "reported": paginate(request, reported),
            "in_review": in_review[:200],
            "here": request.get_full_path(),
        },
    )


def settings_page(request, town_slug):
    town = get_checked(request, "proposals.configure", Town, slug=town_slug)
    current = services.settings_for(town)
    form = SettingsForm(
        request.POST or None,
        initial={
            "support_threshold": current.support_threshold,
            "authors_may_support": current.authors_may_support,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form, services.update_settings, town=town, actor=request.user, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("The proposal settings were saved."))
            return redirect("proposals:settings", town.slug)
    return form_page(request, "proposals/settings.html", {"town": town, "form": form}, form)


def ledger(request, town_slug):
    """The proposal ledger (台账) as Excel: the whole town for its secretariat, their
    own areas for area staff; ?year= for the proposals of one year. Logged."""
    town = get_checked(request, "proposals.export_ledger", Town, slug=town_slug)
    year = parse_id(request.GET.get("year"))
    if year is not None and not 2000 <= year <= 2100:
        year = None
    return logged_download(
        [proposal_ledger(town=town, user=request.user, year=year)],
        *ledger_filename(town, year),
        actor=request.user,
        town=town,
        name="proposals",
        year=year,
    )
