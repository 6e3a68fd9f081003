"""Design contest: a contest runs from call to award.

The secretariat's call is open (seeded through the services). A resident enters a
design with a draft picture on a phone: a text file dressed as a PNG is refused
first, with nothing stored. The secretariat closes submissions and appoints a judge
suggested from the talent pool; the judge scores in each review stage; the
secretariat moves the entries on; a resident votes once; after the vote closes the
secretariat gives the awards and the winner shows on the contest page.

Time passes between steps by moving the contest's dates in the database (the
server runs in this process, so it sees them at once).
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.contests import services
from gongzhi.contests.models import Contest, Entry, EntryFile, PublicVote, Score
from gongzhi.demo.places import DEMO_PASSWORD, NAMED_AREA
from gongzhi.places.models import ResidentialArea
from gongzhi.tests.factories import PartnerFactory, SiteFactory, UserFactory

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
SECRETARIAT = "13800000004"
JUDGE_NAME = "陶规划"
JUDGE_PHONE = "13722223333"
TEAM = "转角小队"
TITLE = "转角遇见·邻里客厅"
OTHER_TITLE = "一米菜园"
SUBMIT = 'main form[method="post"] button[type="submit"]'
MESSAGES = ".messages"


@pytest.fixture
def contest(demo_town, settings, tmp_path):
    """An open call with two corner sites, two criteria, one entry already in, and
    two planners in the talent pool (the designer fits best)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    secretary = User.objects.get(phone=SECRETARIAT)
    yijing = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    sites = [
        SiteFactory(town=demo_town, area=yijing, name="5号楼转角"),
        SiteFactory(town=demo_town, area=yijing, name="东门小广场"),
    ]
    today = timezone.localdate()
    contest = services.create_contest(
        town=demo_town,
        actor=secretary,
        sites=sites,
        title="转角遇见社区微更新设计赛",
        description="为小区的转角空间征集微更新设计方案。",
        submission_opens=today - timedelta(days=14),
        submission_closes=today,
        early_review_on=today + timedelta(days=7),
        midterm_review_on=today + timedelta(days=21),
        final_review_on=today + timedelta(days=35),
        public_vote_closes=timezone.now() + timedelta(days=30),
        jury_weight=70,
        public_weight=30,
    )
    services.add_criterion(contest=contest, actor=secretary, name="创意", max_points=50)
    services.add_criterion(contest=contest, actor=secretary, name="可行性", max_points=50)
    contest = services.open_call(contest=contest, actor=secretary)
    services.submit_entry(
        contest=contest,
        user=UserFactory(display_name="周邻居", residential_area=yijing),
        team_name="园艺社",
        site=sites[1],
        title=OTHER_TITLE,
        description="在东门种一片小菜园。",
        files=[picture("garden.png")],
    )
    for name, phone, modes, skills in [
        (JUDGE_NAME, JUDGE_PHONE, ["planning", "think_tank"], ["空间设计", "手绘"]),
        ("严规划", "13722224444", ["planning"], ["园艺"]),
    ]:
        user = UserFactory(display_name=name, phone=phone, residential_area=yijing)
        user.set_password(DEMO_PASSWORD)  # the factory's hash is not the test server's hasher
        user.save(update_fields=["password"])
        PartnerFactory(
            user=user,
            area=yijing,
            name=name,
            profession="规划师",
            modes=modes,
            skills=skills,
        )
    return contest


