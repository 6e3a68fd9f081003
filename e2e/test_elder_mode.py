"""长辈版 (older residents' mode), issue 15 point 5, in the browser.

(a) On a 360 px phone a resident half-writes a comment on a proposal, turns 长辈版 on
with one tap in the header and stays on the same page with the words still typed
(the switch changes the page in place). Then the resident's main tasks in 长辈版:
support (支持) and comment (留言) on the proposal, sign up for an activity (报名),
check in by the QR link once check-in is open (签到), answer a survey (问卷). Every page:
check_page (axe: no serious or critical violations, no sideways scrolling, no CSP
refusals), every target at least 48 × 48 CSS px, no text under 18 px, line height at
least 1.8, text at 7:1 contrast (axe's color-contrast-enhanced rule), nothing moving,
headings in order, the main task above the page's facts. The choice persists: after
logging out (the cookie), in a new browser after logging in (the account), and in a
new browser given only the cookie.

(b) The same pages at 200 % zoom: the phone's viewport at two device pixels per CSS
pixel, so the page lays itself out in 180 × 370 CSS px, as Chromium's page zoom does
(new_page's ``zoom``). Rather than CSS ``zoom`` on the body, which scales the
drawing but leaves media queries and the window's width as they were, so it would
not show how the page reflows. Checked alike: no sideways scrolling, axe, 48 px
targets, 18 px text.

Assertions rely on data and stable selectors, not on translated words.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import NAMED_AREA
from gongzhi.events import services as events
from gongzhi.events.models import Attendance, Registration
from gongzhi.places.models import ResidentialArea
from gongzhi.proposals import services as proposals
from gongzhi.proposals.models import Comment, Support
from gongzhi.surveys import services as surveys
from gongzhi.surveys.models import Response
from gongzhi.tests.factories import ActivityFactory, UserFactory

from .browser import assert_touch_targets, check_page, log_in, new_page

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
AREA_STAFF = "13800000003"  # staff of 逸景佳苑
MODE_COOKIE = "gongzhi_mode"
TOGGLE = "header form[data-mode-switch] button"
TYPED = "楼道灯坏了好几天，晚上下楼看不清台阶，希望尽快修好。"

# Visible text drawn smaller than the least size (CSS px), named with its size.
SMALL_TEXT_JS = """(least) => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const text = walker.currentNode.textContent.trim();
        const el = walker.currentNode.parentElement;
        if (!text || !el || !el.checkVisibility || !el.checkVisibility()) continue;
        if (el.closest(".visually-hidden, [hidden], script, style")) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size >= least - 0.01) continue;
        found.push(`${el.tagName.toLowerCase()} "${text.slice(0, 20)}" ${size}px`);
    }
    return found.slice(0, 10);
}"""

# What a reader of the page meets: heading levels in order, the animations running.
PAGE_FACTS_JS = """() => {
    const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
        .filter((h) => h.checkVisibility())
        .map((h) => Number(h.tagName[1]));
    const body = getComputedStyle(document.body);
    return {
        levels,
        elder: document.documentElement.classList.contains("elder"),
        fontSize: parseFloat(body.fontSize),
        lineHeight: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
        animations: document.getAnimations().length,
        polling: document.querySelectorAll('[hx-trigger*="every"]').length,
        landmarks: [
            document.querySelectorAll("header.site-header").length,
            document.querySelectorAll("main").length,
            document.querySelectorAll("footer.site-footer").length,
            [...document.querySelectorAll("nav")].every((n) => n.getAttribute("aria-label")),
        ],
    };
}"""

CONTRAST_JS = """async () => {
    const results = await axe.run(document, {
        runOnly: {type: "rule", values: ["color-contrast-enhanced"]},
        resultTypes: ["violations"],
    });
    return results.violations.flatMap((v) => v.nodes.map((n) => n.target.join(" ")
        + " " + (n.any[0] && n.any[0].message || "")));
}"""


def check_elder_page(page, name: str, task: str | None = None) -> None:
    """check_page, then what 长辈版 promises on this page. ``task``: the selector of
    the page's main task, which must come before the page's facts."""
    check_page(page, name)  # also injects axe-core for the contrast check below
    assert_touch_targets(page, "body", least=48)
    small = page.evaluate(SMALL_TEXT_JS, 18)
    assert not small, f"{name}: text under 18 px: {small}"
    facts = page.evaluate(PAGE_FACTS_JS)
    assert facts["elder"], f"{name}: not in 长辈版"
    assert facts["fontSize"] >= 18 and facts["lineHeight"] >= 1.8 - 1e-6, facts
    assert facts["animations"] == 0 and facts["polling"] == 0, facts
    assert facts["landmarks"] == [1, 1, 1, True], facts
    levels = facts["levels"]
    assert levels and levels[0] == 1, f"{name}: the first heading is not h1: {levels}"
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not skips, f"{name}: headings skip a level: {levels}"
    low = page.evaluate(CONTRAST_JS)
    assert not low, f"{name}: text under 7:1 contrast: {low}"
    if task is not None:
        first = page.locator(task).first.bounding_box()
        facts_box = page.locator("main .facts").first.bounding_box()
        assert first["y"] < facts_box["y"], f"{name}: the main task is not first"


@pytest.fixture
def world(demo_town):
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    staff = User.objects.get(phone=AREA_STAFF)
    neighbour = UserFactory(display_name="周邻居", residential_area=area)
    proposal = proposals.submit_proposal(
        town=demo_town,
        author=neighbour,
        area=area,
        title="楼道加装扶手和感应灯",
        description="老人上下楼不方便，晚上楼道太暗。",
        category="facilities",
    )
    starts = timezone.now() + timedelta(minutes=30)  # check-in is open from an hour before
    activity = ActivityFactory(
        area=area,
        kind="volunteer_service",
        title="睦邻点读报志愿服务",
        venue="逸景佳苑睦邻点",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=20,
        created_by=staff,
    )
    survey = surveys.create_survey(
        town=demo_town, area=area, actor=staff, title="睦邻点活动时间调查"
    )
    question = surveys.add_question(
        survey=survey,
        actor=staff,
        kind="single",
        text="您最方便参加活动的时间是？",
        options=["上午", "下午", "晚上"],
    )
    surveys.open_survey(survey=survey, actor=staff)
    return {
        "town": demo_town,
        "proposal": proposal,
        "activity": activity,
        "checkin": reverse(
            "events:checkin", args=[demo_town.slug, activity.pk, events.checkin_token(activity)]
        ),
        "survey": survey,
        "question": question,
    }


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_resident_does_the_main_tasks_in_elder_mode(page, open_page, world, browser, live_server):
    resident = User.objects.get(phone=RESIDENT)
    proposal_url = world["proposal"].get_absolute_url()
    log_in(page, RESIDENT, proposal_url, "elder-01-login")
    assert page.evaluate("document.documentElement.className") == "standard"

    # Half a comment typed, then one tap: the same page, in 长辈版, the words still there.
    page.fill("#comment-form textarea", TYPED)
    with page.expect_response(re.compile(r"/mode/$")) as sent:
        page.locator(TOGGLE).click()
    assert sent.value.status == 200 and sent.value.json() == {"mode": "elder"}
    expect(page.locator("html")).to_have_class("elder")
    expect(page.locator(TOGGLE)).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(re.compile(re.escape(proposal_url) + "$"))
    expect(page.locator("#comment-form textarea")).to_have_value(TYPED)
    resident.refresh_from_db()
    assert resident.elder_mode is True  # kept on the account, in the background
    # The support box moved to the top, with the link to the comment form.
    expect(page.locator("[data-task-slot] #support")).to_be_visible()
    check_elder_page(page, "elder-02-proposal", task="[data-task-slot]")

    # 支持: the large button first on the page.
    page.locator("[data-task-slot] #support button.primary").click()
    expect(page.locator("#support form[action$='/withdraw/']")).to_be_visible()
    assert Support.objects.filter(proposal=world["proposal"], user=resident).exists()
    check_elder_page(page, "elder-03-supported", task="[data-task-slot]")

    # 留言: the task bar's button leads to the form, where the words still are.
    page.locator("[data-task-slot] a[href='#comment-form']").click()
    expect(page.locator("#comment-form textarea")).to_be_in_viewport()
    expect(page.locator("#comment-form textarea")).to_have_value(TYPED)
    page.locator("#comment-form button[type=submit]").click()
    expect(page.locator("#comments")).to_contain_text(TYPED)
    assert Comment.objects.filter(proposal=world["proposal"], author=resident).exists()
    check_elder_page(page, "elder-04-commented", task="[data-task-slot]")

    # 报名: the activity's sign-up first on the page.
    activity = world["activity"]
    detail = activity.get_absolute_url()
    page.goto(detail)
    signup = page.locator(f"[data-task-slot] form[action$='{detail}register/'] button")
    expect(signup).to_be_visible()
    check_elder_page(page, "elder-05-activity", task="[data-task-slot]")
    signup.click()
    expect(page.locator(f"[data-task-slot] form[action$='{detail}cancel/']")).to_be_visible()
    assert Registration.objects.filter(activity=activity, user=resident).exists()
    check_elder_page(page, "elder-06-signed-up", task="[data-task-slot]")

    # 签到: the QR code's link, check-in open.
    page.goto(world["checkin"])
    check_elder_page(page, "elder-07-check-in")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(activity.title)
    assert Attendance.objects.filter(activity=activity, user=resident).exists()
    check_elder_page(page, "elder-08-checked-in")

    # 问卷: answer and send.
    survey, question = world["survey"], world["question"]
    page.goto(survey.get_absolute_url())
    check_elder_page(page, "elder-09-survey")
    page.locator(f'input[name="q{question.pk}"][value="1"]').check()
    page.locator("main form.survey-form button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    assert Response.objects.filter(survey=survey, user=resident).exists()
    check_elder_page(page, "elder-10-survey-answered")

    # It persists. Logged out, this browser still shows 长辈版 (the cookie) ...
    page.locator(".account-nav form[action$='/logout/'] button").click()
    page.goto(detail)
    expect(page.locator("html")).to_have_class("elder")
    # ... a new browser given only the cookie shows it ...
    cookie = [c for c in page.context.cookies() if c["name"] == MODE_COOKIE]
    assert [c["value"] for c in cookie] == ["elder"]
    visitor = open_page()
    visitor.context.add_cookies(cookie)
    visitor.goto(detail)
    expect(visitor.locator("html")).to_have_class("elder")
    check_elder_page(visitor, "elder-11-visitor-with-cookie", task="[data-task-slot]")
    # ... and a new browser without it shows it once the resident logs in (the account).
    other = open_page()
    other.goto(detail)
    expect(other.locator("html")).to_have_class("standard")
    log_in(other, RESIDENT, detail, "elder-12-login-elsewhere")
    expect(other.locator("html")).to_have_class("elder")

    # And one tap back: the standard page, the task back in its place.
    other.locator(TOGGLE).click()
    expect(other.locator("html")).to_have_class("standard")
    expect(other.locator(TOGGLE)).to_have_attribute("aria-pressed", "false")
    expect(other.locator("[data-task-slot] [data-task]")).to_have_count(0)
    expect(other.locator("[data-task='signup']")).to_be_visible()
    expect(other).to_have_url(re.compile(re.escape(detail) + "$"))

    # The language switch reloads the page: what was typed comes back with it.
    other.goto(proposal_url)
    other.fill("#comment-form textarea", TYPED)
    other.select_option("#lang-select", "en")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other).to_have_url(re.compile(re.escape(proposal_url) + "$"))
    expect(other.locator("#comment-form textarea")).to_have_value(TYPED)
    # 长辈版 in English too (longer words in the header and the tab bar).
    other.locator(TOGGLE).click()
    expect(other.locator("html")).to_have_class("elder")
    check_elder_page(other, "elder-13-english", task="[data-task-slot]")

    # Without JavaScript the switch is a plain form: it posts and comes back to the page.
    bare = browser.new_context(
        viewport=page.viewport_size, base_url=live_server.url, java_script_enabled=False
    )
    try:
        plain = bare.new_page()
        plain.goto(detail)
        expect(plain.locator("html")).to_have_class("standard")
        plain.locator(TOGGLE).click()
        expect(plain).to_have_url(re.compile(re.escape(detail) + "$"))
        expect(plain.locator("html")).to_have_class("elder")
        expect(plain.locator("[data-task-slot] [data-task='signup']")).to_have_count(1)
    finally:
        bare.close()


def test_the_main_task_pages_at_200_percent_zoom(browser, live_server, world):
    resident = User.objects.get(phone=RESIDENT)
    resident.elder_mode = True
    resident.save(update_fields=["elder_mode"])
    activity = world["activity"]
    page = new_page(browser, live_server, "phone", zoom=2)
    try:
        assert page.viewport_size == {"width": 180, "height": 370}
        # 长辈版 from the first page on (the log-in page is not the account's yet).
        page.context.add_cookies([{"name": MODE_COOKIE, "value": "elder", "url": live_server.url}])
        proposal_url = world["proposal"].get_absolute_url()
        log_in(page, RESIDENT, proposal_url, "elder-zoom-01-login")
        pages = [
            ("elder-zoom-02-proposal", proposal_url),
            ("elder-zoom-03-activity", activity.get_absolute_url()),
            ("elder-zoom-04-check-in", world["checkin"]),
            ("elder-zoom-05-survey", world["survey"].get_absolute_url()),
            ("elder-zoom-06-me", reverse("me")),
        ]
        for name, url in pages:
            page.goto(url)
            check_elder_page(page, name)
    finally:
        page.context.close()
