"""Money and completion under concurrent requests (PostgreSQL only): spending entries
arriving at the same instant never take the total beyond the budget, and a project
completed from many requests at once completes, opens its survey and tells its
residents exactly once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongzhi.core.models import AuditEvent, Notification
from gongzhi.core.services import verify_audit_chain
from gongzhi.core.testing import all_at_once
from gongzhi.planning import services as planning
from gongzhi.renewal import services
from gongzhi.renewal.models import Project, ProjectStatus, Spending, StatusChange
from gongzhi.surveys.models import Survey
from gongzhi.tests.factories import AreaFactory, RoleGrantFactory, UserFactory

from .builders import area_staff, aware, jpeg_upload, project_at

THREADS = 16


pytestmark = pytest.mark.usefixtures("postgresql_only")


def spend_at_once(project, actor, amounts, *, item):
    """Records one spending of each amount, all at the same moment (one thread each);
    returns each one's outcome ("ok" or "refused")."""

    def spend(amount):
        services.record_spending(
            project=project, actor=actor, amount=amount, spent_on=timezone.localdate(), item=item
        )

    return all_at_once(spend, amounts)


@pytest.mark.django_db(transaction=True)
def test_racing_spending_never_exceeds_the_budget():
    area = AreaFactory()
    staff = area_staff(area)
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area, budget="1000")
    # Each entry alone fits the budget; 16 of them are 1,600 yuan.
    amounts = [Decimal("100.00")] * THREADS

    outcomes = spend_at_once(project, staff, amounts, item="材料费")
    assert outcomes.count("ok") == 10
    assert outcomes.count("refused") == THREADS - 10
    spent = Project.objects.with_money().get(pk=project.pk).spent
    assert spent == Decimal("1000.00")
    assert Spending.objects.filter(project=project).count() == 10
    assert AuditEvent.objects.filter(verb="project.spend").count() == 10
    assert verify_audit_chain() is None


@pytest.mark.django_db(transaction=True)
def test_racing_spending_of_different_sizes_stays_within_budget_and_approvals():
    area = AreaFactory()
    staff = area_staff(area)
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area, budget="500")
    secretary = RoleGrantFactory(town=area.town, role="secretariat").user
    services.approve_extra_budget(
        project=project,
        actor=secretary,
        amount="123.45",
        reason="增加照明",
        authority="联席会议",
        approved_on=timezone.localdate(),
    )
    amounts = [Decimal(n * 7) + Decimal("0.13") for n in range(1, THREADS + 1)]  # 7.13 … 112.13

    outcomes = spend_at_once(project, staff, amounts, item="人工费")
    stored = sorted(Spending.objects.filter(project=project).values_list("amount", flat=True))
    assert len(stored) == outcomes.count("ok") > 0
    assert outcomes.count("refused") > 0  # together they are 1,054.08 yuan
    total = sum(stored)
    assert total <= Decimal("623.45")
    # Whatever was refused was refused because it no longer fitted.
    accepted = list(stored)
    assert len(amounts) == THREADS
    for amount in amounts:
        if amount in accepted:
            accepted.remove(amount)
        else:
            assert total + amount > Decimal("623.45")


@pytest.mark.django_db(transaction=True)
def test_racing_completions_complete_once():
    area = AreaFactory()
    staff = area_staff(area)
    colleagues = [staff] + [area_staff(area) for _ in range(THREADS - 1)]
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area)
    residents = UserFactory.create_batch(5)
    for user in residents:
        planning.follow(process=project.process, user=user)
    milestone = project.milestones.get()
    services.record_milestone(
        milestone=milestone,
        actor=staff,
        actual_start=timezone.localdate() - timedelta(days=30),
        actual_end=timezone.localdate() - timedelta(days=2),
    )
    services.add_photo(
        project=project,
        actor=staff,
        phase="after",
        upload=jpeg_upload("after.jpg"),
        content="完工",
        taken_at=aware(1),
        place="中心花园",
        photographer="陈社工",
    )
    surveys_before = Survey.objects.count()

    def finish(actor):
        services.complete_project(
            project=project, actor=actor, result="建成步道和座椅", completed_on=timezone.localdate()
        )

    outcomes = all_at_once(finish, colleagues)
    assert outcomes.count("ok") == 1
    assert outcomes.count("refused") == THREADS - 1
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert Survey.objects.count() == surveys_before + 1
    assert project.satisfaction_survey.questions.count() == 3
    assert (
        StatusChange.objects.filter(project=project, to_status=ProjectStatus.COMPLETED).count() == 1
    )
    assert AuditEvent.objects.filter(verb="project.result").count() == 1
    told = list(
        Notification.objects.filter(message__contains=project.title).values_list(
            "user_id", flat=True
        )
    )
    assert sorted(told) == sorted(user.pk for user in residents)
    assert verify_audit_chain() is None
