"""The published combination of jury and public vote, on generated cases."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.contests.results import compute_results

MAX_TOTAL = 100

weights = st.integers(min_value=0, max_value=100).map(lambda j: (j, 100 - j))
entries = st.dictionaries(
    st.integers(min_value=1, max_value=10_000),
    st.lists(st.integers(min_value=0, max_value=MAX_TOTAL), max_size=7),
    min_size=1,
    max_size=12,
)
vote_counts = st.lists(st.integers(min_value=0, max_value=500), min_size=12, max_size=12)


def run(judge_totals, votes, jury_public):
    jury, public = jury_public
    return compute_results(
        judge_totals=judge_totals,
        max_total=MAX_TOTAL,
        votes=votes,
        jury_weight=jury,
        public_weight=public,
    )


def as_votes(judge_totals, counts):
    return {pk: counts[i] for i, pk in enumerate(sorted(judge_totals))}


@given(entries, vote_counts, weights)
def test_combined_scores_lie_between_0_and_100_and_are_sorted(judge_totals, counts, jp):
    results = run(judge_totals, as_votes(judge_totals, counts), jp)
    assert {r.entry_id for r in results} == set(judge_totals)
    assert all(0 <= r.combined <= 100 + 1e-9 for r in results)
    assert [r.combined for r in results] == sorted((r.combined for r in results), reverse=True)


@given(entries, vote_counts, weights)
def test_vote_shares_add_up_to_one_when_anyone_voted(judge_totals, counts, jp):
    votes = as_votes(judge_totals, counts)
    results = run(judge_totals, votes, jp)
    total = sum(r.vote_share for r in results)
    assert total == pytest.approx(1.0 if sum(votes.values()) else 0.0)
    public_part = sum(r.combined - jp[0] * r.jury_share for r in results)
    assert public_part == pytest.approx(jp[1] if sum(votes.values()) else 0.0, abs=1e-6)


@given(entries, vote_counts, weights, st.data())
def test_one_more_vote_never_lowers_an_entry(judge_totals, counts, jp, data):
    votes = as_votes(judge_totals, counts)
    favourite = data.draw(st.sampled_from(sorted(judge_totals)))
    before = {r.entry_id: r.combined for r in run(judge_totals, votes, jp)}
    after = {
        r.entry_id: r.combined
        for r in run(judge_totals, {**votes, favourite: votes[favourite] + 1}, jp)
    }
    assert after[favourite] >= before[favourite] - 1e-9


@given(entries, vote_counts)
def test_with_the_jury_alone_the_ranking_follows_the_jury_average(judge_totals, counts):
    results = run(judge_totals, as_votes(judge_totals, counts), (100, 0))
    averages = [r.jury_average for r in results]
    assert averages == sorted(averages, reverse=True)


def test_a_worked_example():
    results = compute_results(
        judge_totals={1: [70, 70], 2: [90, 90], 3: []},
        max_total=100,
        votes={1: 3, 2: 1},
        jury_weight=70,
        public_weight=30,
    )
    assert [(r.entry_id, str(r.combined_display)) for r in results] == [
        (1, "71.50"),
        (2, "70.50"),
        (3, "0.00"),
    ]
