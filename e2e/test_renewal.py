"""Micro-renewal: a completed plan becomes a project, is built and published, and a
resident who followed the plan answers the satisfaction survey on a phone.

The area's staff start the project from the plan's page, plan a milestone, add a
"before" photo, start construction, record the milestone's dates, add "during" and
"after" photos and complete the project, which publishes its result. The resident
is told, opens the project, answers the survey (a second answer is refused), and a
visitor reads the whole story on the public page: the plan it came from, the
milestones, before/after, the result against budget and plan, and the score.
"""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import NAMED_AREA
from gongzhi.places.models import ResidentialArea, Site
from gongzhi.planning import services as planning_services
from gongzhi.renewal.models import Project, ProjectStatus
from gongzhi.renewal.tests.builders import completed_process, unit_of

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
AREA_STAFF = "13800000003"
PLAN_TITLE = "逸景佳苑中心花园参与式规划"
PROJECT_TITLE = "逸景佳苑中心花园微更新"
SUBMIT = 'button[type="submit"]'


def jpeg(color) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), color).save(out, "JPEG")
    return {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.fixture
def plan(demo_town):
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    staff = User.objects.get(phone=AREA_STAFF)
    process = completed_process(area=area, actor=staff, title=PLAN_TITLE)
    planning_services.follow(process=process, user=User.objects.get(phone=RESIDENT))
    unit_of(demo_town)
    return {"process": process, "site": Site.objects.get(area=area, name="中心花园")}


def test_a_completed_plan_becomes_a_built_project_that_residents_rate(
    page, open_page, demo_town, plan
):
    process = plan["process"]
    today = timezone.localdate()
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT09:00")

    # The area's staff start the project from the completed plan's page.
    staff = open_page()
    log_in(staff, AREA_STAFF, process.get_absolute_url(), "renewal-staff-login")
    staff.get_by_role("link", name="启动微更新项目").click()
    check_page(staff, "renewal-new")
    staff.select_option("#id_site", str(plan["site"].pk))
    staff.select_option("#id_kind", "garden")
    staff.fill("#id_title", PROJECT_TITLE)
    staff.fill("#id_description", "按公示方案改造中心花园：步道、树荫座椅、雨水花园。")
    staff.select_option("#id_responsible_unit", index=1)
    staff.fill("#id_budget", "80000")
    staff.select_option("#id_funding_source", "town_budget")
    staff.fill("#id_contractor", "上海绿意园林工程有限公司")
    staff.fill("#id_planned_start", today.isoformat())
    staff.fill("#id_planned_end", (today + timedelta(days=30)).isoformat())
    staff.locator(f"main {SUBMIT}").click()
    expect(staff.locator(".messages")).to_be_visible()
    project = Project.objects.get(title=PROJECT_TITLE)
    assert project.process_id == process.pk and project.status == ProjectStatus.PLANNED
    check_page(staff, "renewal-manage-planned")

    def post(prefix, fields, button, files=None):
        form = staff.locator(f'form:has([name^="{prefix}-"])').first
        # Each form sits in a folded <details>: open it as a person would.
        details = staff.locator("details").filter(has=form)
        if details.count() and not details.first.evaluate("d => d.open"):
            details.first.locator("summary").click()
        for name, value in fields.items():
            target = form.locator(f'[name="{prefix}-{name}"]')
            if target.evaluate("el => el.tagName") == "SELECT":
                target.select_option(value)
            else:
                target.fill(value)
        for name, file in (files or {}).items():
            form.locator(f'[name="{prefix}-{name}"]').set_input_files(file)
        form.get_by_role("button", name=button).click()

    def photo(phase, color, what):
        post(
            "photo",
            {
                "phase": phase,
                "content": what,
                "taken_at": yesterday,
                "place": "逸景佳苑中心花园",
                "photographer": "陈社工",
            },
            "添加照片",
            files={"image": jpeg(color)},
        )
        expect(staff.locator(".messages")).to_be_visible()

    # A milestone and a photo of the site as it is, then construction starts.
    post(
        "milestone",
        {
            "title": "步道与座椅施工",
            "planned_start": today.isoformat(),
            "planned_end": (today + timedelta(days=20)).isoformat(),
        },
        "添加里程碑",
    )
    photo("before", "gray", "改造前的花园：裸土和破损座椅")
    post("start", {"on": today.isoformat()}, "开始施工")
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION
    check_page(staff, "renewal-manage-construction")

    # Completing with the milestone still open is refused, and nothing changes.
    post("complete", {"result": "建成步道和座椅", "completed_on": today.isoformat()}, "完成项目")
    expect(staff.locator("main")).to_contain_text("里程碑")
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION and not project.result

    milestone = project.milestones.get()
    post(
        f"progress-{milestone.pk}",
        {"actual_start": today.isoformat(), "actual_end": today.isoformat()},
        "记录日期",
    )
    photo("during", "orange", "铺设透水步道")
    photo("after", "green", "完工后的花园：步道、座椅和雨水花园")
    post(
        "complete",
        {
            "result": "建成透水步道120米、树荫座椅8组、雨水花园一处。",
            "completed_on": today.isoformat(),
        },
        "完成项目",
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED and project.result_published_at
    check_page(staff, "renewal-manage-completed")

    # The resident who followed the plan is told, and answers the survey on a phone.
    log_in(page, RESIDENT, "/notifications/", "renewal-resident-login")
    expect(page.locator("main")).to_contain_text(PROJECT_TITLE)
    check_page(page, "renewal-notification")
    page.goto(project.get_absolute_url())
    check_page(page, "renewal-project-resident")
    page.get_by_role("link", name="参与满意度调查").click()
    page.check(f'input[name="q{project.gain_question_id}"][value="5"]')
    page.check(f'input[name="q{project.satisfaction_question_id}"][value="4"]')
    page.locator("main textarea").fill("老人有地方歇脚了，希望晚上加一盏灯。")
    page.locator(f"main {SUBMIT}").click()
    expect(page.locator("main")).to_contain_text("感谢")
    check_page(page, "renewal-survey-answered")
    page.goto(project.satisfaction_survey.get_absolute_url())
    expect(page.locator("main")).to_contain_text("您已填写过这份问卷")
    expect(page.locator(f"main {SUBMIT}")).to_have_count(0)
    assert project.satisfaction_survey.responses.count() == 1

    # A visitor reads the whole story on the public page.
    visitor = open_page()
    visitor.goto(project.get_absolute_url())
    main = visitor.locator("main")
    expect(main.locator("h1")).to_have_text(PROJECT_TITLE)
    expect(main.get_by_role("link", name=PLAN_TITLE)).to_be_visible()
    expect(main).to_contain_text("步道与座椅施工")
    expect(main).to_contain_text("建成透水步道120米")
    expect(main.locator(".photo-grid.compare img")).to_have_count(2)
    expect(main.locator("#satisfaction")).to_contain_text("5.0")
    expect(main.locator("#satisfaction")).to_contain_text("4.0")
    assert "陈社工" not in (main.locator(".photo-grid.compare").inner_text())
    check_page(visitor, "renewal-project-public")
    visitor.goto(f"/t/{demo_town.slug}/projects/?status=completed")
    expect(visitor.locator("main")).to_contain_text(PROJECT_TITLE)
    expect(visitor).to_have_url(re.compile(r"status=completed"))
    check_page(visitor, "renewal-list")
