"""Public reads: what the pages show, paginated, masked; errors as JSON."""

import json

import pytest
from django.test import Client

from gongzhi.events.models import Attendance
from gongzhi.events.services import check_in

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def get(path, **extra):
    response = Client().get(f"/api/v1{path}", **{**EN, **extra})
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response, response.json()


def test_areas_paginated(w, area_a, area_b):
    response, body = get(f"/towns/{w['slug']}/areas?page_size=1")
    assert response.status_code == 200
    assert body["count"] == 2 and body["pages"] == 2 and body["page_size"] == 1
    # In pinyin order: 第二居民区 (di) before 逸景佳苑 (yi).
    assert [a["name"] for a in body["items"]] == [area_b.name]
    _r, second = get(f"/towns/{w['slug']}/areas?page=2&page_size=1")
    assert [a["id"] for a in second["items"]] == [area_a.pk]
    _r, beyond = get(f"/towns/{w['slug']}/areas?page=9")
    assert beyond["items"] == [] and beyond["count"] == 2


@pytest.mark.parametrize(
    "query, field",
    [
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page=0", "page"),
        ("page=abc", "page"),
    ],
)
def test_bad_paging_is_a_400_naming_the_field(w, query, field):
    response, body = get(f"/towns/{w['slug']}/proposals?{query}")
    assert response.status_code == 400
    assert field in body["detail"]
    assert set(body) == {"detail"}


def test_page_size_message_says_the_limit(w):
    _r, body = get(f"/towns/{w['slug']}/areas?page_size=500")
    assert body["detail"] == "page_size must be at most 100."


