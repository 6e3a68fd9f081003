"""The evidence table: what each kind of step needs before it can close
(DOMAIN.md "The planning loop: what proves each step"), with the amounts taken from
the process's template step (``min_count``, ``min_days``).

``missing(run, now)`` returns the list of what is missing, in words a community
worker understands; an empty list means the step may close. One function per step
kind, registered in ``CHECKS``; ``services.advance_step`` refuses with the list.
"""

from collections.abc import Callable

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import JointDecision, StepKind, StepPhoto, StepRun


def _survey(run: StepRun, now) -> list[str]:
    missing = []
    step = run.step
    surveys = [link.survey for link in run.survey_links.select_related("survey")]
    if not surveys:
        missing.append(_("Link the questionnaire of the community survey."))
    else:
        responses = sum(survey.responses.count() for survey in surveys)
        if responses < step.min_count:
            missing.append(
                ngettext(
                    "At least %(need)d response to the questionnaire (%(have)d so far).",
                    "At least %(need)d responses to the questionnaire (%(have)d so far).",
                    step.min_count,
                )
                % {"need": step.min_count, "have": responses}
            )
    if not run.photos.filter(purpose=StepPhoto.Purpose.SITE).exists():
        missing.append(_("At least one photo of the sites surveyed."))
    if not run.needs.exists():
        missing.append(_("The needs list written from the survey."))
    return missing


def _interviews(run: StepRun, now) -> list[str]:
    have = run.interviews.count()
    need = max(run.step.min_count, 1)
    if have < need:
        return [
            ngettext(
                "At least %(need)d interview record with consent (%(have)d so far).",
                "At least %(need)d interview records with consent (%(have)d so far).",
                need,
            )
            % {"need": need, "have": have}
        ]
    return []


def _drafts(run: StepRun, now) -> list[str]:
    have = run.drafts.values("digest").distinct().count()
    need = max(run.step.min_count, 2)
    if have < need:
        return [
            ngettext(
                "At least %(need)d distinct design draft (%(have)d so far).",
                "At least %(need)d distinct design drafts (%(have)d so far).",
                need,
            )
            % {"need": need, "have": have}
        ]
    return []


# The activity kinds (events.ActivityKind) that are a co-design session.
CO_DESIGN_KINDS = ("workshop", "world_cafe")


def _participatory_design(run: StepRun, now) -> list[str]:
    missing = []
    links = list(
        run.activity_links.select_related("activity").annotate(
            attended=Count("activity__attendances")
        )
    )
    sessions = [
        link
        for link in links
        if link.activity.kind in CO_DESIGN_KINDS and link.activity.status != "cancelled"
    ]
    held = [link for link in sessions if link.activity.ends_at <= now and link.attended > 0]
    if not links:
        missing.append(_("Link the co-design workshop or World Café held for this step."))
    elif not sessions:
        missing.append(_("The linked activity must be a co-design workshop or a World Café."))
    elif not held:
        missing.append(_("The linked co-design session must have been held, with its sign-in."))
    inputs = run.draft_comments.count() + run.dot_votes.count()
    need = max(run.step.min_count, 1)
    if inputs < need:
        missing.append(
            ngettext(
                "At least %(need)d resident input on the drafts: comments or dot votes "
                "(%(have)d so far).",
                "At least %(need)d resident inputs on the drafts: comments or dot votes "
                "(%(have)d so far).",
                need,
            )
            % {"need": need, "have": inputs}
        )
    return missing


def _new_version(run: StepRun) -> list[str]:
    if not run.drafts.exclude(change_note="").exists():
        return [_("A new version of the design with a note of what changed.")]
    return []


def latest_design_run(process_id) -> StepRun | None:
    """The process's latest participatory-design run: the inputs step 5 answers
    (an answer to an earlier round's comments or votes does not count)."""
    return (
        StepRun.objects.filter(process_id=process_id, step__kind=StepKind.PARTICIPATORY_DESIGN)
        .order_by("-opened_at", "-pk")
        .first()
    )


def _adjustment(run: StepRun, now) -> list[str]:
    missing = _new_version(run)
    if not missing:
        design = latest_design_run(run.process_id)
        answers = Q(answers_comments__run=design)
        if design is not None and design.dot_votes.exists():
            answers |= Q(answers_votes=True)
        answering = run.drafts.exclude(change_note="").filter(answers)
        if design is not None and not answering.exists():
            missing.append(
                _("The new version must answer the residents' inputs of the participatory design.")
            )
    return missing


def _optimisation(run: StepRun, now) -> list[str]:
    return _new_version(run)


def _revision(run: StepRun, now) -> list[str]:
    missing = _new_version(run)
    if missing:
        return missing
    from .models import Consultation

    consultation = (
        Consultation.objects.filter(run__process_id=run.process_id)
        .order_by("-opens_at", "-pk")
        .first()
    )
    # Only an answer to the latest consultation counts (not one from an earlier loop).
    if (
        consultation
        and consultation.comments.exists()
        and not run.drafts.filter(answers_consultation__consultation=consultation).exists()
    ):
        missing.append(_("The new version's change log must answer the consultation."))
    return missing


