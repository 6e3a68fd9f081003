"""The meeting ledger (台账) as Excel: columns, rows of the user's scope, the year
filter, streaming in chunks, and the logged access."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.core.ledgers import write_workbook
from gongzhi.core.models import AuditEvent
from gongzhi.meetings import ledgers, services
from gongzhi.meetings.models import Party

from .builders import decided_meeting, make_meeting, sign_in_people


@pytest.fixture
def world(town, area_a, area_b, people):
    staff, secretary = people["area_staff"], people["secretariat"]
    a = decided_meeting(town=town, area=area_a, actor=staff, title="甲区自治会议")
    b = make_meeting(
        town=town, area=area_b, actor=secretary, title="乙区协调会", kind="coordination"
    )
    services.invite(meeting=b, actor=secretary, name="乙一", party=Party.OWNERS_COMMITTEE)
    services.add_agenda_item(meeting=b, actor=secretary, title="停车位纠纷")
    services.add_agenda_item(meeting=b, actor=secretary, title='=HYPERLINK("x")')
    town_wide = make_meeting(town=town, area=None, actor=secretary, title="全镇评议会")
    cancelled = make_meeting(town=town, area=area_a, actor=staff, title="取消的会")
    services.cancel_meeting(meeting=cancelled, actor=staff, reason="台风")
    return {"a": a, "b": b, "town_wide": town_wide}


def download(client, town, **params):
    response = client.get(reverse("meetings:ledger", args=[town.slug]), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_secretariat_ledger_has_every_meeting_of_the_town(client_for, town, world):
    rows = download(client_for("secretariat"), town)
    assert "会议台账" in rows[0][0] or "meeting ledger" in rows[0][0]
    header, body = rows[1], rows[2:]
    assert len(header) == 12
    titles = [row[3] for row in body]
    assert set(titles) == {"甲区自治会议", "乙区协调会", "全镇评议会"}  # not the cancelled one
    assert [row[0] for row in body] == [1, 2, 3]
    a = next(row for row in body if row[3] == "甲区自治会议")
    assert a[7] == 3 and a[8] == 3  # invited, present
    assert a[9] == "充电桩选址"
    assert "增设非机动车充电桩" in a[10]
    assert a[5] == "逸致议事厅"
    b = next(row for row in body if row[3] == "乙区协调会")
    assert b[7] == 1 and b[8] == 0
    # topics joined the ledger's way; a formula stays text
    assert b[9] == '停车位纠纷、=HYPERLINK("x")'
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.after["ledger"] == "meetings" and event.after["rows"] == 3


def test_area_staff_get_their_areas_rows(client_for, town, world):
    rows = download(client_for("area_staff"), town)
    assert [row[3] for row in rows[2:]] == ["甲区自治会议"]


def test_year_filter_and_bad_year(client_for, town, world):
    client = client_for("secretariat")
    year = timezone.localdate().year
    assert len(download(client, town, year=year)[2:]) == 3
    assert download(client, town, year=year - 5)[2:] == []
    response = client.get(reverse("meetings:ledger", args=[town.slug]), {"year": "1900"})
    assert response.status_code == 400


def test_residents_and_other_towns_get_no_ledger(client_for, town, other_town, world):
    assert (
        client_for("resident").get(reverse("meetings:ledger", args=[town.slug])).status_code == 403
    )
    assert (
        client_for("other_secretariat")
        .get(reverse("meetings:ledger", args=[town.slug]))
        .status_code
        == 403
    )


def test_rows_stream_in_chunks(town, area_a, people, monkeypatch, django_assert_max_num_queries):
    staff = people["area_staff"]
    for i in range(7):
        meeting = make_meeting(town=town, area=area_a, actor=staff, title=f"会议{i}")
        sign_in_people(meeting, staff, [f"甲{i}"])
        services.add_agenda_item(meeting=meeting, actor=staff, title=f"议题{i}")
    monkeypatch.setattr(ledgers, "CHUNK_SIZE", 3)
    ledger = ledgers.meeting_ledger(town=town, user=people["secretariat"])
    # 3 chunks, each: meetings, agenda, motions
    with django_assert_max_num_queries(12):
        counts = write_workbook(io.BytesIO(), [ledger])
    assert list(counts.values()) == [7]
