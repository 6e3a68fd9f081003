"""The project ledger (项目台账): the Excel file as staff open it, its scope (the
town for the secretariat, their own areas for area staff), the year filter, and the
logged download."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.core.models import AuditEvent
from gongzhi.renewal.ledgers import ledger_filename, project_ledger
from gongzhi.surveys.services import submit_response

from .builders import project_at

pytestmark = pytest.mark.django_db

HEADERS = [
    "No.",
    "Residential area",
    "Site",
    "Title",
    "Kind",
    "Origin",
    "Funding source",
    "Budget (yuan)",
    "Spent (yuan)",
    "Contractor",
    "Planned start",
    "Planned completion",
    "Construction started",
    "Completed on",
    "Status",
    "Satisfaction (1-5)",
    "Sense of gain (1-5)",
    "Responses",
]


@pytest.fixture
def projects(town, area_a, area_b, people, django_capture_on_commit_callbacks):
    staff, secretary = people["area_staff"], people["secretariat"]
    with django_capture_on_commit_callbacks(execute=True):
        done = project_at("completed", actor=staff, area=area_a, title="甲区花园", budget="1000")
    submit_response(
        survey=done.satisfaction_survey,
        user=people["resident"],
        answers={str(done.gain_question_id): 4, str(done.satisfaction_question_id): 5},
    )
    submit_response(
        survey=done.satisfaction_survey,
        user=people["partner"],
        answers={str(done.gain_question_id): 3, str(done.satisfaction_question_id): 4},
    )
    planned = project_at(
        "planned",
        actor=staff,
        area=area_a,
        title="甲区围墙",
        kind="old_wall",
        planned_start=date(2020, 3, 1),
        planned_end=date(2020, 6, 1),
    )
    other = project_at("planned", actor=secretary, area=area_b, title="乙区晾衣架", kind="hooks")
    return {"done": done, "planned": planned, "other": other}


def rows_of(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    return values[0][0], list(values[1]), [list(row) for row in values[2:]]


def test_secretariat_gets_every_project_of_the_town(client_for, town, projects):
    response = client_for("secretariat").get(
        reverse("renewal:ledger", args=[town.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "project-ledger-gaojing-" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    title, headers, rows = rows_of(response)
    assert "project ledger" in title
    assert headers == HEADERS
    assert [row[3] for row in rows] == ["甲区围墙", "甲区花园", "乙区晾衣架"]  # by planned start
    done = next(row for row in rows if row[3] == "甲区花园")
    project = projects["done"]
    assert done[1:3] == [project.area.name, project.site.name]
    assert done[4] == "Community garden"
    assert done[5] == f"Planning process: {project.process.title}"
    assert done[6] == "Town budget"
    assert (Decimal(str(done[7])), Decimal(str(done[8]))) == (Decimal("1000"), Decimal("0"))
    assert done[9] == "上海某园林公司"
    assert done[10].date() == project.planned_start
    assert done[12].date() == project.actual_start
    assert done[13].date() == project.actual_end
    assert done[14] == "Completed"
    assert done[15:] == [4.5, 3.5, 2]
    planned = next(row for row in rows if row[3] == "甲区围墙")
    assert planned[12:14] == [None, None]
    assert planned[14] == "Planned"
    assert planned[15:] == [None, None, 0]
    event = AuditEvent.objects.filter(verb="ledger.export").get()
    assert event.after["ledger"] == "projects" and event.after["rows"] == 3


def test_area_staff_get_their_own_areas(client_for, town, projects):
    _title, _headers, rows = rows_of(
        client_for("area_staff").get(reverse("renewal:ledger", args=[town.slug]))
    )
    assert sorted(row[3] for row in rows) == ["甲区围墙", "甲区花园"]


def test_year_filter_and_bad_years(client_for, town, projects):
    client = client_for("secretariat")
    ledger_url = reverse("renewal:ledger", args=[town.slug])
    title, _headers, rows = rows_of(
        client.get(ledger_url + "?year=2020", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert title.endswith("2020")
    assert [row[3] for row in rows] == ["甲区围墙"]
    for bad in ("1800", "abc", "²"):
        _title, _headers, rows = rows_of(client.get(ledger_url + f"?year={bad}"))
        assert len(rows) == 3


def test_others_may_not_download(client_for, town, other_town, projects):
    ledger_url = reverse("renewal:ledger", args=[town.slug])
    assert client_for("resident").get(ledger_url).status_code == 403
    assert client_for("partner").get(ledger_url).status_code == 403
    assert client_for("other_secretariat").get(ledger_url).status_code == 403
    assert client_for("anonymous").get(ledger_url).status_code == 302
    assert not AuditEvent.objects.filter(verb="ledger.export").exists()


def test_ledger_streams_rows_and_names_the_file(town, people, projects):
    ledger = project_ledger(town=town, user=people["secretariat"], year=None)
    assert len(list(ledger.rows())) == 3
    name, fallback = ledger_filename(town, 2024)
    assert name.endswith("-2024.xlsx") and town.name in name
    assert fallback == "project-ledger-gaojing-2024.xlsx"


def test_chinese_headers_are_the_project_ledgers_own(client_for, town, projects):
    """ "Kind" is the project's kind (项目类型), not the meetings ledger's 会议类型."""
    _title, headers, _rows = rows_of(
        client_for("secretariat").get(
            reverse("renewal:ledger", args=[town.slug]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    )
    assert headers[4] == "项目类型"
    assert "会议类型" not in headers
