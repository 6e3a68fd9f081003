"""People: a resident applies on a phone, the secretariat accepts with a primary
mode, the talent pool shows the new partner masked to a resident and in full to the
secretariat, and area staff use matching to add a designer to their area's team.

Each person has their own browser context (their own cookies) at the viewport of
the test. Assertions rely on data (names, numbers, areas), form values and stable
selectors, not on translated words.
"""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import NAMED_AREA
from gongzhi.organisations.models import Membership
from gongzhi.organisations.services import create_team, set_up_organisation
from gongzhi.partners.models import Application, Partner
from gongzhi.places.models import ResidentialArea
from gongzhi.tests.factories import PartnerFactory, UserFactory

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
AREA_STAFF = "13800000003"  # staff of 逸景佳苑 and 第二居民区
SECRETARIAT = "13800000004"
ADMINISTRATOR = "13800000005"

APPLICANT_NAME = "林晓岚"
APPLICANT_PHONE = "13712345678"
APPLICANT_PHONE_MASKED = "137****5678"
APPLICANT_PASSWORD = "lantern-harbour-73"

DESIGNER = "陶设计"
TEAM_NAME = "逸景佳苑议事厅共建团队"

SUBMIT = 'main form[method="post"] button[type="submit"]'
MESSAGES = ".messages"


@pytest.fixture
def people(demo_town):
    """The organisation with a team tied to 逸景佳苑, and a small talent pool in which
    one designer fits the team's need best."""
    admin = User.objects.get(phone=ADMINISTRATOR)
    yijing = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    second = ResidentialArea.objects.get(town=demo_town, code="02")
    far = ResidentialArea.objects.get(town=demo_town, code="20")
    set_up_organisation(town=demo_town, actor=admin)
    team = create_team(
        town=demo_town,
        actor=admin,
        name=TEAM_NAME,
        basis="group",
        group_name="逸景佳苑社区规划小组",
        areas=[yijing],
    )
    pool = [
        # name, area, profession, modes (primary first), skills
        (DESIGNER, yijing, "设计师", ["planning"], ["手绘", "模型制作"]),
        ("孔老师", yijing, "退休教师", ["education"], ["手绘"]),
        ("严设计", far, "设计师", ["planning", "media"], ["摄影"]),
        ("钱律师", second, "律师", ["governance"], ["法律咨询"]),
    ]
    for name, area, profession, modes, skills in pool:
        PartnerFactory(
            user=UserFactory(display_name=name, residential_area=area),
            area=area,
            name=name,
            profession=profession,
            modes=modes,
            skills=skills,
        )
    return team


def fill_application(page) -> None:
    """Everything but the consent box; passwords are never sent back, so a second
    submission fills them again."""
    page.fill("#id_name", APPLICANT_NAME)
    page.fill("#id_phone", APPLICANT_PHONE)
    page.fill("#id_password1", APPLICANT_PASSWORD)
    page.fill("#id_password2", APPLICANT_PASSWORD)
    area = page.locator("#id_area option", has_text=NAMED_AREA)
    page.select_option("#id_area", area.get_attribute("value"))
    page.fill("#id_profession", "教师")
    page.fill("#id_skills", "儿童教育, 手工")
    page.check('input[name="modes"][value="education"]')
    page.check('input[name="modes"][value="media"]')
    page.select_option("#id_party_status", "member")
    page.check('input[name="availability"][value="weekday_evening"]')
    page.check('input[name="availability"][value="weekend_day"]')
    page.fill("#id_motivation", "想带孩子们做社区手工课。")


