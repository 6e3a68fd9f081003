"""Satisfaction results: one response per account, averages shown with one decimal,
the spread, the figures over every project, and the comparison with the needs
survey of the plan's first step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from gongzhi.core.errors import DomainError
from gongzhi.planning.models import Need, StepRun, SurveyLink
from gongzhi.planning.tests.builders import run_of
from gongzhi.proposals import services as proposals
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.renewal.models import Project, ProjectStatus
from gongzhi.renewal.satisfaction import (
    Scores,
    needs_comparison,
    overall_scores,
    project_scores,
    rounded,
)
from gongzhi.surveys import services as surveys
from gongzhi.surveys.models import Answer, Response
from gongzhi.tests.factories import UserFactory

from .builders import make_project, project_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(area_a, staff):
    return project_at(ProjectStatus.COMPLETED, actor=staff, area=area_a)


def answer(project, user, gain, satisfaction, comment=""):
    return surveys.submit_response(
        survey=project.satisfaction_survey,
        user=user,
        answers={
            project.gain_question_id: gain,
            project.satisfaction_question_id: satisfaction,
            **({_comment_question(project): comment} if comment else {}),
        },
    )


def _comment_question(project):
    return project.satisfaction_survey.questions.get(kind="text").pk


def test_nothing_to_show_before_answers_or_before_completion(area_a, staff, completed):
    assert project_scores(completed) == Scores(None, None, 0, [0, 0, 0, 0, 0])
    planned = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    assert project_scores(planned) == Scores(None, None, 0)
    assert overall_scores(Project.objects.filter(pk=planned.pk)) == Scores(None, None, 0)
    row = Project.objects.with_scores().get(pk=planned.pk)
    assert (row.gain_score, row.satisfaction_score, row.score_count) == (None, None, 0)


def test_averages_are_rounded_to_one_decimal(completed):
    for gain, satisfaction in [(3, 4), (4, 5), (4, 5)]:
        answer(completed, UserFactory(), gain, satisfaction)
    scores = project_scores(completed)
    assert scores.satisfaction == Decimal("4.7")  # 14 / 3 = 4.67
    assert scores.gain == Decimal("3.7")  # 11 / 3 = 3.67
    assert scores.responses == 3
    assert scores.spread == [0, 0, 0, 1, 2]
    row = Project.objects.with_scores().get(pk=completed.pk)
    assert row.score_count == 3
    assert rounded(row.satisfaction_score) == Decimal("4.7")
    assert rounded(row.gain_score) == Decimal("3.7")


def test_a_half_rounds_up(completed):
    for satisfaction in (4, 4, 5, 4):  # 17 / 4 = 4.25
        answer(completed, UserFactory(), 1, satisfaction)
    scores = project_scores(completed)
    assert scores.satisfaction == Decimal("4.3")
    assert scores.gain == Decimal("1.0")
    assert scores.spread == [0, 0, 0, 3, 1]
    assert [rounded(v) for v in (None, 2.05, 2.049, 5)] == [
        None,
        Decimal("2.1"),
        Decimal("2.0"),
        Decimal("5.0"),
    ]


def test_a_second_response_by_the_same_person_is_refused_and_not_counted(completed):
    resident = UserFactory()
    answer(completed, resident, 5, 5, comment="座椅很好")
    with translation.override("en"), pytest.raises(DomainError, match="already answered"):
        answer(completed, resident, 1, 1)
    assert Response.objects.filter(survey=completed.satisfaction_survey).count() == 1
    scores = project_scores(completed)
    assert (scores.gain, scores.satisfaction, scores.responses) == (Decimal("5.0"),) * 2 + (1,)
    assert scores.spread == [0, 0, 0, 0, 1]
    assert Answer.objects.filter(response__user=resident, text="座椅很好").exists()


def test_the_scales_are_required_and_the_comment_is_not(completed):
    resident = UserFactory()
    with translation.override("en"), pytest.raises(DomainError, match="choose a number from 1"):
        answer(completed, resident, 6, 3)
    with pytest.raises(DomainError):
        surveys.submit_response(
            survey=completed.satisfaction_survey,
            user=resident,
            answers={completed.gain_question_id: 3},
        )
    assert project_scores(completed).responses == 0
    answer(completed, resident, 3, 3)  # no comment: still a full response
    assert project_scores(completed).responses == 1


def test_signed_out_answers_are_refused(completed):
    with pytest.raises(DomainError):
        surveys.submit_response(
            survey=completed.satisfaction_survey,
            device_token="a-device",
            answers={completed.gain_question_id: 5, completed.satisfaction_question_id: 5},
        )
    assert project_scores(completed).responses == 0


def test_overall_scores_pool_every_answer(area_a, area_b, staff, people, completed):
    other = project_at(
        ProjectStatus.MAINTENANCE, actor=people["secretariat"], area=area_b, title="楼道微更新"
    )
    planned = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    both = UserFactory()  # answers each project once: two responses
    answer(completed, both, 5, 5)
    answer(completed, UserFactory(), 4, 5)
    answer(other, both, 2, 2)
    scores = overall_scores(Project.objects.all())
    assert scores.responses == 3
    assert scores.gain == Decimal("3.7")  # (5 + 4 + 2) / 3
    assert scores.satisfaction == Decimal("4.0")  # (5 + 5 + 2) / 3
    assert overall_scores(Project.objects.filter(pk=other.pk)) == Scores(
        Decimal("2.0"), Decimal("2.0"), 1
    )
    assert overall_scores(Project.objects.filter(pk=planned.pk)) == Scores(None, None, 0)
    rows = {p.pk: p.score_count for p in Project.objects.with_scores()}
    assert rows == {completed.pk: 2, other.pk: 1, planned.pk: 0}


def _needs_survey(process, staff, respondents):
    """Step 1's needs survey, answered by ``respondents`` and linked to the run."""
    survey = surveys.create_survey(
        town=process.town, area=process.area, actor=staff, title="居民需求调查"
    )
    question = surveys.add_question(survey=survey, actor=staff, kind="scale", text="现状满意度")
    surveys.open_survey(survey=survey, actor=staff)
    for user in respondents:
        surveys.submit_response(survey=survey, user=user, answers={question.pk: 2})
    surveys.close_survey(survey=survey, actor=staff)
    run = run_of(process, 1)
    SurveyLink.objects.create(run=run, survey=survey)
    Need.objects.bulk_create(
        Need(run=run, text=text, order=n)
        for n, text in enumerate(["增加休憩座椅", "改善夜间照明"], 1)
    )
    return survey


