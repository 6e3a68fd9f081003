"""The decision rules (decisions.py) on generated cases and on worked examples.

The reference for every property is exact arithmetic with ``Fraction``: the rules
must agree with "2/3", "3/4" and "more than half" read literally, with no rounding,
for integers and for floor areas given to the hundredth of a square metre.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import assume, example, given
from hypothesis import strategies as st

from gongzhi.meetings import decisions
from gongzhi.meetings.decisions import OwnersCount, Tally

counts = st.integers(min_value=0, max_value=10_000)
positive = st.integers(min_value=1, max_value=10_000)
# Floor areas as entered: up to ten million m², to the hundredth.
areas = st.decimals(
    min_value=Decimal("0.01"),
    max_value=Decimal("10000000.00"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def share(part, whole) -> Fraction:
    return Fraction(part) / Fraction(whole)


@st.composite
def owners_counts(draw):
    """Consistent art. 278 figures: yes within participating within the total."""
    total_owners = draw(positive)
    participating_owners = draw(st.integers(min_value=0, max_value=total_owners))
    yes_owners = draw(st.integers(min_value=0, max_value=participating_owners))
    total_area = draw(areas)
    cents = int(total_area * 100)
    participating_cents = draw(st.integers(min_value=0, max_value=cents))
    yes_cents = draw(st.integers(min_value=0, max_value=participating_cents))
    return OwnersCount(
        total_area=total_area,
        total_owners=total_owners,
        participating_area=Decimal(participating_cents) / 100,
        participating_owners=participating_owners,
        yes_area=Decimal(yes_cents) / 100,
        yes_owners=yes_owners,
    )


def reference_take_part(c: OwnersCount) -> bool:
    return share(c.participating_area, c.total_area) >= Fraction(2, 3) and share(
        c.participating_owners, c.total_owners
    ) >= Fraction(2, 3)


def reference_pass(c: OwnersCount, major: bool) -> bool:
    if not reference_take_part(c):
        return False
    area, heads = (
        share(c.yes_area, c.participating_area),
        share(c.yes_owners, c.participating_owners),
    )
    if major:
        return area >= Fraction(3, 4) and heads >= Fraction(3, 4)
    return area > Fraction(1, 2) and heads > Fraction(1, 2)


# --- Simple majority -----------------------------------------------------------------


@given(counts, counts, counts)
def test_majority_passes_iff_more_yes_than_no(yes, no, abstain):
    tally = Tally(yes, no, abstain)
    assert decisions.majority_passes(tally) is (yes > no)
    assert decisions.decide_majority(tally).passed is (yes > no)


@given(counts, counts, counts, counts)
def test_abstentions_never_change_the_result(yes, no, abstain, other_abstain):
    assert decisions.majority_passes(Tally(yes, no, abstain)) == decisions.majority_passes(
        Tally(yes, no, other_abstain)
    )


@given(counts, counts)
def test_a_tie_fails_and_says_so(votes, abstain):
    outcome = decisions.decide_majority(Tally(votes, votes, abstain))
    assert not outcome.passed
    assert (
        outcome.explanation == decisions.decide_majority(Tally(votes, votes, abstain)).explanation
    )


@given(counts, counts, counts)
def test_more_yes_never_turns_a_pass_into_a_fail(yes, no, abstain):
    before = decisions.majority_passes(Tally(yes, no, abstain))
    # One more person votes yes; an abstainer changes to yes; a no changes to yes.
    assert decisions.majority_passes(Tally(yes + 1, no, abstain)) >= before
    if abstain:
        assert decisions.majority_passes(Tally(yes + 1, no, abstain - 1)) >= before
    if no:
        assert decisions.majority_passes(Tally(yes + 1, no - 1, abstain)) >= before


def test_majority_examples():
    assert decisions.decide_majority(Tally(5, 4, 10)).passed  # abstentions don't count
    assert not decisions.decide_majority(Tally(4, 4, 1)).passed  # a tie fails
    assert not decisions.decide_majority(Tally(0, 0, 7)).passed  # nobody for it
    assert not decisions.decide_majority(Tally(3, 5, 0)).passed
    assert "5" in decisions.decide_majority(Tally(5, 4, 10)).explanation


# --- Quorum --------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=0, max_value=100_000))
def test_quorum_is_more_than_half_of_members(members, present):
    assert decisions.quorum_met(members=members, present=present) is (
        members > 0 and share(present, max(members, 1)) > Fraction(1, 2)
    )


@given(positive, st.integers(min_value=0, max_value=10_000))
def test_quorum_is_monotone_in_those_present(members, present):
    if decisions.quorum_met(members=members, present=present):
        assert decisions.quorum_met(members=members, present=present + 1)


@pytest.mark.parametrize(
    "members, present, met",
    [
        (9, 5, True),  # 5 of 9 is more than half
        (9, 4, False),
        (10, 5, False),  # exactly half is not more than half
        (10, 6, True),
        (1, 1, True),
        (1, 0, False),
        (0, 0, False),  # a meeting without members has no quorum
        (0, 3, False),
    ],
)
def test_quorum_examples(members, present, met):
    assert decisions.quorum_met(members=members, present=present) is met


# --- Owners' decisions (Civil Code art. 278) -----------------------------------------


def owners(
    total_owners=9,
    participating_owners=9,
    yes_owners=0,
    total_area="900.00",
    participating_area="900.00",
    yes_area="0",
):
    return OwnersCount(
        total_area=Decimal(total_area),
        total_owners=total_owners,
        participating_area=Decimal(participating_area),
        participating_owners=participating_owners,
        yes_area=Decimal(yes_area),
        yes_owners=yes_owners,
    )


@given(owners_counts())
def test_take_part_is_exactly_two_thirds_of_area_and_of_owners(count):
    assert decisions.owners_take_part(count) is reference_take_part(count)


@given(owners_counts(), st.booleans())
def test_owners_pass_is_exactly_the_threshold_of_both(count, major):
    assert decisions.owners_pass(count, major=major) is reference_pass(count, major)
    assert decisions.decide_owners(count, major=major).passed is reference_pass(count, major)


@given(owners_counts())
def test_a_major_item_passing_also_passes_as_ordinary(count):
    # 3/4 or more is always more than half (a participating share of zero aside,
    # which the 2/3 participation already excludes).
    if decisions.owners_pass(count, major=True):
        assert decisions.owners_pass(count, major=False)


@given(owners_counts(), st.booleans(), st.integers(min_value=0, max_value=50))
def test_more_owners_for_it_never_turns_a_pass_into_a_fail(count, major, extra):
    before = decisions.owners_pass(count, major=major)
    more_heads = min(count.participating_owners, count.yes_owners + extra)
    more_area = min(count.participating_area, count.yes_area + Decimal(extra) * 10)
    after = OwnersCount(
        total_area=count.total_area,
        total_owners=count.total_owners,
        participating_area=count.participating_area,
        participating_owners=count.participating_owners,
        yes_area=more_area,
        yes_owners=more_heads,
    )
    assert decisions.check_owners_count(after) is None
    assert decisions.owners_pass(after, major=major) >= before


@pytest.mark.parametrize(
    "participating, takes_part",
    [(6, True), (5, False), (9, True), (7, True), (0, False)],
)
def test_two_thirds_of_nine_owners_is_six(participating, takes_part):
    count = owners(participating_owners=participating, yes_owners=participating)
    assert decisions.owners_take_part(count) is takes_part


@pytest.mark.parametrize(
    "participating_area, takes_part",
    [("600.00", True), ("599.99", False), ("600.01", True), ("900.00", True)],
)
def test_two_thirds_of_the_floor_area_to_the_hundredth(participating_area, takes_part):
    count = owners(participating_area=participating_area, yes_area=participating_area)
    assert decisions.owners_take_part(count) is takes_part


def test_two_thirds_of_an_area_that_does_not_divide_evenly():
    # 2/3 of 1000.00 m² is 666.666...: 666.66 is short of it, 666.67 is enough.
    short = owners(total_area="1000.00", participating_area="666.66", yes_area="666.66")
    enough = owners(total_area="1000.00", participating_area="666.67", yes_area="666.67")
    assert not decisions.owners_take_part(short)
    assert decisions.owners_take_part(enough)


def test_both_area_and_headcount_must_take_part():
    only_heads = owners(participating_owners=9, participating_area="500.00")
    only_area = owners(participating_owners=5, participating_area="900.00")
    assert not decisions.owners_take_part(only_heads)
    assert not decisions.owners_take_part(only_area)


@pytest.mark.parametrize(
    "yes_owners, yes_area, passes",
    [
        # 8 participating owners with 800 m²: 3/4 is 6 owners and 600 m².
        (6, "600.00", True),
        (5, "600.00", False),
        (6, "599.99", False),
        (8, "800.00", True),
        (7, "650.00", True),
    ],
)
def test_a_major_item_needs_three_quarters_of_both(yes_owners, yes_area, passes):
    count = owners(
        participating_owners=8,
        participating_area="800.00",
        yes_owners=yes_owners,
        yes_area=yes_area,
    )
    assert decisions.owners_take_part(count)
    assert decisions.owners_pass(count, major=True) is passes


@pytest.mark.parametrize(
    "yes_owners, yes_area, passes",
    [
        # 8 participating owners with 800 m²: more than half is 5 owners and 400.01 m².
        (5, "400.01", True),
        (4, "500.00", False),  # exactly half of the owners is not more than half
        (5, "400.00", False),  # exactly half of the area neither
        (8, "800.00", True),
    ],
)
def test_an_ordinary_item_needs_more_than_half_of_both(yes_owners, yes_area, passes):
    count = owners(
        participating_owners=8,
        participating_area="800.00",
        yes_owners=yes_owners,
        yes_area=yes_area,
    )
    assert decisions.owners_pass(count, major=False) is passes


@translation.override("en")
def test_civil_code_example_maintenance_fund():
    """A block of 120 owners with 10,000 m² decides to use its maintenance fund
    (a major item): 82 owners with 6,900 m² take part; 62 of them with 5,200 m² agree,
    which is 3/4 of the participating owners (61.5) and of the area (5,175 m²)."""
    count = OwnersCount(
        total_area=Decimal("10000.00"),
        total_owners=120,
        participating_area=Decimal("6900.00"),
        participating_owners=82,
        yes_area=Decimal("5200.00"),
        yes_owners=62,
    )
    assert decisions.check_owners_count(count) is None
    assert decisions.owners_take_part(count)
    outcome = decisions.decide_owners(count, major=True)
    assert outcome.passed
    assert "3/4" in outcome.explanation
    # One owner fewer (61 of 82 is under 3/4) and it fails, as major; as ordinary it passes.
    fewer = OwnersCount(**{**count.__dict__, "yes_owners": 61})
    assert not decisions.decide_owners(fewer, major=True).passed
    assert decisions.decide_owners(fewer, major=False).passed


@translation.override("en")
def test_civil_code_example_too_few_take_part():
    """79 of 120 owners (under 80, which is 2/3) take part: nothing can pass, however
    unanimous they are."""
    count = OwnersCount(
        total_area=Decimal("10000.00"),
        total_owners=120,
        participating_area=Decimal("9000.00"),
        participating_owners=79,
        yes_area=Decimal("9000.00"),
        yes_owners=79,
    )
    outcome = decisions.decide_owners(count, major=False)
    assert not outcome.passed
    assert "2/3" in outcome.explanation


# --- Checking the figures ------------------------------------------------------------


@given(counts, counts, counts, st.integers(min_value=0, max_value=30_000))
def test_check_tally_rejects_more_votes_than_present(yes, no, abstain, present):
    problem = decisions.check_tally(Tally(yes, no, abstain), present=present)
    assert (problem is not None) is (yes + no + abstain > present)


@example(-1, 0, 0)
@example(0, 0, -3)
@given(st.integers(-50, 50), st.integers(-50, 50), st.integers(-50, 50))
def test_check_tally_rejects_negative_counts(yes, no, abstain):
    assume(min(yes, no, abstain) < 0)
    assert decisions.check_tally(Tally(yes, no, abstain), present=1000) is not None


def test_check_tally_examples():
    assert decisions.check_tally(Tally(3, 2, 1), present=6) is None
    problem = decisions.check_tally(Tally(3, 2, 2), present=6)
    assert "7" in problem and "6" in problem


@given(owners_counts())
def test_consistent_owners_figures_are_accepted(count):
    assert decisions.check_owners_count(count) is None


@given(owners_counts(), st.sampled_from(["owners", "area"]), st.sampled_from(["yes", "part"]))
def test_a_part_exceeding_its_whole_is_rejected(count, measure, which):
    fields = dict(count.__dict__)
    if measure == "owners":
        if which == "yes":
            fields["yes_owners"] = count.participating_owners + 1
        else:
            fields["participating_owners"] = count.total_owners + 1
    elif which == "yes":
        fields["yes_area"] = count.participating_area + Decimal("0.01")
    else:
        fields["participating_area"] = count.total_area + Decimal("0.01")
    assert decisions.check_owners_count(OwnersCount(**fields)) is not None


@pytest.mark.parametrize(
    "change",
    [
        {"total_owners": 0},
        {"total_area": Decimal("0")},
        {"yes_owners": -1},
        {"participating_area": Decimal("-1")},
    ],
)
def test_owners_figures_need_wholes_and_no_negatives(change):
    count = owners(participating_owners=6, yes_owners=5, participating_area="700", yes_area="600")
    assert decisions.check_owners_count(count) is None
    assert decisions.check_owners_count(OwnersCount(**{**count.__dict__, **change})) is not None


# --- Joint meetings ------------------------------------------------------------------

parties = st.dictionaries(st.sampled_from(list(decisions.JOINT_PARTIES)), st.booleans(), max_size=3)


@given(parties)
def test_joint_quorum_needs_all_three_on_record_and_the_residents_committee(presence):
    expected = len(presence) == 3 and presence["residents_committee"]
    assert decisions.joint_quorum_met(presence) is expected


def test_joint_quorum_examples():
    everyone = dict.fromkeys(decisions.JOINT_PARTIES, True)
    assert decisions.joint_quorum_met(everyone)
    # The property company sent apologies: still quorate (absent with a reason).
    assert decisions.joint_quorum_met({**everyone, "property_company": False})
    assert not decisions.joint_quorum_met({**everyone, "residents_committee": False})
    assert not decisions.joint_quorum_met({"residents_committee": True, "owners_committee": True})
    assert not decisions.joint_quorum_met({})
