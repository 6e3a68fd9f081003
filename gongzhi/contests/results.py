"""Combining the jury's scores with the public vote, as the call publishes it.

combined = jury_weight × (jury average ÷ maximum points) + public_weight × vote share

The jury average of an entry is the mean of its judges' totals; an entry nobody
scored counts 0 from the jury. The vote share is the entry's votes over all votes
cast for the entries ranked (0 when nobody voted). With weights that sum to 100 the
combined score lies between 0 and 100. ``compute_results`` is pure: no database.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Result:
    entry_id: int
    jury_average: float  # mean of the judges' totals, in points
    jury_share: float  # jury_average / max_total, 0..1
    votes: int
    vote_share: float  # 0..1
    combined: float  # 0..100 when the weights sum to 100

    @property
    def combined_display(self) -> Decimal:
        return Decimal(str(self.combined)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def jury_average_display(self) -> Decimal:
        return Decimal(str(self.jury_average)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def vote_percent(self) -> Decimal:
        return Decimal(str(self.vote_share * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def compute_results(
    *,
    judge_totals: dict[int, list[int]],
    max_total: int,
    votes: dict[int, int],
    jury_weight: int,
    public_weight: int,
) -> list[Result]:
    """Rank the entries of ``judge_totals`` (entry id → each judge's total points),
    best first; ties go to the better jury average, then to the earlier entry."""
    if max_total <= 0:
        raise ValueError("max_total must be positive")
    all_votes = sum(max(votes.get(entry_id, 0), 0) for entry_id in judge_totals)
    results = []
    for entry_id, totals in judge_totals.items():
        average = sum(totals) / len(totals) if totals else 0.0
        jury_share = min(max(average / max_total, 0.0), 1.0)
        count = max(votes.get(entry_id, 0), 0)
        vote_share = count / all_votes if all_votes else 0.0
        combined = jury_weight * jury_share + public_weight * vote_share
        results.append(Result(entry_id, average, jury_share, count, vote_share, combined))
    results.sort(key=lambda r: (-r.combined, -r.jury_average, r.entry_id))
    return results
