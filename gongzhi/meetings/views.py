"""Meetings pages: the public list and record of each meeting (agenda, attendance,
decisions, approved minutes with names masked, action items), the staff's pages that
run a meeting (agenda, invitees, sign-in, parties, motions, speeches with the chair's
timer, votes, the decision, minutes, action items), adopting a proposal onto an
agenda, and the meeting ledger. Every write goes through services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gongzhi.core.access import check_perm, get_checked
from gongzhi.core.errors import DomainError
from gongzhi.core.pagecache import kept_per_person
from gongzhi.core.scope import within_scope
from gongzhi.core.views import (
    attempt,
    attempt_submission,
    carry_out,
    error_page,
    form_page,
    parse_id,
    submission_token,
)
from gongzhi.places.models import ResidentialArea, Town
from gongzhi.places.views import paginate
from gongzhi.proposals.models import Proposal
from gongzhi.venues.queries import bookable_venues

from . import ledgers, services
from .decisions import Tally
from .forms import (
    VOTE_CHOICES,
    ActionItemForm,
    ActionStatusForm,
    AdoptForm,
    AgendaForm,
    CancelForm,
    CountsForm,
    DecideForm,
    InviteForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    MotionForm,
    OwnersForm,
    PartyForm,
    SecondForm,
    SpeechForm,
    WalkInForm,
)
from .minutes import mask_public, names_by_meeting, public_text
from .models import (
    MEETING_TRANSITIONS,
    MOTION_TRANSITIONS,
    ActionItem,
    Choice,
    DecisionRule,
    Meeting,
    MeetingStatus,
    Minutes,
    Motion,
    MotionStatus,
    Party,
    VoteMode,
)


def _status(*forms, conflict=False):
    if conflict:
        return 409
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


def _meetings():
    return Meeting.objects.select_related("town", "area", "organiser")


def _managed(request, town_slug, pk):
    return get_checked(request, "meetings.manage", _meetings(), pk=pk, town__slug=town_slug)


def _present(meeting):
    return meeting.attendees.filter(present=True).order_by("name", "pk")


def _with_tallies(motions):
    """Motions with their by-name votes counted in the same query."""
    return motions.select_related("mover", "seconder", "agenda_item").annotate(
        named_yes=Count("votes", filter=Q(votes__choice=Choice.YES)),
        named_no=Count("votes", filter=Q(votes__choice=Choice.NO)),
        named_abstain=Count("votes", filter=Q(votes__choice=Choice.ABSTAIN)),
    )


def _tally(motion) -> Tally | None:
    """The votes of an annotated motion (see services.tally_of), without a query."""
    if motion.vote_mode == VoteMode.BY_NAME:
        return Tally(motion.named_yes, motion.named_no, motion.named_abstain)
    if motion.yes_count is None:
        return None
    return Tally(motion.yes_count, motion.no_count, motion.abstain_count)


def _joint_parties(meeting):
    """The three parties of a joint meeting, each with its record (None: not yet)."""
    if not meeting.is_joint:
        return []
    recorded = {p.party: p for p in meeting.parties.all()}
    return [
        {"party": party, "label": Party(party).label, "record": recorded.get(party)}
        for party in Party.joint_parties()
    ]


# --- Public pages --------------------------------------------------------------------


def meeting_list(request, town_slug):
    """The town's meetings, newest first, filtered by area, kind, year and month."""
    town = get_object_or_404(Town, slug=town_slug)
    form = MeetingFilterForm(request.GET or None, town=town)
    meetings = (
        Meeting.objects.public()
        .filter(town=town)
        .select_related("area")
        .with_counts()
        .order_by("-starts_at", "-pk")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["area"]:
            meetings = meetings.filter(area=data["area"])
        if data["kind"]:
            meetings = meetings.filter(kind=data["kind"])
        if data["year"]:
            meetings = meetings.filter(starts_at__year=data["year"])
        if data["month"]:
            meetings = meetings.filter(starts_at__month=int(data["month"]))
    page = paginate(request, meetings)
    user = request.user
    return form_page(
        request,
        "meetings/meeting_list.html",
        {
            "town": town,
            "form": form,
            "page": page,
            "can_create": user.is_authenticated and user.has_perm("meetings.create", town),
            "can_export": user.is_authenticated and user.has_perm("meetings.export_ledger", town),
        },
        form,
        partial="results",
    )


@kept_per_person
def meeting_detail(request, town_slug, pk):
    """The public record: agenda, attendance, each party of a joint meeting, motions
    with masked names and their results, approved minutes masked, action items."""
    meeting = get_object_or_404(_meetings(), pk=pk, town__slug=town_slug)
    if not request.user.has_perm("meetings.view", meeting):
        return error_page(request, 404, _("Page not found"), _("There is no page at this address."))
    can_manage = request.user.has_perm("meetings.manage", meeting)
    motions = list(_with_tallies(meeting.motions.exclude(status=MotionStatus.WITHDRAWN)))
    for motion in motions:
        motion.tally = _tally(motion)
    agenda = list(meeting.agenda.all())
    names = names_by_meeting([meeting.pk])
    minutes = Minutes.objects.filter(meeting=meeting).first()
    public_minutes = (
        public_text(minutes.body, names.get(meeting.pk, []))
        if minutes and minutes.is_approved
        else ""
    )
    actions = list(meeting.action_items.outstanding().select_related("owner_unit"))
    parties = _joint_parties(meeting)
    if not can_manage:
        # Everything staff typed may name people of the list or their numbers.
        mask_public(agenda, "title", names=names)
        mask_public(motions, "text", names=names)
        mask_public([m.agenda_item for m in motions], "title", names=names)
        mask_public(actions, "title", "owner_name", names=names)
        mask_public([p["record"] for p in parties], "note", names=names)
    mine = None
    if request.user.is_authenticated:
        mine = meeting.attendees.filter(user=request.user).first()
    can_sign_in = bool(mine and not mine.present and services.self_sign_in_open(meeting))
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "town": meeting.town,
            "meeting": meeting,
            "agenda": agenda,
            # The same reading of attendance and quorum as the staff page's.
            "figures": services.attendance(meeting),
            "parties": parties,
            "motions": motions,
            "minutes": minutes,
            "public_minutes": public_minutes,
            "actions": actions,
            "can_manage": can_manage,
            "mine": mine,
            "can_sign_in": can_sign_in,
        },
    )


