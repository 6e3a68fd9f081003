"""A plan's state reads the same on its public page, on the progress board and in the
plan list (one function, board.plan_state, for all three), for plans on time, overdue,
sent back to an earlier step, completed and abandoned; and the plan page's timeline
numbers each step once."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.planning import services
from gongzhi.planning.board import plan_state
from gongzhi.planning.models import PlanningProcess, ProcessStatus, RunOutcome, StepRun
from gongzhi.tests.factories import AreaFactory

from .test_pages import open_run_of, start

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    """The text of every element with a class (``wanted``), in document order, and the
    attributes of every ``tag`` element."""

    def __init__(self, wanted: str, tag: str = ""):
        super().__init__()
        self.wanted, self.tag = wanted, tag
        self.found: list[str] = []
        self.tags: list[dict] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == self.tag:
            self.tags.append(attrs)
        if self._depth:
            self._depth += 1
        elif self.wanted in (attrs.get("class") or "").split():
            self._depth = 1
            self.found.append("")

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.found[-1] += data


def texts(html: str, css_class: str) -> list[str]:
    parser = _Text(css_class)
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.found]


def state_near(html: str, url: str, row: str) -> str:
    """The plan state shown in the board row or list card (``row``: its opening
    tag's start) that links to ``url``."""
    chunks = [chunk for chunk in html.split(row) if f'href="{url}"' in chunk]
    assert len(chunks) == 1, (url, len(chunks))
    (state,) = texts(chunks[0], "plan-state")
    return state


@pytest.fixture
def plans(town, people):
    """Five plans, one per area: on time, overdue, sent back, completed, abandoned."""
    secretary = people["secretariat"]
    now = timezone.now()

    def new(title):
        return start(town, AreaFactory(town=town), secretary, title=title)

    on_time = new("按期规划")

    overdue = new("逾期规划")
    StepRun.objects.filter(process=overdue).update(
        opened_at=now - timedelta(days=40), due_on=timezone.localdate() - timedelta(days=3)
    )

    # At step 2, then sent back to step 1 by the secretariat: a second revision opens.
    sent_back = new("退回规划")
    first = open_run_of(sent_back)
    first.closed_at, first.outcome = now, RunOutcome.COMPLETED
    first.save()
    StepRun.objects.create(
        process=sent_back,
        step=sent_back.template.steps.get(order=2),
        opened_at=now,
        due_on=timezone.localdate() + timedelta(days=20),
    )
    PlanningProcess.objects.filter(pk=sent_back.pk).update(current_order=2)
    services.return_to_step(
        process=PlanningProcess.objects.get(pk=sent_back.pk),
        actor=secretary,
        to_order=1,
        reason="调研样本不足，需补充",
    )

    completed = new("定稿规划")
    StepRun.objects.filter(process=completed).update(closed_at=now, outcome=RunOutcome.COMPLETED)
    PlanningProcess.objects.filter(pk=completed.pk).update(
        status=ProcessStatus.COMPLETED, completed_at=now
    )

    abandoned = new("放弃规划")
    services.abandon(process=abandoned, actor=secretary, reason="居民区合并")
    return {
        "on_time": on_time,
        "overdue": overdue,
        "sent_back": sent_back,
        "completed": completed,
        "abandoned": abandoned,
    }


def test_the_plan_page_the_board_and_the_list_agree_on_each_plans_state(client_for, town, plans):
    staff = client_for("secretariat")
    board = staff.get(reverse("planning:board", args=[town.slug])).content.decode()
    listed = client_for("anonymous").get(reverse("planning:process_list", args=[town.slug]))
    listed = listed.content.decode()
    shown = {}
    for key, process in plans.items():
        process = PlanningProcess.objects.get(pk=process.pk)
        url = process.get_absolute_url()
        on_page = texts(staff.get(url).content.decode(), "plan-state")
        assert len(on_page) == 1, (key, on_page)
        on_board = state_near(board, url, "<tr")
        in_list = state_near(listed, url, '<li class="card"')
        assert on_page[0] == on_board == in_list, (key, on_page, on_board, in_list)
        run = process.runs.filter(closed_at__isnull=True).select_related("step").first()
        shown[key] = (on_page[0], plan_state(process, run))
    assert set(shown) == set(plans)

    # What each says: the step open now, overdue only when it is.
    text, state = shown["on_time"]
    assert (state.step_order, state.is_overdue) == (1, False)
    text, state = shown["overdue"]
    assert (state.step_order, state.is_overdue, state.days_in_step) == (1, True, 40)
    overdue_word = text.split()[-1]
    assert overdue_word not in shown["on_time"][0]
    text, state = shown["sent_back"]
    assert (state.step_order, state.is_overdue) == (1, False)
    assert "1" in text and "2" not in text
    for key in ("completed", "abandoned"):
        text, state = shown[key]
        assert state.step_order is None and not state.is_overdue, key
        assert not re.search(r"\d", text), (key, text)  # no step is open
        assert text == str(PlanningProcess.objects.get(pk=plans[key].pk).get_status_display())


def test_the_board_marks_overdue_rows_as_the_plan_page_does(client_for, town, plans):
    staff = client_for("secretariat")
    board = staff.get(reverse("planning:board", args=[town.slug])).content.decode()
    table = board.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [row for row in table.split("<tr") if 'href="/t/' in row]
    assert len(rows) == len(plans)
    for key, process in plans.items():
        (row,) = [row for row in rows if f'href="{process.get_absolute_url()}"' in row]
        page = staff.get(process.get_absolute_url()).content.decode()
        late = key == "overdue"
        assert row.startswith(' class="overdue"') is late, key
        assert ('class="status overdue"' in page) is late, key


def test_the_timeline_numbers_each_step_once(client, plans):
    process = plans["sent_back"]
    html = client.get(process.get_absolute_url()).content.decode()
    timeline = html.split('<ol class="timeline">', 1)[1].split("</ol>\n</section>", 1)[0]
    parser = _Text("step-title", tag="li")
    parser.feed(timeline)
    steps = list(process.template.steps.order_by("order"))
    assert len(steps) == 11
    # The list numbers the steps (each item's value is its step's order) ...
    top_level = [attrs for attrs in parser.tags if attrs.get("id", "").startswith("step-")]
    assert [attrs["value"] for attrs in top_level] == [str(step.order) for step in steps]
    # ... and the title says no number of its own.
    assert [" ".join(text.split()) for text in parser.found] == [
        step.display_title for step in steps
    ]
    # The step sent back to shows both its runs under one number.
    assert html.count('id="step-1"') == 1
