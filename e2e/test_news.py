"""Community news: a media partner (社区媒体合伙人) writes, on a phone, an article on a
completed micro-renewal project with a photo and submits it; the secretariat, at a
desk, finds it on the news desk and publishes it; the partner is told, and a visitor
reads it on the town's news list with the author's name masked and prints its poster.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import NAMED_AREA
from gongzhi.news.models import Article
from gongzhi.places.models import ResidentialArea
from gongzhi.renewal.tests.builders import project_at
from gongzhi.tests.factories import PartnerFactory

from .browser import check_page, log_in, new_page

pytestmark = pytest.mark.browser

PARTNER = "13800000002"
AREA_STAFF = "13800000003"
SECRETARIAT = "13800000004"
TITLE = "逸景佳苑口袋花园建成啦"
SUBMIT = 'main form[method="post"] button[type="submit"]'


def jpeg() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (90, 170, 90)).save(out, "JPEG")
    return {"name": "garden.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_a_media_partner_writes_and_the_secretariat_publishes(browser, live_server, demo_town):
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    project = project_at(
        "completed", actor=User.objects.get(phone=AREA_STAFF), area=area, title="口袋花园"
    )
    writer = User.objects.get(phone=PARTNER)
    PartnerFactory(user=writer, area=area, town=demo_town, name="王合伙人", modes=["media"])
    news_url = f"/t/{demo_town.slug}/news/"

    phone = new_page(browser, live_server, "phone")
    desk = new_page(browser, live_server, "desk")
    try:
        # The partner writes on a phone and submits.
        log_in(phone, PARTNER, news_url, "news-partner-login")
        check_page(phone, "news-list-partner")
        phone.locator(f'main a[href="{news_url}write/"]').click()
        check_page(phone, "news-write")
        phone.fill("#id_title", TITLE)
        phone.fill("#id_summary", "居民盼了很久的口袋花园建成了。")
        phone.fill("#id_body", "从提出想法到完工，居民全程参与。\n\n欢迎大家来坐坐。")
        phone.select_option("#id_area", str(area.pk))
        phone.select_option("#id_project", str(project.pk))
        phone.set_input_files("#id_photo", jpeg())
        phone.fill("#id_caption", "新建的步道")
        phone.locator(SUBMIT).click()
        expect(phone.locator(".messages")).to_be_visible()
        article = Article.objects.get(title=TITLE)
        assert article.status == "draft" and article.photos.count() == 1
        check_page(phone, "news-article-draft")
        phone.locator('form[action$="/submit/"] button').click()
        expect(phone.locator(".messages")).to_be_visible()
        article.refresh_from_db()
        assert article.status == "submitted"
        check_page(phone, "news-article-submitted")

        # The secretariat finds it on the desk and publishes it.
        log_in(desk, SECRETARIAT, f"{news_url}desk/", "news-staff-login")
        check_page(desk, "news-desk-staff")
        desk.locator("#waiting").get_by_role("link", name=TITLE).click()
        check_page(desk, "news-article-review")
        desk.locator('form[action$="/publish/"] button').click()
        expect(desk.locator(".messages")).to_be_visible()
        article.refresh_from_db()
        assert article.status == "published" and article.published_by.phone == SECRETARIAT
        check_page(desk, "news-article-published-staff")

        # Anyone reads it: the list, the article (author masked, share card), the poster.
        visitor = new_page(browser, live_server, "phone")
        try:
            visitor.goto(news_url)
            check_page(visitor, "news-list-public")
            visitor.get_by_role("link", name=TITLE).click()
            expect(visitor.locator("main")).to_contain_text("王**")
            expect(visitor.locator("main")).not_to_contain_text("王合伙人")
            og = visitor.locator('meta[property="og:image"]').get_attribute("content")
            assert re.search(r"/media/news/.+\.jpg$", og)
            check_page(visitor, "news-article-public")
            visitor.locator('main a[href$="/poster/"]').click()
            expect(visitor.locator(".notice-qr-box svg")).to_be_visible()
            check_page(visitor, "news-poster")
        finally:
            visitor.context.close()
    finally:
        phone.context.close()
        desk.context.close()
