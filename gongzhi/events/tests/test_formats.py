"""Partners involved (with commitments), the World Café and the charity market."""

import io
from decimal import Decimal
from uuid import uuid4

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image

from gongzhi.core.errors import DomainError
from gongzhi.core.testing import assert_constant_queries, assert_nothing_written
from gongzhi.events import formats
from gongzhi.events.models import (
    ActivityPartner,
    CafeTable,
    MarketStall,
    TableNote,
    WalkInCount,
    WorldCafe,
)
from gongzhi.organisations.services import set_up_organisation
from gongzhi.partners.matching import rank_partners
from gongzhi.partners.models import Commitment
from gongzhi.tests.factories import ActivityFactory, PartnerFactory

QUESTIONS = ["小区里最需要改变的是什么？", "谁可以一起做？", "第一步做什么？"]


@pytest.fixture
def cafe_activity(area_a):
    return ActivityFactory(area=area_a, kind="world_cafe", title="境聚里世界咖啡馆")


@pytest.fixture
def market_activity(area_a):
    return ActivityFactory(area=area_a, kind="charity_market", title="境享好市")


@pytest.fixture
def planners(area_a):
    return [PartnerFactory(area=area_a, modes=["planning"]) for _ in range(3)]


def _cafe(activity, people, tables=2):
    return formats.set_up_world_cafe(
        activity=activity, actor=people["area_staff"], questions=QUESTIONS, tables=tables
    )


def _png(exif=False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), "green")
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (31.0, 20.0, 0.0)}  # GPS latitude
        image.save(out, "JPEG", exif=data)
    else:
        image.save(out, "PNG")
    return out.getvalue()


# --- Partners involved --------------------------------------------------------------


def test_a_partner_on_an_activity_is_committed_and_left_out_of_matching(
    cafe_activity, planners, people
):
    partner = planners[0]
    need = formats.host_need(cafe_activity)
    assert partner in [m.partner for m in rank_partners(need)]
    involved = formats.add_activity_partner(
        activity=cafe_activity, partner=partner, role="speaker", actor=people["area_staff"]
    )
    commitment = involved.commitment
    assert (commitment.starts_at, commitment.ends_at) == (
        cafe_activity.starts_at,
        cafe_activity.ends_at,
    )
    assert partner not in [m.partner for m in rank_partners(need)]
    with pytest.raises(DomainError):
        formats.add_activity_partner(
            activity=cafe_activity, partner=partner, role="helper", actor=people["area_staff"]
        )
    formats.remove_activity_partner(involved=involved, actor=people["area_staff"])
    assert not Commitment.objects.exists()
    assert partner in [m.partner for m in rank_partners(need)]


def test_a_partner_of_another_town_or_an_unknown_role_is_refused(
    cafe_activity, other_town, people, planners
):
    stranger = PartnerFactory(area__town=other_town)
    with pytest.raises(DomainError):
        formats.add_activity_partner(
            activity=cafe_activity, partner=stranger, role="host", actor=people["area_staff"]
        )
    with pytest.raises(DomainError):
        formats.add_activity_partner(
            activity=cafe_activity, partner=planners[0], role="boss", actor=people["area_staff"]
        )
    assert not ActivityPartner.objects.exists() and not Commitment.objects.exists()


def test_hosts_panel_finds_and_adds_a_partner_with_a_role(
    client_for, cafe_activity, planners, town
):
    client = client_for("area_staff")
    url = reverse("events:hosts", args=[town.slug, cafe_activity.pk])
    page = client.get(url, {"modes": "planning", "role": "speaker"})
    assert page.status_code == 200
    html = page.content.decode()
    assert planners[0].name in html and 'name="role" value="speaker"' in html
    panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panel and 'id="hosts-panel"' in panel
    add = reverse("events:add_partner", args=[town.slug, cafe_activity.pk])
    assert client.post(add, {"partner": planners[0].pk, "role": "speaker"}).status_code == 302
    assert ActivityPartner.objects.get().role == "speaker"
    client.post(add, {"partner": planners[1].pk, "role": "member"})  # not a role here
    assert ActivityPartner.objects.count() == 1
    assert planners[0].name in client.get(url).content.decode()


def test_staff_of_another_area_cannot_add_partners(client_for, area_b, planners, town):
    activity = ActivityFactory(area=area_b, kind="world_cafe")
    add = reverse("events:add_partner", args=[town.slug, activity.pk])
    with assert_nothing_written():
        assert (
            client_for("area_staff")
            .post(add, {"partner": planners[0].pk, "role": "host"})
            .status_code
            == 403
        )
    with assert_nothing_written():
        assert (
            client_for("resident")
            .post(add, {"partner": planners[0].pk, "role": "host"})
            .status_code
            == 403
        )
    assert not ActivityPartner.objects.exists()


