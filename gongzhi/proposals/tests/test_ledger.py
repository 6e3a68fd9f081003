"""The proposal ledger (台账): the secretariat's holds the whole town, area staff's
only their areas; it opens in Excel with the documented columns, counts supports and
comments exactly, keeps typed formulas as text, and every download is logged."""

import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from gongzhi.core.models import AuditEvent
from gongzhi.proposals import services
from gongzhi.proposals.ledgers import ledger_proposals, proposal_ledger
from gongzhi.proposals.models import Proposal
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.tests.factories import SiteFactory, UserFactory

HEADERS = [
    "No.",
    "Submitted on",
    "Residential area",
    "Site",
    "Title",
    "Category",
    "Author",
    "Supports",
    "Comments",
    "Status",
    "Reason",
    "Last change",
]


@pytest.fixture
def proposals(town, area_a, area_b, people):
    site = SiteFactory(area=area_a, name="中心花园")
    a = make_proposal(
        town=town,
        area=area_a,
        author=people["resident"],
        title="花园改造",
        category="public_space",
        site=site,
    )
    b = make_proposal(
        town=town,
        area=area_b,
        author=UserFactory(display_name="吴居民"),
        title='=HYPERLINK("http://x")',
    )
    for _ in range(3):
        services.support_proposal(proposal=a, user=UserFactory())
    for _ in range(2):
        services.add_comment(proposal=a, author=UserFactory(), body="好")
    hidden = services.add_comment(proposal=a, author=UserFactory(), body="广告")
    services.hide_comment(comment=hidden, actor=people["secretariat"], reason="广告")
    services.start_review(proposal=b, actor=people["secretariat"])
    services.decline(proposal=b, actor=people["secretariat"], reason="不在规划范围")
    return a, b


def download(client, town, **params):
    response = client.get(
        reverse("proposals:ledger", args=[town.slug]), params, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, rows[0], rows[1], rows[2:]


def test_secretariat_ledger_holds_the_whole_town(client_for, town, proposals, people):
    a, b = proposals
    sheet, title, header, rows = download(client_for("secretariat"), town)
    assert sheet.title == "Proposal ledger"
    assert town.name in title[0]
    assert list(header) == HEADERS
    assert len(rows) == 2
    first, second = rows
    today = timezone.localdate()
    assert first[0] == 1 and second[0] == 2
    assert first[1].date() == today
    assert first[2:7] == ("逸景佳苑", "中心花园", "花园改造", "Public space", "李居民")
    assert first[7:10] == (3, 2, "Submitted")  # the hidden comment is not counted
    assert second[2] == "第二居民区" and second[6] == "吴居民"
    assert second[4] == '=HYPERLINK("http://x")'  # kept as text, never a formula
    assert second[9:11] == ("Not adopted", "不在规划范围")
    assert isinstance(second[11], datetime) and second[11].date() == today


def test_area_staff_ledger_holds_only_their_areas(client_for, town, proposals):
    _sheet, _title, _header, rows = download(client_for("area_staff"), town)
    assert [row[4] for row in rows] == ["花园改造"]


def test_the_download_is_logged(client_for, town, proposals, people):
    download(client_for("area_staff"), town)
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.actor == people["area_staff"]
    assert event.after["ledger"] == "proposals"
    assert event.after["rows"] == 1


def test_year_selects_proposals_submitted_that_year(client_for, town, proposals):
    a, _b = proposals
    Proposal.objects.filter(pk=a.pk).update(
        created_at=timezone.make_aware(datetime(2023, 5, 1, 10, 0))
    )
    this_year = timezone.localdate().year
    _s, title, _h, rows = download(client_for("secretariat"), town, year=2023)
    assert "2023" in title[0]
    assert [row[4] for row in rows] == ["花园改造"]
    _s, _t, _h, rows = download(client_for("secretariat"), town, year=this_year)
    assert [row[4] for row in rows] == ['=HYPERLINK("http://x")']


@pytest.mark.parametrize("role", ["resident", "partner", "other_secretariat"])
def test_others_may_not_download_it(client_for, town, role):
    response = client_for(role).get(reverse("proposals:ledger", args=[town.slug]))
    assert response.status_code == 403


def test_the_builder_streams_rows_for_the_reports_capability(town, proposals, people):
    with translation.override("en"):
        ledger = proposal_ledger(town=town, user=people["secretariat"])
        assert [str(c.header) for c in ledger.columns] == HEADERS
        rows = ledger.rows()
        assert not isinstance(rows, list)  # a generator: rows stream
        assert len(list(rows)) == 2
    assert ledger_proposals(town=town, user=people["other_secretariat"]).count() == 0


def test_ledger_year_with_unicode_digits_is_the_whole_ledger(client_for, town, area_a):
    make_proposal(town=town, area=area_a)
    response = client_for("secretariat").get(
        reverse("proposals:ledger", args=[town.slug]) + "?year=²"
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.after == {"ledger": "proposals", "rows": 1, "year": None}
