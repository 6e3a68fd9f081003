"""The kinds of step, as declared data: one entry per ``StepKind`` saying what the
step needs and offers, in the spirit of adhocracy4's phase contents and Decidim's
component manifests. The evidence rule, the step page, the plan page, a resident's
我的 page and the services read an entry here rather than asking which kind a step
is; adding a kind of step is one entry (and its check in ``evidence.py``).

An entry names:

- ``missing``: the kind's evidence rule, one check over many runs of that kind
  (``evidence.missing_for_runs``; ``evidence.missing`` is the same on one run);
- ``forms``: the evidence forms the step page offers, in order, each named by the
  action it posts (``views_steps.FORM_BUILDERS`` builds each form, ``views_steps._act``
  calls the action's service);
- ``staff_actions``: those of the forms only the area's staff and the secretariat
  may use (official acts, not a partner's);
- ``resident_actions``: what a resident may do while the step is open (the plan
  page and 我的 link to the page where they do it);
- ``photo_purpose``: the photos the step takes as evidence, if any;
- ``new_version``: whether a version uploaded here must say what changed;
- ``min_days_floor``: the shortest ``min_days`` a town may set for the step.
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import evidence
from .models import StepKind, StepPhoto


@dataclass(frozen=True)
class StepKindSpec:
    kind: StepKind
    missing: Callable[[list, object], dict[int, list[str]]]
    forms: tuple[str, ...] = ()
    staff_actions: tuple[str, ...] = ()
    resident_actions: tuple[str, ...] = ()
    photo_purpose: str | None = None
    new_version: bool = False
    min_days_floor: int = 0

    @property
    def label(self) -> str:
        """The kind's name, translated."""
        return self.kind.label

    @property
    def takes_drafts(self) -> bool:
        return "draft" in self.forms


def _entries(*specs: StepKindSpec) -> dict[StepKind, StepKindSpec]:
    return {spec.kind: spec for spec in specs}


KINDS: dict[StepKind, StepKindSpec] = _entries(
    StepKindSpec(
        StepKind.SURVEY,
        missing=evidence.survey_missing,
        forms=("survey", "need", "photo"),
        resident_actions=("survey",),
        photo_purpose=StepPhoto.Purpose.SITE,
    ),
    StepKindSpec(
        StepKind.INTERVIEWS,
        missing=evidence.interviews_missing,
        forms=("interview",),
    ),
    StepKindSpec(
        StepKind.DRAFTS,
        missing=evidence.drafts_missing,
        forms=("draft",),
    ),
    StepKindSpec(
        StepKind.PARTICIPATORY_DESIGN,
        missing=evidence.participatory_design_missing,
        forms=("activity",),
        # Residents place their dot on a draft, then comment on the drafts.
        resident_actions=("dot", "comment_drafts"),
    ),
    StepKindSpec(
        StepKind.ADJUSTMENT,
        missing=evidence.adjustment_missing,
        forms=("draft",),
        new_version=True,
    ),
    StepKindSpec(
        StepKind.JOINT_MEETING,
        missing=evidence.joint_meeting_missing,
        forms=("meeting", "decision"),
        staff_actions=("decision",),
    ),
    StepKindSpec(
        StepKind.OPTIMISATION,
        missing=evidence.optimisation_missing,
        forms=("draft",),
        new_version=True,
    ),
    StepKindSpec(
        StepKind.CONSULTATION,
        missing=evidence.consultation_missing,
        forms=("consultation",),
        staff_actions=("consultation",),
        resident_actions=("comment",),
    ),
    StepKindSpec(
        StepKind.REVISION,
        missing=evidence.revision_missing,
        forms=("draft",),
        new_version=True,
    ),
    StepKindSpec(
        StepKind.PUBLIC_NOTICE,
        missing=evidence.public_notice_missing,
        forms=("notice", "photo", "result"),
        staff_actions=("notice", "result"),
        resident_actions=("object",),
        photo_purpose=StepPhoto.Purpose.NOTICE_BOARD,
        min_days_floor=1,
    ),
)


def spec(kind) -> StepKindSpec:
    """The entry of a step kind (a ``StepKind`` or its stored value)."""
    return KINDS[StepKind(kind)]


def kinds_where(test: Callable[[StepKindSpec], bool]) -> tuple[StepKind, ...]:
    """The kinds whose entry passes ``test``, in the enum's order (for query filters)."""
    return tuple(kind for kind, entry in KINDS.items() if test(entry))


# Kinds read by the services and query filters, derived from the entries above.
DRAFT_KINDS = kinds_where(lambda entry: entry.takes_drafts)
CHANGE_NOTE_KINDS = kinds_where(lambda entry: entry.new_version)
PHOTO_PURPOSE_KIND = {
    entry.photo_purpose: kind for kind, entry in KINDS.items() if entry.photo_purpose
}
STAFF_ACTIONS = frozenset(action for entry in KINDS.values() for action in entry.staff_actions)
