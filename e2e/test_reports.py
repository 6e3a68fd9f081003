"""Reports: the dashboard shows the programme's seven reported figures for 2023 from
the demo records, with its charts drawn, on a phone and a desk screen; the annual
report opens as a printable sheet; the secretariat finds the ledgers bundle.

The whole demo (``seed_demo``: partners, activities, proposals, projects, meetings,
plans) is seeded first, so the figures are counted from what the other
capabilities' demo data created, never typed in.
"""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from gongzhi.places.models import Town

from .browser import VIEWPORTS, check_page, log_in, new_page
from .weight import LONG_TASKS_INIT_JS, page_weight

pytestmark = pytest.mark.browser

SECRETARIAT = "13800000004"
# PROGRAMME.md "Results reported for 2023": figure key -> what the tile must show.
REPORTED = {
    "areas_served": lambda n: n == 32,
    "partners": lambda n: n == 93,
    "activities": lambda n: n >= 10,
    "projects": lambda n: n == 7,
    "person_times": lambda n: n >= 6000,
    "proposals": lambda n: n == 44,
    "meetings": lambda n: n == 96,
}


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Town.objects.get()


def shown_number(text: str) -> int:
    """The number a tile shows ("6,195 人次" -> 6195)."""
    match = re.match(r"\s*([\d,]+)", text)
    assert match, f"no number in {text!r}"
    return int(match.group(1).replace(",", ""))


def test_the_dashboard_shows_the_reported_figures_of_2023_with_charts(browser, live_server, demo):
    # Unlike the other flows (one test per viewport), this one only reads, and the
    # demo year takes most of a minute to seed: it is seeded once and looked at on
    # every screen in VIEWPORTS.
    weigh_the_dashboard_on_a_phone(browser, live_server, demo)
    for viewport in VIEWPORTS:
        page = new_page(browser, live_server, viewport)
        try:
            look_at_the_reports(page, demo)
        finally:
            page.context.close()


# What the dashboard may transfer on a phone (issue 19: 200 KB). The whole ECharts
# bundle made it 436 KiB; ECharts built with only the chart types and components used
# (static/src/echarts-entry.js), pages compressed by GZipMiddleware and static files
# sent as brotli bring it under.
PHONE_BUDGET = 200 * 1000

# Each drawn chart that lacks one of its data's series or a component it asks for.
INCOMPLETE_CHARTS_JS = """() => Array.from(
    document.querySelectorAll("[data-report-chart]:not([hidden])"),
    (element) => {
        const id = element.getAttribute("data-report-chart");
        const data = JSON.parse(document.getElementById(id).textContent);
        const chart = window.echarts && window.echarts.getInstanceByDom(element);
        if (!chart) return `${id}: not drawn`;
        const model = chart.getModel();
        const missing = ["grid", "xAxis", "yAxis", "tooltip", "legend"]
            .filter((type) => !model.getComponent(type));
        if (model.getSeriesCount() !== data.series.length) {
            missing.push(`${model.getSeriesCount()} of ${data.series.length} series`);
        }
        return missing.length ? `${id}: ${missing.join(", ")}` : "";
    }).filter(Boolean)"""


def weigh_the_dashboard_on_a_phone(browser, live_server, demo):
    """The dashboard at 360 px, opened in a fresh context (nothing cached), transfers at
    most PHONE_BUDGET bytes as production sends them (e2e/weight.py says what is counted),
    and still draws its charts without a console error."""
    page = new_page(browser, live_server, "phone")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(LONG_TASKS_INIT_JS)
    try:
        page.goto(reverse("reports:dashboard", args=[demo.slug]) + "?year=2023")
        page.wait_for_load_state("load")
        charts = page.locator("[data-report-chart]:not([hidden])")
        assert charts.count() >= 8
        expect(charts.last.locator("canvas")).to_have_count(1)
        # A series type or component left out of the build is dropped in silence (a
        # canvas, no error): each chart must hold its series and components.
        incomplete = page.evaluate(INCOMPLETE_CHARTS_JS)
        assert not incomplete, f"charts drawn without what they need: {incomplete}"
        weight = page_weight(page)
        print(f"\nreports dashboard at 360 px:\n{weight}")
        assert weight.total <= PHONE_BUDGET, f"over {PHONE_BUDGET:,} B:\n{weight}"
        assert not errors, errors
        check_page(page, "reports-dashboard-weight")
    finally:
        page.context.close()


def look_at_the_reports(page, demo):
    dashboard = reverse("reports:dashboard", args=[demo.slug]) + "?year=2023"
    page.goto(dashboard)
    expect(page.locator("h1")).to_contain_text(demo.name)
    for key, expected in REPORTED.items():
        value = page.locator(f"#figure-{key} .figure-value").inner_text()
        assert expected(shown_number(value)), f"{key}: {value}"
    person_times = page.locator("#figure-person_times .figure-value").inner_text()
    assert re.match(r"\d{1,3}(,\d{3})+", person_times), person_times  # "6,195"
    # Every chart container has its canvas (ECharts drew it).
    charts = page.locator("[data-report-chart]:not([hidden])")
    assert charts.count() >= 8
    for index in range(charts.count()):
        expect(charts.nth(index).locator("canvas")).to_have_count(1)
    for key in ("activities", "proposals", "meetings", "processes"):
        expect(page.locator(f"#part-{key} [data-report-chart] canvas")).to_have_count(1)
    expect(page.locator("#months [data-report-chart] canvas")).to_have_count(1)
    expect(page.locator("#areas [data-report-chart] canvas")).to_have_count(2)
    check_page(page, "reports-dashboard")

    # A tile leads to the records behind it.
    href = page.locator("#figure-proposals a.tile-link").get_attribute("href")
    assert href.startswith(reverse("proposals:proposal_list", args=[demo.slug]))

    # The printable annual report of the year.
    page.locator("main .actions a", has_text="2023").first.click()
    expect(page).to_have_url(re.compile(r"/reports/annual/2023/$"))
    expect(page.locator(".report-sheet h1")).to_contain_text("2023")
    expect(page.locator("#reported-title + .report-tiles .report-tile")).to_have_count(7)
    expect(page.locator("#highlights .highlight")).to_have_count(7)
    expect(page.locator("#highlights .highlight-photos img")).to_have_count(14)  # before/after
    expect(page.locator("#processes tbody tr").first).to_be_visible()
    check_page(page, "reports-annual")

    # The secretariat also finds the ledgers bundle on the dashboard.
    log_in(page, SECRETARIAT, dashboard, "reports-login")
    ledgers = reverse("reports:ledgers", args=[demo.slug])
    expect(page.locator(f'main a[href^="{ledgers}"]')).to_have_count(1)
