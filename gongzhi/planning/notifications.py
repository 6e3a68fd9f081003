"""The notifications planning sends (core/notifications.py), written out in the
reader's language when read."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gongzhi.core.notifications import register_kind

from .models import step_name


def _with_step(params: dict) -> dict:
    """The name of the step the plan moved to, in the reader's language."""
    name = step_name(
        params["order"], params["kind"], params.get("title_zh", ""), params.get("title_en", "")
    )
    return {**params, "step": name}


def _until(params: dict) -> dict:
    """The closing moment, stored as ISO text, written as the reader's language writes
    dates."""
    if "closes_at" in params:
        moment = timezone.localtime(datetime.fromisoformat(params["closes_at"]))
        return {**params, "date": date_format(moment, "DATETIME_FORMAT")}
    return {**params, "date": date_format(date.fromisoformat(params["ends_on"]), "DATE_FORMAT")}


register_kind(
    "planning.consultation_open",
    message=_("The plan “%(title)s” is open for comments until %(date)s."),
    sample={"title": "甲区规划", "closes_at": "2026-12-14T17:00:00+08:00"},
    prepare=_until,
)
register_kind(
    "planning.notice_posted",
    message=_("The final plan “%(title)s” is on public notice until %(date)s."),
    sample={"title": "甲区规划", "ends_on": "2026-12-21"},
    prepare=_until,
)
register_kind(
    "planning.notice_result",
    message=_("The result of the notice of “%(title)s” is published."),
    sample={"title": "甲区规划"},
)
register_kind(
    "planning.comment_replied",
    message=_("Your comment on the plan “%(title)s” has an official reply."),
    sample={"title": "甲区规划"},
    label=_("An official reply to your comment on a plan"),
    sms_params=("title",),
)
register_kind(
    "planning.objection_replied",
    message=_("Your objection to the plan “%(title)s” has an official reply."),
    sample={"title": "甲区规划"},
    label=_("An official reply to your objection"),
    sms_params=("title",),
)
register_kind(
    "planning.final",
    message=_("The plan “%(title)s” is final: every step is complete."),
    sample={"title": "甲区规划"},
)
register_kind(
    "planning.moved",
    message=_("The plan “%(title)s” moved to step %(order)d: %(step)s."),
    sample={
        "title": "甲区规划",
        "order": 4,
        "kind": "participatory_design",
        "title_zh": "",
        "title_en": "",
    },
    prepare=_with_step,
)
register_kind(
    "planning.returned",
    message=_("The plan “%(title)s” went back to step %(order)d: %(reason)s"),
    sample={"title": "甲区规划", "order": 3, "reason": "再改一稿"},
)
register_kind(
    "planning.proposal_taken_in",
    message=_("The proposal “%(proposal)s” is now part of the plan “%(plan)s”."),
    sample={"title": "甲区规划", "proposal": "增设休息座椅"},
    prepare=lambda params: {**params, "plan": params["title"]},
)
register_kind(
    "planning.abandoned",
    message=_("The plan “%(title)s” was abandoned: %(reason)s"),
    sample={"title": "甲区规划", "reason": "小区改造计划取消"},
)
