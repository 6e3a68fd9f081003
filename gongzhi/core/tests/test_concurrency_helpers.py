"""The concurrent-test helpers of core.testing, and that tests use them instead of
copies (a copy that suppressed BrokenBarrierError once turned races sequential)."""

import re
from pathlib import Path

import pytest

from gongzhi.core.errors import DomainError
from gongzhi.core.testing import all_at_once

ROOT = Path(__file__).resolve().parents[2]
THREADS_BY_HAND = re.compile(
    r"\b(Barrier|BrokenBarrierError|ThreadPoolExecutor|threading\.Thread)\b"
)


def test_tests_release_threads_only_through_all_at_once():
    copies = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted(ROOT.glob("**/tests/**/*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if THREADS_BY_HAND.search(line) and path != Path(__file__).resolve()
    ]
    assert copies == [], "use core.testing.all_at_once or into_a_held_write"


class Full(Exception):
    pass


def test_all_at_once_in_rounds_with_results_and_refusals():
    def work(n):
        if n % 3 == 0:
            raise DomainError("refused")
        if n % 3 == 1:
            raise Full
        return n * 2

    outcomes = all_at_once(work, range(7), threads=3, refused=(Full,), results=True)
    assert outcomes == ["refused", "refused", 4, "refused", "refused", 10, "refused"]
    assert all_at_once(lambda n: n, [1, 2]) == ["ok", "ok"]
    with pytest.raises(ZeroDivisionError):
        all_at_once(lambda n: 1 / n, [1, 0])
