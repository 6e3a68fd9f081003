"""The evidence table: what each kind of step needs before it can close
(DOMAIN.md "The planning loop: what proves each step"), with the amounts taken from
the process's template step (``min_count``, ``min_days``).

One check per step kind, each over many runs of that kind at once: a progress board
of 25 rows costs the same fixed number of grouped queries as one step page. The
registry (``kinds.py``) names each kind's check; ``missing_for_runs`` asks every
kind present for its runs, and ``missing(run)`` is the same function on one run, so
there is one rule and nothing to keep in step. Each gap is worded for a community
worker; an empty list means the step may close (``services.advance_step`` refuses
with the list).
"""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from .models import (
    ActivityLink,
    Consultation,
    ConsultationComment,
    DesignDraft,
    DotVote,
    DraftComment,
    Interview,
    JointDecision,
    MeetingLink,
    Need,
    PublicNotice,
    StepKind,
    StepPhoto,
    StepRun,
    SurveyLink,
)

# The activity kinds (events.ActivityKind) that are a co-design session.
CO_DESIGN_KINDS = ("workshop", "world_cafe")


def missing_for_runs(runs: list[StepRun], now=None) -> dict[int, list[str]]:
    """{run pk: what it still lacks} for ``runs`` (their ``step`` selected), in a
    number of queries that does not grow with the number of runs."""
    # The registry imports the checks below, so it is read when called, not loaded.
    from .kinds import spec

    now = now or timezone.now()
    by_kind: dict[str, list[StepRun]] = defaultdict(list)
    for run in runs:
        by_kind[run.step.kind].append(run)
    result: dict[int, list[str]] = {}
    for kind, of_kind in by_kind.items():
        result.update(spec(kind).missing(of_kind, now))
    return result


def missing(run: StepRun, now=None) -> list[str]:
    """What ``run`` still lacks before its step may close (empty: nothing)."""
    return missing_for_runs([run], now)[run.pk]


# --- Helpers of the checks -----------------------------------------------------------


def _ids(runs) -> list[int]:
    return [run.pk for run in runs]


def _counts(queryset, key="run_id", **annotations) -> dict:
    """{key: {annotation: value}} from one grouped query."""
    rows = queryset.values(key).annotate(**annotations).order_by()
    return {row[key]: row for row in rows}


def _at_least(runs, counts, *, floor, words) -> dict:
    """{run id: missing} for steps that need at least their minimum count (and never
    fewer than `floor`) of something counted per run in `counts` (see ``_counts``, with
    ``n``): `words`, an ``ngettext_lazy`` keyed on "need", when short, else nothing."""
    result = {}
    for run in runs:
        have = counts.get(run.pk, {}).get("n", 0)
        need = max(run.step.min_count, floor)
        result[run.pk] = [words % {"need": need, "have": have}] if have < need else []
    return result


def _present(queryset, key="run_id") -> set:
    return set(queryset.values_list(key, flat=True).distinct())


def _with_note(runs) -> set:
    """The runs among ``runs`` with a version that says what changed."""
    return _present(DesignDraft.objects.filter(run_id__in=_ids(runs)).exclude(change_note=""))


def _new_version(run_id, with_note) -> list[str]:
    if run_id not in with_note:
        return [_("A new version of the design with a note of what changed.")]
    return []