# --- World Café ---------------------------------------------------------------------


def test_setting_up_a_cafe_makes_rounds_tables_and_suggested_hosts(cafe_activity, planners, people):
    cafe = _cafe(cafe_activity, people, tables=2)
    rounds = list(cafe.rounds.all())
    assert [r.number for r in rounds] == [1, 2, 3] and {r.minutes for r in rounds} == {25}
    tables = list(cafe.tables.all())
    assert [t.seats for t in tables] == [5, 5]
    hosts = {t.host_partner for t in tables}
    assert len(hosts) == 2 and hosts <= set(planners)
    assert set(ActivityPartner.objects.filter(role="host").values_list("partner", flat=True)) == {
        p.pk for p in hosts
    }
    # Hosts are committed at the café's time: matching now suggests only the third.
    assert [m.partner for m in formats.suggest_hosts(cafe_activity)] == [
        p for p in planners if p not in hosts
    ]
    with pytest.raises(DomainError):
        _cafe(cafe_activity, people)


def test_only_a_world_cafe_activity_gets_a_cafe_and_bad_setups_are_refused(
    area_a, cafe_activity, people
):
    workshop = ActivityFactory(area=area_a, kind="workshop")
    with pytest.raises(DomainError):
        _cafe(workshop, people)
    for bad in [
        {"questions": ["", " "], "tables": 2},
        {"questions": QUESTIONS, "tables": 0},
        {"questions": QUESTIONS, "tables": 2, "minutes": 45},
    ]:
        with pytest.raises(DomainError):
            formats.set_up_world_cafe(activity=cafe_activity, actor=people["area_staff"], **bad)
    assert not WorldCafe.objects.exists()


def test_a_host_stays_at_one_table(cafe_activity, planners, people):
    cafe = _cafe(cafe_activity, people, tables=2)
    first, second = cafe.tables.all()
    with pytest.raises(DomainError):
        formats.set_table_host(table=second, actor=people["area_staff"], partner=first.host_partner)
    with pytest.raises(IntegrityError):
        CafeTable.objects.filter(pk=second.pk).update(host_partner=first.host_partner)


def test_changing_a_host_frees_the_previous_one(cafe_activity, planners, people):
    cafe = _cafe(cafe_activity, people, tables=1)
    table = cafe.tables.get()
    old = table.host_partner
    new = next(p for p in planners if p != old)
    formats.set_table_host(table=table, actor=people["area_staff"], partner=new)
    table.refresh_from_db()
    assert table.host_partner == new
    assert not Commitment.objects.filter(partner=old).exists()
    assert Commitment.objects.filter(partner=new).count() == 1
    formats.set_table_host(table=table, actor=people["area_staff"], user=people["resident"])
    table.refresh_from_db()
    assert table.host_user == people["resident"] and table.host_partner is None
    assert not Commitment.objects.exists()


def test_notes_and_harvest_belong_to_their_own_cafe(cafe_activity, area_a, people):
    cafe = _cafe(cafe_activity, people)
    other = _cafe(ActivityFactory(area=area_a, kind="world_cafe"), people)
    table = cafe.tables.first()
    with pytest.raises(DomainError):
        formats.record_table_note(
            table=table, round=other.rounds.first(), actor=people["area_staff"], text="x"
        )
    note = formats.record_table_note(
        table=table, round=cafe.rounds.first(), actor=people["area_staff"], text="增加座椅"
    )
    foreign = formats.record_table_note(
        table=other.tables.first(), round=other.rounds.first(), actor=people["area_staff"], text="y"
    )
    with pytest.raises(DomainError):
        formats.add_harvest_theme(
            cafe=cafe, actor=people["area_staff"], title="休憩空间", notes=[foreign]
        )
    theme = formats.add_harvest_theme(
        cafe=cafe, actor=people["area_staff"], title="休憩空间", notes=[note]
    )
    assert list(theme.notes.all()) == [note] and theme.order == 1
    assert theme.get_absolute_url().endswith(f"#theme-{theme.pk}")