def picture(name="draft.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 120, 90)).save(out, "PNG")
    return out.getvalue()


def time_passes(contest, **dates) -> None:
    Contest.objects.filter(pk=contest.pk).update(**dates)


def score_all(judge, contest_url, points: dict[str, int], name: str) -> None:
    """The judge scores every entry on the page, one form after another."""
    judge.goto(f"{contest_url}judge/")
    check_page(judge, name)
    forms = judge.locator("main .judge-list form")
    while forms.count():
        form = forms.first
        title = form.locator('button[type="submit"]').inner_text()
        for field in form.locator('input[type="number"]').all():
            value = next((v for key, v in points.items() if key in title), 30)
            field.fill(str(value))
        form.locator('button[type="submit"]').click()
        expect(judge.locator(MESSAGES)).to_be_visible()
    expect(judge.locator("main .scored").first).to_be_visible()


def test_a_contest_runs_from_call_to_award(page, open_page, demo_town, contest):
    town = demo_town.slug
    contest_url = f"/t/{town}/contests/{contest.pk}/"

    # 1. A resident finds the call and enters a design with a draft, on a phone.
    log_in(page, RESIDENT, f"/t/{town}/contests/", "contest-01-login-resident")
    check_page(page, "contest-02-list")
    page.locator(f'main a[href="{contest_url}"]').click()
    expect(page.locator("main h1")).to_have_text(contest.title)
    check_page(page, "contest-03-call")
    page.locator(f'main a[href="{contest_url}enter/"]').click()
    check_page(page, "contest-04-enter")

    page.fill("#id_team_name", TEAM)
    page.fill("#id_members", "李居民（组长）、两位邻居")
    site = page.locator("#id_site option", has_text="5号楼转角")
    page.select_option("#id_site", site.get_attribute("value"))
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "把5号楼转角变成邻居们愿意停留的小客厅。")
    # A text file dressed as a picture: refused, named, nothing stored.
    page.set_input_files(
        "#id_files",
        files=[{"name": "sketch.png", "mimeType": "image/png", "buffer": b"only text inside"}],
    )
    page.locator(SUBMIT).click()
    summary = page.locator("#form-errors[role=alert]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("sketch.png")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    assert not Entry.objects.filter(title=TITLE).exists()
    assert EntryFile.objects.count() == 1  # only the other team's
    check_page(page, "contest-05-enter-errors")

    page.set_input_files(
        "#id_files", files=[{"name": "corner.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.locator(SUBMIT).click()
    entry = Entry.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(rf"{contest_url}entries/{entry.pk}/$"))
    expect(page.locator("main h1")).to_have_text(TITLE)
    draft = page.locator("main .drafts img")
    expect(draft).to_have_count(1)
    draft.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=draft.element_handle()
    )
    assert draft.evaluate("img => img.naturalWidth") == 320  # served back as the picture
    check_page(page, "contest-06-entry")

    # 2. Submissions close; the secretariat appoints the judge matching suggests.
    time_passes(contest, submission_closes=timezone.localdate() - timedelta(days=1))
    secretariat = open_page()
    manage = f"{contest_url}manage/"
    log_in(secretariat, SECRETARIAT, manage, "contest-07-login-secretariat")
    suggestions = secretariat.locator("#jury .card-list > li.card")
    expect(suggestions.first.locator("strong")).to_have_text(JUDGE_NAME)
    check_page(secretariat, "contest-08-manage")
    jury_form = secretariat.locator('#jury form[action$="/jury/"]')
    judge_option = jury_form.locator("#id_partner option", has_text=JUDGE_NAME)
    jury_form.locator("#id_partner").select_option(judge_option.get_attribute("value"))
    jury_form.locator('button[type="submit"]').click()
    expect(secretariat.locator("#jury .jury-list")).to_contain_text(JUDGE_NAME)
    secretariat.locator('#stages form button[type="submit"]').click()
    expect(secretariat.locator(MESSAGES)).to_be_visible()
    assert Contest.objects.get(pk=contest.pk).stage == "early"
    check_page(secretariat, "contest-09-early-review")

    # 3. The judge scores both entries in the early review; the entries move on.
    judge = open_page()
    log_in(judge, JUDGE_PHONE, contest_url, "contest-10-login-judge")
    expect(judge.locator(f'main a[href="{contest_url}judge/"]')).to_be_visible()
    score_all(judge, contest_url, {TITLE: 40, OTHER_TITLE: 30}, "contest-11-judge-early")
    assert Score.objects.filter(stage="early").count() == 4
    check_page(judge, "contest-12-judge-scored")

    for stage in ("midterm", "final"):
        secretariat.goto(manage)
        advance = secretariat.locator("#stages form.advance")
        for box in advance.locator('input[name="keep"]').all():
            box.check()
        advance.locator('button[type="submit"]').click()
        expect(secretariat.locator(MESSAGES)).to_be_visible()
        assert Contest.objects.get(pk=contest.pk).stage == stage
    check_page(secretariat, "contest-13-final")
    score_all(judge, contest_url, {TITLE: 45, OTHER_TITLE: 35}, "contest-14-judge-final")
    assert Score.objects.filter(stage="final").count() == 4

    # 4. The public vote: one per account.
    page.goto(contest_url)
    vote = page.locator(f"#entry-{entry.pk} form button")
    expect(vote).to_be_visible()
    check_page(page, "contest-15-vote")
    vote.click()
    expect(page.locator(MESSAGES)).to_be_visible()
    expect(page.locator("#entries form button")).to_have_count(0)  # voted: no more buttons
    assert PublicVote.objects.filter(user__phone=RESIDENT).count() == 1
    check_page(page, "contest-16-voted")

    # 5. After the vote closes the secretariat gives the awards.
    time_passes(contest, public_vote_closes=timezone.now() - timedelta(minutes=1))
    secretariat.goto(manage)
    awards = secretariat.locator("#stages form.awards")
    expect(awards.locator(f"#id_award_{entry.pk}")).to_have_value("一等奖")
    check_page(secretariat, "contest-17-awards")
    other = Entry.objects.get(title=OTHER_TITLE)
    awards.locator(f"#id_award_{other.pk}").fill("优秀奖")
    awards.locator('button[type="submit"]').click()
    expect(secretariat.locator(MESSAGES)).to_be_visible()
    assert Contest.objects.get(pk=contest.pk).status == "awarded"
    assert list(Entry.objects.winners().order_by("award__rank")) == [entry, other]

    # 6. The winner shows on the contest page, with the results.
    page.goto(contest_url)
    results = page.locator("#results li.card")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text(TITLE)
    expect(results.first.locator(".award")).to_have_text("一等奖")
    expect(page.locator(f"#entry-{entry.pk} .award")).to_have_text("一等奖")
    check_page(page, "contest-18-awarded")
