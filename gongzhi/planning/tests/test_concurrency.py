"""Starting processes and taking a proposal into a plan under concurrent requests
(PostgreSQL only): each area gets one active process however many starts arrive at
once, and a proposal is taken in once while its supporters follow the plan."""

import pytest

from gongzhi.core.models import AuditEvent
from gongzhi.core.services import verify_audit_chain
from gongzhi.core.testing import all_at_once, into_a_held_write
from gongzhi.planning import services
from gongzhi.planning.models import Follower, PlanningProcess, StepRun
from gongzhi.planning.tests.builders import process_at_step
from gongzhi.proposals.models import ProposalStatus
from gongzhi.proposals.tests.builders import proposal_at
from gongzhi.tests.factories import AreaFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgresql_only"),
]


def test_concurrent_starts_leave_one_active_process_per_area(people, town, area_a, area_b):
    """Four starts per area at the same instant: all pass the service's check before
    any commits, so the constraint one_active_process_per_area decides, and the
    losers get the check's message instead of a 500."""
    secretariat = people["secretariat"]
    services.ensure_default_template()
    areas = [area_a, area_b, AreaFactory(town=town)]
    attempts = [(area, n) for n in range(4) for area in areas]

    def start(attempt):
        area, n = attempt
        services.start_process(town=town, area=area, actor=secretariat, title=f"第{n + 1}次启动")

    outcomes = all_at_once(start, attempts)
    assert outcomes.count("ok") == len(areas)
    assert outcomes.count("refused") == len(attempts) - len(areas)
    for area in areas:
        assert PlanningProcess.objects.filter(area=area).count() == 1
    assert StepRun.objects.count() == len(areas)
    assert AuditEvent.objects.filter(verb="planning.start").count() == len(areas)
    assert verify_audit_chain() is None


def adopted_proposal(town, area, supporters: int):
    adopted, author, users = proposal_at(
        ProposalStatus.ADOPTED, town=town, area=area, supporters=supporters
    )
    return adopted, [author, *users]


def test_a_proposal_is_taken_in_once_while_its_supporters_follow(people, town, area_a):
    """Two staff take the same adopted proposal into the plan while its author, its
    supporters and a neighbour press "follow": it is taken in once, by one of them,
    and everyone follows once.

    A follow() in flight when the take-in starts holds the process row (the
    follower's foreign key), so the take-in waits and then sees that follower; a
    follow() after the take-in locked the process waits for it. Hence the first case
    below, made certain: the take-in runs into a follow that has not committed."""
    process = process_at_step(3, town=town, area=area_a, actor=people["secretariat"])
    first, (author, early, *others) = adopted_proposal(town, area_a, supporters=3)

    def take_in(proposal, actor):
        services.take_in_proposal(process=process, proposal=proposal, actor=actor)

    outcome = into_a_held_write(
        lambda: services.follow(process=process, user=early),
        lambda: take_in(first, people["area_staff"]),
    )
    assert outcome == "ok"
    following = Follower.objects.filter(process=process).values_list("user", flat=True)
    assert sorted(following) == sorted(user.pk for user in (author, early, *others))

    second, people_of_second = adopted_proposal(town, area_a, supporters=6)
    neighbour = UserFactory(residential_area=area_a)
    staff = [people["area_staff"], people["secretariat"]]
    followers = [*people_of_second, neighbour]

    def act(who):
        if who in staff:
            take_in(second, who)
        else:
            services.follow(process=process, user=who)

    outcomes = all_at_once(act, [*staff, *followers])
    assert sorted(outcomes[:2]) == ["ok", "refused"]
    assert outcomes[2:] == ["ok"] * len(followers)
    assert sorted(process.proposals.values_list("pk", flat=True)) == [first.pk, second.pk]
    assert AuditEvent.objects.filter(verb="planning.proposal").count() == 2
    following = Follower.objects.filter(process=process).values_list("user", flat=True)
    everyone = {author, early, *others, *followers}
    assert sorted(following) == sorted(user.pk for user in everyone)
