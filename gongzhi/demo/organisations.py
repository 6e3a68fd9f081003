"""Demo "1+5+n" organisation for 高境镇: the secretariat, the five committees and a
dozen teams, staffed from the demo talent pool (gongzhi.demo.partners).

Everything goes through the services, so each unit and membership has its audit
event. Idempotent: when the town already has teams, nothing happens.
"""

import random
from datetime import date, timedelta

from django.db import transaction

from gongzhi.organisations import services
from gongzhi.organisations.models import MemberRole, Membership, OrgUnit, TeamBasis, UnitKind
from gongzhi.partners.models import Mode, Partner

DEMO_PARTNER_PHONE = "13800000002"
ORGANISED_ON = date(2023, 12, 1)  # when the 1+5+n structure was set up
ENDED_ON = date(2025, 6, 30)  # the memberships that ended, to show history

# Teams formed around a planning leader: what they work on (the kinds of sites the
# programme renewed). The first is led by 王合伙人, the others by planners elsewhere.
LEADER_TEAMS = [
    ("“一客一厅”共创团队", "在逸致议事厅和站长工作室组织居民议事，推动楼道和转角的微更新。"),
    ("社区花园营造团队", "和居民一起设计、种植和维护社区花园，开展“小小园艺师”活动。"),
    ("旧墙新颜团队", "组织居民共同设计围墙彩绘，让旧墙换新颜。"),
    ("凉亭楼道微更新团队", "改造凉亭和楼道，增加座椅、照明和便民挂钩。"),
    ("社区门头设计团队", "征集居民意见，共同设计社区门头和导视牌。"),
    ("路边小景营造团队", "把路边的边角地改造成可以停留的小景。"),
    ("便民设施共建团队", "调研居民需求，增设晾衣架、休息座椅等便民设施。"),
    ("适老化改造团队", "为老年居民出行和休憩做适老化微改造。"),
    ("儿童友好空间团队", "和孩子们一起设计游戏角落和自然教育空间。"),
]
# Teams formed around a community planning group (社区规划小组): (area index, team).
GROUP_TEAMS = [
    (0, "逸景佳苑议事厅共建团队", "依托逸景佳苑社区规划小组，组织多稿设计和居民参与设计。"),
    (11, "第十二居民区微更新共创团队", "依托社区规划小组，推进居民区微更新点位的方案征集。"),
    (25, "第二十六居民区睦邻规划团队", "依托社区规划小组，开展社区调研和居民访谈。"),
]


def _partners_by_mode(town) -> dict[str, list[Partner]]:
    by_mode = {mode: [] for mode in Mode}
    for partner in Partner.objects.filter(town=town).for_directory().order_by("pk"):
        by_mode[partner.primary_mode].append(partner)
    return by_mode


def _neighbourhood(area) -> set[int]:
    return {area.pk, *area.neighbours.values_list("pk", flat=True)}