def test_needs_comparison_with_the_plans_first_step(completed, staff):
    asked = UserFactory.create_batch(3)
    _needs_survey(completed.process, staff, asked)
    answer(completed, asked[0], 4, 5)
    answer(completed, asked[1], 5, 5)
    answer(completed, UserFactory(), 3, 3)  # did not answer the needs survey
    comparison = needs_comparison(completed)
    assert comparison.survey_titles == ["居民需求调查"]
    assert comparison.needs == ["增加休憩座椅", "改善夜间照明"]
    assert comparison.needs_responses == 3
    assert comparison.satisfaction_responses == 3
    assert comparison.answered_both == 2


def test_needs_come_from_the_latest_run_of_the_first_step(completed, staff):
    """Step 1 ran again: its new list replaces the first one, and both rounds'
    respondents count."""
    _needs_survey(completed.process, staff, UserFactory.create_batch(2))
    first = run_of(completed.process, 1)
    again = StepRun.objects.create(
        process=completed.process,
        step=first.step,
        revision=2,
        opened_at=first.opened_at + timedelta(days=1),
        due_on=first.due_on,
        closed_at=first.closed_at,
        outcome=first.outcome,
    )
    Need.objects.bulk_create(
        Need(run=again, text=text, order=n)
        for n, text in enumerate(["增加休憩座椅", "增设儿童游乐设施"], 1)
    )
    survey = surveys.create_survey(
        town=completed.town, area=completed.area, actor=staff, title="补充调查"
    )
    question = surveys.add_question(survey=survey, actor=staff, kind="scale", text="满意度")
    surveys.open_survey(survey=survey, actor=staff)
    surveys.submit_response(survey=survey, user=UserFactory(), answers={question.pk: 3})
    SurveyLink.objects.create(run=again, survey=survey)
    comparison = needs_comparison(completed)
    assert comparison.needs == ["增加休憩座椅", "增设儿童游乐设施"]
    assert sorted(comparison.survey_titles) == sorted(["居民需求调查", "补充调查"])
    assert comparison.needs_responses == 3


def test_needs_comparison_before_the_satisfaction_answers(area_a, staff):
    building = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    _needs_survey(building.process, staff, UserFactory.create_batch(2))
    comparison = needs_comparison(building)
    assert (
        comparison.needs_responses,
        comparison.satisfaction_responses,
        comparison.answered_both,
    ) == (2, 0, 0)


def test_no_needs_comparison_without_a_needs_survey_or_a_plan(town, area_a, staff, completed):
    assert needs_comparison(completed) is None  # the plan linked no survey
    proposal = make_proposal(town=town, area=area_a)
    proposal = proposals.adopt(proposal=proposal, actor=staff)
    project = make_project(actor=staff, site=completed.site, proposal=proposal, title="扶手")
    assert needs_comparison(project) is None


def test_needs_comparison_shows_the_needs_surveys_ratings(completed, staff):
    """The 1–5 questions of step 1's surveys, each with its average and answer
    count, in question order, to read beside the satisfaction scores; other kinds of
    question are left out."""
    survey = _needs_survey(completed.process, staff, UserFactory.create_batch(3))
    second = surveys.create_survey(
        town=completed.town, area=completed.area, actor=staff, title="照明调查"
    )
    light = surveys.add_question(survey=second, actor=staff, kind="scale", text="夜间照明")
    surveys.add_question(survey=second, actor=staff, kind="text", text="其他意见", required=False)
    unanswered = surveys.add_question(
        survey=second, actor=staff, kind="scale", text="没人答", required=False
    )
    surveys.open_survey(survey=second, actor=staff)
    for value in (1, 2):
        surveys.submit_response(survey=second, user=UserFactory(), answers={light.pk: value})
    SurveyLink.objects.create(run=run_of(completed.process, 1), survey=second)
    comparison = needs_comparison(completed)
    assert [(s.text, s.average, s.answers) for s in comparison.scales] == [
        ("现状满意度", Decimal("2.0"), 3),
        ("夜间照明", Decimal("1.5"), 2),
        ("没人答", None, 0),
    ]
    assert survey.questions.count() == 1 and unanswered.answers.count() == 0