def meeting_missing(link, motion=None, parties: int | None = None) -> list[str]:
    """What a joint-meeting link lacks before any decision may be read from it: a
    joint meeting, held (its minutes approved), the three parties on record, its
    motion decided. ``motion`` defaults to the link's; ``parties`` is the number of
    parties on record when already counted (the check counts them for many links).
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


# --- The checks, one per kind of step (each: runs of that kind -> {run pk: gaps}) -----


def survey_missing(runs, now) -> dict:
    """Linked questionnaires with their responses, site photos, the needs list."""
    ids = _ids(runs)
    links = _counts(
        SurveyLink.objects.filter(run_id__in=ids),
        links=Count("pk", distinct=True),
        responses=Count("survey__responses", distinct=True),
    )
    photos = _present(StepPhoto.objects.filter(run_id__in=ids, purpose=StepPhoto.Purpose.SITE))
    needs = _present(Need.objects.filter(run_id__in=ids))
    result = {}
    for run in runs:
        missing = []
        found = links.get(run.pk)
        if not found:
            missing.append(_("Link the questionnaire of the community survey."))
        elif found["responses"] < run.step.min_count:
            missing.append(
                ngettext(
                    "At least %(need)d response to the questionnaire (%(have)d so far).",
                    "At least %(need)d responses to the questionnaire (%(have)d so far).",
                    run.step.min_count,
                )
                % {"need": run.step.min_count, "have": found["responses"]}
            )
        if run.pk not in photos:
            missing.append(_("At least one photo of the sites surveyed."))
        if run.pk not in needs:
            missing.append(_("The needs list written from the survey."))
        result[run.pk] = missing
    return result


def interviews_missing(runs, now) -> dict:
    counts = _counts(Interview.objects.filter(run_id__in=_ids(runs)), n=Count("pk"))
    return _at_least(
        runs,
        counts,
        floor=1,
        words=ngettext_lazy(
            "At least %(need)d interview record with consent (%(have)d so far).",
            "At least %(need)d interview records with consent (%(have)d so far).",
            "need",
        ),
    )


def drafts_missing(runs, now) -> dict:
    counts = _counts(
        DesignDraft.objects.filter(run_id__in=_ids(runs)), n=Count("digest", distinct=True)
    )
    return _at_least(
        runs,
        counts,
        floor=2,
        words=ngettext_lazy(
            "At least %(need)d distinct design draft (%(have)d so far).",
            "At least %(need)d distinct design drafts (%(have)d so far).",
            "need",
        ),
    )


def participatory_design_missing(runs, now) -> dict:
    """A co-design session held (with its sign-in) and residents' inputs on the drafts."""
    ids = _ids(runs)
    linked = _present(ActivityLink.objects.filter(run_id__in=ids))
    sessions_qs = ActivityLink.objects.filter(
        run_id__in=ids, activity__kind__in=CO_DESIGN_KINDS
    ).exclude(activity__status="cancelled")
    sessions = _present(sessions_qs)
    held = _present(
        sessions_qs.filter(activity__ends_at__lte=now)
        .annotate(attended=Count("activity__attendances"))
        .filter(attended__gt=0)
    )
    comments = _counts(DraftComment.objects.filter(run_id__in=ids), n=Count("pk"))
    votes = _counts(DotVote.objects.filter(run_id__in=ids), n=Count("pk"))
    result = {}
    for run in runs:
        missing = []
        if run.pk not in linked:
            missing.append(_("Link the co-design workshop or World Café held for this step."))
        elif run.pk not in sessions:
            missing.append(_("The linked activity must be a co-design workshop or a World Café."))
        elif run.pk not in held:
            missing.append(_("The linked co-design session must have been held, with its sign-in."))
        inputs = comments.get(run.pk, {}).get("n", 0) + votes.get(run.pk, {}).get("n", 0)
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
        result[run.pk] = missing
    return result


def adjustment_missing(runs, now) -> dict:
    """A new version that answers the residents' inputs of the latest participatory
    design (an answer to an earlier round's comments or votes does not count)."""
    with_note = _with_note(runs)
    by_pk = {run.pk: run for run in runs}
    # The latest participatory-design run of each process: only its comments and dot
    # votes count as answered.
    design = {}
    for run_id, process_id in (
        StepRun.objects.filter(
            process_id__in={r.process_id for r in runs},
            step__kind=StepKind.PARTICIPATORY_DESIGN,
        )
        .order_by("process_id", "-opened_at", "-pk")
        .values_list("pk", "process_id")
    ):
        design.setdefault(process_id, run_id)
    voted = _present(DotVote.objects.filter(run_id__in=design.values()))
    answers = set(
        DesignDraft.objects.filter(run_id__in=_ids(runs))
        .exclude(change_note="")
        .filter(Q(answers_votes=True) | Q(answers_comments__isnull=False))
        .values_list("run_id", "answers_votes", "answers_comments__run_id")
    )
    answering = {
        run_id
        for run_id, votes, comment_run in answers
        for run in [by_pk[run_id]]
        if comment_run == design.get(run.process_id)
        or (votes and design.get(run.process_id) in voted)
    }
    result = {}
    for run in runs:
        missing = _new_version(run.pk, with_note)
        if not missing and run.process_id in design and run.pk not in answering:
            missing.append(
                _("The new version must answer the residents' inputs of the participatory design.")
            )
        result[run.pk] = missing
    return result


def optimisation_missing(runs, now) -> dict:
    with_note = _with_note(runs)
    return {run.pk: _new_version(run.pk, with_note) for run in runs}


