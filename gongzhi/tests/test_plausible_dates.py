"""Dates held to a plausible range for what they describe (core.validators: HAPPENED
for what has happened, PLANNED for what is planned), in the forms and in the services
alike: 0001-01-01 and 9999-12-31 were stored for photo times, milestones and action
items. (The API takes none of these dates: its writes are applications, supports,
comments, registrations, check-ins and survey answers.)"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from gongzhi.core.errors import DomainError
from gongzhi.core.validators import EARLIEST_DATE, HAPPENED, PLANNED, YEARS_AHEAD
from gongzhi.events import formats
from gongzhi.events.forms import PhotoForm as ActivityPhotoForm
from gongzhi.events.models import ActivityPhoto
from gongzhi.meetings import services as meetings
from gongzhi.meetings.forms import ActionItemForm
from gongzhi.meetings.models import ActionItem
from gongzhi.meetings.tests.builders import make_meeting
from gongzhi.planning import evidence_services as ev
from gongzhi.planning.forms_steps import InterviewForm
from gongzhi.planning.forms_steps import PhotoForm as StepPhotoForm
from gongzhi.planning.models import Interview, StepPhoto
from gongzhi.planning.tests.builders import jump_to, png, start
from gongzhi.renewal import services as renewal
from gongzhi.renewal.forms import MilestoneForm, MilestoneProgressForm
from gongzhi.renewal.forms import PhotoForm as ProjectPhotoForm
from gongzhi.renewal.models import Milestone, ProjectPhoto, ProjectStatus
from gongzhi.renewal.tests.builders import jpeg_upload, project_at
from gongzhi.tests.factories import ActivityFactory

SLIPS = [date(1, 1, 1), date(9999, 12, 31)]


def _as_time(day: date) -> datetime:
    return datetime.combine(day, time(10, 0))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- The ranges ------------------------------------------------------------------------


def test_the_ranges_and_their_edges():
    today = timezone.localdate()
    horizon = date(today.year + YEARS_AHEAD, 12, 31)
    assert PLANNED.latest() == horizon and HAPPENED.latest() == today
    for value in (EARLIEST_DATE, today):
        assert HAPPENED.check(value, label="x") == value
    # A time without an offset is the town's local time.
    midnight = datetime.combine(EARLIEST_DATE, time.min)
    assert HAPPENED.check(midnight, label="x") == timezone.make_aware(midnight)
    assert PLANNED.check(horizon, label="x") == horizon
    with translation.override("en"):
        for kind, value, message in [
            (PLANNED, horizon + timedelta(days=1), f"x cannot be after {horizon}."),
            (PLANNED, date(1999, 12, 31), "x cannot be before 2000-01-01."),
            (HAPPENED, today + timedelta(days=1), "x cannot be in the future."),
            (HAPPENED, timezone.now() + timedelta(minutes=5), "x cannot be later than now."),
            # 23:59 on 31 December 1999 in the town's time, written in UTC
            (HAPPENED, datetime(1999, 12, 31, 15, 59, tzinfo=UTC), "cannot be before 2000"),
            (HAPPENED, datetime(1, 1, 1), "x cannot be before 2000-01-01."),
            (HAPPENED, datetime(9999, 12, 31, 23, 59, tzinfo=UTC), "x cannot be later"),
            (PLANNED, "2025-01-01", "x must be a date."),
        ]:
            with pytest.raises(DomainError, match=message):
                kind.check(value, label="x")
    # Midnight of 1 January 2000 in the town's time, written in UTC, is taken.
    HAPPENED.check(datetime(1999, 12, 31, 16, 0, tzinfo=UTC), label="x")


# --- Forms: a field error, whatever the form ---------------------------------------------


@pytest.mark.parametrize("day", SLIPS)
def test_every_form_refuses_a_slip_on_its_field(day, town, area_a, people):
    meeting = make_meeting(town=town, area=area_a, actor=people["area_staff"])
    text = day.isoformat()
    moment = f"{text}T10:00"
    forms = [
        (ActivityPhotoForm({"taken_at": moment}), "taken_at"),
        (StepPhotoForm({"taken_on": text}), "taken_on"),
        (InterviewForm({"held_on": text}), "held_on"),
        (ActionItemForm({"due_on": text}, meeting=meeting), "due_on"),
        (MilestoneForm({"planned_start": text, "planned_end": text}), "planned_end"),
        (MilestoneProgressForm({"actual_start": text}), "actual_start"),
        (ProjectPhotoForm({"taken_at": moment}), "taken_at"),
    ]
    taken = [(type(form).__name__, field) for form, field in forms if field not in form.errors]
    assert taken == []
    # A plausible date is no error on the same fields.
    fine = timezone.localdate() - timedelta(days=1)
    assert "due_on" not in ActionItemForm({"due_on": fine}, meeting=meeting).errors
    assert "taken_at" not in ActivityPhotoForm({"taken_at": f"{fine}T10:00"}).errors
    assert "held_on" not in InterviewForm({"held_on": fine}).errors


# --- Services: a DomainError, nothing stored ---------------------------------------------


@pytest.mark.parametrize("day", SLIPS)
def test_every_service_refuses_a_slip_and_stores_nothing(day, town, area_a, area_b, people):
    staff = people["area_staff"]
    activity = ActivityFactory(area=area_a)
    meeting = make_meeting(town=town, area=area_a, actor=staff)
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    # Only the town starts plans; one at the survey step, one at the interviews' step.
    process = start(town, area_a, people["secretariat"])
    interviews = start(town, area_b, people["secretariat"])
    jump_to(interviews, 2)
    calls = {
        "activity photo": lambda day: formats.add_activity_photo(
            activity=activity,
            actor=staff,
            image=png(),
            content="签到现场",
            taken_at=_as_time(day),
            place="活动室",
            people="",
            photographer="陈社工",
        ),
        "action item": lambda day: meetings.add_action_item(
            meeting=meeting, actor=staff, title="修路灯", owner_name="物业", due_on=day
        ),
        "milestone": lambda day: renewal.add_milestone(
            project=project, actor=staff, title="铺装", planned_start=day, planned_end=day
        ),
        "project photo": lambda day: renewal.add_photo(
            project=project,
            actor=staff,
            phase="before",
            upload=jpeg_upload(),
            content="中心花园现状",
            taken_at=_as_time(day),
            place="中心花园",
            photographer="陈社工",
            people="",
        ),
        "step photo": lambda day: ev.add_step_photo(
            process=process, actor=staff, image=png(), purpose="site", taken_on=day
        ),
        "interview": lambda day: ev.record_interview(
            process=interviews,
            actor=people["secretariat"],
            category="older_resident",
            held_on=day,
            notes="笔记",
            summary="摘要",
            consent=True,
        ),
    }
    stored = []
    for name, call in calls.items():
        try:
            call(day)
        except DomainError:
            continue
        stored.append(name)
    assert stored == []
    models = (ActivityPhoto, ActionItem, Milestone, ProjectPhoto, StepPhoto, Interview)
    for model in models:
        assert not model.objects.exists(), model.__name__
    # The same calls with a plausible date store one record each (so the refusals
    # above were about the date). The due date is after the meeting.
    yesterday = timezone.localdate() - timedelta(days=1)
    for name, call in calls.items():
        call(yesterday + timedelta(days=8) if name == "action item" else yesterday)
    assert [model.objects.count() for model in models] == [1] * len(models)