def meeting_missing(link, motion=None, parties: int | None = None) -> list[str]:
    """What a joint-meeting link lacks before any decision may be read from it: a
    joint meeting, held (its minutes approved), the three parties on record, its
    motion decided. ``motion`` defaults to the link's; ``parties`` is the number of
    parties on record when already counted (the board counts them for many links).
    The decision itself (approve, passed) is the caller's to check."""
    meeting = link.meeting
    motion = motion if motion is not None else link.motion
    if parties is None:
        parties = len(set(meeting.parties.values_list("party", flat=True)))
    missing = []
    if meeting.kind != "joint":
        missing.append(_("The linked meeting must be a joint meeting."))
    if parties < 3:
        missing.append(
            _("The three parties' attendance (or recorded absence) at the joint meeting.")
        )
    if meeting.status != "held":
        missing.append(_("The joint meeting's approved minutes."))
    if motion is None or motion.status != "decided":
        missing.append(_("The decided motion of the joint meeting."))
    return missing


def approval_missing(link) -> list[str]:
    """Whether a link with a decided motion records the approval (after
    ``meeting_missing``; nothing when its motion is not decided, already listed)."""
    if link.motion is None or link.motion.status != "decided":
        return []
    if link.decision != JointDecision.APPROVE:
        return [
            _("The joint meeting's decision to approve (a plan sent back returns to its step).")
        ]
    if link.motion.result != "passed":
        return [_("The motion approving the plan did not pass.")]
    return []


def _joint_meeting(run: StepRun, now) -> list[str]:
    links = list(run.meeting_links.select_related("meeting", "motion").order_by("linked_at", "pk"))
    if not links:
        return [_("Link the joint meeting held for this step.")]
    link = links[-1]
    return meeting_missing(link) + approval_missing(link)


def _consultation(run: StepRun, now) -> list[str]:
    consultation = getattr(run, "consultation", None)
    if consultation is None:
        return [_("Open the public consultation window on the current draft.")]
    missing = []
    if (consultation.closes_at - consultation.opens_at).days < run.step.min_days:
        missing.append(
            _("The window must last at least %(days)d days.") % {"days": run.step.min_days}
        )
    if consultation.closes_at > now:
        missing.append(
            _("The window is open until %(date)s.")
            % {"date": timezone.localtime(consultation.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    unanswered = consultation.comments.filter(reply="").count()
    if unanswered:
        missing.append(
            ngettext(
                "An official reply to %(n)d comment.",
                "Official replies to %(n)d comments.",
                unanswered,
            )
            % {"n": unanswered}
        )
    return missing


def _public_notice(run: StepRun, now) -> list[str]:
    notice = getattr(run, "notice", None)
    if notice is None:
        return [_("Post the public notice of the final plan.")]
    missing = []
    if notice.period_days < run.step.min_days:
        missing.append(
            _("The notice period must be at least %(days)d days.") % {"days": run.step.min_days}
        )
    if run.step.working_days and not notice.working_days:
        missing.append(_("The notice period must count working days."))
    if timezone.localdate(now) <= notice.ends_on:
        missing.append(
            _("The notice runs until %(date)s and cannot end early.")
            % {"date": notice.ends_on.isoformat()}
        )
    if not notice.online:
        missing.append(_("The notice must be published online."))
    if (
        not notice.on_board
        or not run.photos.filter(purpose=StepPhoto.Purpose.NOTICE_BOARD).exists()
    ):
        missing.append(_("A photo of the notice on the notice board."))
    unanswered = notice.objections.filter(reply="").count()
    if unanswered:
        missing.append(
            ngettext(
                "An official reply to %(n)d objection.",
                "Official replies to %(n)d objections.",
                unanswered,
            )
            % {"n": unanswered}
        )
    if not notice.result.strip():
        missing.append(_("The result, published once the notice has ended."))
    return missing


CHECKS: dict[str, Callable[[StepRun, object], list[str]]] = {
    StepKind.SURVEY: _survey,
    StepKind.INTERVIEWS: _interviews,
    StepKind.DRAFTS: _drafts,
    StepKind.PARTICIPATORY_DESIGN: _participatory_design,
    StepKind.ADJUSTMENT: _adjustment,
    StepKind.JOINT_MEETING: _joint_meeting,
    StepKind.OPTIMISATION: _optimisation,
    StepKind.CONSULTATION: _consultation,
    StepKind.REVISION: _revision,
    StepKind.PUBLIC_NOTICE: _public_notice,
}


def missing(run: StepRun, now=None) -> list[str]:
    """What ``run`` still lacks before its step may close (empty: nothing)."""
    return CHECKS[run.step.kind](run, now or timezone.now())