def test_resident_applies_secretariat_accepts_staff_match_a_designer(
    page, open_page, viewport, demo_town, people
):
    town = demo_town.slug
    directory = f"/t/{town}/partners/"
    team = people

    # 1. A visitor finds the application form from the talent pool, on a phone.
    page.goto(directory)
    check_page(page, "people-01-directory-visitor")
    page.locator(f'main a.button[href$="{directory}apply/"]').click()
    expect(page).to_have_url(re.compile(rf"{directory}apply/$"))
    check_page(page, "people-02-apply")

    # Forgetting the consent: a summary at the top, and nothing is stored.
    applications_before = Application.objects.count()
    fill_application(page)
    page.locator(SUBMIT).click()
    summary = page.locator("#form-errors[role=alert]")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_consent"]')).to_be_visible()
    expect(page.locator("#id_consent_error")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value(APPLICANT_NAME)
    expect(page.locator('input[name="modes"][value="education"]')).to_be_checked()
    expect(page.locator("#id_password1")).to_have_value("")
    assert Application.objects.count() == applications_before
    assert not User.objects.filter(phone=APPLICANT_PHONE).exists()
    check_page(page, "people-03-apply-errors")

    page.fill("#id_password1", APPLICANT_PASSWORD)
    page.fill("#id_password2", APPLICANT_PASSWORD)
    page.check("#id_consent")
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/partners/applications/mine/$"))
    expect(page.locator(".account-nav .user-name")).to_have_text(APPLICANT_NAME)
    expect(page.locator("main .status.submitted")).to_have_count(1)
    application = Application.objects.get(applicant__phone=APPLICANT_PHONE)
    assert application.modes_wanted == ["media", "education"]
    assert application.area.name == NAMED_AREA
    assert sorted(s.name for s in application.skills.all()) == ["儿童教育", "手工"]
    check_page(page, "people-04-my-applications")

    # 2. The secretariat reviews it and accepts with Education as the primary mode.
    secretariat = open_page()
    review_queue = f"{directory}review/"
    log_in(secretariat, SECRETARIAT, review_queue, "people-05-login-secretariat")
    check_page(secretariat, "people-06-review-queue")
    secretariat.locator("main .card a", has_text=APPLICANT_NAME).click()
    expect(secretariat).to_have_url(re.compile(rf"{review_queue}{application.pk}/$"))
    expect(secretariat.locator("main h1")).to_contain_text(APPLICANT_NAME)
    check_page(secretariat, "people-07-review-application")
    accept = secretariat.locator('main form[action$="/accept/"]')
    # Proposed from the modes wanted, in order; the secretariat makes Education the
    # primary one and keeps Media as a secondary mode (it is not kept by itself).
    expect(accept.locator('select[name="primary_mode"]')).to_have_value("media")
    expect(accept.locator('input[name="secondary_modes"][value="education"]')).to_be_checked()
    accept.locator('select[name="primary_mode"]').select_option("education")
    accept.locator('input[name="secondary_modes"][value="media"]').check()
    accept.locator('button[type="submit"]').click()
    expect(secretariat).to_have_url(re.compile(rf"{review_queue}$"))
    expect(secretariat.locator(MESSAGES)).to_contain_text(APPLICANT_NAME)
    partner = Partner.objects.get(user__phone=APPLICANT_PHONE)
    assert partner.primary_mode == "education"
    assert partner.secondary_modes == ["media"]
    assert partner.area.name == NAMED_AREA
    check_page(secretariat, "people-08-accepted")

    # The applicant is told: an unread message, and the application shows accepted.
    page.reload()
    expect(page.locator('.account-nav a[href$="/notifications/"] .badge')).to_be_visible()
    expect(page.locator("main .status.accepted")).to_have_count(1)
    check_page(page, "people-09-my-applications-accepted")

    # 3. The talent pool: in full for the secretariat, masked for a resident.
    search = f"{directory}?q={quote(APPLICANT_NAME)}"
    secretariat.goto(search)
    card = secretariat.locator("#results .card")
    expect(card).to_have_count(1)
    expect(card.locator("strong")).to_have_text(APPLICANT_NAME)
    expect(card).to_contain_text(APPLICANT_PHONE)
    check_page(secretariat, "people-10-directory-secretariat")

    resident = open_page()
    log_in(resident, RESIDENT, search, "people-11-login-resident")
    card = resident.locator("#results .card")
    expect(card).to_have_count(1)
    expect(card.locator("strong")).to_have_text(APPLICANT_NAME[0] + "**")
    expect(card).to_contain_text(APPLICANT_PHONE_MASKED)
    expect(card).not_to_contain_text(APPLICANT_NAME)
    assert APPLICANT_PHONE not in resident.content()
    check_page(resident, "people-12-directory-resident")

    # 4. Staff of the team's area ask for suggestions and add the best one.
    staff = open_page()
    unit_url = f"/t/{town}/organisation/{team.pk}/"
    log_in(staff, AREA_STAFF, unit_url, "people-13-login-staff")
    expect(staff.locator("main h1")).to_have_text(TEAM_NAME)
    check_page(staff, "people-14-team")
    suggest = staff.locator("main section.staff form")
    suggest.locator("#id_skills").fill("手绘")
    suggest.locator("#id_profession").fill("设计师")
    area = suggest.locator("#id_area option", has_text=NAMED_AREA)
    suggest.locator("#id_area").select_option(area.get_attribute("value"))
    suggest.locator('button[type="submit"]').click()
    suggestions = staff.locator("#results ol > li.card")
    expect(suggestions.first).to_be_visible()
    # htmx swapped the list in: still on the team page.
    expect(staff).to_have_url(re.compile(rf"{unit_url}$"))
    best = suggestions.first
    expect(best.locator("strong")).to_have_text(DESIGNER)
    # Skill, profession and area: three reasons, each with its points.
    expect(best.locator(".reasons li")).to_have_count(3)
    expect(best.locator(".reasons")).to_contain_text("手绘")
    expect(best.locator(".reasons")).to_contain_text("设计师")
    expect(suggestions.nth(1).locator("strong")).to_have_text("孔老师")
    check_page(staff, "people-15-team-suggestions")

    best.locator('form button[type="submit"]').click()
    expect(staff).to_have_url(re.compile(rf"{unit_url}$"))
    expect(staff.locator(MESSAGES)).to_contain_text(DESIGNER)
    members = staff.locator("main section.panel").first.locator(".card-list > li.card")
    expect(members.filter(has_text=DESIGNER)).to_have_count(1)
    assert Membership.objects.current().filter(unit=team, partner__name=DESIGNER).exists()
    check_page(staff, "people-16-team-member-added")
