"""The rules that turn attendance and votes into decisions (DOMAIN.md "Meetings and
decisions"), as pure functions: no database, tested with hypothesis.

- Quorum: more than half of the members (or delegates) present.
- Ordinary motions: adopted when yes > no among those voting; abstentions are not
  counted and a tie fails.
- Owners' decisions (Civil Code art. 278): owners holding at least 2/3 of the floor
  area *and* at least 2/3 of the owners take part; a major item (maintenance funds,
  rebuilding, changing common parts) then needs at least 3/4 of the participating
  area and of the participating owners, any other item more than half of each.

Every comparison is done in integers or Decimals by cross-multiplying, so that 2/3
of 9 owners is exactly 6 and no rounding decides a vote.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int = 0

    @property
    def voting(self) -> int:
        return self.yes + self.no + self.abstain


@dataclass(frozen=True)
class OwnersCount:
    """The art. 278 figures of one item: everyone, those taking part, those for."""

    total_area: Decimal
    total_owners: int
    participating_area: Decimal
    participating_owners: int
    yes_area: Decimal
    yes_owners: int


@dataclass(frozen=True)
class Outcome:
    passed: bool
    explanation: str


def quorum_met(*, members: int, present: int) -> bool:
    """More than half of the members present. A meeting without members has none."""
    return members > 0 and present * 2 > members


def majority_passes(tally: Tally) -> bool:
    """Yes outnumbers no among those voting; abstentions don't count; a tie fails."""
    return tally.yes > tally.no


def owners_take_part(count: OwnersCount) -> bool:
    """At least 2/3 of the floor area and at least 2/3 of the owners take part."""
    return (
        count.participating_area * 3 >= count.total_area * 2
        and count.participating_owners * 3 >= count.total_owners * 2
        and count.total_owners > 0
        and count.total_area > 0
    )


def owners_pass(count: OwnersCount, *, major: bool) -> bool:
    """Participation met, then 3/4 (major) or more than half (ordinary) of the
    participating area and of the participating owners vote yes."""
    if not owners_take_part(count):
        return False
    if major:
        return (
            count.yes_area * 4 >= count.participating_area * 3
            and count.yes_owners * 4 >= count.participating_owners * 3
        )
    return (
        count.yes_area * 2 > count.participating_area
        and count.yes_owners * 2 > count.participating_owners
    )


def check_tally(tally: Tally, *, present: int) -> str | None:
    """Why a tally cannot be right, or None: nobody votes twice, so there are never
    more votes than people present."""
    if min(tally.yes, tally.no, tally.abstain) < 0:
        return _("Vote counts cannot be negative.")
    if tally.voting > present:
        return _("%(votes)d votes were recorded but only %(present)d people are present.") % {
            "votes": tally.voting,
            "present": present,
        }
    return None


def check_owners_count(count: OwnersCount) -> str | None:
    """Why owners' figures cannot be right, or None: each part within the whole."""
    values = [
        count.total_area,
        count.participating_area,
        count.yes_area,
        Decimal(count.total_owners),
        Decimal(count.participating_owners),
        Decimal(count.yes_owners),
    ]
    if any(v < 0 for v in values):
        return _("Areas and numbers of owners cannot be negative.")
    if count.total_owners == 0 or count.total_area == 0:
        return _("Give the total floor area and the total number of owners.")
    if not (
        count.yes_area <= count.participating_area <= count.total_area
        and count.yes_owners <= count.participating_owners <= count.total_owners
    ):
        return _(
            "Those voting yes must be among those taking part, and those taking part "
            "among all owners (both by area and by headcount)."
        )
    return None


def decide_majority(tally: Tally) -> Outcome:
    if majority_passes(tally):
        return Outcome(
            True,
            _("Passed: %(yes)d yes, %(no)d no, %(abstain)d abstaining.")
            % {"yes": tally.yes, "no": tally.no, "abstain": tally.abstain},
        )
    reason = _("a tie fails") if tally.yes == tally.no else _("more no than yes")
    return Outcome(
        False,
        _("Failed (%(reason)s): %(yes)d yes, %(no)d no, %(abstain)d abstaining.")
        % {"reason": reason, "yes": tally.yes, "no": tally.no, "abstain": tally.abstain},
    )


def decide_owners(count: OwnersCount, *, major: bool) -> Outcome:
    figures = {
        "area": count.participating_area,
        "owners": count.participating_owners,
        "yes_area": count.yes_area,
        "yes_owners": count.yes_owners,
    }
    if not owners_take_part(count):
        return Outcome(
            False,
            _(
                "Failed: fewer than 2/3 of the floor area or of the owners took part "
                "(%(area)s m², %(owners)d owners)."
            )
            % figures,
        )
    passed = owners_pass(count, major=major)
    need = _("3/4") if major else _("more than half")
    if passed:
        text = _(
            "Passed (%(need)s needed): %(yes_area)s of %(area)s m², "
            "%(yes_owners)d of %(owners)d owners."
        )
    else:
        text = _(
            "Failed (%(need)s needed): %(yes_area)s of %(area)s m², "
            "%(yes_owners)d of %(owners)d owners."
        )
    return Outcome(passed, text % {**figures, "need": need})


JOINT_PARTIES = ("residents_committee", "owners_committee", "property_company")


def joint_quorum_met(presence: dict[str, bool]) -> bool:
    """A joint meeting is quorate when each of the three parties is on record (present,
    or absent with a reason) and the residents' committee, which convenes it, is there."""
    return all(party in presence for party in JOINT_PARTIES) and bool(
        presence.get("residents_committee")
    )