@login_required
@require_POST
def sign_in_self(request, town_slug, pk):
    """An invited resident signs themself in on their phone during the meeting."""
    meeting = get_object_or_404(_meetings(), pk=pk, town__slug=town_slug)
    if carry_out(request, services.sign_in_self, meeting=meeting, user=request.user):
        messages.success(request, _("You are signed in. Welcome!"))
    return redirect(meeting)


# --- Scheduling ----------------------------------------------------------------------


def create_meeting(request, town_slug):
    town = get_checked(request, "meetings.create", Town, slug=town_slug)
    areas = within_scope(
        ResidentialArea.objects.choices_in(town), request.user, town, area_field="pk"
    )
    form = MeetingForm(
        request.POST or None,
        town=town,
        areas=areas,
        # Town-wide meetings (no area) are the secretariat's.
        town_wide=request.user.has_perm("places.manage_town", town),
        venues=bookable_venues(request.user, town),
    )
    if request.method == "POST" and form.is_valid():
        meeting = attempt_submission(
            request,
            form,
            services.create_meeting,
            town=town,
            **form.cleaned_data,
        )
        if meeting is not None:
            messages.success(request, _("The meeting is scheduled. Add its agenda and invitees."))
            return redirect("meetings:manage", town.slug, meeting.pk)
    return form_page(request, "meetings/meeting_form.html", {"town": town, "form": form}, form)


def edit_meeting(request, town_slug, pk):
    """Change a scheduled meeting (time, place, member count, rules of order) until it
    takes its first decision."""
    meeting = _managed(request, town_slug, pk)
    town = meeting.town
    areas = within_scope(
        ResidentialArea.objects.choices_in(town), request.user, town, area_field="pk"
    )
    initial = {name: getattr(meeting, name) for name in services.EDITABLE_FIELDS}
    form = MeetingForm(
        request.POST or None,
        initial=initial,
        town=town,
        areas=areas,
        town_wide=request.user.has_perm("places.manage_town", town),
        venues=bookable_venues(request.user, town),
    )
    if request.method == "POST" and form.is_valid():
        updated = attempt(
            form, services.update_meeting, meeting=meeting, actor=request.user, **form.cleaned_data
        )
        if updated is not None:
            messages.success(request, _("The meeting's details are saved."))
            return redirect("meetings:manage", town.slug, meeting.pk)
    return form_page(
        request,
        "meetings/meeting_form.html",
        {"town": town, "form": form, "meeting": meeting},
        form,
    )


