"""The 1+5+n organisation: constraints, services and pages."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import assert_constant_queries, assert_nothing_written
from gongzhi.organisations import services
from gongzhi.organisations.models import Membership, OrgUnit
from gongzhi.tests.factories import PartnerFactory


@pytest.fixture
def org(town, people):
    return services.set_up_organisation(town=town, actor=people["secretariat"])


def test_set_up_creates_one_secretariat_and_five_committees_idempotently(org, town, people):
    services.set_up_organisation(town=town, actor=people["secretariat"])
    units = OrgUnit.objects.filter(town=town)
    assert units.filter(kind="secretariat").count() == 1
    committees = units.filter(kind="committee")
    assert sorted(committees.values_list("mode", flat=True)) == [
        "education",
        "governance",
        "media",
        "planning",
        "think_tank",
    ]
    assert all(c.parent_id == org.pk for c in committees)


def test_a_sixth_committee_is_refused_by_service_and_by_the_database(org, town, people):
    with translation.override("en"), pytest.raises(DomainError, match="exactly five"):
        services.create_committee(
            town=town, actor=people["secretariat"], mode="media", name="第二媒体委员会"
        )
    with pytest.raises(DomainError):
        services.create_committee(
            town=town, actor=people["secretariat"], mode="sports", name="体育委员会"
        )
    # Even bypassing the services, the constraints hold.
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(town=town, kind="committee", mode="media", name="又一个")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(town=town, kind="committee", mode="", name="无模式委员会")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(town=town, kind="secretariat", name="第二秘书处")
    assert OrgUnit.objects.filter(town=town, kind="committee").count() == 5


def test_a_committee_missing_from_the_five_is_created_under_the_secretariat(org, town, people):
    """(Mutation testing found that no test created a committee through the service.)"""
    OrgUnit.objects.filter(town=town, kind="committee", mode="media").delete()
    committee = services.create_committee(
        town=town, actor=people["secretariat"], mode="media", name="社区媒体合伙人委员会"
    )
    committee.refresh_from_db()
    assert (committee.town, committee.kind, committee.mode, committee.name) == (
        town,
        "committee",
        "media",
        "社区媒体合伙人委员会",
    )
    assert committee.parent_id == org.pk
    event = AuditEvent.objects.filter(verb="orgunit.create", target_id=str(committee.pk)).get()
    assert event.actor == people["secretariat"]
    assert OrgUnit.objects.filter(town=town, kind="committee").count() == 5


def test_a_team_leader_and_parent_must_be_of_the_town(org, town, other_town, area_a, people):
    secretary = people["secretariat"]
    inactive = PartnerFactory(town=town, area=area_a, status="paused")
    stranger = PartnerFactory(town=other_town)
    foreign_parent = services.set_up_organisation(
        town=other_town, actor=people["other_secretariat"]
    )
    with assert_nothing_written():
        for leader in (inactive, stranger):
            with translation.override("en"), pytest.raises(DomainError, match="active partner"):
                services.create_team(
                    town=town, actor=secretary, name="某队", basis="leader", leader=leader
                )
        with translation.override("en"), pytest.raises(DomainError, match="another town"):
            services.create_team(
                town=town,
                actor=secretary,
                name="某队",
                basis="group",
                group_name="某组",
                parent=foreign_parent,
            )
    own_parent = OrgUnit.objects.get(town=town, kind="committee", mode="planning")
    team = services.create_team(
        town=town, actor=secretary, name="某队", basis="group", group_name="某组", parent=own_parent
    )
    assert team.parent_id == own_parent.pk


def test_a_team_needs_a_leader_or_a_group(org, town, people):
    with pytest.raises(DomainError):
        services.create_team(town=town, actor=people["secretariat"], name="无主队", basis="leader")
    with pytest.raises(DomainError):
        services.create_team(
            town=town, actor=people["secretariat"], name="无组队", basis="group", group_name=" "
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(town=town, kind="team", name="裸队", basis="leader")
    assert not OrgUnit.objects.filter(kind="team").exists()


def test_team_around_a_leader_makes_them_its_leader_member(org, town, area_a, people):
    leader = PartnerFactory(town=town, area=area_a, name="带头人")
    team = services.create_team(
        town=town,
        actor=people["secretariat"],
        name="逸景规划队",
        basis="leader",
        leader=leader,
        areas=[area_a],
    )
    membership = team.memberships.get()
    assert membership.partner == leader and membership.role == "leader"
    assert AuditEvent.objects.filter(verb="orgunit.create", target_id=str(team.pk)).exists()


def test_memberships_keep_history(org, town, area_a, people):
    partner = PartnerFactory(town=town, area=area_a)
    team = services.create_team(
        town=town, actor=people["secretariat"], name="队", basis="group", group_name="组"
    )
    first = services.add_member(
        unit=team, partner=partner, role="member", actor=people["secretariat"]
    )
    with translation.override("en"), pytest.raises(DomainError, match="already a member"):
        services.add_member(unit=team, partner=partner, role="deputy", actor=people["secretariat"])
    services.end_membership(membership=first, actor=people["secretariat"])
    with pytest.raises(DomainError):
        services.end_membership(membership=first, actor=people["secretariat"])
    again = services.add_member(
        unit=team, partner=partner, role="deputy", actor=people["secretariat"]
    )
    assert Membership.objects.filter(unit=team, partner=partner).count() == 2
    assert list(Membership.objects.current().filter(unit=team)) == [again]


def test_partner_of_another_town_cannot_join(org, town, other_town, people):
    from gongzhi.tests.factories import AreaFactory

    outsider = PartnerFactory(area=AreaFactory(town=other_town))
    team = services.create_team(
        town=town, actor=people["secretariat"], name="队", basis="group", group_name="组"
    )
    with pytest.raises(DomainError):
        services.add_member(unit=team, partner=outsider, role="member", actor=people["secretariat"])


def test_chart_and_unit_pages(client, org, town, area_a, people):
    leader = PartnerFactory(town=town, area=area_a, name="王带头")
    team = services.create_team(
        town=town, actor=people["secretariat"], name="花园队", basis="leader", leader=leader
    )
    chart = client.get(reverse("organisations:chart", args=[town.slug]))
    html = chart.content.decode()
    assert chart.status_code == 200
    assert "社区规划合伙人委员会" in html and "花园队" in html
    assert "王带头" not in html and "王**" in html  # names masked for the public
    unit = client.get(team.get_absolute_url())
    assert unit.status_code == 200 and "王**" in unit.content.decode()


def test_create_team_page(client_for, org, town, area_a):
    client = client_for("secretariat")
    url = reverse("organisations:create_team", args=[town.slug])
    with assert_nothing_written():
        bad = client.post(url, {"name": "新队", "basis": "leader"})
    assert bad.status_code == 400 and not OrgUnit.objects.filter(kind="team").exists()
    ok = client.post(
        url, {"name": "新队", "basis": "group", "group_name": "逸景小组", "areas": [area_a.pk]}
    )
    assert ok.status_code == 302
    assert OrgUnit.objects.get(kind="team").areas.get() == area_a


def test_area_staff_add_and_end_members_of_their_areas_team(
    client_for, org, town, area_a, area_b, people
):
    team_a = services.create_team(
        town=town,
        actor=people["secretariat"],
        name="A队",
        basis="group",
        group_name="A组",
        areas=[area_a],
    )
    team_b = services.create_team(
        town=town,
        actor=people["secretariat"],
        name="B队",
        basis="group",
        group_name="B组",
        areas=[area_b],
    )
    designer = PartnerFactory(town=town, area=area_a, profession="设计师", skills=["手绘"])
    client = client_for("area_staff")
    add = client.post(
        reverse("organisations:add_member", args=[town.slug, team_a.pk]),
        {"partner": designer.pk, "role": "member"},
    )
    assert add.status_code == 302
    membership = Membership.objects.get(unit=team_a, partner=designer)
    with assert_nothing_written():
        denied = client.post(
            reverse("organisations:add_member", args=[town.slug, team_b.pk]),
            {"partner": designer.pk, "role": "member"},
        )
    assert denied.status_code == 403
    assert not Membership.objects.filter(unit=team_b).exists()
    end = client.post(reverse("organisations:end_membership", args=[town.slug, membership.pk]))
    assert end.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == timezone.localdate()


def test_unit_match_suggests_and_excludes_current_members(client_for, org, town, area_a, people):
    team = services.create_team(
        town=town,
        actor=people["secretariat"],
        name="A队",
        basis="group",
        group_name="A组",
        areas=[area_a],
    )
    inside = PartnerFactory(town=town, area=area_a, name="已在队", profession="设计师")
    PartnerFactory(town=town, area=area_a, name="设计师新", profession="设计师", skills=["手绘"])
    services.add_member(unit=team, partner=inside, role="member", actor=people["secretariat"])
    response = client_for("area_staff").get(
        reverse("organisations:unit_match", args=[town.slug, team.pk]), {"profession": "设计师"}
    )
    html = response.content.decode()
    assert "设计师新" in html and "已在队" not in html
    assert reverse("organisations:add_member", args=[town.slug, team.pk]) in html


def test_unit_page_query_count_is_constant(client, org, town, area_a, people):
    team = services.create_team(
        town=town, actor=people["secretariat"], name="大队", basis="group", group_name="组"
    )

    def make(n):
        partners = PartnerFactory.create_batch(n, town=town, area=area_a)
        for partner in partners:
            services.add_member(
                unit=team, partner=partner, role="member", actor=people["secretariat"]
            )
        return partners

    assert_constant_queries(client, team.get_absolute_url(), make)


def test_chart_query_count_is_constant(client, org, town, people):
    counter = iter(range(1000))

    def make(n):
        return [
            services.create_team(
                town=town,
                actor=people["secretariat"],
                name=f"队{next(counter)}",
                basis="group",
                group_name="组",
            )
            for _ in range(n)
        ]

    assert_constant_queries(client, reverse("organisations:chart", args=[town.slug]), make)


def test_membership_cannot_end_before_it_starts(org, town, area_a, people):
    staff = people["secretariat"]
    team = services.create_team(town=town, actor=staff, name="队", basis="group", group_name="组")
    m = services.add_member(
        unit=team, partner=PartnerFactory(town=town, area=area_a), role="member", actor=staff
    )
    with pytest.raises(DomainError):
        services.end_membership(
            membership=m, actor=staff, end_date=m.start_date - timedelta(days=1)
        )
