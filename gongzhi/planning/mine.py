"""The plans on a person's 我的 page (core/mine.py): the plans they follow, each with
its current step and what they can do in it now (comment while a consultation is
open, object while a notice runs), and their own consultation comments and
objections with the official replies."""

from django.urls import reverse

from gongzhi.core.mine import MINE_LIMIT, home_town_slug, register_mine

from .evidence_services import consultation_is_open, notice_is_running
from .models import (
    Consultation,
    ConsultationComment,
    Follower,
    Objection,
    ProcessStatus,
    PublicNotice,
    StepKind,
    StepRun,
)


def _action(process, run) -> dict | None:
    """What the follower can do in the plan's current step now, if anything."""
    if run is None or process.status != ProcessStatus.ACTIVE:
        return None
    args = [process.town.slug, process.pk]
    if run.step.kind == StepKind.CONSULTATION:
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
    if run.step.kind == StepKind.PUBLIC_NOTICE:
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
    for follow in follows:
        follow.run = runs.get(follow.process_id)
        follow.action = _action(follow.process, follow.run)
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
    slug = home_town_slug(user)
    return {
        "follows": follows,
        "comments": comments,
        "objections": objections,
        "browse_url": (
            reverse("planning:process_list", args=[slug]) if slug else reverse("places:home")
        ),
    }


register_mine(key="planning", order=30, template="planning/mine.html", context=mine_context)
