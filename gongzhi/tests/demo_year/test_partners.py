"""The demo talent pool and organisation (seed_demo): counts, spread, idempotence."""

from collections import Counter

from gongzhi.demo import partners as partners_demo
from gongzhi.organisations.models import Membership, OrgUnit, UnitKind
from gongzhi.partners.models import (
    Application,
    ApplicationStatus,
    Channel,
    Mode,
    Partner,
    PartyStatus,
    Recommendation,
    RecommendationStatus,
)
from gongzhi.places.models import RoleGrant


def test_93_partners_over_five_modes_and_32_areas(town, demo_year):
    partners = list(Partner.objects.filter(town=town).for_directory())
    assert len(partners) == 93
    primary = Counter(p.primary_mode for p in partners)
    assert set(primary) == set(Mode.values)
    assert all(15 <= n <= 25 for n in primary.values()), primary
    assert {p.area_id for p in partners} == set(town.areas.values_list("pk", flat=True))
    assert town.areas.count() == 32
    professions = {p.profession for p in partners}
    for wanted in ["医生", "教师", "律师", "设计师", "退休职工", "规划师", "社工", "摄影师"]:
        assert wanted in professions
    party = Counter(p.party_status for p in partners)
    assert party[PartyStatus.DUAL_REGISTERED] == 20
    assert party[PartyStatus.MEMBER] > 0 and party[PartyStatus.NONE] > 50
    assert all(p.skills.all() and p.availability for p in partners)
    # Every partner came through an accepted application and holds the partner role.
    assert all(p.application.status == ApplicationStatus.ACCEPTED for p in partners)
    assert RoleGrant.objects.filter(town=town, role="partner").count() == 93
    assert set(Partner.objects.values_list("application__channel", flat=True)) == set(
        Channel.values
    )
    assert "93 partners" in demo_year.out


def test_demo_partner_login_is_a_planner(town):
    wang = Partner.objects.get(town=town, user__phone=partners_demo.DEMO_PARTNER_PHONE)
    assert wang.primary_mode == Mode.PLANNING
    assert wang.user.has_usable_password()
    assert wang.led_teams.exists()
    # The other applicants cannot log in.
    others = Partner.objects.filter(town=town).exclude(pk=wang.pk)
    assert not any(p.user.has_usable_password() for p in others.select_related("user"))


def test_queue_and_neighbours(town):
    applications = Application.objects.filter(town=town)
    assert applications.filter(status=ApplicationStatus.SUBMITTED).count() == 5
    assert applications.filter(status=ApplicationStatus.MORE_INFO).count() == 1
    assert applications.filter(status=ApplicationStatus.DECLINED).count() == 1
    pending = Recommendation.objects.filter(town=town, status=RecommendationStatus.PENDING)
    assert pending.count() == 3
    assert town.areas.get(code="02").neighbours.count() == 2


def test_organisation_one_five_n(town):
    units = OrgUnit.objects.filter(town=town)
    assert units.filter(kind=UnitKind.SECRETARIAT).count() == 1
    assert units.filter(kind=UnitKind.COMMITTEE).count() == 5
    teams = units.filter(kind=UnitKind.TEAM)
    assert teams.count() == 12
    assert teams.filter(basis="group").exists() and teams.filter(basis="leader").exists()
    for unit in units:
        assert unit.memberships.current().exists(), unit
    for team in teams:
        assert 3 <= team.memberships.count() <= 8, team
        assert team.areas.exists()
    for committee in units.filter(kind=UnitKind.COMMITTEE):
        modes = {m.partner.primary_mode for m in committee.memberships.select_related("partner")}
        assert modes == {committee.mode}
    assert Membership.objects.filter(unit__town=town, end_date__isnull=False).count() == 3
