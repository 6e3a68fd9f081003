"""seed_demo as a whole: running it again adds nothing, and the trail it leaves is
intact."""

from gongzhi.core.services import verify_audit_chain


def test_a_second_run_adds_nothing(demo_year):
    grown = {
        label: (before, demo_year.again[label])
        for label, before in demo_year.counts.items()
        if demo_year.again[label] != before
    }
    assert not grown, f"rows added or removed by the second run: {grown}"
    assert demo_year.counts["places.Town"] == 1


def test_the_audit_chain_is_intact(town):
    assert verify_audit_chain() is None
