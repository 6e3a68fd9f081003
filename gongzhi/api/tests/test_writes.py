"""Authenticated writes through the pages' services: happy paths, refusals (409),
bad input (400), wrong objects (404), nothing half-written."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.api.tests.builders import bearer
from gongzhi.events.models import Activity, Attendance
from gongzhi.events.services import checkin_token
from gongzhi.partners.models import Application
from gongzhi.proposals.models import Comment, Support
from gongzhi.surveys.models import Response
from gongzhi.surveys.tests.builders import answers_for

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def call(method, path, key=None, body=None):
    extra = {**EN, **(bearer(key) if key else {})}
    client = Client()
    url = f"/api/v1{path}"
    if body is None:
        response = getattr(client, method)(url, **extra)
    else:
        response = getattr(client, method)(url, data=body, content_type="application/json", **extra)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response, response.json()


# --- Partner application -------------------------------------------------------------


def application(area, **changes):
    return {
        "name": "李居民",
        "area": area.pk,
        "profession": "医生",
        "skills": ["急救", "摄影"],
        "modes": ["education"],
        "party_status": "none",
        "availability": ["weekend_day"],
        "motivation": "想帮忙",
        "consent": True,
        **changes,
    }


def test_apply_as_partner(w, area_a, people):
    response, body = call(
        "post",
        f"/towns/{w['slug']}/partner-applications",
        w["tokens"]["resident"],
        application(area_a),
    )
    assert response.status_code == 201, body
    assert body["status"] == "submitted" and body["modes"] == ["education"]
    stored = Application.objects.get(pk=body["id"])
    assert stored.applicant == people["resident"] and stored.channel == "online"


def test_apply_twice_is_a_409(w, area_a):
    path = f"/towns/{w['slug']}/partner-applications"
    call("post", path, w["tokens"]["resident"], application(area_a))
    response, body = call("post", path, w["tokens"]["resident"], application(area_a))
    assert response.status_code == 409
    assert body["detail"] == "An application with this mobile number is already waiting for review."
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "changes, status, field",
    [
        ({"consent": False}, 409, "privacy notice"),
        ({"modes": []}, 400, "modes"),
        ({"modes": ["astrology"]}, 400, "modes"),
        ({"name": "x" * 41}, 400, "name"),
        ({"name": "a\x00b"}, 400, "name"),
        ({"area": 999999}, 400, "area"),
    ],
)
def test_apply_refusals(w, area_a, changes, status, field):
    response, body = call(
        "post",
        f"/towns/{w['slug']}/partner-applications",
        w["tokens"]["resident"],
        {**application(area_a), **changes},
    )
    assert response.status_code == status, body
    assert field in body["detail"]
    assert not Application.objects.exists()


def test_apply_with_an_area_of_another_town_is_a_400(w, other_town):
    from gongzhi.tests.factories import AreaFactory

    elsewhere = AreaFactory(town=other_town)
    response, _body = call(
        "post",
        f"/towns/{w['slug']}/partner-applications",
        w["tokens"]["resident"],
        application(elsewhere),
    )
    assert response.status_code == 400


def test_malformed_json_is_a_400(w):
    client = Client()
    response = client.post(
        f"/api/v1/towns/{w['slug']}/partner-applications",
        data="{not json",
        content_type="application/json",
        **EN,
        **bearer(w["tokens"]["resident"]),
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


# --- Support and comments ------------------------------------------------------------


def test_support_and_withdraw(w, people):
    path = f"/towns/{w['slug']}/proposals/{w['proposal'].pk}/support"
    response, body = call("post", path, w["tokens"]["partner"])
    assert response.status_code == 200
    assert body == {
        "proposal": w["proposal"].pk,
        "supported": True,
        "support_count": 1,
        "status": "submitted",
    }
    response, body = call("post", path, w["tokens"]["partner"])
    assert response.status_code == 409
    assert body["detail"] == "You already support this proposal."
    response, body = call("delete", path, w["tokens"]["partner"])
    assert response.status_code == 200 and body["supported"] is False and body["support_count"] == 0
    response, body = call("delete", path, w["tokens"]["partner"])
    assert response.status_code == 409
    assert Support.objects.filter(withdrawn_at__isnull=True).count() == 0


def test_support_own_proposal_is_refused_by_the_service(w):
    response, body = call(
        "post", f"/towns/{w['slug']}/proposals/{w['proposal'].pk}/support", w["tokens"]["resident"]
    )
    assert response.status_code == 409
    assert body["detail"] == "You cannot support your own proposal in this town."


def test_support_unknown_proposal_is_a_404(w):
    response, body = call(
        "post", f"/towns/{w['slug']}/proposals/999999/support", w["tokens"]["partner"]
    )
    assert response.status_code == 404 and body == {"detail": "Not found."}


def test_comment_and_reply(w):
    path = f"/towns/{w['slug']}/proposals/{w['proposal'].pk}/comments"
    response, body = call("post", path, w["tokens"]["resident"], {"body": "谢谢支持"})
    assert response.status_code == 201, body
    assert body["author"] == "李**" and body["is_official"] is False and body["parent"] is None
    response, body = call(
        "post", path, w["tokens"]["resident"], {"body": "回复", "parent": w["comment"].pk}
    )
    assert response.status_code == 201 and body["parent"] == w["comment"].pk
    response, body = call("post", path, w["tokens"]["secretariat"], {"body": "我们会研究"})
    assert body["is_official"] is True


def test_comment_errors(w):
    path = f"/towns/{w['slug']}/proposals/{w['proposal'].pk}/comments"
    key = w["tokens"]["resident"]
    assert call("post", path, key, {"body": ""})[0].status_code == 400
    assert call("post", path, key, {"body": "x" * 1001})[0].status_code == 400
    assert call("post", path, key, {})[1]["detail"] == "body is required."
    assert call("post", path, key, {"body": "a", "parent": 999999})[0].status_code == 404
    assert call("post", path, key, {"body": "   "})[0].status_code == 409  # the service's rule
    assert call("post", path, None, {"body": "hi"})[0].status_code == 401
    assert Comment.objects.count() == 1


# --- Activities ----------------------------------------------------------------------


def test_register(w, people):
    path = f"/towns/{w['slug']}/activities/{w['activity'].pk}/registrations"
    response, body = call("post", path, w["tokens"]["resident"])
    assert response.status_code == 201 and body["status"] == "registered"
    response, body = call("post", path, w["tokens"]["resident"])
    assert response.status_code == 409
    assert body["detail"] == "You are already signed up for this activity."


def test_register_for_a_draft_is_a_404(w):
    path = f"/towns/{w['slug']}/activities/{w['draft_activity'].pk}/registrations"
    assert call("post", path, w["tokens"]["resident"])[0].status_code == 404


def test_register_after_the_start_is_a_409(w):
    Activity.objects.filter(pk=w["activity"].pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    path = f"/towns/{w['slug']}/activities/{w['activity'].pk}/registrations"
    response, body = call("post", path, w["tokens"]["resident"])
    assert response.status_code == 409
    assert body["detail"] == "Sign-up has closed: the activity has started."


def _started(activity):
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=1)
    )
    activity.refresh_from_db()
    return activity


def test_check_in_with_the_screen_code(w, people):
    activity = _started(w["activity"])
    path = f"/towns/{w['slug']}/activities/{activity.pk}/check-in"
    token = checkin_token(activity)
    response, body = call("post", path, w["tokens"]["resident"], {"token": token})
    assert response.status_code == 200, body
    assert body["created"] is True
    response, body = call("post", path, w["tokens"]["resident"], {"token": token})
    assert response.status_code == 200 and body["created"] is False
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_check_in_refusals(w):
    path = f"/towns/{w['slug']}/activities/{w['activity'].pk}/check-in"
    key = w["tokens"]["resident"]
    response, body = call("post", path, key, {"token": "nonsense"})
    assert response.status_code == 409 and body["detail"] == "This check-in code is not valid."
    # A valid code, but the activity is tomorrow: the window is not open.
    response, body = call("post", path, key, {"token": checkin_token(w["activity"])})
    assert response.status_code == 409
    assert body["detail"] == "Check-in opens one hour before the activity starts."
    old = checkin_token(_started(w["activity"]), at=timezone.now() - timedelta(minutes=30))
    response, body = call("post", path, key, {"token": old})
    assert response.status_code == 409 and "expired" in body["detail"]
    assert not Attendance.objects.exists()


# --- Surveys -------------------------------------------------------------------------


def test_answer_a_survey_once(w, people):
    survey = w["survey"]
    path = f"/towns/{w['slug']}/surveys/{survey.pk}/responses"
    answers = {str(k): v for k, v in answers_for(survey).items()}
    response, body = call("post", path, w["tokens"]["resident"], {"answers": answers})
    assert response.status_code == 201, body
    assert Response.objects.get(pk=body["id"]).user == people["resident"]
    response, body = call("post", path, w["tokens"]["resident"], {"answers": answers})
    assert response.status_code == 409
    assert body["detail"] == "You have already answered this survey: thank you."


def test_survey_answers_are_checked_all_or_nothing(w):
    survey = w["survey"]
    path = f"/towns/{w['slug']}/surveys/{survey.pk}/responses"
    answers = {str(k): v for k, v in answers_for(survey, scale=9).items()}
    response, body = call("post", path, w["tokens"]["resident"], {"answers": answers})
    assert response.status_code == 400
    assert body["detail"] == "Question 3: choose a number from 1 to 5."
    response, body = call("post", path, w["tokens"]["resident"], {"answers": {"abc": 1}})
    assert response.status_code == 400
    response, body = call("post", path, w["tokens"]["resident"], {"answers": {"999999": 1}})
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_draft_survey_is_a_404(w):
    path = f"/towns/{w['slug']}/surveys/{w['draft_survey'].pk}/responses"
    response, _body = call("post", path, w["tokens"]["resident"], {"answers": {}})
    assert response.status_code == 404


def test_writes_without_a_token_are_a_401(w):
    for method, path, body in [
        ("post", f"/towns/{w['slug']}/partner-applications", {}),
        ("post", f"/towns/{w['slug']}/proposals/{w['proposal'].pk}/support", None),
        ("delete", f"/towns/{w['slug']}/proposals/{w['proposal'].pk}/support", None),
        ("post", f"/towns/{w['slug']}/activities/{w['activity'].pk}/registrations", None),
        ("post", f"/towns/{w['slug']}/activities/{w['activity'].pk}/check-in", {"token": "x"}),
        ("post", f"/towns/{w['slug']}/surveys/{w['survey'].pk}/responses", {"answers": {}}),
    ]:
        response, answer = call(method, path, None, body)
        assert response.status_code == 401, path
        assert answer["detail"].startswith("Sign in")
