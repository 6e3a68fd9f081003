"""Deliberation: a proposal from a phone to a meeting's agenda, and a joint meeting from
sign-in to masked public minutes.

(a) A resident raises a proposal on a phone; two neighbours support it, which passes
the town's threshold (set to 2 here) and sends it to review by itself; the area's
staff put it on the agenda of an upcoming joint meeting, which adopts it; a supporter
sees "adopted" in their notifications and on the proposal.

(b) The area's staff schedule a joint meeting and run it: the three parties are
invited, signed in and recorded present; a motion is moved and seconded; everyone
votes by name; the decision computed from the votes is recorded (declaring the
opposite is refused first); the minutes, which name the participants, are approved;
a resident reads them on a phone with every name masked.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import DEMO_PASSWORD, NAMED_AREA
from gongzhi.meetings import services as meeting_services
from gongzhi.meetings.models import Attendee, Meeting, Motion
from gongzhi.places.models import ResidentialArea
from gongzhi.proposals import services as proposal_services
from gongzhi.proposals.models import Proposal, StatusChange
from gongzhi.tests.factories import UserFactory

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
AREA_STAFF = "13800000003"  # staff of 逸景佳苑 and 第二居民区
SECRETARIAT = "13800000004"
PROPOSAL_TITLE = "5号楼前增设休息座椅"
MEETING_TITLE = "逸景佳苑第三季度联席会"
MOTION_TEXT = "同意在5号楼前增设三组休息座椅"
PARTIES = [
    ("张建国", "residents_committee"),
    ("李秀英", "owners_committee"),
    ("王志强", "property_company"),
]
SUBMIT = 'main form[method="post"] button[type="submit"]'


def neighbour(area, name: str, phone: str) -> User:
    user = UserFactory(display_name=name, phone=phone, residential_area=area)
    user.set_password(DEMO_PASSWORD)  # the factory's hash is not the test server's hasher
    user.save(update_fields=["password"])
    return user


def local_input(moment) -> str:
    """A datetime as a datetime-local input takes it, in the town's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_proposal_passes_its_threshold_and_is_adopted_onto_an_agenda(page, open_page, demo_town):
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    secretary = User.objects.get(phone=SECRETARIAT)
    staff = User.objects.get(phone=AREA_STAFF)
    proposal_services.update_settings(
        town=demo_town, actor=secretary, support_threshold=2, authors_may_support=False
    )
    starts = timezone.now() + timedelta(days=3)
    meeting = meeting_services.create_meeting(
        town=demo_town,
        actor=staff,
        kind="joint",
        title=MEETING_TITLE,
        venue="逸景佳苑议事厅",
        area=area,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    supporters = [
        neighbour(area, "周邻居", "13911110001"),
        neighbour(area, "吴邻居", "13911110002"),
    ]

    # The resident raises the proposal on their phone.
    new_url = f"/t/{demo_town.slug}/proposals/new/"
    log_in(page, RESIDENT, new_url, "deliberation-login")
    check_page(page, "proposal-new")
    page.fill("#id_title", PROPOSAL_TITLE)
    page.fill("#id_description", "老人散步时没有地方歇脚，希望在5号楼前的空地增设座椅。")
    page.select_option("#id_area", label=NAMED_AREA)
    page.select_option("#id_category", "facilities")
    page.locator(SUBMIT).click()
    expect(page.locator("h1")).to_have_text(PROPOSAL_TITLE)
    check_page(page, "proposal-submitted")
    proposal = Proposal.objects.get(title=PROPOSAL_TITLE)
    assert proposal.status == "submitted" and proposal.author.phone == RESIDENT
    proposal_url = f"/t/{demo_town.slug}/proposals/{proposal.pk}/"
    expect(page).to_have_url(re.compile(re.escape(proposal_url) + "$"))

    # Two neighbours support it; the second support reaches the threshold.
    for index, supporter in enumerate(supporters):
        other = open_page()
        log_in(other, supporter.phone, proposal_url, f"supporter-{index}-login")
        other.get_by_role("button", name="支持这项提案").click()
        expect(other.get_by_role("button", name="撤回我的支持")).to_be_visible()
        expect(other.locator("#support")).to_contain_text(str(index + 1))
        check_page(other, f"proposal-supported-{index}")
    proposal.refresh_from_db()
    assert proposal.status == "under_review"
    assert proposal.supports.filter(withdrawn_at__isnull=True).count() == 2
    supporter_page = other

    # The area's staff put it on the joint meeting's agenda, which adopts it.
    staff_page = open_page()
    log_in(staff_page, AREA_STAFF, proposal_url, "staff-login")
    staff_page.get_by_role("link", name="列入会议议程").click()
    check_page(staff_page, "proposal-adopt")
    staff_page.select_option("#id_meeting", str(meeting.pk))
    staff_page.locator(SUBMIT).click()
    expect(staff_page.locator("main")).to_contain_text(MEETING_TITLE)
    proposal.refresh_from_db()
    assert proposal.status == "adopted"
    assert meeting.agenda.filter(proposal=proposal).count() == 1
    assert list(
        StatusChange.objects.filter(proposal=proposal).values_list("to_status", flat=True)
    ) == ["under_review", "adopted"]

    # A supporter sees the change in their notifications and on the proposal.
    supporter_page.goto("/notifications/")
    expect(supporter_page.locator("main")).to_contain_text(PROPOSAL_TITLE)
    expect(supporter_page.locator("main")).to_contain_text("已采纳")
    check_page(supporter_page, "supporter-notifications")
    supporter_page.goto(proposal_url)
    expect(supporter_page.locator("main")).to_contain_text("已采纳")
    expect(supporter_page.locator("main")).to_contain_text(MEETING_TITLE)
    check_page(supporter_page, "proposal-adopted")

    # The public list shows it with its supports, on any screen.
    page.goto(f"/t/{demo_town.slug}/proposals/?sort=supports")
    expect(page.locator("main")).to_contain_text(PROPOSAL_TITLE)
    check_page(page, "proposal-list")


def test_a_joint_meeting_decides_and_publishes_masked_minutes(page, open_page, demo_town):
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    staff_page = open_page()
    log_in(staff_page, AREA_STAFF, f"/t/{demo_town.slug}/meetings/new/", "meeting-staff-login")

    # Schedule the joint meeting (it started a few minutes ago).
    check_page(staff_page, "meeting-new")
    starts = timezone.now() - timedelta(minutes=5)
    staff_page.select_option("#id_kind", "joint")
    staff_page.fill("#id_title", MEETING_TITLE)
    staff_page.select_option("#id_area", label=NAMED_AREA)
    staff_page.fill("#id_venue", "逸景佳苑议事厅")
    staff_page.fill("#id_starts_at", local_input(starts))
    staff_page.fill("#id_ends_at", local_input(starts + timedelta(hours=2)))
    staff_page.locator(SUBMIT).click()
    # A new meeting opens on its staff page.
    expect(staff_page.locator("main")).to_contain_text(MEETING_TITLE)
    meeting = Meeting.objects.get(title=MEETING_TITLE)
    assert meeting.area == area and meeting.kind == "joint"
    manage_url = f"/t/{demo_town.slug}/meetings/{meeting.pk}/manage/"
    expect(staff_page).to_have_url(re.compile(re.escape(manage_url) + "$"))
    check_page(staff_page, "meeting-manage")

    # Invite the three parties, sign them in and record each party present.
    for name, party in PARTIES:
        staff_page.fill("#id_invite_name", name)
        staff_page.select_option("#id_invite_party", party)
        staff_page.get_by_role("button", name="邀请", exact=True).click()
        expect(staff_page.locator("#attendees, main").first).to_contain_text(name)
    for name, _party in PARTIES:
        staff_page.get_by_role("button", name=f"为{name}签到").click()
        expect(staff_page.get_by_role("button", name=f"为{name}签到")).to_have_count(0)
    for name, party in PARTIES:
        staff_page.select_option("#id_party_party", party)
        staff_page.check('#id_party_present input[value="1"]')
        staff_page.fill("#id_party_note", name)
        staff_page.get_by_role("button", name="登记该方").click()
    assert meeting.parties.filter(present=True).count() == 3
    assert Attendee.objects.filter(meeting=meeting, present=True).count() == 3
    check_page(staff_page, "meeting-signed-in")

    # A motion, moved by the residents' committee and seconded by the owners' committee.
    staff_page.fill("#id_motion_text", MOTION_TEXT)
    staff_page.select_option("#id_motion_mover", label=PARTIES[0][0])
    staff_page.get_by_role("button", name="提出动议").click()
    motion = Motion.objects.get(meeting=meeting)
    motion_url = f"/t/{demo_town.slug}/meetings/{meeting.pk}/motions/{motion.pk}/"
    staff_page.goto(motion_url)
    check_page(staff_page, "motion")
    staff_page.select_option("#id_second_seconder", label=PARTIES[1][0])
    staff_page.get_by_role("button", name="登记附议").click()
    expect(staff_page.get_by_role("button", name="记录表决")).to_be_visible()
    motion.refresh_from_db()
    assert motion.status == "open" and motion.seconder.name == PARTIES[1][0]

    # Votes by name: two yes, one no.
    for (name, _party), choice in zip(PARTIES, ["yes", "yes", "no"], strict=True):
        attendee = Attendee.objects.get(meeting=meeting, name=name)
        staff_page.check(f'input[name="vote-{attendee.pk}"][value="{choice}"]')
    staff_page.get_by_role("button", name="记录表决").click()
    assert motion.votes.count() == 3
    check_page(staff_page, "motion-voted")

    # Declaring the opposite of the votes is refused; the computed result is recorded.
    staff_page.check('input[name="declared"][value="failed"]')
    staff_page.get_by_role("button", name="记录决议").click()
    expect(staff_page.locator(".messages")).to_contain_text("与表决记录不符")
    motion.refresh_from_db()
    assert motion.status == "open" and motion.result == ""
    staff_page.check('input[name="declared"][value="passed"]')
    staff_page.get_by_role("button", name="记录决议").click()
    motion.refresh_from_db()
    assert motion.passed is True
    expect(staff_page.locator("main")).to_contain_text("通过")
    check_page(staff_page, "motion-decided")

    # The minutes name everyone; approved, they are public with the names masked.
    staff_page.goto(manage_url)
    staff_page.fill(
        "#id_minutes_body",
        f"{PARTIES[0][0]}主持会议。{PARTIES[1][0]}附议。{PARTIES[2][0]}表示物业将配合施工。",
    )
    staff_page.get_by_role("button", name="保存草稿").click()
    staff_page.get_by_role("button", name="审定会议纪要").click()
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.minutes.is_approved
    check_page(staff_page, "meeting-approved")

    page.goto(f"/t/{demo_town.slug}/meetings/{meeting.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(MEETING_TITLE)
    expect(main).to_contain_text(MOTION_TEXT)
    expect(main).to_contain_text("张**主持会议")
    for name, _party in PARTIES:
        expect(main).not_to_contain_text(name)
    check_page(page, "meeting-public")
