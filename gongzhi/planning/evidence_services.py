"""Writes that gather a step's evidence, and residents' part in the loop (comments,
dot votes, consultation comments, objections).

Evidence goes to the open step: every service locks the process row, checks that
the process is active and that its open run is a step of the right kind, and only
then stores anything. Evidence that changes what the public sees of the plan
(links, drafts, decisions, consultations, notices, replies, results) is audited; a
resident whose comment or objection gets an official reply is told.
"""

import re
import unicodedata
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.images import clean_photo
from gongzhi.core.services import claim_submission, notify, record_event
from gongzhi.core.validators import HAPPENED
from gongzhi.partners.matching import Match, rank_partners
from gongzhi.partners.matching import Need as PartnerNeed
from gongzhi.partners.models import Mode

from . import calendar, evidence
from .evidence import CO_DESIGN_KINDS
from .files import check_draft_upload
from .kinds import CHANGE_NOTE_KINDS, DRAFT_KINDS, PHOTO_PURPOSE_KIND
from .models import (
    REASON_MAX,
    ActivityLink,
    Consultation,
    ConsultationComment,
    DesignDraft,
    DotVote,
    DraftComment,
    Holiday,
    Interview,
    IntervieweeCategory,
    JointDecision,
    MeetingLink,
    Need,
    Objection,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    StepKind,
    StepPhoto,
    StepRun,
    SurveyLink,
)
from .services import _tell_followers, return_to_step

MAX_NEEDS = 100
# A mainland mobile number (11 digits, 13… to 19…), looked for once full-width
# digits are made plain and the spaces and dashes people write between groups removed.
MOBILE_NUMBER = re.compile(r"1[3-9]\d{9}")
MAX_PHOTOS = 50
MAX_PERIOD_DAYS = 365
COMMENT_MAX = 1000
REPLY_MAX = 1000


# --- The open step -------------------------------------------------------------------


def _lock(process: PlanningProcess) -> PlanningProcess:
    return (
        PlanningProcess.objects.select_for_update()
        .select_related("town", "area", "template")
        .get(pk=process.pk)
    )


def _open_step(process: PlanningProcess, *kinds: str) -> tuple[PlanningProcess, StepRun]:
    """The locked process and its open run, refused unless the process is active and
    the open step is one of ``kinds``: evidence goes to the open step."""
    process = _lock(process)
    if process.status != ProcessStatus.ACTIVE:
        raise DomainError(
            _("This process is %(status)s; its evidence no longer changes.")
            % {"status": process.get_status_display()}
        )
    run = (
        StepRun.objects.select_for_update()
        .select_related("step")
        .filter(process=process, closed_at__isnull=True)
        .first()
    )
    if run is None or run.step.kind not in kinds:
        wanted = "、".join(str(StepKind(kind).label) for kind in kinds)
        if run is None:  # pragma: no cover - an active process always has an open run
            raise DomainError(_("This process has no open step."))
        raise DomainError(
            _(
                "Evidence goes to the open step: step %(order)d “%(title)s” is open, "
                "and this belongs to a step of another kind (%(kinds)s)."
            )
            % {"order": run.step.order, "title": run.step.display_title, "kinds": wanted}
        )
    return process, run


def _today(now=None):
    return timezone.localdate(now or timezone.now())


def _not_linked_twice(exists: bool, message: str) -> None:
    if exists:
        raise DomainError(message)


# --- Step 1: community survey --------------------------------------------------------


@transaction.atomic
def link_survey(*, process: PlanningProcess, actor, survey) -> SurveyLink:
    """Link the questionnaire whose responses are the survey step's evidence."""
    require_perm(actor, "planning.contribute", process)
    process, run = _open_step(process, StepKind.SURVEY)
    # The area's own survey: a town-wide one would satisfy step 1 in every area.
    if survey.town_id != process.town_id or survey.area_id != process.area_id:
        raise DomainError(
            _("Link a survey of the process's residential area (not a town-wide one).")
        )
    _not_linked_twice(
        run.survey_links.filter(survey=survey).exists(),
        _("This survey is already linked to the step."),
    )
    link = SurveyLink.objects.create(run=run, survey=survey)
    record_event(
        actor=actor,
        verb="planning.survey",
        target=process,
        after={"step": run.step.order, "survey": survey.pk},
    )
    return link