def test_cafe_pages_set_up_record_and_show_the_harvest(
    client_for, client, cafe_activity, planners, town
):
    staff = client_for("area_staff")
    url = reverse("events:cafe", args=[town.slug, cafe_activity.pk])
    assert 'name="setup-question_1"' in staff.get(url).content.decode()
    assert "setup-question_1" not in client.get(url).content.decode()
    setup = reverse("events:cafe_setup", args=[town.slug, cafe_activity.pk])
    with assert_nothing_written():
        bad = staff.post(setup, {"setup-question_1": "", "setup-minutes": 25, "setup-tables": 2})
    assert bad.status_code == 400 and not WorldCafe.objects.exists()
    data = {"setup-minutes": 25, "setup-tables": 2}
    data.update({f"setup-question_{i}": q for i, q in enumerate(QUESTIONS, start=1)})
    assert staff.post(setup, data).status_code == 302
    cafe = WorldCafe.objects.get()
    table, round_ = cafe.tables.first(), cafe.rounds.first()
    note_url = reverse("events:cafe_note", args=[town.slug, cafe_activity.pk])
    ok = staff.post(
        note_url,
        {"note-table": table.pk, "note-round": round_.pk, "note-text": "多一些树荫"},
    )
    assert ok.status_code == 302
    theme_url = reverse("events:cafe_theme", args=[town.slug, cafe_activity.pk])
    note = TableNote.objects.get()
    staff.post(theme_url, {"theme-title": "绿化与遮阴", "theme-notes": [note.pk]})
    page = client.get(url).content.decode()
    assert QUESTIONS[0] in page and "多一些树荫" in page and "绿化与遮阴" in page
    assert table.host_partner.name in page
    assert "note-text" not in page  # no staff forms for the public
    # Residents may not record anything.
    resident = client_for("resident")
    with assert_nothing_written():
        assert resident.post(theme_url, {"theme-title": "x"}).status_code == 403