def test_errors_follow_the_request_language(w):
    response = Client().get(
        f"/api/v1/towns/{w['slug']}/areas?page_size=500", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "zh-hans"
    response = Client().get(f"/api/v1/towns/{w['slug']}/areas?page_size=500", **EN)
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize(
    "path",
    [
        "/towns/nowhere/areas",
        "/towns/nowhere/proposals",
        "/towns/gaojing/proposals/999999",
        "/towns/gaojing/meetings/999999",
        "/towns/gaojing/projects/999999",
        "/towns/gaojing/processes/999999",
        "/towns/gaojing/activities/999999",
    ],
)
def test_unknown_objects_are_a_json_404(w, path):
    response, body = get(path)
    assert response.status_code == 404
    assert body == {"detail": "Not found."}


def test_bad_filters_and_ids_are_a_400(w):
    for path in (
        f"/towns/{w['slug']}/proposals?status=nonsense",
        f"/towns/{w['slug']}/proposals?area=-1",
        f"/towns/{w['slug']}/proposals/0",
        f"/towns/{w['slug']}/proposals/{2**70}",
        "/towns/bad%00slug/proposals",
        f"/towns/{w['slug']}/meetings?year=99999",
    ):
        response, body = get(path)
        assert response.status_code == 400, path
        assert body["detail"], path


def test_other_towns_objects_are_not_found_in_this_town(w, other_town):
    response, _body = get(f"/towns/{other_town.slug}/proposals/{w['proposal'].pk}")
    assert response.status_code == 404


def test_proposals_mask_authors(w, people):
    _r, body = get(f"/towns/{w['slug']}/proposals")
    assert body["count"] == 2
    row = next(p for p in body["items"] if p["id"] == w["proposal"].pk)
    assert row["author"] == "李**"
    assert row["support_count"] == 0 and row["comment_count"] == 1
    _r, detail = get(f"/towns/{w['slug']}/proposals/{w['proposal'].pk}")
    assert detail["description"] == "老人需要休息。"
    assert detail["comments"][0]["author"] == "王**"
    text = json.dumps(detail, ensure_ascii=False)
    assert people["resident"].display_name  # the people whose names must not show
    for person in people.values():
        assert person.display_name not in text
        assert person.phone not in text


def test_proposal_filters(w):
    _r, body = get(f"/towns/{w['slug']}/proposals?status=adopted")
    assert [p["id"] for p in body["items"]] == [w["adopted"].pk]


def test_hidden_comments_are_left_out(w, people):
    from gongzhi.proposals.services import hide_comment

    hide_comment(comment=w["comment"], actor=people["secretariat"], reason="广告")
    _r, detail = get(f"/towns/{w['slug']}/proposals/{w['proposal'].pk}")
    assert detail["comments"] == [] and detail["comment_count"] == 0


def test_processes_with_steps(w):
    _r, body = get(f"/towns/{w['slug']}/processes")
    assert [p["id"] for p in body["items"]] == [w["process"].pk]
    assert body["items"][0]["current_step"] == 1 and body["items"][0]["current_step_title"]
    _r, detail = get(f"/towns/{w['slug']}/processes/{w['process'].pk}")
    assert len(detail["steps"]) == 11
    assert detail["steps"][0]["state"] == "current" and len(detail["steps"][0]["runs"]) == 1
    assert {s["state"] for s in detail["steps"][1:]} == {"upcoming"}


def test_draft_processes_are_absent(w):
    from gongzhi.planning.models import PlanningProcess

    PlanningProcess.objects.filter(pk=w["process"].pk).update(status="draft")
    _r, body = get(f"/towns/{w['slug']}/processes")
    assert body["count"] == 0
    response, _body = get(f"/towns/{w['slug']}/processes/{w['process'].pk}")
    assert response.status_code == 404


def test_activities_published_only_with_counts(w, people):
    activity = w["activity"]
    check_in(
        activity=activity,
        user=people["resident"],
        method="roster",
        recorded_by=people["secretariat"],
        at=activity.starts_at,
    )
    assert Attendance.objects.count() == 1
    _r, body = get(f"/towns/{w['slug']}/activities")
    assert [a["id"] for a in body["items"]] == [activity.pk]
    assert body["items"][0]["person_times"] == 1 and body["items"][0]["people"] == 1
    _r, upcoming = get(f"/towns/{w['slug']}/activities?when=past")
    assert upcoming["count"] == 0
    response, _body = get(f"/towns/{w['slug']}/activities/{w['draft_activity'].pk}")
    assert response.status_code == 404
    _r, detail = get(f"/towns/{w['slug']}/activities/{activity.pk}")
    assert detail["registered"] == 0 and detail["places_left"] is None


def test_meeting_record_is_masked(w):
    _r, body = get(f"/towns/{w['slug']}/meetings")
    assert [m["id"] for m in body["items"]] == [w["meeting"].pk]
    assert body["items"][0]["present"] == 3 and body["items"][0]["decided"] == 1
    _r, detail = get(f"/towns/{w['slug']}/meetings/{w['meeting'].pk}")
    assert detail["minutes"] == "王**动议，张**附议；表决通过。"
    motion = detail["motions_detail"][0]
    assert motion["moved_by"] == "王**" and motion["seconded_by"] == "张**"
    assert motion["tally"] == {"yes": 2, "no": 1, "abstain": 0}
    assert motion["result"] == "passed"
    text = json.dumps(detail, ensure_ascii=False)
    for name in ("王小明", "张三丰", "李四"):
        assert name not in text


def test_minutes_hidden_until_approved(town, area_a, people):
    from gongzhi.meetings.tests.builders import decided_meeting

    meeting = decided_meeting(town=town, area=area_a, actor=people["secretariat"], approve=False)[
        "meeting"
    ]
    _r, detail = get(f"/towns/{town.slug}/meetings/{meeting.pk}")
    assert detail["minutes"] is None


def test_project_money_milestones_and_satisfaction(w):
    _r, body = get(f"/towns/{w['slug']}/projects")
    row = body["items"][0]
    assert row["id"] == w["project"].pk and row["budget"] == "8000.00"
    assert row["satisfaction"] == {"gain": None, "satisfaction": None, "responses": 0}
    _r, detail = get(f"/towns/{w['slug']}/projects/{w['project'].pk}")
    assert detail["spent"] == "0.00" and detail["status"] == "planned"
    assert [m["title"] for m in detail["milestones"]] == ["施工"]
    assert detail["responsible_unit"] == "A队"


def test_public_reads_need_no_login_and_ignore_a_bad_token(w):
    response, _body = get(f"/towns/{w['slug']}/proposals", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 200


def test_list_queries_are_constant(w, town, area_a, people, django_assert_max_num_queries):
    from gongzhi.tests.factories import ActivityFactory

    for _ in range(5):
        ActivityFactory(area=area_a)
    with django_assert_max_num_queries(4):
        response, body = get(f"/towns/{w['slug']}/activities")
    assert body["count"] == 6
