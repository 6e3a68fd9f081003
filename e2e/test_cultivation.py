"""Partner cultivation: the secretariat links the second session of a programme (a
World Café held last week) and opens it; the partner, checked in to both sessions
from the roster (the events service that checks people in), sees the programme
completed and prints the certificate of completion on a phone.

Assertions rely on data (titles, names) and stable selectors, not translated words.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.cultivation import services
from gongzhi.cultivation.models import Programme
from gongzhi.demo.places import NAMED_AREA
from gongzhi.events.services import check_in
from gongzhi.places.models import ResidentialArea
from gongzhi.tests.factories import ActivityFactory

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

PARTNER = "13800000002"  # 王合伙人
SECRETARIAT = "13800000004"  # 赵秘书
TITLE = "参与式规划培训（第一期）"
SALON = "共创美好社区·参与式规划入门"
CAFE = "境聚里世界咖啡馆·我们的议事厅"


def _held(area, title, kind, days_ago, staff):
    starts = timezone.now().replace(microsecond=0) - timedelta(days=days_ago)
    return ActivityFactory(
        area=area,
        title=title,
        kind=kind,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        created_by=staff,
    )


@pytest.fixture
def programme(demo_town):
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    staff = User.objects.get(phone=SECRETARIAT)
    salon = _held(area, SALON, "salon", 14, staff)
    cafe = _held(area, CAFE, "world_cafe", 7, staff)
    programme = services.create_programme(
        town=demo_town,
        actor=staff,
        title=TITLE,
        description="两期沙龙，参加两期即完成培训。",
        sessions_required=2,
    )
    services.add_session(programme=programme, activity=salon, actor=staff)
    partner = User.objects.get(phone=PARTNER)
    for activity in (salon, cafe):
        check_in(
            activity=activity,
            user=partner,
            method="roster",
            recorded_by=staff,
            at=activity.starts_at + timedelta(minutes=5),
        )
    return {"programme": programme, "cafe": cafe}


def test_a_partner_completes_a_programme_and_prints_the_certificate(
    page, open_page, programme, viewport
):
    cafe = programme["cafe"]
    url = programme["programme"].get_absolute_url()

    # The secretariat links last week's World Café as the second session and opens it.
    staff = open_page()
    log_in(staff, SECRETARIAT, url, "cultivation-staff-login")
    check_page(staff, "cultivation-draft")
    staff.select_option("#id_session-activity", str(cafe.pk))
    staff.locator('form[action$="/sessions/"] button[type="submit"]').click()
    expect(staff.locator(".messages")).to_be_visible()
    expect(staff.locator("main ol.card-list > li")).to_have_count(2)
    staff.locator('form[action$="/open/"] button[type="submit"]').click()
    expect(staff.locator(".messages")).to_be_visible()
    assert Programme.objects.get(title=TITLE).status == "open"

    # The partner finds the programme completed (both check-ins count) and prints.
    log_in(page, PARTNER, url, "cultivation-partner-login")
    check_page(page, "cultivation-programme")
    expect(page.locator("#my-progress")).to_contain_text("2")
    page.locator('#my-progress a[href$="/certificate/"]').click()
    expect(page.locator("article.certificate")).to_contain_text("王合伙人")
    expect(page.locator("article.certificate")).to_contain_text(TITLE)
    expect(page.locator("article.certificate tbody tr")).to_have_count(2)
    check_page(page, "cultivation-certificate")


def test_staff_print_a_persons_certificate_from_the_areas_record(page, programme, viewport):
    """The secretariat opens the record of the partner's area (names: staff only) and
    prints the partner's certificate from it, on a phone too."""
    from django.urls import reverse

    from gongzhi.cultivation.queries import trainee

    staff = User.objects.get(phone=SECRETARIAT)
    services.add_session(programme=programme["programme"], activity=programme["cafe"], actor=staff)
    services.open_programme(programme=programme["programme"], actor=staff)
    partner = User.objects.get(phone=PARTNER)
    area = ResidentialArea.objects.get(pk=trainee(programme["programme"], partner).area_id)
    record = reverse("cultivation:area_trainees", args=[area.town.slug, area.pk])
    log_in(page, SECRETARIAT, record, "cultivation-record-login")
    check_page(page, "cultivation-area-record")
    page.locator(f'main a[href$="/certificate/{partner.pk}/"]').click()
    expect(page.locator("article.certificate")).to_contain_text("王合伙人")
    expect(page.locator("article.certificate")).to_contain_text(TITLE)
    check_page(page, "cultivation-certificate-of")
