"""Authenticated writes, through the same services as the pages: apply as a partner,
support a proposal and withdraw the support, comment, register for an activity,
check in with the code of the venue's QR screen, answer a survey.

Authentication: ``Authorization: Bearer <key>`` (an API token), or the session of a
signed-in browser with its CSRF token (see auth.py). A service's refusal is a 409
with its message; invalid input is a 400 naming the field.
"""

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from gongzhi.events import services as event_services
from gongzhi.events.models import Activity
from gongzhi.partners import services as partner_services
from gongzhi.partners.models import Mode, PartyStatus, Slot
from gongzhi.places.models import ResidentialArea, Town
from gongzhi.proposals import services as proposal_services
from gongzhi.proposals.models import Comment, Proposal
from gongzhi.surveys import services as survey_services
from gongzhi.surveys.models import Survey

from .auth import WRITE_AUTH
from .public import CommentOut, comment_row
from .schemas import MAX_ID, WRITE_ERRORS, Text

router = Router(auth=WRITE_AUTH)

SLUG = Path(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
PK = Path(..., ge=1, le=MAX_ID)


def _choice(values):
    return Literal[tuple(values)]  # type: ignore[valid-type]


# --- Partner application ----------------------------------------------------------------


class ApplicationIn(Schema):
    name: Text = Field(..., min_length=1, max_length=40)
    area: int = Field(..., ge=1, le=MAX_ID, description="A residential area of the town.")
    profession: Text = Field(..., min_length=1, max_length=40)
    skills: list[Text] = Field(default_factory=list, max_length=20)
    modes: list[_choice(Mode.values)] = Field(..., min_length=1, max_length=5)
    party_status: _choice(PartyStatus.values) = PartyStatus.NONE.value
    availability: list[_choice(Slot.values)] = Field(default_factory=list, max_length=4)
    motivation: Text = Field("", max_length=500)
    consent: bool = Field(
        ..., description="Agreement to the partner privacy notice (required: true)."
    )


class ApplicationOut(Schema):
    id: int
    status: str
    area: int
    modes: list[str]
    created_at: datetime


@router.post(
    "/towns/{slug}/partner-applications",
    response={201: ApplicationOut, **WRITE_ERRORS},
    url_name="apply",
)
def apply(request, payload: ApplicationIn, slug: str = SLUG):
    """Apply to be a community partner of the town, with the signed-in account's
    mobile number (partners.services.submit_application)."""
    town = get_object_or_404(Town, slug=slug)
    area = ResidentialArea.objects.filter(pk=payload.area, town=town).first()
    if area is None:
        raise HttpError(400, _("area: choose a residential area of this town."))
    user = request.auth
    application = partner_services.submit_application(
        town=town,
        user=user,
        phone=user.phone,
        name=payload.name.strip(),
        area=area,
        profession=payload.profession.strip(),
        skills=[s[:30] for s in payload.skills],
        modes=list(payload.modes),
        party_status=payload.party_status,
        availability=list(payload.availability),
        motivation=payload.motivation.strip(),
        consent=payload.consent,
    )
    return Status(
        201,
        {
            "id": application.pk,
            "status": application.status,
            "area": application.area_id,
            "modes": application.modes_wanted,
            "created_at": application.created_at,
        },
    )


# --- Proposals --------------------------------------------------------------------------


class SupportOut(Schema):
    proposal: int
    supported: bool
    support_count: int
    status: str


def _proposal(slug, pk) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("town"), pk=pk, town__slug=slug)


def _support_answer(proposal, supported) -> dict:
    proposal.refresh_from_db(fields=["status"])
    return {
        "proposal": proposal.pk,
        "supported": supported,
        "support_count": proposal_services.support_count(proposal),
        "status": proposal.status,
    }


@router.post(
    "/towns/{slug}/proposals/{pk}/support",
    response={200: SupportOut, **WRITE_ERRORS},
    url_name="support",
)
def support(request, slug: str = SLUG, pk: int = PK):
    """Support a proposal (one current support per person; reaching the town's
    threshold sends it to review)."""
    proposal = _proposal(slug, pk)
    proposal_services.support_proposal(proposal=proposal, user=request.auth)
    return _support_answer(proposal, True)