@transaction.atomic
def add_need(
    *, process: PlanningProcess, actor, text: str, submission_token: str | None = None
) -> Need:
    """One item of the needs list written from the survey."""
    require_perm(actor, "planning.contribute", process)
    claim_submission(submission_token, user=actor)
    process, run = _open_step(process, StepKind.SURVEY)
    text = checked_text(text, label=_("The need"), limit=200)
    count = run.needs.count()
    if count >= MAX_NEEDS:
        raise DomainError(_("A needs list has at most %(n)d items.") % {"n": MAX_NEEDS})
    if run.needs.filter(text=text).exists():
        raise DomainError(_("This need is already on the list."))
    return Need.objects.create(run=run, text=text, order=count + 1)


@transaction.atomic
def remove_need(*, process: PlanningProcess, actor, need: Need) -> None:
    require_perm(actor, "planning.contribute", process)
    process, run = _open_step(process, StepKind.SURVEY)
    if need.run_id != run.pk:
        raise DomainError(_("Only the open step's needs list can change."))
    need.delete()


@transaction.atomic
def add_step_photo(
    *,
    process: PlanningProcess,
    actor,
    image,
    purpose: str,
    caption: str = "",
    taken_on=None,
    submission_token: str | None = None,
) -> StepPhoto:
    """A photo of the sites surveyed (step 1) or of the notice on the board (step
    11), re-encoded so that no location data is kept."""
    require_perm(actor, "planning.contribute", process)
    claim_submission(submission_token, user=actor)
    if purpose not in PHOTO_PURPOSE_KIND:
        raise DomainError(_("Choose what the photo shows."))
    process, run = _open_step(process, PHOTO_PURPOSE_KIND[purpose])
    caption = checked_text(caption, label=_("The caption"), limit=200, required=False)
    if taken_on is not None and taken_on > _today():
        raise DomainError(_("A photo cannot be taken in the future."))
    if taken_on is not None:
        HAPPENED.check(taken_on, label=_("The day the photo was taken"))
    if run.photos.count() >= MAX_PHOTOS:
        raise DomainError(_("A step has at most %(n)d photos.") % {"n": MAX_PHOTOS})
    try:
        content = clean_photo(image, name=f"{purpose}-{run.pk}")
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    photo = StepPhoto(
        run=run, purpose=purpose, caption=caption, taken_on=taken_on, uploaded_by=actor
    )
    photo.image.save(content.name, content, save=False)
    photo.save()
    return photo


# --- Step 2: interviews --------------------------------------------------------------


@transaction.atomic
def record_interview(
    *,
    process: PlanningProcess,
    actor,
    category: str,
    held_on,
    notes: str,
    summary: str,
    consent: bool,
    submission_token: str | None = None,
) -> Interview:
    """An interview record, only with the interviewee's consent. The notes stay with
    the team; the public sees the category, the date and the summary."""
    require_perm(actor, "planning.contribute", process)
    claim_submission(submission_token, user=actor)
    process, run = _open_step(process, StepKind.INTERVIEWS)
    if consent is not True:
        raise DomainError(
            _("An interview is recorded only with the interviewee's consent to the record.")
        )
    if category not in IntervieweeCategory.values:
        raise DomainError(_("Choose who was interviewed."))
    if held_on is None or held_on > _today():
        raise DomainError(_("Give the date the interview was held (not in the future)."))
    HAPPENED.check(held_on, label=_("The day of the interview"))
    notes = checked_text(notes, label=_("The notes"), limit=5000)
    summary = checked_text(summary, label=_("The public summary"), limit=500)
    if MOBILE_NUMBER.search(re.sub(r"[\s\-－]", "", unicodedata.normalize("NFKC", summary))):
        raise DomainError(
            _(
                "The public summary is shown on the plan page: leave out phone numbers "
                "(keep them in the team's notes, if at all)."
            )
        )
    return Interview.objects.create(
        run=run,
        category=category,
        held_on=held_on,
        interviewer=actor,
        notes=notes,
        summary=summary,
        consent=True,
    )


