"""Supports arriving at the same instant are counted exactly, and merges crossing each
other do not deadlock (PostgreSQL only)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.core.testing import all_at_once
from gongzhi.proposals import services
from gongzhi.proposals.models import Proposal, ProposalStatus, StatusChange, Support
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.tests.factories import AreaFactory, RoleGrantFactory, TownFactory, UserFactory

THREADS = 16
PEOPLE = 120
TWICE = 24  # of them press "support" a second time at the same moment
THRESHOLD = 50


@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_are_counted_exactly_and_review_starts_once():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises every writer, so requests never "
            "overlap and the row lock under test is not exercised"
        )
    town = TownFactory()
    area = AreaFactory(town=town)
    proposal = services.submit_proposal(
        town=town,
        author=UserFactory(),
        area=area,
        title="楼道加装扶手",
        description="老人上下楼不方便，希望在楼道加装扶手。",
        category="facilities",
    )
    secretariat = RoleGrantFactory(town=town, role="secretariat").user
    services.update_settings(
        town=town, actor=secretariat, support_threshold=THRESHOLD, authors_may_support=False
    )
    users = UserFactory.create_batch(PEOPLE)
    # Each repeat is next to its first attempt, so both are in flight together.
    attempts = []
    for n, user in enumerate(users):
        attempts.append(user)
        if n < TWICE:
            attempts.append(user)

    def press(user):
        services.support_proposal(proposal=proposal, user=user)

    outcomes = all_at_once(press, attempts, threads=THREADS)

    assert outcomes.count("ok") == PEOPLE
    assert outcomes.count("refused") == TWICE
    assert services.support_count(proposal) == PEOPLE
    assert Support.objects.filter(proposal=proposal).count() == PEOPLE
    assert Proposal.objects.get(pk=proposal.pk).support_count == PEOPLE
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    changes = StatusChange.objects.filter(proposal=proposal)
    assert changes.count() == 1
    assert changes.get().to_status == ProposalStatus.UNDER_REVIEW


@pytest.mark.django_db(transaction=True)
def test_crossing_merges_do_not_deadlock():
    """Staff merge A into B while a colleague merges B into A: one merge wins, the
    other is refused with a message. Locking the two rows one after the other, in the
    order given, deadlocked here (a 500)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer")
    town = TownFactory()
    area = AreaFactory(town=town)
    staff = [RoleGrantFactory(town=town, role="secretariat").user for _n in range(2)]

    def proposal(title):
        return make_proposal(town=town, area=area, title=title, description="楼道照明不足。")

    for _round in range(3):
        first, second = proposal("楼道加装声控灯"), proposal("楼道照明改造")

        def merge(pair):
            (merged, into), actor = pair
            services.merge(proposal=merged, into=into, actor=actor, reason="重复")

        outcomes = all_at_once(merge, [((first, second), staff[0]), ((second, first), staff[1])])
        assert sorted(outcomes) == ["ok", "refused"]
        statuses = set(
            Proposal.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
        )
        assert ProposalStatus.MERGED in statuses and len(statuses) == 2


@pytest.mark.django_db(transaction=True)
def test_merge_locks_both_proposals_in_one_ordered_statement():
    """The two rows are locked by one SELECT … FOR UPDATE ordered by pk, so crossing
    merges queue instead of each holding one row and waiting for the other."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks")
    town = TownFactory()
    area = AreaFactory(town=town)
    actor = RoleGrantFactory(town=town, role="secretariat").user
    made = [
        make_proposal(town=town, area=area, title=title, description="楼道照明不足。")
        for title in ("楼道加装声控灯", "楼道照明改造")
    ]
    with CaptureQueriesContext(connection) as ctx:
        services.merge(proposal=made[1], into=made[0], actor=actor)
    locks = [
        q["sql"]
        for q in ctx.captured_queries
        if "FOR UPDATE" in q["sql"] and 'FROM "proposals_proposal"' in q["sql"]
    ]
    assert len(locks) == 1, locks
    assert 'ORDER BY "proposals_proposal"."id" ASC' in locks[0]
