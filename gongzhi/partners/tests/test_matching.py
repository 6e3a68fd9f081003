"""Matching ranks partners for a need, with reasons, on crafted cases."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gongzhi.partners.matching import POINTS, Need, rank_partners
from gongzhi.partners.models import Commitment, PartnerStatus, Slot
from gongzhi.tests.factories import AreaFactory, PartnerFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
SATURDAY_MORNING = datetime(2026, 11, 28, 9, 30, tzinfo=SHANGHAI)


def names(matches):
    return [m.partner.name for m in matches]


def codes(match):
    return [r.code for r in match.reasons]


@pytest.fixture
def crowd(town, area_a, area_b):
    """Five partners crafted so each need has one obvious best answer."""
    area_a.neighbours.add(area_b)
    far = AreaFactory(town=town, name="远处居民区", code="09")
    return {
        "designer": PartnerFactory(
            town=town,
            area=area_a,
            name="设计师甲",
            profession="景观设计师",
            modes=["planning"],
            skills=["手绘", "园艺"],
            weekend_day=True,
        ),
        "designer_far": PartnerFactory(
            town=town,
            area=far,
            name="设计师乙",
            profession="室内设计师",
            modes=["planning"],
            skills=["手绘"],
            weekday_evening=True,
        ),
        "lawyer": PartnerFactory(
            town=town,
            area=area_b,
            name="律师丙",
            profession="律师",
            modes=["governance", "think_tank"],
            skills=["法律咨询"],
            weekend_day=True,
        ),
        "teacher": PartnerFactory(
            town=town,
            area=area_a,
            name="教师丁",
            profession="教师",
            modes=["education", "planning"],
            skills=["儿童教育"],
            weekend_day=True,
        ),
        "photographer": PartnerFactory(
            town=town,
            area=far,
            name="摄影戊",
            profession="摄影师",
            modes=["media"],
            skills=["摄影", "视频剪辑"],
        ),
    }


def test_designer_in_the_area_ranks_first_with_reasons(crowd, town, area_a, area_b):
    need = Need(
        town_id=town.pk,
        modes=["planning"],
        skills=["手绘"],
        profession="设计师",
        area_id=area_a.pk,
        nearby_area_ids=[area_b.pk],
        at=SATURDAY_MORNING,
    )
    matches = rank_partners(need)
    assert names(matches)[:3] == ["设计师甲", "设计师乙", "教师丁"]
    best = matches[0]
    assert codes(best) == ["primary_mode", "skill", "profession", "same_area", "available"]
    assert best.score == sum(POINTS[c] for c in codes(best))
    # The teacher works in planning only as a secondary mode.
    assert "secondary_mode" in codes(matches[2])
    # The lawyer only lives next door: listed last. The photographer shares nothing.
    assert names(matches)[3] == "律师丙" and codes(matches[3]) == ["nearby_area", "available"]
    assert "摄影戊" not in names(matches)


def test_nearby_area_counts_less_than_the_same_area(crowd, town, area_a, area_b):
    need = Need(
        town_id=town.pk,
        modes=["governance", "education"],
        area_id=area_a.pk,
        nearby_area_ids=[area_b.pk],
    )
    matches = rank_partners(need)
    by_name = {m.partner.name: m for m in matches}
    assert "nearby_area" in codes(by_name["律师丙"])
    assert "same_area" in codes(by_name["教师丁"])


def test_committed_partners_are_left_out(crowd, town, area_a):
    designer = crowd["designer"]
    Commitment.objects.create(
        partner=designer,
        starts_at=SATURDAY_MORNING - timedelta(minutes=30),
        ends_at=SATURDAY_MORNING + timedelta(hours=1),
        what="世界咖啡馆桌长",
    )
    need = Need(town_id=town.pk, skills=["手绘"], area_id=area_a.pk, at=SATURDAY_MORNING)
    assert "设计师甲" not in names(rank_partners(need))
    # The next morning they are free again, but the upcoming commitment counts as load.
    later = Need(
        town_id=town.pk, skills=["手绘"], area_id=area_a.pk, at=SATURDAY_MORNING + timedelta(days=1)
    )
    matches = rank_partners(later)
    assert names(matches)[0] == "设计师甲"


def test_load_breaks_a_tie(town, area_a):
    busy = PartnerFactory(town=town, area=area_a, name="甲", modes=["media"], skills=["摄影"])
    PartnerFactory(town=town, area=area_a, name="乙", modes=["media"], skills=["摄影"])
    from django.utils import timezone

    soon = timezone.now() + timedelta(days=2)
    for i in range(2):
        Commitment.objects.create(
            partner=busy,
            starts_at=soon + timedelta(days=i),
            ends_at=soon + timedelta(days=i, hours=2),
            what="x",
        )
    matches = rank_partners(Need(town_id=town.pk, skills=["摄影"]))
    assert names(matches) == ["乙", "甲"]
    assert matches[1].score == matches[0].score + 2 * POINTS["load"]
    assert "load" in codes(matches[1])


def test_team_memberships_count_as_load(town, area_a, people):
    from gongzhi.organisations.services import add_member, create_team

    a = PartnerFactory(town=town, area=area_a, name="甲", modes=["media"])
    PartnerFactory(town=town, area=area_a, name="乙", modes=["media"])
    team = create_team(
        town=town, actor=people["secretariat"], name="媒体队", basis="group", group_name="组"
    )
    add_member(unit=team, partner=a, role="member", actor=people["secretariat"])
    assert names(rank_partners(Need(town_id=town.pk, modes=["media"]))) == ["乙", "甲"]


def test_paused_partners_and_other_towns_are_never_suggested(crowd, town, other_town):
    crowd["designer"].status = PartnerStatus.PAUSED
    crowd["designer"].save()
    PartnerFactory(
        area=AreaFactory(town=other_town), name="外镇设计师", modes=["planning"], skills=["手绘"]
    )
    matches = rank_partners(Need(town_id=town.pk, skills=["手绘"]))
    assert names(matches) == ["设计师乙"]


def test_availability_uses_the_slot_of_the_time(crowd, town):
    assert Slot.of(SATURDAY_MORNING) == Slot.WEEKEND_DAY
    assert Slot.of(datetime(2026, 11, 25, 19, 0, tzinfo=SHANGHAI)) == Slot.WEEKDAY_EVENING
    evening = Need(
        town_id=town.pk, skills=["手绘"], at=datetime(2026, 11, 25, 19, 0, tzinfo=SHANGHAI)
    )
    matches = rank_partners(evening)
    assert names(matches)[0] == "设计师乙"
    assert "available" in codes(matches[0]) and "available" not in codes(matches[1])


def test_ranking_is_stable_and_limited(town, area_a):
    for i in range(30):
        PartnerFactory(town=town, area=area_a, name=f"同{i:02d}", modes=["media"])
    first = names(rank_partners(Need(town_id=town.pk, modes=["media"]), limit=10))
    assert first == [f"同{i:02d}" for i in range(10)]
    assert first == names(rank_partners(Need(town_id=town.pk, modes=["media"]), limit=10))


def test_match_page_shows_ranked_partners_with_reasons(client_for, crowd, town, area_a):
    client = client_for("area_staff")
    url = reverse("partners:match", args=[town.slug])
    response = client.get(url, {"skills": "手绘", "area": area_a.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("设计师甲") < html.index("设计师乙")
    assert "手绘" in html
    empty = client.get(url, {"skills": ""})
    assert empty.status_code == 400


def test_match_query_count_does_not_grow_with_partners(client_for, town, area_a):
    from gongzhi.core.testing import assert_constant_queries

    url = reverse("partners:match", args=[town.slug]) + "?modes=media"
    assert_constant_queries(
        client_for("secretariat"),
        url,
        lambda n: [
            PartnerFactory(town=town, area=area_a, modes=["media"], skills=["摄影"])
            for _ in range(n)
        ],
    )
