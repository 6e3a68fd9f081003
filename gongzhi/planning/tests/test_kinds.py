"""The registry of step kinds (kinds.py): every kind has an entry, and the evidence
rule is one function whether it checks one run or many."""

import pytest
from django.utils import timezone

from gongzhi.planning import evidence, kinds
from gongzhi.planning.models import StepKind, StepPhoto, StepRun

from .test_board import _runs_in_every_state

pytestmark = pytest.mark.django_db


def test_every_step_kind_has_an_entry():
    assert set(kinds.KINDS) == set(StepKind)
    for kind in StepKind:
        entry = kinds.spec(kind)
        assert entry.kind == kind
        assert entry.label == kind.label
        assert kinds.spec(kind.value) is entry  # a stored value reads the same entry
        # A staff act is one of the step's forms.
        assert set(entry.staff_actions) <= set(entry.forms)


def test_the_kinds_read_by_the_services_come_from_the_entries():
    assert set(kinds.DRAFT_KINDS) == {
        StepKind.DRAFTS,
        StepKind.ADJUSTMENT,
        StepKind.OPTIMISATION,
        StepKind.REVISION,
    }
    assert set(kinds.CHANGE_NOTE_KINDS) == {
        StepKind.ADJUSTMENT,
        StepKind.OPTIMISATION,
        StepKind.REVISION,
    }
    assert kinds.PHOTO_PURPOSE_KIND == {
        StepPhoto.Purpose.SITE: StepKind.SURVEY,
        StepPhoto.Purpose.NOTICE_BOARD: StepKind.PUBLIC_NOTICE,
    }
    assert {"decision", "consultation", "notice", "result"} == kinds.STAFF_ACTIONS


def test_one_run_and_many_runs_read_the_same_rule(town, area_a, people):
    """A run of each kind, with evidence missing, partial or complete, gets the same
    gaps checked alone as checked among all the others."""
    runs = _runs_in_every_state(town, area_a, people)
    now = timezone.now()
    runs = list(StepRun.objects.filter(pk__in=[r.pk for r in runs]).select_related("step"))
    assert {run.step.kind for run in runs} == set(StepKind)
    together = evidence.missing_for_runs(runs, now)
    for run in runs:
        assert evidence.missing(run, now) == together[run.pk], run.step.kind