# --- Steps 3, 5, 7, 9: design drafts -------------------------------------------------


def suggest_authors(process: PlanningProcess, *, limit: int = 8) -> list[Match]:
    """Planning partners of the town, those of the process's area first."""
    need = PartnerNeed(
        town_id=process.town_id, modes=[Mode.PLANNING.value], area_id=process.area_id
    )
    return rank_partners(need, limit=limit)


@transaction.atomic
def upload_draft(
    *,
    process: PlanningProcess,
    actor,
    file,
    title: str,
    description: str,
    author=None,
    change_note: str = "",
    answers_comments=(),
    answers_consultation=(),
    answers_votes: bool = False,
    submission_token: str | None = None,
) -> DesignDraft:
    """A new version of the design. From the second version on, steps 5, 7 and 9 need
    a change note; the inputs it answers must be the process's own. The same file
    twice is one draft, not two."""
    require_perm(actor, "planning.contribute", process)
    claim_submission(submission_token, user=actor)
    process, run = _open_step(process, *DRAFT_KINDS)
    title = checked_text(title, label=_("The title"), limit=100)
    description = checked_text(
        description, label=pgettext("draft description", "The description"), limit=3000
    )
    change_note = checked_text(change_note, label=_("The change note"), limit=3000, required=False)
    has_earlier = process.drafts.exists()
    if run.step.kind in CHANGE_NOTE_KINDS and has_earlier and not change_note:
        raise DomainError(_("Say what changed in this version and why (the change note)."))
    if author is not None and author.town_id != process.town_id:
        raise DomainError(_("The author must be a community partner of this town."))
    answers_comments = list(answers_comments)
    answers_consultation = list(answers_consultation)
    if any(c.draft.process_id != process.pk for c in answers_comments):
        raise DomainError(_("A version answers comments on this plan's drafts only."))
    if any(c.consultation.run.process_id != process.pk for c in answers_consultation):
        raise DomainError(_("A version answers this plan's consultation comments only."))
    if (answers_comments or answers_consultation or answers_votes) and not change_note:
        raise DomainError(_("Say in the change note how this version answers the inputs."))
    try:
        checked = check_draft_upload(file)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    if process.drafts.filter(digest=checked.digest).exists():
        raise DomainError(
            _("This file is already a draft of this plan: upload the changed design.")
        )
    version = (process.drafts.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = DesignDraft(
        process=process,
        run=run,
        version=version,
        title=title,
        description=description,
        content_type=checked.content_type,
        digest=checked.digest,
        author=author,
        uploaded_by=actor,
        change_note=change_note,
        answers_votes=bool(answers_votes),
    )
    draft.file.save(f"v{version}-{checked.content.name}", checked.content, save=False)
    draft.save()
    if answers_comments:
        draft.answers_comments.set(answers_comments)
    if answers_consultation:
        draft.answers_consultation.set(answers_consultation)
    record_event(
        actor=actor,
        verb="planning.draft",
        target=process,
        after={
            "step": run.step.order,
            "version": version,
            "title": title,
            "digest": checked.digest,
            "author": getattr(author, "pk", None),
            "answers_comments": [c.pk for c in answers_comments],
            "answers_consultation": [c.pk for c in answers_consultation],
            "answers_votes": bool(answers_votes),
        },
    )
    return draft


# --- Step 4: participatory design ----------------------------------------------------


@transaction.atomic
def link_activity(*, process: PlanningProcess, actor, activity) -> ActivityLink:
    """The co-design workshop or World Café held for the step (an events activity of
    the same area)."""
    require_perm(actor, "planning.contribute", process)
    process, run = _open_step(process, StepKind.PARTICIPATORY_DESIGN)
    if activity.town_id != process.town_id or activity.area_id != process.area_id:
        raise DomainError(_("Link an activity of the process's residential area."))
    if activity.kind not in CO_DESIGN_KINDS:
        raise DomainError(_("Link a co-design workshop or a World Café."))
    if activity.status == "cancelled":
        raise DomainError(_("This activity was cancelled."))
    _not_linked_twice(
        run.activity_links.filter(activity=activity).exists(),
        _("This activity is already linked to the step."),
    )
    link = ActivityLink.objects.create(run=run, activity=activity)
    record_event(
        actor=actor,
        verb="planning.activity",
        target=process,
        after={"step": run.step.order, "activity": activity.pk},
    )
    return link


def _draft_of(process: PlanningProcess, draft: DesignDraft) -> DesignDraft:
    if draft.process_id != process.pk:
        raise DomainError(_("Choose a draft of this plan."))
    return draft


@transaction.atomic
def comment_on_draft(
    *,
    process: PlanningProcess,
    user,
    draft: DesignDraft,
    body: str,
    submission_token: str | None = None,
):
    """A resident's comment on one of the plan's drafts, during participatory design."""
    require_perm(user, "planning.take_part", process)
    claim_submission(submission_token, user=user)
    process, run = _open_step(process, StepKind.PARTICIPATORY_DESIGN)
    _draft_of(process, draft)
    body = checked_text(body, label=pgettext("plan comment", "The comment"), limit=COMMENT_MAX)
    return DraftComment.objects.create(draft=draft, run=run, user=user, body=body)


@transaction.atomic
def cast_dot_vote(*, process: PlanningProcess, user, draft: DesignDraft) -> DotVote:
    """A resident's dot on the draft they prefer: one per resident per run, and it
    does not move once cast."""
    require_perm(user, "planning.take_part", process)
    process, run = _open_step(process, StepKind.PARTICIPATORY_DESIGN)
    _draft_of(process, draft)
    if run.dot_votes.filter(user=user).exists():
        raise DomainError(_("You have already placed your dot in this round."))
    try:
        with transaction.atomic():
            return DotVote.objects.create(run=run, draft=draft, user=user)
    except IntegrityError:  # a second tab, at the same moment
        raise DomainError(_("You have already placed your dot in this round.")) from None


# --- Steps 6 and 10: joint meetings --------------------------------------------------


@transaction.atomic
def link_meeting(*, process: PlanningProcess, actor, meeting) -> MeetingLink:
    """The joint meeting (a meetings.Meeting of kind joint, same area) held for the
    step. Meetings know nothing of planning; the link lives here."""
    require_perm(actor, "planning.contribute", process)
    process, run = _open_step(process, StepKind.JOINT_MEETING)
    if meeting.town_id != process.town_id or meeting.area_id != process.area_id:
        raise DomainError(_("Link a meeting of the process's residential area."))
    if meeting.kind != "joint":
        raise DomainError(_("Link a joint meeting (residents' committee, owners, property)."))
    if meeting.status == "cancelled":
        raise DomainError(_("This meeting was cancelled."))
    _not_linked_twice(
        run.meeting_links.filter(meeting=meeting).exists(),
        _("This meeting is already linked to the step."),
    )
    link = MeetingLink.objects.create(run=run, meeting=meeting)
    record_event(
        actor=actor,
        verb="planning.meeting",
        target=process,
        after={"step": run.step.order, "meeting": meeting.pk},
    )
    return link


@transaction.atomic
def record_joint_decision(
    *,
    process: PlanningProcess,
    actor,
    motion,
    decision: str,
    return_to: int | None = None,
    reasons: str = "",
) -> MeetingLink:
    """Planning's reading of the joint meeting's decided motion: approve (the motion
    passed) or send the plan back to an earlier step with reasons, which returns the
    process there at once."""
    require_perm(actor, "planning.advance", process)
    process, run = _open_step(process, StepKind.JOINT_MEETING)
    link = run.meeting_links.select_related("meeting").filter(meeting_id=motion.meeting_id).first()
    if link is None:
        raise DomainError(_("The motion must belong to the joint meeting linked to this step."))
    if link.decision:
        raise DomainError(_("The decision of this meeting is already recorded."))
    if motion.passed is None:
        raise DomainError(_("The motion has not been decided yet."))
    reasons = checked_text(
        reasons, label=_("The reasons"), limit=REASON_MAX, required=decision == "return"
    )
    if decision == JointDecision.APPROVE:
        if not motion.passed:
            raise DomainError(_("The motion failed: the joint meeting did not approve the plan."))
        return_to = None
    elif decision == JointDecision.RETURN:
        if return_to is None or not 1 <= return_to < run.step.order:
            raise DomainError(
                _("A plan can only go back to an earlier step (1 to %(last)d).")
                % {"last": run.step.order - 1}
            )
        # A return is a decision of the joint meeting like an approval: the meeting
        # held, its three parties on record, its motion decided (evidence.py).
        missing = evidence.meeting_missing(link, motion)
        if missing:
            raise DomainError(
                _("The joint meeting cannot send the plan back yet. Missing: %(missing)s")
                % {"missing": " ".join(missing)}
            )
    else:
        raise DomainError(_("Choose the decision: approve, or send the plan back."))
    link.motion = motion
    link.decision = decision
    link.return_to = return_to
    link.reasons = reasons
    link.save(update_fields=["motion", "decision", "return_to", "reasons"])
    record_event(
        actor=actor,
        verb="planning.joint_decision",
        target=process,
        after={
            "step": run.step.order,
            "meeting": link.meeting_id,
            "motion": motion.pk,
            "decision": decision,
            "return_to": return_to,
            "reasons": reasons,
        },
    )
    if decision == JointDecision.RETURN:
        return_to_step(
            process=process, actor=actor, to_order=return_to, reason=reasons, meeting_link=link
        )
    return link


# --- Step 8: public consultation -----------------------------------------------------


@transaction.atomic
def open_consultation(
    *, process: PlanningProcess, actor, draft: DesignDraft, opens_at, closes_at
) -> Consultation:
    """The window in which residents comment on the current draft; it lasts at least
    the step's minimum days."""
    require_perm(actor, "planning.advance", process)
    process, run = _open_step(process, StepKind.CONSULTATION)
    _draft_of(process, draft)
    if Consultation.objects.filter(run=run).exists():
        raise DomainError(_("The consultation of this step is already open."))
    if opens_at is None or closes_at is None or closes_at <= opens_at:
        raise DomainError(_("The window must close after it opens."))
    if (closes_at - opens_at).days < run.step.min_days:
        raise DomainError(
            _("The window must last at least %(days)d days.") % {"days": run.step.min_days}
        )
    if (closes_at - opens_at).days > MAX_PERIOD_DAYS:
        raise DomainError(_("The window may last at most a year."))
    consultation = Consultation.objects.create(
        run=run, draft=draft, opens_at=opens_at, closes_at=closes_at
    )
    record_event(
        actor=actor,
        verb="planning.consultation",
        target=process,
        after={
            "draft": draft.version,
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
        },
    )
    _tell_followers(process, "planning.consultation_open", {"closes_at": closes_at.isoformat()})
    return consultation


def consultation_is_open(consultation: Consultation, now=None) -> bool:
    now = now or timezone.now()
    return consultation.opens_at <= now < consultation.closes_at


@transaction.atomic
def comment_in_consultation(
    *,
    process: PlanningProcess,
    user,
    body: str,
    now=None,
    submission_token: str | None = None,
) -> ConsultationComment:
    """A resident's comment, only while the window is open."""
    require_perm(user, "planning.take_part", process)
    claim_submission(submission_token, user=user)
    process, run = _open_step(process, StepKind.CONSULTATION)
    consultation = Consultation.objects.filter(run=run).first()
    if consultation is None:
        raise DomainError(_("The consultation has not opened yet."))
    now = now or timezone.now()
    if now < consultation.opens_at:
        raise DomainError(
            _("The consultation opens on %(date)s.")
            % {"date": timezone.localtime(consultation.opens_at).strftime("%Y-%m-%d %H:%M")}
        )
    if now >= consultation.closes_at:
        raise DomainError(
            _("The consultation closed on %(date)s; comments are no longer taken.")
            % {"date": timezone.localtime(consultation.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    body = checked_text(body, label=pgettext("plan comment", "The comment"), limit=COMMENT_MAX)
    return ConsultationComment.objects.create(consultation=consultation, user=user, body=body)


@transaction.atomic
def reply_to_consultation_comment(
    *, comment: ConsultationComment, actor, reply: str
) -> ConsultationComment:
    """The official reply to a consultation comment (once); the resident is told."""
    require_perm(actor, "planning.advance", comment.consultation.run.process)
    consultation = comment.consultation
    process, run = _open_step(consultation.run.process, StepKind.CONSULTATION)
    if consultation.run_id != run.pk:
        raise DomainError(_("Only comments of the open consultation can be answered."))
    return _official_reply(
        comment,
        actor=actor,
        reply=reply,
        process=process,
        already=_("This comment already has an official reply."),
        verb="planning.consultation_reply",
        key="comment",
        kind="planning.comment_replied",
        url=_consultation_url(process),
    )


def _official_reply(item, *, actor, reply, process, already, verb, key, kind, url):
    """The official reply to a resident's text (a consultation comment, an objection):
    given once, checked, recorded in the audit log under `verb`, and the resident is
    told with a notification of `kind` (with the plan's title)."""
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if item.reply:
        raise DomainError(already)
    reply = checked_text(reply, label=_("The reply"), limit=REPLY_MAX)
    item.reply = reply
    item.replied_by = actor
    item.replied_at = timezone.now()
    item.save(update_fields=["reply", "replied_by", "replied_at"])
    record_event(actor=actor, verb=verb, target=process, after={key: item.pk, "reply": reply})
    notify(user=item.user, kind=kind, params={"title": process.title}, url=url)
    return item


def _consultation_url(process) -> str:
    from django.urls import reverse

    return reverse("planning:consultation", args=[process.town.slug, process.pk])


def _notice_url(process) -> str:
    from django.urls import reverse

    return reverse("planning:notice", args=[process.town.slug, process.pk])


# --- Step 11: public notice ----------------------------------------------------------


def notice_last_day(starts_on, days: int, *, working: bool):
    """The last day of a notice of ``days`` days posted on ``starts_on``: calendar
    days, or working days skipping weekends and the administrator's holiday list
    (with its weekend days worked instead, 调休)."""
    if not working:
        return calendar.last_day(starts_on, days, working=False)
    # Enough room for the longest run of weekends and holidays a period can cross.
    rows = Holiday.objects.filter(
        date__gte=starts_on, date__lte=starts_on + timedelta(days=days * 2 + 60)
    ).values_list("date", "is_workday")
    holidays = {day for day, worked in rows if not worked}
    workdays = frozenset(day for day, worked in rows if worked)
    return calendar.last_day(starts_on, days, working=True, holidays=holidays, workdays=workdays)


@transaction.atomic
def post_notice(
    *,
    process: PlanningProcess,
    actor,
    draft: DesignDraft,
    text: str,
    starts_on,
    period_days: int,
    working_days: bool = False,
    online: bool = True,
    on_board: bool = False,
    now=None,
) -> PublicNotice:
    """Post the notice (公示) of the final plan for at least the step's minimum period;
    its last day is fixed when posted and it cannot end before it."""
    require_perm(actor, "planning.advance", process)
    process, run = _open_step(process, StepKind.PUBLIC_NOTICE)
    _draft_of(process, draft)
    if PublicNotice.objects.filter(run=run).exists():
        raise DomainError(_("The notice of this step is already posted."))
    text = checked_text(text, label=_("The notice text"), limit=5000)
    if starts_on is None or starts_on < _today(now):
        raise DomainError(_("A notice cannot be back-dated: it starts today or later."))
    need = max(run.step.min_days, 1)
    if period_days is None or period_days < need:
        raise DomainError(_("The notice period must be at least %(days)d days.") % {"days": need})
    if period_days > MAX_PERIOD_DAYS:
        raise DomainError(_("The notice period may be at most a year."))
    if run.step.working_days and not working_days:
        raise DomainError(_("The notice period must count working days."))
    ends_on = notice_last_day(starts_on, period_days, working=bool(working_days))
    notice = PublicNotice.objects.create(
        run=run,
        draft=draft,
        text=text,
        starts_on=starts_on,
        period_days=period_days,
        working_days=bool(working_days),
        ends_on=ends_on,
        online=bool(online),
        on_board=bool(on_board),
    )
    record_event(
        actor=actor,
        verb="planning.notice",
        target=process,
        after={
            "draft": draft.version,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "period_days": period_days,
            "working_days": bool(working_days),
            "online": bool(online),
            "on_board": bool(on_board),
        },
    )
    _tell_followers(process, "planning.notice_posted", {"ends_on": ends_on.isoformat()})
    return notice


def notice_is_running(notice: PublicNotice, now=None) -> bool:
    return notice.starts_on <= _today(now) <= notice.ends_on


@transaction.atomic
def object_to_notice(
    *, process: PlanningProcess, user, body: str, now=None, submission_token: str | None = None
) -> Objection:
    """A resident's objection, from the first to the last day of the notice."""
    require_perm(user, "planning.take_part", process)
    claim_submission(submission_token, user=user)
    process, run = _open_step(process, StepKind.PUBLIC_NOTICE)
    notice = PublicNotice.objects.filter(run=run).first()
    if notice is None:
        raise DomainError(_("The notice has not been posted yet."))
    today = _today(now)
    if today < notice.starts_on:
        raise DomainError(
            _("The notice starts on %(date)s.") % {"date": notice.starts_on.isoformat()}
        )
    if today > notice.ends_on:
        raise DomainError(
            _("The notice ended on %(date)s; objections are no longer taken.")
            % {"date": notice.ends_on.isoformat()}
        )
    body = checked_text(body, label=_("The objection"), limit=COMMENT_MAX)
    return Objection.objects.create(notice=notice, user=user, body=body)


@transaction.atomic
def reply_to_objection(*, objection: Objection, actor, reply: str) -> Objection:
    """The official reply to an objection (once); the resident is told."""
    require_perm(actor, "planning.advance", objection.notice.run.process)
    notice = objection.notice
    process, run = _open_step(notice.run.process, StepKind.PUBLIC_NOTICE)
    if notice.run_id != run.pk:
        raise DomainError(_("Only objections to the open notice can be answered."))
    return _official_reply(
        objection,
        actor=actor,
        reply=reply,
        process=process,
        already=_("This objection already has an official reply."),
        verb="planning.objection_reply",
        key="objection",
        kind="planning.objection_replied",
        url=_notice_url(process),
    )


@transaction.atomic
def publish_result(*, process: PlanningProcess, actor, text: str, now=None) -> PublicNotice:
    """The result of the notice, published once its period is over (a notice cannot
    end early) and every objection has an official reply."""
    require_perm(actor, "planning.advance", process)
    process, run = _open_step(process, StepKind.PUBLIC_NOTICE)
    notice = PublicNotice.objects.select_for_update().filter(run=run).first()
    if notice is None:
        raise DomainError(_("The notice has not been posted yet."))
    if notice.result:
        raise DomainError(_("The result is already published."))
    if _today(now) <= notice.ends_on:
        raise DomainError(
            _("The notice runs until %(date)s and cannot end early.")
            % {"date": notice.ends_on.isoformat()}
        )
    if notice.objections.filter(reply="").exists():
        raise DomainError(_("Reply to every objection before publishing the result."))
    notice.result = checked_text(text, label=_("The result"), limit=3000)
    notice.save(update_fields=["result"])
    record_event(
        actor=actor,
        verb="planning.result",
        target=process,
        after={"result": notice.result},
    )
    _tell_followers(process, "planning.notice_result")
    return notice