@router.delete(
    "/towns/{slug}/proposals/{pk}/support",
    response={200: SupportOut, **WRITE_ERRORS},
    url_name="withdraw_support",
)
def withdraw_support(request, slug: str = SLUG, pk: int = PK):
    """Withdraw one's support while the proposal is open."""
    proposal = _proposal(slug, pk)
    proposal_services.withdraw_support(proposal=proposal, user=request.auth)
    return _support_answer(proposal, False)


class CommentIn(Schema):
    body: Text = Field(..., min_length=1, max_length=1000)
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="Reply to this comment.")


@router.post(
    "/towns/{slug}/proposals/{pk}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    url_name="comment",
)
def comment(request, payload: CommentIn, slug: str = SLUG, pk: int = PK):
    """Comment on a proposal, or reply to a comment (replies stay one level deep)."""
    proposal = _proposal(slug, pk)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, proposal=proposal).first()
        if parent is None:
            raise Http404
    written = proposal_services.add_comment(
        proposal=proposal, author=request.auth, body=payload.body, parent=parent
    )
    written.author = request.auth
    return Status(201, comment_row(written))


# --- Activities -------------------------------------------------------------------------


class RegistrationOut(Schema):
    id: int
    activity: int
    status: str


def _activity(slug, pk) -> Activity:
    return get_object_or_404(
        Activity.objects.public().select_related("town"), pk=pk, town__slug=slug
    )


@router.post(
    "/towns/{slug}/activities/{pk}/registrations",
    response={201: RegistrationOut, **WRITE_ERRORS},
    url_name="register",
)
def register(request, slug: str = SLUG, pk: int = PK):
    """Sign up for a published activity; beyond its capacity the status is
    ``waitlisted``."""
    registration = event_services.register(activity=_activity(slug, pk), user=request.auth)
    return Status(
        201,
        {
            "id": registration.pk,
            "activity": registration.activity_id,
            "status": registration.status,
        },
    )


class CheckInIn(Schema):
    token: Text = Field(
        ...,
        min_length=1,
        max_length=64,
        description="The code in the venue's QR link (…/checkin/<token>/); it changes "
        "every five minutes.",
    )


class CheckInOut(Schema):
    activity: int
    checked_in_at: datetime
    created: bool = Field(..., description="False when already checked in (counted once).")


@router.post(
    "/towns/{slug}/activities/{pk}/check-in",
    response={200: CheckInOut, **WRITE_ERRORS},
    url_name="check_in",
)
def check_in(request, payload: CheckInIn, slug: str = SLUG, pk: int = PK):
    """Check in with the code of the QR screen at the venue, during the check-in
    window (events.services.check_in_with_code)."""
    attendance, created = event_services.check_in_with_code(
        activity=_activity(slug, pk), token=payload.token, user=request.auth
    )
    return {
        "activity": attendance.activity_id,
        "checked_in_at": attendance.checked_in_at,
        "created": created,
    }


# --- Surveys ----------------------------------------------------------------------------

Answer = int | list[int] | Text | None


class ResponseIn(Schema):
    answers: dict[int, Answer] = Field(
        ...,
        max_length=200,
        description="Question id → answer: an option index (from 0) for a single "
        "choice, a list of indexes for a multiple choice, 1–5 for a scale, text otherwise.",
    )


class ResponseOut(Schema):
    id: int
    survey: int
    submitted_at: datetime


@router.post(
    "/towns/{slug}/surveys/{pk}/responses",
    response={201: ResponseOut, **WRITE_ERRORS},
    url_name="answer_survey",
)
def answer_survey(request, payload: ResponseIn, slug: str = SLUG, pk: int = PK):
    """Answer an open survey, once per account, all answers or none
    (surveys.services.submit_response)."""
    survey = get_object_or_404(Survey.objects.select_related("town"), pk=pk, town__slug=slug)
    if not request.auth.has_perm("surveys.view_survey", survey):
        raise Http404
    for value in payload.answers.values():
        if isinstance(value, str) and len(value) > 5000:
            raise HttpError(400, _("answers: an answer is too long."))
    try:
        response = survey_services.submit_response(
            survey=survey, user=request.auth, answers=dict(payload.answers)
        )
    except survey_services.AnswersInvalid as invalid:
        raise HttpError(400, invalid.message) from None
    return Status(
        201, {"id": response.pk, "survey": survey.pk, "submitted_at": response.submitted_at}
    )
