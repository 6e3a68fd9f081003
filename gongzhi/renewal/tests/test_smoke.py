import pytest

from gongzhi.renewal.models import ProjectStatus
from gongzhi.renewal.satisfaction import project_scores
from gongzhi.surveys.services import submit_response
from gongzhi.tests.factories import AreaFactory

from .builders import area_staff, project_at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status", ["planned", "construction", "completed", "maintenance", "suspended"]
)
def test_project_at_each_status(status, django_capture_on_commit_callbacks):
    area = AreaFactory()
    staff = area_staff(area)
    with django_capture_on_commit_callbacks(execute=True):
        project = project_at(status, actor=staff, area=area)
    assert project.status == status
    if status in (ProjectStatus.COMPLETED, ProjectStatus.MAINTENANCE):
        survey = project.satisfaction_survey
        submit_response(
            survey=survey,
            user=staff,
            answers={
                str(project.gain_question_id): 4,
                str(project.satisfaction_question_id): 5,
            },
        )
        scores = project_scores(project)
        assert (scores.gain, scores.satisfaction, scores.responses) == (4, 5, 1)