def revision_missing(runs, now) -> dict:
    """A new version whose change log answers the latest consultation, if it drew
    comments (not one from an earlier loop)."""
    with_note = _with_note(runs)
    latest = Consultation.objects.filter(run__process_id=OuterRef("run__process_id")).order_by(
        "-opens_at", "-pk"
    )
    commented = dict(
        Consultation.objects.filter(run__process_id__in={r.process_id for r in runs})
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .filter(Exists(ConsultationComment.objects.filter(consultation=OuterRef("pk"))))
        .values_list("run__process_id", "pk")
    )
    answers = set(
        DesignDraft.objects.filter(
            run_id__in=_ids(runs), answers_consultation__isnull=False
        ).values_list("run_id", "answers_consultation__consultation_id")
    )
    result = {}
    for run in runs:
        missing = _new_version(run.pk, with_note)
        if (
            not missing
            and run.process_id in commented
            and (run.pk, commented[run.process_id]) not in answers
        ):
            missing.append(_("The new version's change log must answer the consultation."))
        result[run.pk] = missing
    return result


def joint_meeting_missing(runs, now) -> dict:
    """The last joint meeting linked (by linking time): held, its three parties on
    record, its motion decided, approving the plan."""
    links = {}
    for link in (
        MeetingLink.objects.filter(run_id__in=_ids(runs))
        .select_related("meeting", "motion")
        .annotate(parties=Count("meeting__parties__party", distinct=True))
        .order_by("linked_at", "pk")
    ):
        links[link.run_id] = link
    result = {}
    for run in runs:
        link = links.get(run.pk)
        if link is None:
            result[run.pk] = [_("Link the joint meeting held for this step.")]
            continue
        result[run.pk] = meeting_missing(link, parties=link.parties) + approval_missing(link)
    return result


def consultation_missing(runs, now) -> dict:
    """A consultation window long enough, closed, every comment answered."""
    consultations = {
        c.run_id: c
        for c in Consultation.objects.filter(run_id__in=_ids(runs)).annotate(
            unanswered=Count("comments", filter=Q(comments__reply=""))
        )
    }
    result = {}
    for run in runs:
        consultation = consultations.get(run.pk)
        if consultation is None:
            result[run.pk] = [_("Open the public consultation window on the current draft.")]
            continue
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
        if consultation.unanswered:
            missing.append(
                ngettext(
                    "An official reply to %(n)d comment.",
                    "Official replies to %(n)d comments.",
                    consultation.unanswered,
                )
                % {"n": consultation.unanswered}
            )
        result[run.pk] = missing
    return result


def public_notice_missing(runs, now) -> dict:
    """A notice long enough (in working days if the step says so), ended, online and
    on the board (with its photo), every objection answered, its result published."""
    ids = _ids(runs)
    notices = {
        n.run_id: n
        for n in PublicNotice.objects.filter(run_id__in=ids).annotate(
            unanswered=Count("objections", filter=Q(objections__reply=""))
        )
    }
    board_photos = _present(
        StepPhoto.objects.filter(run_id__in=ids, purpose=StepPhoto.Purpose.NOTICE_BOARD)
    )
    today = timezone.localdate(now)
    result = {}
    for run in runs:
        notice = notices.get(run.pk)
        if notice is None:
            result[run.pk] = [_("Post the public notice of the final plan.")]
            continue
        missing = []
        if notice.period_days < run.step.min_days:
            missing.append(
                _("The notice period must be at least %(days)d days.") % {"days": run.step.min_days}
            )
        if run.step.working_days and not notice.working_days:
            missing.append(_("The notice period must count working days."))
        if today <= notice.ends_on:
            missing.append(
                _("The notice runs until %(date)s and cannot end early.")
                % {"date": notice.ends_on.isoformat()}
            )
        if not notice.online:
            missing.append(_("The notice must be published online."))
        if not notice.on_board or run.pk not in board_photos:
            missing.append(_("A photo of the notice on the notice board."))
        if notice.unanswered:
            missing.append(
                ngettext(
                    "An official reply to %(n)d objection.",
                    "Official replies to %(n)d objections.",
                    notice.unanswered,
                )
                % {"n": notice.unanswered}
            )
        if not notice.result.strip():
            missing.append(_("The result, published once the notice has ended."))
        result[run.pk] = missing
    return result
