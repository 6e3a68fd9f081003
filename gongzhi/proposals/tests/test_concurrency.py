"""Supports arriving at the same instant are counted exactly (PostgreSQL only)."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from gongzhi.core.errors import DomainError
from gongzhi.factories import AreaFactory, TownFactory, UserFactory
from gongzhi.proposals import services
from gongzhi.proposals.models import Proposal, ProposalStatus, StatusChange, Support

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
    services.update_settings(
        town=town, actor=None, support_threshold=THRESHOLD, authors_may_support=False
    )
    users = UserFactory.create_batch(PEOPLE)
    # Each repeat is next to its first attempt, so both are in flight together.
    attempts = []
    for n, user in enumerate(users):
        attempts.append(user)
        if n < TWICE:
            attempts.append(user)
    barrier = threading.Barrier(THREADS)

    def press(user):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            try:
                services.support_proposal(proposal=proposal, user=user)
                return "ok"
            except DomainError:
                return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(press, attempts))

    assert outcomes.count("ok") == PEOPLE
    assert outcomes.count("refused") == TWICE
    assert services.support_count(proposal) == PEOPLE
    assert Support.objects.filter(proposal=proposal).count() == PEOPLE
    assert Proposal.objects.with_counts().get(pk=proposal.pk).support_count == PEOPLE
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    changes = StatusChange.objects.filter(proposal=proposal)
    assert changes.count() == 1
    assert changes.get().to_status == ProposalStatus.UNDER_REVIEW