# --- Running a meeting ---------------------------------------------------------------
#
# The manage page and the motion page show one form per action; each form posts to
# its own URL and small POST view, which calls the service. A form that fails (or an
# action the service refuses) shows its page again with that form bound: 400 for the
# form's errors, 409 for the refusal.


def _manage_forms(meeting, present, minutes, key=None, data=None):
    """The manage page's forms; the one of ``key`` bound to ``data``."""

    def bound(name):
        return data if name == key else None

    return {
        "agenda": AgendaForm(bound("agenda"), auto_id="id_agenda_%s", meeting=meeting),
        "invite": InviteForm(bound("invite"), auto_id="id_invite_%s", meeting=meeting),
        "walk_in": WalkInForm(bound("walk_in"), auto_id="id_walk_in_%s"),
        "party": PartyForm(bound("party"), auto_id="id_party_%s"),
        "motion": MotionForm(
            bound("motion"), auto_id="id_motion_%s", meeting=meeting, present=present
        ),
        "minutes": MinutesForm(
            bound("minutes"),
            auto_id="id_minutes_%s",
            initial={"body": minutes.body if minutes else ""},
        ),
        "action": ActionItemForm(bound("action"), auto_id="id_action_%s", meeting=meeting),
        "cancel": CancelForm(bound("cancel"), auto_id="id_cancel_%s"),
        "action_status": ActionStatusForm(bound("action_status"), auto_id="id_action_status_%s"),
    }


def _manage_page(request, meeting, forms, minutes, *, conflict=False):
    attendees = list(meeting.attendees.select_related("user").order_by("party", "name", "pk"))
    motions = list(_with_tallies(meeting.motions.all()))
    for motion in motions:
        motion.tally = _tally(motion)
    # The same reading of attendance and quorum as the public page's.
    figures = services.attendance(meeting)
    moves = MEETING_TRANSITIONS[meeting.status]
    return render(
        request,
        "meetings/manage.html",
        {
            "town": meeting.town,
            "meeting": meeting,
            "agenda": meeting.agenda.select_related("proposal"),
            "attendees": attendees,
            "invited_count": figures.invited,
            "present_count": figures.present,
            "parties": _joint_parties(meeting),
            "motions": motions,
            "minutes": minutes,
            "actions": meeting.action_items.select_related("owner_unit", "motion"),
            "action_statuses": ActionStatusForm.base_fields["status"].choices,
            "quorate": figures.quorate,
            "quorum_figures": figures.quorum_text,
            "can_edit": meeting.status == MeetingStatus.SCHEDULED
            and not any(m.status == MotionStatus.DECIDED for m in motions),
            # A meeting with no move left (held or cancelled) has a final record.
            "closed": not moves,
            "can_approve": MeetingStatus.HELD in moves,
            "can_cancel": MeetingStatus.CANCELLED in moves,
            "forms": forms,
        },
        status=_status(*forms.values(), conflict=conflict),
    )


