"""Paper voices: a resident of 逸景佳苑 without a smartphone objects to the plan on the
paper form; the area's staff print the form and record the paper at their desk (1280
px); on a phone (360 px) the plan's page counts the objection as recorded from paper
and the notice shows it marked so, the resident's name masked."""

import re

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import NAMED_AREA
from gongzhi.paper.tests.builders import plan_at_notice
from gongzhi.places.models import ResidentialArea
from gongzhi.planning.models import Objection

from .browser import check_page, log_in, new_page

pytestmark = pytest.mark.browser

AREA_STAFF = "13800000003"  # staff of 逸景佳苑
SECRETARIAT = "13800000004"
SUBMIT = 'main form[method="post"] button[type="submit"]'


def test_staff_record_a_paper_objection_that_the_plan_page_shows_as_from_paper(
    browser, live_server, demo_town
):
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    people = {
        "secretariat": User.objects.get(phone=SECRETARIAT),
        "area_staff": User.objects.get(phone=AREA_STAFF),
    }
    plan = plan_at_notice(town=demo_town, area=area, people=people)
    plan_url = plan.get_absolute_url()

    staff = new_page(browser, live_server, "desk")
    try:
        log_in(staff, AREA_STAFF, plan_url, "paper-staff-login")
        # The paper section of the plan's page: print the form, then record the paper.
        staff.get_by_role("link", name=re.compile("打印纸质表格")).click()
        expect(staff.locator("main")).to_contain_text("异议表")
        expect(staff.locator("main svg")).to_be_visible()
        check_page(staff, "paper-plan-form")
        staff.get_by_role("link", name=re.compile("录入：公示异议")).click()
        check_page(staff, "paper-record")
        staff.select_option("#id_area", label=NAMED_AREA)
        staff.fill("#id_name", "王秀英（12号楼）")
        staff.fill("#id_reference", "YJ-2026-012")
        staff.check("#id_consent")
        staff.fill("#id_body", "廊架会挡住一楼住户的阳光，建议移到东侧。")
        staff.locator(SUBMIT).click()
        expect(staff.locator("body")).to_contain_text("已录入王秀英（12号楼）的纸质公示异议")
        check_page(staff, "paper-recorded")
        objection = Objection.objects.get(notice__run__process=plan)
        assert objection.from_paper and objection.paper_reference == "YJ-2026-012"

        # The same paper again is refused, saying when and by whom it was recorded.
        staff.select_option("#id_area", label=NAMED_AREA)
        staff.fill("#id_name", "王秀英（12号楼）")
        staff.fill("#id_reference", "YJ-2026-013")
        staff.check("#id_consent")
        staff.fill("#id_body", "再交一份。")
        staff.locator(SUBMIT).click()
        expect(staff.locator("main")).to_contain_text("YJ-2026-012")
        check_page(staff, "paper-refused")
        assert Objection.objects.filter(notice__run__process=plan).count() == 1
    finally:
        staff.context.close()

    phone = new_page(browser, live_server, "phone")
    try:
        phone.goto(plan_url)
        expect(phone.locator("main")).to_contain_text("（其中1份为纸质意见代录）")
        check_page(phone, "paper-plan-public")
        phone.goto(plan_url + "notice/")
        expect(phone.locator("main")).to_contain_text("工作人员根据纸质意见代录")
        expect(phone.locator("main")).not_to_contain_text("王秀英")
        check_page(phone, "paper-notice-public")
    finally:
        phone.context.close()
