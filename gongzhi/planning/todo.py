"""What planning adds to staff's 待办 (core/todo.py): consultation comments and
objections still waiting for an official reply, each with the days left in its
consultation or notice (the step cannot close while one is unanswered). The rows
show the plan and a few words of the text, never the writer's name."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gongzhi.core.todo import register_todo

from .models import ConsultationComment, Objection, PublicNotice

# A notice ending within this many days is "ending soon": time to prepare the result.
ENDING_SOON_DAYS = 3
PROCESS = "consultation__run__process"
NOTICE_PROCESS = "notice__run__process"


def _days_left(days: int) -> str:
    if days < 0:
        return _("closed")
    if days == 0:
        return _("last day")
    return ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}


def unreplied_comments(todo):
    return todo.narrow(
        ConsultationComment.objects.filter(reply=""),
        town_field=f"{PROCESS}__town_id",
        area_field=f"{PROCESS}__area_id",
    )


def comment_rows(todo, limit):
    comments = (
        unreplied_comments(todo)
        .select_related("consultation", f"{PROCESS}__town", f"{PROCESS}__area")
        .order_by("consultation__closes_at", "created_at", "pk")
    )
    today = timezone.localdate()
    rows = []
    for comment in comments[:limit]:
        process = comment.consultation.run.process
        closes_on = timezone.localdate(comment.consultation.closes_at)
        rows.append(
            {
                "url": reverse("planning:consultation", args=[process.town.slug, process.pk])
                + "#comments",
                "title": _("Comment on “%(plan)s”: %(text)s")
                % {"plan": process.title, "text": Truncator(comment.body).chars(40)},
                "detail": _("%(area)s · consultation: %(left)s")
                % {"area": process.area.name, "left": _days_left((closes_on - today).days)},
            }
        )
    return rows


def unreplied_objections(todo):
    return todo.narrow(
        Objection.objects.filter(reply=""),
        town_field=f"{NOTICE_PROCESS}__town_id",
        area_field=f"{NOTICE_PROCESS}__area_id",
    )


def objection_rows(todo, limit):
    objections = (
        unreplied_objections(todo)
        .select_related("notice", f"{NOTICE_PROCESS}__town", f"{NOTICE_PROCESS}__area")
        .order_by("notice__ends_on", "created_at", "pk")
    )
    today = timezone.localdate()
    rows = []
    for objection in objections[:limit]:
        process = objection.notice.run.process
        rows.append(
            {
                "url": reverse("planning:notice", args=[process.town.slug, process.pk])
                + "#objections",
                "title": _("Objection to “%(plan)s”: %(text)s")
                % {"plan": process.title, "text": Truncator(objection.body).chars(40)},
                "detail": _("%(area)s · notice: %(left)s")
                % {
                    "area": process.area.name,
                    "left": _days_left((objection.notice.ends_on - today).days),
                },
            }
        )
    return rows


def notices_ending_soon(todo):
    today = timezone.localdate()
    return todo.narrow(
        PublicNotice.objects.filter(
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=ENDING_SOON_DAYS),
            result="",
        ),
        town_field="run__process__town_id",
        area_field="run__process__area_id",
    )


def notice_rows(todo, limit):
    notices = (
        notices_ending_soon(todo)
        .select_related("run__process__town", "run__process__area")
        .order_by("ends_on", "pk")
    )
    today = timezone.localdate()
    rows = []
    for notice in notices[:limit]:
        process = notice.run.process
        rows.append(
            {
                "url": reverse("planning:notice", args=[process.town.slug, process.pk]),
                "title": _("Notice of “%(plan)s”") % {"plan": process.title},
                "detail": _("%(area)s · notice: %(left)s")
                % {"area": process.area.name, "left": _days_left((notice.ends_on - today).days)},
            }
        )
    return rows


register_todo(
    key="planning.comments",
    order=20,
    title=gettext_lazy("Consultation comments awaiting an official reply"),
    count=unreplied_comments,
    rows=comment_rows,
)
register_todo(
    key="planning.objections",
    order=21,
    title=gettext_lazy("Objections awaiting an official reply"),
    count=unreplied_objections,
    rows=objection_rows,
)

register_todo(
    key="planning.notices",
    order=22,
    title=gettext_lazy("Notices ending soon"),
    count=notices_ending_soon,
    rows=notice_rows,
)
