"""The demo's micro-renewal projects (seed_demo): the seven kinds built in 2023 from
the proposals the programme implemented, each with milestones, photos of the three
phases, money within its budget (one over it by a recorded approval), a published
result and satisfaction answers; one project under construction from the completed
plan, one planned from a winning contest entry; idempotent."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count
from PIL import Image

from gongzhi.demo import renewal as demo
from gongzhi.meetings.models import Meeting
from gongzhi.proposals.models import Proposal, ProposalStatus
from gongzhi.renewal.models import (
    FINISHED,
    Phase,
    Project,
    ProjectKind,
    ProjectStatus,
)
from gongzhi.renewal.satisfaction import overall_scores, project_scores

NAMED_KINDS = set(ProjectKind.values) - {ProjectKind.OTHER}


@pytest.fixture
def built(town):
    return list(
        Project.objects.filter(town=town, actual_end__year=demo.YEAR)
        .with_money()
        .select_related("proposal")
        .order_by("actual_end")
    )


def test_nine_projects_seven_built_one_under_construction(demo_year):
    assert demo_year.counts["renewal.Project"] == 9
    assert "Micro-renewal: 9 projects (7 built, 1 under construction)" in demo_year.out


def test_the_seven_kinds_built_in_2023_from_implemented_proposals(built):
    assert len(built) == 7
    assert {p.kind for p in built} == NAMED_KINDS
    for project in built:
        assert project.status in FINISHED
        assert project.result and project.result_published_at.year == demo.YEAR
        assert project.created_at.year == demo.YEAR
        assert project.actual_start <= project.actual_end
        # The origin: a proposal of the same area, implemented when the result was
        # published, its whole history in the demo year.
        proposal = project.proposal
        assert proposal.status == ProposalStatus.IMPLEMENTED
        assert proposal.area_id == project.area_id == project.site.area_id
        history = list(proposal.history.all())
        assert history[-1].to_status == ProposalStatus.IMPLEMENTED
        assert history[-1].at == project.result_published_at
        assert all(change.at.year == demo.YEAR for change in history)
        assert history[-2].at < project.created_at  # adopted before it became a project
        # The project's own timeline, dated on the days it records.
        changes = list(project.history.all())
        assert [c.to_status for c in changes][:2] == [
            ProjectStatus.UNDER_CONSTRUCTION,
            ProjectStatus.COMPLETED,
        ]
        assert all(c.at.date() == c.on and c.on.year == demo.YEAR for c in changes)
    assert any(p.status == ProjectStatus.MAINTENANCE and p.maintained_by for p in built)


def test_the_proposals_demo_keeps_its_counts(town):
    proposals = Proposal.objects.filter(town=town, created_at__year=demo.YEAR)
    statuses = Counter(proposals.values_list("status", flat=True))
    assert sum(statuses.values()) == 44
    assert statuses[ProposalStatus.IMPLEMENTED] == 7
    assert statuses[ProposalStatus.ADOPTED] == 9
    # No meeting added to the demo year; the projects are the implemented proposals.
    assert Meeting.objects.filter(town=town, starts_at__year=demo.YEAR).count() == 96
    implemented = Proposal.objects.filter(town=town, status=ProposalStatus.IMPLEMENTED)
    assert set(implemented.values_list("pk", flat=True)) == set(
        Project.objects.filter(town=town, proposal__isnull=False).values_list("proposal", flat=True)
    )


def test_milestones_closed_with_planned_and_actual_dates(built):
    assert len(built) == 7
    for project in built:
        milestones = list(project.milestones.all())
        assert len(milestones) >= 3
        for milestone in milestones:
            assert not milestone.is_open
            assert milestone.planned_start <= milestone.planned_end
            assert project.actual_start <= milestone.actual_start <= milestone.actual_end
            assert milestone.actual_end <= project.actual_end
    # Some ran late, as building sites do.
    assert any(m.days_late for p in built for m in p.milestones.all())


def test_photos_of_the_three_phases_small_jpegs_without_exif(built):
    assert len(built) == 7
    for project in built:
        photos = list(project.photos.all())
        assert {p.phase for p in photos} == {Phase.BEFORE, Phase.DURING, Phase.AFTER}, project
        for photo in photos:
            assert photo.taken_at.year == demo.YEAR and photo.uploaded_at >= photo.taken_at
            if photo.phase == Phase.BEFORE:
                assert photo.taken_at.date() < project.actual_start
            if photo.phase == Phase.AFTER:
                assert photo.taken_at.date() <= project.actual_end
            assert photo.image.size < 20_000
            with Image.open(photo.image.path) as image:
                assert image.format == "JPEG" and not image.getexif()
            assert photo.place and photo.photographer and photo.content


def test_money_within_budget_one_beyond_it_by_approval(built):
    over = [p for p in built if p.spent > p.budget]
    assert len(over) == 1
    project = over[0]
    assert project.kind == ProjectKind.GATE
    approval = project.approvals.get()
    assert approval.authority and approval.approved_on.year == demo.YEAR
    assert len(built) == 7
    for project in built:
        assert Decimal("0") < project.spent <= project.budget + project.approved_extra
        assert all(s.recorded_at.year == demo.YEAR for s in project.spendings.all())


def test_satisfaction_from_the_areas_residents(built, town):
    assert len(built) == 7
    for project in built:
        scores = project_scores(project)
        assert 15 <= scores.responses <= 40
        assert Decimal("4.0") <= scores.satisfaction <= Decimal("5.0")
        assert Decimal("4.0") <= scores.gain <= Decimal("5.0")
        survey = project.satisfaction_survey
        assert survey.opened_at == project.result_published_at
        responses = survey.responses.select_related("user")
        assert all(r.user.residential_area_id == project.area_id for r in responses)
        assert all(
            project.result_published_at < r.submitted_at and r.submitted_at.year == demo.YEAR
            for r in responses
        )
        # One response per account (the surveys service enforces it).
        assert not responses.values("user").annotate(n=Count("pk")).filter(n__gt=1).exists()
    overall = overall_scores(Project.objects.filter(town=town))
    assert Decimal("4.2") <= overall.satisfaction <= Decimal("4.8")
    assert Decimal("4.2") <= overall.gain <= Decimal("4.8")


def test_one_under_construction_from_the_completed_plan_one_planned_from_a_winner(town):
    running = Project.objects.get(town=town, status=ProjectStatus.UNDER_CONSTRUCTION)
    assert running.process.status == "completed" and running.title == demo.CURRENT_TITLE
    assert running.area_id == running.process.area_id
    milestones = list(running.milestones.all())
    assert not milestones[0].is_open and any(m.is_open for m in milestones)
    assert {Phase.BEFORE, Phase.DURING} <= set(running.photos.values_list("phase", flat=True))
    planned = Project.objects.get(town=town, status=ProjectStatus.PLANNED)
    assert planned.entry.is_winner and planned.site_id == planned.entry.site_id
    assert set(planned.photos.values_list("phase", flat=True)) == {Phase.BEFORE}
