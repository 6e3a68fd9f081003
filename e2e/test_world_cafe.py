"""World Café: the area staff of 逸景佳苑 set up a café that is under way (three rounds
with a question each, two tables whose hosts matching suggests), change a host,
record what a table said in a round and harvest two themes; a visitor then sees it
all on the public café page.

Assertions rely on data (questions, names, notes), form values and stable
selectors, not on translated words.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import NAMED_AREA
from gongzhi.events.models import CafeTable, HarvestTheme, TableNote, WorldCafe
from gongzhi.places.models import ResidentialArea
from gongzhi.tests.factories import ActivityFactory, PartnerFactory, UserFactory

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

AREA_STAFF = "13800000003"  # staff of 逸景佳苑 and 第二居民区
TITLE = "境聚里世界咖啡馆·口袋公园"
QUESTIONS = [
    "口袋公园里，你最想在哪里坐一坐？",
    "谁会来用这块地方，什么时候？",
    "我们可以先一起做哪一件小事？",
]
HOSTS = ["葛规划", "顾智库", "沈规划"]
NOTE = "老人希望树荫下多几张带靠背的长椅。"
THEMES = [
    ("休憩与遮阴", "长椅、树荫和饮水点是第一位的需求。"),
    ("共建小行动", "从周末一起种花开始。"),
]
SUBMIT = 'button[type="submit"]'
MESSAGES = ".messages"


@pytest.fixture
def cafe_activity(demo_town):
    """A World Café at 逸景佳苑 that started ten minutes ago, and three planning
    partners living there (the hosts matching will suggest)."""
    yijing = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    for name in HOSTS:
        PartnerFactory(
            user=UserFactory(display_name=name, residential_area=yijing),
            area=yijing,
            name=name,
            profession="规划师",
            modes=["planning", "think_tank"],
            skills=["主持"],
        )
    start = timezone.now() - timedelta(minutes=10)
    return ActivityFactory(
        area=yijing,
        kind="world_cafe",
        title=TITLE,
        venue="逸致议事厅",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        created_by=User.objects.get(phone=AREA_STAFF),
    )


def test_an_organiser_runs_a_world_cafe_and_records_the_harvest(
    page, open_page, demo_town, cafe_activity
):
    activity = cafe_activity
    cafe_url = f"/t/{demo_town.slug}/activities/{activity.pk}/cafe/"

    # 1. The area staff open the activity: the organisers' panel lists the partners
    # involved (none yet) and links to the café.
    log_in(page, AREA_STAFF, activity.get_absolute_url(), "cafe-01-login")
    expect(page.locator("#hosts-panel h3")).to_be_visible()
    check_page(page, "cafe-02-activity-organiser")
    page.locator(f'main a[href="{cafe_url}"]').click()
    expect(page).to_have_url(re.compile(re.escape(cafe_url) + "$"))
    check_page(page, "cafe-03-set-up-form")

    # 2. Set up: three rounds with a question each, two tables.
    for number, question in enumerate(QUESTIONS, start=1):
        page.fill(f"#id_setup-question_{number}", question)
    page.fill("#id_setup-minutes", "25")
    page.fill("#id_setup-tables", "2")
    page.locator(f'form[action$="/cafe/set-up/"] {SUBMIT}').click()
    expect(page.locator(MESSAGES)).to_be_visible()
    cafe = WorldCafe.objects.get(activity=activity)
    assert [r.question for r in cafe.rounds.all()] == QUESTIONS
    tables = list(cafe.tables.select_related("host_partner"))
    hosts = [t.host_partner.name for t in tables]
    assert len(tables) == 2 and len(set(hosts)) == 2 and set(hosts) <= set(HOSTS)
    for question in QUESTIONS:
        expect(page.locator("main")).to_contain_text(question)
    for name in hosts:
        expect(page.locator("main")).to_contain_text(name)
    check_page(page, "cafe-04-set-up")

    # 3. The third planner hosts table 1 instead (a host stays at one table).
    spare = next(name for name in HOSTS if name not in hosts)
    first = tables[0]
    host_form = page.locator(f'form[action$="/cafe/tables/{first.pk}/host/"]')
    host_form.locator("select").select_option(label=spare)
    host_form.locator(SUBMIT).click()
    expect(page.locator(f"#table-{first.pk}")).to_contain_text(spare)
    first.refresh_from_db()
    assert first.host_partner.name == spare
    assert CafeTable.objects.filter(cafe=cafe, host_partner__isnull=False).count() == 2

    # 4. What table 1 said in round 2.
    second_round = cafe.rounds.get(number=2)
    page.select_option("#id_note-table", str(first.pk))
    page.select_option("#id_note-round", str(second_round.pk))
    page.fill("#id_note-text", NOTE)
    page.locator(f'form[action$="/cafe/notes/"] {SUBMIT}').click()
    expect(page.locator(f"#table-{first.pk}")).to_contain_text(NOTE)
    note = TableNote.objects.get(table=first, round=second_round)
    check_page(page, "cafe-05-note")

    # 5. The harvest: two themes, the first citing the note.
    for index, (title, summary) in enumerate(THEMES):
        page.fill("#id_theme-title", title)
        page.fill("#id_theme-summary", summary)
        if index == 0:
            page.check(f'input[name="theme-notes"][value="{note.pk}"]')
        page.locator(f'form[action$="/cafe/harvest/"] {SUBMIT}').click()
        expect(page.locator("#harvest")).to_contain_text(title)
    themes = list(HarvestTheme.objects.filter(cafe=cafe))
    assert [t.title for t in themes] == [t for t, _ in THEMES]
    assert list(themes[0].notes.all()) == [note]
    check_page(page, "cafe-06-harvest")

    # 6. A visitor finds the café from the activity page and sees all of it.
    visitor = open_page()
    visitor.goto(activity.get_absolute_url())
    check_page(visitor, "cafe-07-activity-public")
    visitor.locator(f'main a[href="{cafe_url}"]').click()
    expect(visitor).to_have_url(re.compile(re.escape(cafe_url) + "$"))
    main = visitor.locator("main")
    for text in [*QUESTIONS, spare, NOTE, *(t for t, _ in THEMES), *(s for _, s in THEMES)]:
        expect(main).to_contain_text(text)
    expect(visitor.locator(f'#theme-{themes[0].pk} a[href="#note-{note.pk}"]')).to_be_visible()
    expect(visitor.locator('form[action$="/cafe/notes/"]')).to_have_count(0)
    check_page(visitor, "cafe-08-public")
