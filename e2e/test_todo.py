"""待办: the secretariat, at a desk or on a phone, opens the workbench from the header,
reviews an application from its row and sees the count drop. Each page passes axe.
Assertions rely on data and stable selectors, not on translated words."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.partners.models import Application
from gongzhi.places.models import ResidentialArea

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

SECRETARIAT = "13800000004"


def test_secretariat_reviews_an_application_from_todo(page, demo_town):
    area = ResidentialArea.objects.filter(town=demo_town).first()
    waiting = [
        Application.objects.create(
            town=demo_town,
            applicant=User.objects.create_user(phone=f"1390000000{i}", display_name=name),
            area=area,
            name=name,
            channel="online",
        )
        for i, name in enumerate(["欧阳明月", "司马青山"])
    ]
    log_in(page, SECRETARIAT, "/todo/", "todo-01-login")
    header_link = page.locator('.account-nav a[href="/todo/"]')
    expect(header_link.locator(".badge")).to_contain_text("2")
    section = page.locator("#todo-partners\\.applications")
    review = reverse("partners:review_application", args=[demo_town.slug, waiting[0].pk])
    expect(section.locator(f'a[href="{review}"]')).to_be_visible()
    # Masked on the workbench: the review page is where the reviewer reads the name.
    expect(section).not_to_contain_text("欧阳明月")
    check_page(page, "todo-02-workbench")

    section.locator(f'a[href="{review}"]').click()
    form = page.locator('main form[action$="/decline/"]')
    form.locator("textarea").fill("本期名额已满")
    form.locator('button[type="submit"]').click()

    page.goto("/todo/")
    expect(page.locator('.account-nav a[href="/todo/"] .badge')).to_contain_text("1")
    expect(page.locator(f'#todo-partners\\.applications a[href="{review}"]')).to_have_count(0)
    check_page(page, "todo-03-after-review")