@require_safe
def manage(request, town_slug, pk):
    """The staff's page of a meeting: agenda, invitees and sign-in, the parties of a
    joint meeting, moving motions, the minutes and action items. Its forms post to
    their own URLs; a POST here (an old copy of the page) is refused, not ignored."""
    meeting = _managed(request, town_slug, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    forms = _manage_forms(meeting, _present(meeting), minutes)
    return _manage_page(request, meeting, forms, minutes)


def _manage_act(request, town_slug, pk, key, act):
    """One action of the manage page. ``key`` names its form (None: it has none);
    ``act(meeting, data)`` calls the service and returns (message, [redirect])."""
    meeting = _managed(request, town_slug, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    forms = _manage_forms(meeting, _present(meeting), minutes, key, request.POST)
    form = forms.get(key)
    try:
        if form is None:
            done = act(meeting, None)
        else:
            done = act(meeting, form.cleaned_data) if form.is_valid() else None
    except DomainError as error:
        messages.error(request, error.message)
        return _manage_page(request, meeting, forms, minutes, conflict=True)
    if done is not None:
        messages.success(request, done[0])
        return redirect(done[1] if len(done) > 1 else _manage_url(meeting))
    if not form.errors:
        form.add_error(None, _("Please correct the form below."))
    return _manage_page(request, meeting, forms, minutes)


def _manage_url(meeting):
    return reverse("meetings:manage", args=[meeting.town.slug, meeting.pk])


@require_POST
def add_agenda_item(request, town_slug, pk):
    def act(meeting, data):
        item = services.add_agenda_item(
            meeting=meeting,
            actor=request.user,
            title=data["title"],
            proposal=data["proposal"],
            submission_token=submission_token(request),
        )
        return (_("“%(title)s” is on the agenda.") % {"title": item.title},)

    return _manage_act(request, town_slug, pk, "agenda", act)


@require_POST
def invite(request, town_slug, pk):
    def act(meeting, data):
        person = services.invite(
            meeting=meeting,
            actor=request.user,
            name=data["name"],
            party=data["party"],
            user=data["user"],
            submission_token=submission_token(request),
        )
        return (_("%(name)s is invited.") % {"name": person.name},)

    return _manage_act(request, town_slug, pk, "invite", act)


@require_POST
def sign_in_attendee(request, town_slug, pk):
    """Staff mark someone on the list present."""

    def act(meeting, data):
        attendee = meeting.attendees.filter(pk=parse_id(request.POST.get("attendee"))).first()
        if attendee is None:
            raise DomainError(_("Choose someone on this meeting's list."))
        services.sign_in(meeting=meeting, actor=request.user, attendee=attendee)
        return (_("%(name)s is signed in.") % {"name": attendee.name},)

    return _manage_act(request, town_slug, pk, None, act)


@require_POST
def walk_in(request, town_slug, pk):
    def act(meeting, data):
        person = services.sign_in(
            meeting=meeting,
            actor=request.user,
            name=data["name"],
            party=data["party"],
            submission_token=submission_token(request),
        )
        return (_("%(name)s is signed in.") % {"name": person.name},)

    return _manage_act(request, town_slug, pk, "walk_in", act)


@require_POST
def record_party(request, town_slug, pk):
    def act(meeting, data):
        services.record_party(meeting=meeting, actor=request.user, **data)
        return (_("The party's attendance is recorded."),)

    return _manage_act(request, town_slug, pk, "party", act)


@require_POST
def move_motion(request, town_slug, pk):
    def act(meeting, data):
        motion = services.move_motion(
            meeting=meeting, actor=request.user, submission_token=submission_token(request), **data
        )
        return (
            _("The motion is moved."),
            reverse("meetings:motion", args=[meeting.town.slug, meeting.pk, motion.pk]),
        )

    return _manage_act(request, town_slug, pk, "motion", act)


@require_POST
def save_minutes(request, town_slug, pk):
    def act(meeting, data):
        services.save_minutes(meeting=meeting, actor=request.user, body=data["body"])
        return (_("The minutes are saved as a draft."),)

    return _manage_act(request, town_slug, pk, "minutes", act)


@require_POST
def approve_minutes(request, town_slug, pk):
    def act(meeting, data):
        services.approve_minutes(meeting=meeting, actor=request.user)
        return (_("The minutes are approved and published with names masked."),)

    return _manage_act(request, town_slug, pk, None, act)


@require_POST
def add_action_item(request, town_slug, pk):
    def act(meeting, data):
        services.add_action_item(
            meeting=meeting, actor=request.user, submission_token=submission_token(request), **data
        )
        return (_("The action item is added."),)

    return _manage_act(request, town_slug, pk, "action", act)


@require_POST
def set_action_status(request, town_slug, pk):
    def act(meeting, data):
        item = get_object_or_404(ActionItem, pk=data["item"], meeting=meeting)
        services.set_action_status(item=item, actor=request.user, status=data["status"])
        return (_("The action item's status is changed."),)

    return _manage_act(request, town_slug, pk, "action_status", act)


@require_POST
def cancel_meeting(request, town_slug, pk):
    def act(meeting, data):
        services.cancel_meeting(meeting=meeting, actor=request.user, reason=data["reason"])
        return (_("The meeting is cancelled."),)

    return _manage_act(request, town_slug, pk, "cancel", act)


def _managed_motion(request, town_slug, pk, motion_pk):
    """The meeting (checked) and its motion; None for a motion of another meeting."""
    meeting = _managed(request, town_slug, pk)
    motion = get_object_or_404(Motion.objects.select_related("mover", "seconder"), pk=motion_pk)
    if motion.meeting_id != meeting.pk:
        return meeting, None
    motion.meeting = meeting
    return meeting, motion


def _not_found(request):
    return error_page(request, 404, _("Page not found"), _("There is no page at this address."))


def _motion_forms(meeting, present, key=None, data=None):
    """The motion page's forms; the one of ``key`` bound to ``data``. The owners'
    figures are only asked for under an owners' rule."""

    def bound(name):
        return data if name == key else None

    owners_rule = meeting.decision_rule != DecisionRule.MAJORITY
    return {
        "second": SecondForm(bound("second"), auto_id="id_second_%s", present=present),
        "speech": SpeechForm(bound("speech"), auto_id="id_speech_%s", present=present),
        "counts": CountsForm(bound("counts"), auto_id="id_counts_%s"),
        "owners": OwnersForm(bound("owners"), auto_id="id_owners_%s") if owners_rule else None,
        "decide": DecideForm(bound("decide"), auto_id="id_decide_%s"),
    }


def _motion_page(request, meeting, motion, forms, *, conflict=False):
    present = list(_present(meeting))
    votes = dict(motion.votes.values_list("attendee_id", "choice"))
    turns = dict(
        motion.speeches.values("attendee_id")
        .annotate(n=Count("pk"))
        .values_list("attendee_id", "n")
    )
    limit = meeting.speech_minutes * 60
    speeches = list(motion.speeches.select_related("attendee"))
    for speech in speeches:
        speech.over_time = speech.seconds > limit
    for person in present:
        person.vote = votes.get(person.pk)
        person.vote_label = Choice(person.vote).label if person.vote else ""
        person.turns = turns.get(person.pk, 0)
    outcome = problem = None
    if motion.status == MotionStatus.OPEN:
        try:
            outcome = services.compute_outcome(motion)
        except DomainError as error:
            problem = error.message
    # The buttons follow the moves MOTION_TRANSITIONS allows; a final record (the
    # meeting held or cancelled) takes none.
    closed = not MEETING_TRANSITIONS[meeting.status]
    moves = set() if closed else MOTION_TRANSITIONS[motion.status]
    return render(
        request,
        "meetings/motion.html",
        {
            "town": meeting.town,
            "meeting": meeting,
            "motion": motion,
            "present": present,
            "speeches": speeches,
            "tally": services.tally_of(motion),
            "vote_choices": VOTE_CHOICES,
            "outcome": outcome,
            "problem": problem,
            "owners_rule": forms["owners"] is not None,
            "forms": forms,
            "timer_seconds": limit,
            "closed": closed,
            "can_second": MotionStatus.OPEN in moves,
            "can_withdraw": MotionStatus.WITHDRAWN in moves,
            # Debate, votes and the decision belong to the motion that can be decided.
            "can_decide": MotionStatus.DECIDED in moves,
        },
        status=_status(*forms.values(), conflict=conflict),
    )


@require_safe
def motion_detail(request, town_slug, pk, motion_pk):
    """The chair's page of one motion: the second, speeches with the timer, the
    votes (by name or counts, or the owners' figures), and recording the decision."""
    meeting, motion = _managed_motion(request, town_slug, pk, motion_pk)
    if motion is None:
        return _not_found(request)
    return _motion_page(request, meeting, motion, _motion_forms(meeting, _present(meeting)))


def _motion_act(request, town_slug, pk, motion_pk, key, act):
    """One action of the motion page. ``key`` names its form (None: it has none);
    ``act(motion, data)`` calls the service and returns the message; with no form for
    ``key`` (the owners' figures under a simple majority) nothing is done."""
    meeting, motion = _managed_motion(request, town_slug, pk, motion_pk)
    if motion is None:
        return _not_found(request)
    forms = _motion_forms(meeting, _present(meeting), key, request.POST)
    form = forms.get(key)
    conflict = False
    try:
        if key is None:
            done = act(motion, None)
        elif form is not None and form.is_valid():
            done = act(motion, form.cleaned_data)
        else:
            done = None
    except DomainError as error:
        messages.error(request, error.message)
        conflict = True
    else:
        if done is not None:
            messages.success(request, done)
            return redirect(
                reverse("meetings:motion", args=[meeting.town.slug, meeting.pk, motion.pk])
            )
        if form is not None and not form.errors:
            form.add_error(None, _("Please correct the form below."))
    motion.refresh_from_db()
    motion.meeting = meeting
    return _motion_page(request, meeting, motion, forms, conflict=conflict)


@require_POST
def second_motion(request, town_slug, pk, motion_pk):
    def act(motion, data):
        services.second_motion(motion=motion, actor=request.user, seconder=data["seconder"])
        return _("The motion is seconded; debate is open.")

    return _motion_act(request, town_slug, pk, motion_pk, "second", act)


@require_POST
def withdraw_motion(request, town_slug, pk, motion_pk):
    def act(motion, data):
        services.withdraw_motion(motion=motion, actor=request.user)
        return _("The motion is withdrawn.")

    return _motion_act(request, town_slug, pk, motion_pk, None, act)


@require_POST
def record_speech(request, town_slug, pk, motion_pk):
    def act(motion, data):
        services.record_speech(
            motion=motion, actor=request.user, submission_token=submission_token(request), **data
        )
        return _("The speech is recorded.")

    return _motion_act(request, town_slug, pk, motion_pk, "speech", act)


@require_POST
def cast_votes(request, town_slug, pk, motion_pk):
    """The vote grid: the choices given are cast together by the service; one
    refused vote refuses them all (nothing is stored)."""

    def act(motion, data):
        votes = {}
        for key, choice in request.POST.items():
            if not key.startswith("vote-") or not choice:
                continue
            attendee_pk = parse_id(key.removeprefix("vote-"))
            if attendee_pk is None:
                raise DomainError(_("Choose someone on this meeting's list."))
            votes[attendee_pk] = choice
        cast = services.cast_votes(motion=motion, actor=request.user, votes=votes)
        return _("%(n)d votes are recorded.") % {"n": len(cast)}

    return _motion_act(request, town_slug, pk, motion_pk, None, act)


@require_POST
def record_counts(request, town_slug, pk, motion_pk):
    def act(motion, data):
        services.record_counts(motion=motion, actor=request.user, **data)
        return _("The vote counts are recorded.")

    return _motion_act(request, town_slug, pk, motion_pk, "counts", act)


@require_POST
def record_owners_count(request, town_slug, pk, motion_pk):
    def act(motion, data):
        services.record_owners_count(motion=motion, actor=request.user, **data)
        return _("The owners' figures are recorded.")

    return _motion_act(request, town_slug, pk, motion_pk, "owners", act)


@require_POST
def decide_motion(request, town_slug, pk, motion_pk):
    def act(motion, data):
        decided = services.decide_motion(
            motion=motion, actor=request.user, declared=data["declared"]
        )
        return _("The decision is recorded: %(result)s.") % {"result": decided.get_result_display()}

    return _motion_act(request, town_slug, pk, motion_pk, "decide", act)


# --- Adopting a proposal onto an agenda -----------------------------------------------


def adopt(request, town_slug, proposal_pk):
    """Staff who may manage a proposal put it on an upcoming meeting of its area."""
    proposal = get_checked(
        request,
        "proposals.manage",
        Proposal.objects.select_related("town", "area"),
        pk=proposal_pk,
        town__slug=town_slug,
    )
    meetings = (
        Meeting.objects.filter(
            town=proposal.town,
            area=proposal.area,
            status=MeetingStatus.SCHEDULED,
            ends_at__gt=timezone.now(),
        )
        .exclude(agenda__proposal=proposal)
        .order_by("starts_at", "pk")
    )
    form = AdoptForm(request.POST or None, meetings=meetings)
    form.fields["meeting"].label_from_instance = lambda m: (
        f"{timezone.localtime(m.starts_at):%Y-%m-%d %H:%M} · {m.title}"
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        check_perm(request, "meetings.manage", meeting)
        try:
            services.add_agenda_item(
                meeting=meeting,
                actor=request.user,
                title=form.cleaned_data["title"],
                proposal=proposal,
                submission_token=submission_token(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            conflict = True
        else:
            messages.success(
                request,
                _("The proposal is on the agenda of “%(meeting)s”.") % {"meeting": meeting.title},
            )
            return redirect(meeting)
    return render(
        request,
        "meetings/adopt.html",
        {"town": proposal.town, "proposal": proposal, "form": form, "has_meetings": meetings},
        status=_status(form, conflict=conflict),
    )


# --- Ledger --------------------------------------------------------------------------


def ledger(request, town_slug):
    """The meeting ledger (台账) as an Excel workbook; area staff get their areas."""
    town = get_checked(request, "meetings.export_ledger", Town, slug=town_slug)
    year = parse_id(request.GET.get("year"))
    if year is not None and not 2000 <= year <= 2100:
        return error_page(request, 400, _("Bad request"), _("Give a year between 2000 and 2100."))
    return ledgers.export_meeting_ledger(town=town, user=request.user, year=year)