@transaction.atomic
def seed(town, actor) -> bool:
    """Set up the organisation of ``town`` and staff it; False when already done."""
    if OrgUnit.objects.filter(town=town, kind=UnitKind.TEAM).exists():
        return False
    rng = random.Random(2023)
    secretariat = services.set_up_organisation(town=town, actor=actor)
    by_mode = _partners_by_mode(town)
    if not all(by_mode.values()):
        return False  # no talent pool to staff it from
    committees = {
        unit.mode: unit for unit in OrgUnit.objects.filter(town=town, kind=UnitKind.COMMITTEE)
    }

    def join(unit, partner, role, start=ORGANISED_ON):
        return services.add_member(
            unit=unit, partner=partner, role=role, actor=actor, start_date=start
        )

    # Committees: one head, one deputy and four to six members of the same mode.
    # Planners other than 王合伙人 are kept for the team leaders below.
    wang = next(p for p in by_mode[Mode.PLANNING] if p.user.phone == DEMO_PARTNER_PHONE)
    replaced = None
    for mode, unit in committees.items():
        pool = [p for p in by_mode[mode] if p != wang]
        head, deputy, *rest = pool
        join(unit, head, MemberRole.HEAD)
        deputy_membership = join(unit, deputy, MemberRole.DEPUTY)
        for partner in rest[: rng.randint(4, 6)]:
            join(unit, partner, MemberRole.MEMBER)
        if mode == Mode.GOVERNANCE:
            # (the last ones of the pool sit on the secretariat)
            replaced = (unit, deputy_membership, rest[6])
    # The governance committee changed its deputy in 2025: the old term is history.
    unit, old_deputy, new_deputy = replaced
    services.end_membership(membership=old_deputy, actor=actor, end_date=ENDED_ON)
    join(unit, new_deputy, MemberRole.DEPUTY, start=ENDED_ON + timedelta(days=1))

    # Secretariat: think-tank and governance partners who lead no committee.
    heads = set(
        Membership.objects.filter(unit__in=committees.values(), role=MemberRole.HEAD).values_list(
            "partner_id", flat=True
        )
    )
    think_tank = [p for p in by_mode[Mode.THINK_TANK] if p.pk not in heads]
    governance = [p for p in by_mode[Mode.GOVERNANCE] if p.pk not in heads]
    join(secretariat, think_tank[-1], MemberRole.HEAD)
    join(secretariat, governance[-1], MemberRole.DEPUTY)
    for partner in [think_tank[-2], think_tank[-3], governance[-2]]:
        join(secretariat, partner, MemberRole.MEMBER)

    # Teams: most around a planning leader, three around a planning group; each
    # covers its home area and a neighbour, and draws people from around there.
    everyone = [p for partners in by_mode.values() for p in partners]
    leaders = [wang] + [p for p in by_mode[Mode.PLANNING] if p != wang]
    used_areas = set()
    plans = []
    for title, description in LEADER_TEAMS:
        leader = next(p for p in leaders if p.area_id not in used_areas)
        leaders.remove(leader)
        used_areas.add(leader.area_id)
        plans.append((leader, leader.area, f"{leader.area.name}{title}", description))
    areas = {a.code: a for a in town.areas.all()}
    for index, name, description in GROUP_TEAMS:
        plans.append((None, areas[f"{index + 1:02d}"], name, description))

    teams = []
    for number, (leader, home, name, description) in enumerate(plans):
        nearby = _neighbourhood(home)
        team_areas = [home, *home.neighbours.order_by("code")[:1]]
        start = date(2024, 3, 1) + timedelta(days=14 * number)
        if leader is not None:
            team = services.create_team(
                town=town,
                actor=actor,
                name=name,
                basis=TeamBasis.LEADER,
                leader=leader,
                areas=team_areas,
                description=description,
            )
            Membership.objects.filter(unit=team, partner=leader).update(start_date=start)
        else:
            team = services.create_team(
                town=town,
                actor=actor,
                name=name,
                basis=TeamBasis.GROUP,
                group_name=f"{home.name}社区规划小组",
                areas=team_areas,
                description=description,
            )
        close = [p for p in everyone if p.area_id in nearby and p != leader]
        far = [p for p in everyone if p.area_id not in nearby]
        size = rng.randint(3, 8) - (1 if leader else 0)
        chosen = rng.sample(close, min(size, len(close)))
        chosen += rng.sample(far, size - len(chosen))
        for i, partner in enumerate(chosen):
            join(team, partner, MemberRole.DEPUTY if i == 0 else MemberRole.MEMBER, start)
        teams.append(team)

    # Two people left the two biggest teams in 2025: their memberships stay as history.
    biggest = sorted(teams, key=lambda t: (-t.memberships.count(), t.pk))[:2]
    for team in biggest:
        last = team.memberships.filter(role=MemberRole.MEMBER).order_by("-pk").first()
        services.end_membership(membership=last, actor=actor, end_date=ENDED_ON)
    return True