def test_setting_up_a_cafe_again_is_a_409_with_a_message_whatever_was_posted(
    client_for, cafe_activity, planners, people, town
):
    """A second set-up (another tab, a resubmitted form) once answered 500 when a
    field was also invalid: the view indexed the form's empty non-field errors."""
    _cafe(cafe_activity, people)
    staff = client_for("area_staff")
    setup = reverse("events:cafe_setup", args=[town.slug, cafe_activity.pk])
    valid = {"setup-minutes": 25, "setup-tables": 2, "setup-question_1": "还要什么？"}
    for posted in ({**valid, "setup-tables": "999"}, {}, valid):
        with assert_nothing_written():
            answer = staff.post(setup, posted, HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 409, posted
        assert "This World Café is already set up." in answer.content.decode()
    assert WorldCafe.objects.get().tables.count() == 2


def test_a_note_for_a_round_of_another_cafe_is_a_form_error(
    client_for, cafe_activity, area_a, people, town
):
    cafe = _cafe(cafe_activity, people)
    other = _cafe(ActivityFactory(area=area_a, kind="world_cafe"), people)
    with assert_nothing_written():
        response = client_for("area_staff").post(
            reverse("events:cafe_note", args=[town.slug, cafe_activity.pk]),
            {
                "note-table": cafe.tables.first().pk,
                "note-round": other.rounds.first().pk,
                "note-text": "x",
            },
        )
    assert response.status_code == 400 and not TableNote.objects.exists()


def test_a_photo_is_checked_by_content_and_loses_its_exif(client_for, cafe_activity, people, town):
    cafe = _cafe(cafe_activity, people)
    url = reverse("events:cafe_note", args=[town.slug, cafe_activity.pk])
    data = {"note-table": cafe.tables.first().pk, "note-round": cafe.rounds.first().pk}
    client = client_for("area_staff")
    fake = SimpleUploadedFile("board.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with assert_nothing_written():
        response = client.post(url, {**data, "note-text": "x", "note-photo": fake})
    assert response.status_code == 400 and not TableNote.objects.exists()
    photo = SimpleUploadedFile("board.jpg", _png(exif=True), content_type="image/jpeg")
    assert (
        client.post(url, {**data, "note-text": "桌布照片", "note-photo": photo}).status_code == 302
    )
    stored = TableNote.objects.get().photo
    with Image.open(stored.path) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_a_too_large_photo_is_refused(settings, cafe_activity, people):
    settings.GONGZHI_MAX_UPLOAD_BYTES = 10
    cafe = _cafe(cafe_activity, people)
    photo = SimpleUploadedFile("big.png", _png(), content_type="image/png")
    with assert_nothing_written(), pytest.raises(DomainError):
        formats.record_table_note(
            table=cafe.tables.first(),
            round=cafe.rounds.first(),
            actor=people["area_staff"],
            text="x",
            photo=photo,
        )


def test_cafe_page_queries_do_not_grow_with_notes_and_themes(
    client_for, cafe_activity, planners, people, town
):
    cafe = _cafe(cafe_activity, people, tables=3)
    tables, rounds = list(cafe.tables.all()), list(cafe.rounds.all())
    staff = people["area_staff"]

    def make_rows(n):
        titles = [f"theme {uuid4().hex[:8]}" for _ in range(n)]
        for i, title in enumerate(titles):
            note = formats.record_table_note(
                table=tables[i % 3], round=rounds[i % 3], actor=staff, text=f"note {i}"
            )
            formats.add_harvest_theme(cafe=cafe, actor=staff, title=title, notes=[note])
        return titles

    url = reverse("events:cafe", args=[town.slug, cafe_activity.pk])
    assert_constant_queries(client_for("anonymous"), url, make_rows)
    assert_constant_queries(client_for("area_staff"), url, make_rows, small=2, large=10)


def test_a_draft_cafe_is_hidden_from_the_public(client, client_for, area_a, town):
    draft = ActivityFactory(area=area_a, kind="world_cafe", status="draft")
    url = reverse("events:cafe", args=[town.slug, draft.pk])
    assert client_for("resident").get(url).status_code == 403
    assert client_for("area_staff").get(url).status_code == 200


# --- Charity market -----------------------------------------------------------------


def test_a_stall_is_run_by_a_unit_or_a_partner_never_both(market_activity, town, planners, people):
    set_up_organisation(town=town, actor=people["secretariat"])
    unit = town.org_units.get(kind="secretariat")
    common = {"activity": market_activity, "actor": people["area_staff"], "offer": "义剪"}
    with pytest.raises(DomainError):
        formats.add_market_stall(**common, offer_kind="service", unit=unit, partner=planners[0])
    with pytest.raises(DomainError):
        formats.add_market_stall(**common, offer_kind="service")
    with pytest.raises(IntegrityError):
        MarketStall.objects.create(
            activity=market_activity, unit=unit, partner=planners[0], offer="x", offer_kind="goods"
        )


def test_only_a_market_has_stalls(cafe_activity, planners, people):
    with assert_nothing_written(), pytest.raises(DomainError):
        formats.add_market_stall(
            activity=cafe_activity,
            actor=people["area_staff"],
            offer="旧书",
            offer_kind="goods",
            partner=planners[0],
        )


def test_market_page_adds_up_stalls_raised_and_head_count(
    client_for, client, market_activity, town, planners, people
):
    staff = client_for("area_staff")
    url = reverse("events:market_stall", args=[town.slug, market_activity.pk])
    both = staff.post(
        url,
        {
            "stall-unit": "",
            "stall-partner": planners[0].pk,
            "stall-offer": "旧书义卖",
            "stall-offer_kind": "goods",
        },
    )
    assert both.status_code == 302
    with assert_nothing_written():
        neither = staff.post(url, {"stall-offer": "义剪", "stall-offer_kind": "service"})
    assert neither.status_code == 400 and MarketStall.objects.count() == 1
    formats.add_market_stall(
        activity=market_activity,
        actor=people["area_staff"],
        offer="义诊",
        offer_kind="service",
        partner=planners[1],
        raised_amount=Decimal("120.50"),
    )
    stall = MarketStall.objects.get(offer="旧书义卖")
    raised = reverse("events:market_raised", args=[town.slug, market_activity.pk, stall.pk])
    staff.post(raised, {f"raised-{stall.pk}-raised_amount": "-5"})
    stall.refresh_from_db()
    assert stall.raised_amount is None
    staff.post(
        raised,
        {f"raised-{stall.pk}-raised_amount": "80", f"raised-{stall.pk}-items_raised": "图书30册"},
    )
    WalkInCount.objects.create(
        activity=market_activity, count=140, recorded_by=people["area_staff"]
    )
    response = client.get(reverse("events:market", args=[town.slug, market_activity.pk]))
    assert response.context["totals"] == {"raised": Decimal("200.50"), "stalls": 2}
    assert response.context["figures"].walk_ins == 140
    assert "图书30册" in response.content.decode()
    with assert_nothing_written():
        assert client_for("resident").post(raised, {}).status_code == 403


def test_market_page_queries_do_not_grow_with_stalls(
    client_for, market_activity, town, people, area_a
):
    set_up_organisation(town=town, actor=people["secretariat"])
    unit = town.org_units.get(kind="secretariat")

    def make_rows(n):
        offers = [f"摊位{uuid4().hex[:8]}" for _ in range(n)]
        for i, offer in enumerate(offers):
            formats.add_market_stall(
                activity=market_activity,
                actor=people["area_staff"],
                offer=offer,
                offer_kind="goods",
                unit=unit if i % 2 else None,
                partner=None if i % 2 else PartnerFactory(area=area_a),
                raised_amount=Decimal(i),
            )
        return offers

    url = reverse("events:market", args=[town.slug, market_activity.pk])
    assert_constant_queries(client_for("anonymous"), url, make_rows)
    assert_constant_queries(client_for("area_staff"), url, make_rows, small=2, large=10)


def test_the_activity_page_links_to_its_cafe_and_market(
    client, cafe_activity, market_activity, town
):
    assert (
        reverse("events:cafe", args=[town.slug, cafe_activity.pk])
        in client.get(cafe_activity.get_absolute_url()).content.decode()
    )
    assert (
        reverse("events:market", args=[town.slug, market_activity.pk])
        in client.get(market_activity.get_absolute_url()).content.decode()
    )
