"""The plans on a person's 我的 page (core/mine.py): the plans they follow, each with
its current step and what they can do in it now (answer the survey, place a dot on a
draft, comment while a consultation is open, object while a notice runs), their own
consultation comments and objections with the official replies, and their comments
on drafts with the versions that answered them. For a partner's section
(partners/mine.py), the plans whose drafts matching would have them design."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.core.mine import MINE_LIMIT, home_town_slug, register_mine, town_page
from gongzhi.partners.matching import Need
from gongzhi.partners.mine import Opening, register_openings
from gongzhi.partners.models import Mode
from gongzhi.surveys.models import Response, SurveyStatus

from .evidence_services import consultation_is_open, notice_is_running
from .kinds import DRAFT_KINDS, spec
from .models import (
    Consultation,
    ConsultationComment,
    DesignDraft,
    DotVote,
    DraftComment,
    Follower,
    Objection,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    StepRun,
    SurveyLink,
)


def _answer_survey(process, run, extra, args):
    survey = extra["surveys"].get(run.pk)
    if survey is not None:
        return {"kind": "survey", "url": survey.get_absolute_url(), "until": None}
    return None


def _on_drafts(kind):
    """Place a dot on the latest draft ("dot"), or once placed comment on the drafts
    ("comment_drafts")."""

    def action(process, run, extra, args):
        draft = extra["drafts"].get(process.pk)
        voted = run.pk in extra["voted"]
        if draft is None or voted != (kind == "comment_drafts"):
            return None
        return {
            "kind": kind,
            "url": reverse("planning:draft", args=[*args, draft.pk]),
            "until": None,
        }

    return action


def _comment(process, run, extra, args):
    try:
        consultation = run.consultation
    except Consultation.DoesNotExist:
        return None
    if consultation_is_open(consultation):
        return {
            "kind": "comment",
            "url": reverse("planning:consultation", args=args),
            "until": consultation.closes_at,
        }
    return None


def _object(process, run, extra, args):
    try:
        notice = run.notice
    except PublicNotice.DoesNotExist:
        return None
    if notice_is_running(notice):
        return {
            "kind": "object",
            "url": reverse("planning:notice", args=args),
            "until": notice.ends_on,
        }
    return None


# What a follower may do, by the resident actions of kinds.py (the step's entry
# says which it offers).
RESIDENT_ACTIONS = {
    "survey": _answer_survey,
    "dot": _on_drafts("dot"),
    "comment_drafts": _on_drafts("comment_drafts"),
    "comment": _comment,
    "object": _object,
}


def _action(process, run, extra) -> dict | None:
    """What the follower can do in the plan's current step now, if anything: answer
    the step-1 questionnaire, place a dot on a draft (or comment on the drafts once
    they have), comment while the consultation is open, object while the notice runs.
    ``extra`` holds what ``_step_extras`` read for all the plans listed at once."""
    if run is None or process.status != ProcessStatus.ACTIVE:
        return None
    args = [process.town.slug, process.pk]
    for name in spec(run.step.kind).resident_actions:
        if (action := RESIDENT_ACTIONS[name](process, run, extra, args)) is not None:
            return action
    return None


def _offers(run, action) -> bool:
    return action in spec(run.step.kind).resident_actions


def _step_extras(user, runs) -> dict:
    """For the open steps listed, in a fixed number of queries (none when no step of
    that kind is open): the open questionnaire of each survey step the person has not
    answered yet; the latest draft of each plan in participatory design, and the runs
    where they have placed their dot already."""
    surveys, drafts, voted = {}, {}, set()
    survey_runs = [r.pk for r in runs if _offers(r, "survey")]
    if survey_runs:
        links = list(
            SurveyLink.objects.filter(run_id__in=survey_runs, survey__status=SurveyStatus.OPEN)
            .select_related("survey__town")
            .order_by("linked_at", "pk")
        )
        answered = set(
            Response.objects.filter(
                user=user, survey_id__in=[link.survey_id for link in links]
            ).values_list("survey_id", flat=True)
        )
        for link in links:
            if link.survey_id not in answered:
                surveys.setdefault(link.run_id, link.survey)
    design = [r for r in runs if _offers(r, "dot")]
    if design:
        for draft in DesignDraft.objects.filter(
            process_id__in=[r.process_id for r in design]
        ).order_by("process_id", "-version"):
            drafts.setdefault(draft.process_id, draft)
        voted = set(
            DotVote.objects.filter(run__in=design, user=user).values_list("run_id", flat=True)
        )
    return {"surveys": surveys, "drafts": drafts, "voted": voted}


def mine_context(user) -> dict:
    follows = list(
        Follower.objects.filter(user=user)
        .select_related("process__town")
        .order_by("-since", "-pk")[:MINE_LIMIT]
    )
    # One query for the current step of every plan listed (a process has at most one
    # open run), with its consultation or notice.
    runs = {
        run.process_id: run
        for run in StepRun.objects.open()
        .filter(process_id__in=[f.process_id for f in follows])
        .select_related("step", "consultation", "notice")
    }
    extra = _step_extras(user, list(runs.values()))
    for follow in follows:
        follow.run = runs.get(follow.process_id)
        follow.action = _action(follow.process, follow.run, extra)
    comments = list(
        ConsultationComment.objects.filter(user=user)
        .select_related("consultation__run__process__town")
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    objections = list(
        Objection.objects.filter(user=user)
        .select_related("notice__run__process__town")
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    # Comments on drafts are answered by a later version's change note, not by a reply.
    draft_comments = list(
        DraftComment.objects.filter(user=user)
        .select_related("draft__process__town")
        .prefetch_related(
            Prefetch(
                "answered_by",
                queryset=DesignDraft.objects.order_by("version"),
                to_attr="answers",
            )
        )
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    slug = home_town_slug(user)
    return {
        "follows": follows,
        "comments": comments,
        "objections": objections,
        "draft_comments": draft_comments,
        "browse_url": town_page("planning:process_list", slug),
    }


register_mine(key="planning", order=30, template="planning/mine.html", context=mine_context)


# --- For a partner's 我的 (partners/mine.py) ------------------------------------------


def draft_openings(partners, now) -> list:
    """Active plans of the partners' towns whose open step is a design step (drafts,
    adjustment, optimisation, revision) and which they do not lead: authors are found
    by the need ``evidence_services.suggest_authors`` describes (planning partners,
    those of the plan's area first)."""
    processes = (
        PlanningProcess.objects.filter(
            town_id__in={p.town_id for p in partners},
            status=ProcessStatus.ACTIVE,
            runs__closed_at__isnull=True,
            runs__step__kind__in=DRAFT_KINDS,
        )
        .exclude(lead_partner__in=partners)
        .select_related("town")
        .order_by("starts_on", "pk")[:MINE_LIMIT]
    )
    return [
        Opening(
            need=Need(
                town_id=process.town_id, modes=[Mode.PLANNING.value], area_id=process.area_id
            ),
            title=_("Design drafts for “%(plan)s”") % {"plan": process.title},
            url=process.get_absolute_url(),
        )
        for process in processes
    ]


register_openings("planning", draft_openings)
