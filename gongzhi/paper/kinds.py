"""The six inputs a resident may give on paper, declared once.

Each kind says what it acts on, how to find the input this person already gave (online
or from paper) and which domain service records it. The paper app adds only what paper
needs — who the resident is, the form's reference and photo, the audit event — and
leaves every rule of the input itself (windows, capacity, one dot per round) to the
service that owns it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.events import services as events
from gongzhi.events.models import Activity, Registration, RegistrationStatus
from gongzhi.planning import evidence_services as planning
from gongzhi.planning.models import ConsultationComment, DotVote, Objection, PlanningProcess
from gongzhi.proposals import services as proposals
from gongzhi.proposals.models import Proposal, Support
from gongzhi.surveys import services as surveys
from gongzhi.surveys.models import Response, Survey


@dataclass(frozen=True)
class PaperKind:
    key: str
    # What the staff member records ("an activity sign-up"), for titles and the desk.
    label: Any
    # What the resident did, in "%(name)s already … on %(when)s".
    done_online: Any
    target_model: type[models.Model]
    # The rows this kind marks, and the path from one of them to its town.
    row_model: type[models.Model]
    town_path: str
    # The person's live input on the target, if any: (row, when it was given).
    prior: Callable[[models.Model, Any], models.Model | None]
    # Records the input through the owning service; returns the row to mark.
    record: Callable[..., models.Model]
    # The fields of the form beyond who and which paper (see forms.py).
    fields: tuple[str, ...] = ()

    def when(self, row) -> Any:
        for name in ("created_at", "submitted_at", "cast_at"):
            if hasattr(row, name):
                return getattr(row, name)
        raise AttributeError(name)


def _open_run_rows(model, process, person, through: str):
    return (
        model.objects.filter(
            **{
                f"{through}__process": process,
                f"{through}__closed_at__isnull": True,
                "user": person,
            }
        )
        .order_by("pk")
        .first()
    )


KINDS: dict[str, PaperKind] = {
    kind.key: kind
    for kind in (
        PaperKind(
            key="registration",
            label=_("Activity sign-up"),
            done_online=pgettext_lazy("took part", "signed up"),
            target_model=Activity,
            row_model=Registration,
            town_path="activity__town",
            prior=lambda activity, person: (
                activity.registrations.filter(user=person)
                .exclude(status=RegistrationStatus.CANCELLED)
                .first()
            ),
            record=lambda activity, person: events.register(activity=activity, user=person),
        ),
        PaperKind(
            key="support",
            label=_("Proposal support"),
            done_online=pgettext_lazy("took part", "supported it"),
            target_model=Proposal,
            row_model=Support,
            town_path="proposal__town",
            prior=lambda proposal, person: proposal.supports.filter(
                user=person, withdrawn_at__isnull=True
            ).first(),
            record=lambda proposal, person: proposals.support_proposal(
                proposal=proposal, user=person
            ),
        ),
        PaperKind(
            key="response",
            label=_("Survey answers"),
            done_online=pgettext_lazy("took part", "answered it"),
            target_model=Survey,
            row_model=Response,
            town_path="survey__town",
            prior=lambda survey, person: survey.responses.filter(user=person).first(),
            record=lambda survey, person, answers: surveys.submit_response(
                survey=survey, user=person, answers=answers
            ),
            fields=("answers",),
        ),
        PaperKind(
            key="comment",
            label=_("Consultation comment"),
            done_online=pgettext_lazy("took part", "commented"),
            target_model=PlanningProcess,
            row_model=ConsultationComment,
            town_path="consultation__run__process__town",
            prior=lambda process, person: _open_run_rows(
                ConsultationComment, process, person, "consultation__run"
            ),
            record=lambda process, person, body: planning.comment_in_consultation(
                process=process, user=person, body=body
            ),
            fields=("body",),
        ),
        PaperKind(
            key="objection",
            label=_("Objection to the notice"),
            done_online=pgettext_lazy("took part", "objected"),
            target_model=PlanningProcess,
            row_model=Objection,
            town_path="notice__run__process__town",
            prior=lambda process, person: _open_run_rows(Objection, process, person, "notice__run"),
            record=lambda process, person, body: planning.object_to_notice(
                process=process, user=person, body=body
            ),
            fields=("body",),
        ),
        PaperKind(
            key="dot",
            label=_("Dot vote on a draft"),
            done_online=pgettext_lazy("took part", "placed a dot"),
            target_model=PlanningProcess,
            row_model=DotVote,
            town_path="run__process__town",
            prior=lambda process, person: _open_run_rows(DotVote, process, person, "run"),
            record=lambda process, person, draft: planning.cast_dot_vote(
                process=process, user=person, draft=draft
            ),
            fields=("draft",),
        ),
    )
}
