"""The ledgers bundle (台账汇总): one workbook, one sheet per ledger, opened as staff
open it (openpyxl); the rows of the user's scope; the year filter; streaming in
chunks; who may download it, and the logged access."""

import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.core.ledgers import write_workbook
from gongzhi.core.models import AuditEvent
from gongzhi.events import formats, hours, services
from gongzhi.meetings.tests.builders import make_meeting
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.renewal.tests.builders import new_project
from gongzhi.reports import ledgers
from gongzhi.tests.factories import ActivityFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
SHEET_TITLES = [
    "Partner roster",
    "Activity ledger",
    "Meetings",
    "Proposal ledger",
    "Project ledger",
    "Volunteer hours",
]
ACTIVITY_HEADERS = [
    "No.",
    "Date",
    "Kind",
    "Title",
    "Residential area",
    "Venue",
    "Organising unit",
    "Registered",
    "People (人数)",
    "Person-times (人次)",
    "Of which counted at the door",
    "Partners involved",
    "Photos",
    "Effect",
]
HOURS_HEADERS = [
    "No.",
    "Date",
    "Activity",
    "Residential area",
    "Volunteer",
    "Community partner",
    "Hours",
    "Source",
    "Approved by",
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def at(month, day, hour=9):
    return timezone.make_aware(datetime(YEAR, month, day, hour))


def attend(activity, user, *, stay=None):
    staff = UserFactory._meta.model.objects.filter(is_superuser=True).first() or UserFactory(
        is_superuser=True
    )  # whoever keeps the roster: the administrator will do
    attendance, _ = services.check_in(
        activity=activity, user=user, method="roster", recorded_by=staff, at=activity.starts_at
    )
    if stay:
        services.check_out(
            attendance=attendance, actor=staff, at=activity.starts_at + timedelta(minutes=stay)
        )
    return attendance


@pytest.fixture
def world(town, area_a, area_b, people):
    """Two areas' worth of every ledger's records, and some that no ledger lists."""
    secretary, staff = people["secretariat"], people["area_staff"]
    partner_a = PartnerFactory(area=area_a, name="甲合伙人", modes=["planning", "media"])
    partner_b = PartnerFactory(area=area_b, name="乙合伙人", modes=["education"])
    # Activities: a workshop in area A (2 named + 5 at the door), a World Café in B with
    # its harvest, a town-wide salon, a volunteer service in A, and a draft (not listed).
    workshop = ActivityFactory(
        area=area_a, title="甲区花园工作坊", starts_at=at(3, 1), ends_at=at(3, 1, 11)
    )
    attend(workshop, partner_a.user)
    attend(workshop, people["resident"])
    services.record_walk_ins(activity=workshop, actor=staff, count=5)
    cafe_activity = ActivityFactory(
        area=area_b,
        kind="world_cafe",
        title="乙区世界咖啡馆",
        starts_at=at(4, 1),
        ends_at=at(4, 1, 12),
    )
    attend(cafe_activity, partner_b.user)
    cafe = formats.set_up_world_cafe(
        activity=cafe_activity, actor=secretary, questions=["我们需要什么"], tables=1
    )
    formats.add_harvest_theme(cafe=cafe, actor=secretary, title="更多座椅")
    salon = ActivityFactory(
        area=None,
        town=town,
        kind="salon",
        title="全镇共建沙龙",
        starts_at=at(5, 1),
        ends_at=at(5, 1, 11),
    )
    service = ActivityFactory(
        area=area_a,
        kind="volunteer_service",
        title="楼道清洁志愿服务",
        starts_at=at(6, 1),
        ends_at=at(6, 1, 11),
    )
    volunteer = UserFactory(display_name="周志愿")
    attend(service, volunteer, stay=60)
    attend(service, partner_a.user, stay=30)
    claim = hours.claim_hours(activity=service, user=partner_a.user, minutes=45, reason="提前布置")
    hours.decide_claim(claim=claim, actor=staff, approve=True)
    ActivityFactory(
        area=area_a, title="草稿活动", status="draft", starts_at=at(7, 1), ends_at=at(7, 1, 11)
    )
    # Meetings, proposals and projects, one per area.
    make_meeting(town=town, area=area_a, actor=secretary, title="甲区自治会议")
    make_meeting(town=town, area=area_b, actor=secretary, title="乙区自治会议")
    for area, title in ((area_a, "甲区座椅"), (area_b, "乙区晾衣架")):
        make_proposal(
            town=town, author=people["resident"], area=area, title=title, description="需要。"
        )
    today = timezone.localdate()
    for area, title in ((area_a, "甲区花园"), (area_b, "乙区花园")):
        new_project(actor=secretary, area=area, title=title, planned_start=today, planned_end=today)
    return {
        "partner_a": partner_a,
        "workshop": workshop,
        "cafe": cafe_activity,
        "salon": salon,
        "service": service,
    }


def download(client, town, **params):
    response = client.get(reverse("reports:ledgers", args=[town.slug]), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def column(rows, header):
    index = rows[1].index(header)
    return [row[index] for row in rows[2:]]


def test_secretariat_gets_six_sheets_with_every_area(client_for, town, world):
    sheets = download(english(client_for("secretariat")), town, year=YEAR)
    assert list(sheets) == SHEET_TITLES
    # partners: the roster's columns, full contacts (the download is for staff)
    partners = sheets["Partner roster"]
    assert partners[1][:4] == ["No.", "Name", "Mobile number", "Residential area"]
    assert sorted(column(partners, "Name")) == ["乙合伙人", "甲合伙人"]
    assert all(phone and "*" not in phone for phone in column(partners, "Mobile number"))
    # activities: published ones, in time order, counted from records
    activities = sheets["Activity ledger"]
    assert activities[1] == ACTIVITY_HEADERS
    assert column(activities, "Title") == [
        "甲区花园工作坊",
        "乙区世界咖啡馆",
        "全镇共建沙龙",
        "楼道清洁志愿服务",
    ]
    workshop = activities[2]
    assert workshop[0] == 1 and workshop[1] == datetime(YEAR, 3, 1, 9)
    assert workshop[4] == "逸景佳苑" and workshop[5] == "逸致议事厅"
    assert workshop[8:11] == [2, 7, 5]  # people, person-times, of which at the door
    cafe = activities[3]
    assert cafe[8:10] == [1, 1] and "更多座椅" in cafe[13]
    assert activities[4][4] == "Town-wide" and activities[4][8:10] == [0, 0]
    # the capabilities' own ledgers
    assert sorted(column(sheets["Meetings"], "Meeting title")) == ["乙区自治会议", "甲区自治会议"]
    assert sorted(column(sheets["Proposal ledger"], "Title")) == ["乙区晾衣架", "甲区座椅"]
    assert sorted(column(sheets["Project ledger"], "Title")) == ["乙区花园", "甲区花园"]
    # volunteer hours: check-in/out first, then the approved manual hours
    hours_rows = sheets["Volunteer hours"]
    assert hours_rows[1] == HOURS_HEADERS
    body = hours_rows[2:]
    partner_user = world["partner_a"].user.display_name
    assert [(row[4], row[6]) for row in body] == [
        ("周志愿", 1),
        (partner_user, 0.5),
        (partner_user, 0.75),
    ]
    assert [row[5] for row in body] == [None, "甲合伙人", "甲合伙人"]
    assert body[0][7] == "Check-in and check-out" and body[0][8] is None
    assert "提前布置" in body[2][7] and body[2][8] == "陈社工"


def test_area_staff_see_only_their_areas_rows(client_for, town, world):
    sheets = download(english(client_for("area_staff")), town)
    assert list(sheets) == SHEET_TITLES
    assert column(sheets["Partner roster"], "Name") == ["甲合伙人"]
    assert column(sheets["Activity ledger"], "Title") == ["甲区花园工作坊", "楼道清洁志愿服务"]
    assert column(sheets["Meetings"], "Meeting title") == ["甲区自治会议"]
    assert column(sheets["Proposal ledger"], "Title") == ["甲区座椅"]
    assert column(sheets["Project ledger"], "Title") == ["甲区花园"]
    assert set(column(sheets["Volunteer hours"], "Residential area")) == {"逸景佳苑"}


def test_year_filter_and_bad_years(client_for, town, world):
    client = english(client_for("secretariat"))
    past = download(client, town, year=YEAR - 5)
    assert all(rows[2:] == [] for rows in past.values())
    assert str(YEAR - 5) in past["Activity ledger"][0][0]
    # like the proposal ledger: a year that is not one means every year
    for bad in ("1900", "abc", "20231", "-2023", ""):
        sheets = download(client, town, year=bad)
        assert len(sheets["Activity ledger"]) == 2 + 4


def test_download_is_logged(client_for, town, people, world):
    download(client_for("secretariat"), town, year=YEAR)
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.actor == people["secretariat"]
    assert event.after["ledger"] == "bundle"
    assert event.after["year"] == YEAR
    assert event.after["sheets"] == ledgers.SHEETS
    # 2 partners + 4 activities + 2 meetings + 2 proposals + 2 projects + 3 hour lines
    assert event.after["rows"] == 15


def test_who_may_download(client_for, town, other_town, world):
    url = reverse("reports:ledgers", args=[town.slug])
    anonymous = client_for("anonymous").get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for role in ("resident", "partner", "other_secretariat"):
        assert client_for(role).get(url).status_code == 403, role
    assert client_for("administrator").get(url).status_code == 200
    assert not AuditEvent.objects.filter(verb="ledger.export", actor__isnull=True).exists()


def test_chinese_workbook(client_for, town, world):
    """In the default language too: six sheets, each titled with the town's name."""
    sheets = download(client_for("secretariat"), town, year=YEAR)
    assert len(sheets) == 6
    assert all("高境镇" in rows[0][0] for rows in sheets.values())


def test_rows_stream_in_chunks(town, area_a, people, monkeypatch, django_assert_max_num_queries):
    """A bounded number of queries per chunk, whatever the number of rows."""
    for i in range(7):
        activity = ActivityFactory(
            area=area_a,
            kind="volunteer_service",
            title=f"服务{i}",
            starts_at=at(2, 1 + i),
            ends_at=at(2, 1 + i, 11),
        )
        attend(activity, UserFactory(), stay=60)
        PartnerFactory(area=area_a, skills=["园艺"])
    monkeypatch.setattr(ledgers, "CHUNK_SIZE", 3)
    user = people["secretariat"]
    sheets = [
        ledgers.partner_ledger(town=town, user=user),
        ledgers.activity_ledger(town=town, user=user),
        ledgers.hours_ledger(town=town, user=user),
    ]
    # 3 chunks each: partners + skills + modes + the registered columns (units, roles);
    # activities + World Cafés + their themes; hours: attendances, then claims
    with django_assert_max_num_queries(20):
        counts = write_workbook(io.BytesIO(), sheets)
    assert list(counts.values()) == [7, 7, 7]
