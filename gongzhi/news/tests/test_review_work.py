"""What reaches an article's reviewers: the notification when it is submitted and the
row on their 待办 while it waits, within their scope only; and the admin's view."""

import pytest
from django.contrib import admin
from django.urls import reverse

from gongzhi.core.models import Notification
from gongzhi.core.testing import assert_constant_queries
from gongzhi.core.todo import count_for
from gongzhi.news import services
from gongzhi.news.models import Article, ArticlePhoto
from gongzhi.tests.factories import RoleGrantFactory, UserFactory

from .builders import media_partner, published_article, submitted_article

TODO = "/todo/"


@pytest.fixture
def writer(people, area_a):
    media_partner(user=people["partner"], area=area_a)
    return people["partner"]


@pytest.fixture
def staff_of_b(town, area_b):
    user = UserFactory(display_name="乙区干部")
    RoleGrantFactory(user=user, town=town, role="area_staff", areas=[area_b])
    return user


def told(kind="news.submitted"):
    return set(Notification.objects.filter(kind=kind).values_list("user__pk", flat=True))


def test_submitting_tells_the_secretariat_and_the_areas_staff_only(
    town, area_a, writer, people, staff_of_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = submitted_article(town=town, author=writer, area=area_a)
    assert told() == {people["secretariat"].pk, people["area_staff"].pk}
    note = Notification.objects.get(user=people["area_staff"], kind="news.submitted")
    assert note.url == article.get_absolute_url()
    assert article.title in note.message


def test_a_town_wide_article_tells_the_secretariat_not_area_staff(
    town, writer, people, staff_of_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted_article(town=town, author=writer)
    assert told() == {people["secretariat"].pk}


def test_staff_submitting_their_own_article_are_not_told_of_it(
    town, area_a, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted_article(town=town, author=people["area_staff"], area=area_a)
    assert told() == {people["secretariat"].pk}


def test_waiting_articles_are_on_the_reviewers_to_do_within_scope(
    client_for, town, area_a, area_b, writer, people, secretary
):
    in_a = submitted_article(town=town, author=writer, area=area_a, title="甲区的新花园")
    in_b = submitted_article(town=town, author=writer, area=area_b, title="乙区的晾衣架")
    town_wide = submitted_article(town=town, author=writer, title="全镇合伙人沙龙")
    published_article(town=town, author=writer, reviewer=secretary, area=area_a, title="已发布")
    services.save_article(town=town, actor=writer, title="还在写的草稿", body="b", area=area_a)

    def shown(role):
        page = client_for(role).get(TODO)
        section = next(s for s in page.context["sections"] if s["key"] == "news.waiting")
        return section["count"], {row["url"].split("#")[0] for row in section["rows"]}

    url = Article.get_absolute_url
    assert shown("area_staff") == (1, {url(in_a)})
    assert shown("secretariat") == (3, {url(in_a), url(in_b), url(town_wide)})
    assert shown("other_secretariat") == (0, set())
    assert count_for(people["area_staff"]) == 1
    # Reviewed, it no longer waits.
    services.publish_article(article=in_a, actor=people["area_staff"])
    assert shown("area_staff") == (0, set())
    assert "甲区的新花园" not in client_for("area_staff").get(TODO).content.decode()


def test_staff_of_another_area_do_not_see_it_waiting(client, town, area_a, writer, staff_of_b):
    submitted_article(town=town, author=writer, area=area_a, title="甲区的新花园")
    client.force_login(staff_of_b)
    assert "甲区的新花园" not in client.get(TODO).content.decode()
    assert count_for(staff_of_b) == 0


def test_to_do_queries_do_not_grow_with_articles(client_for, town, area_a, writer):
    def make_rows(n):
        return [
            submitted_article(town=town, author=writer, area=area_a, title=f"待审{i}").title
            for i in range(n)
        ]

    make_rows(1)
    assert_constant_queries(client_for("secretariat"), TODO, make_rows)


def test_the_admin_shows_articles_and_their_photos_read_only(client_for, town, writer):
    assert Article in admin.site._registry and ArticlePhoto in admin.site._registry
    article = submitted_article(town=town, author=writer, title="管理后台看得到")
    client = client_for("administrator")
    listing = client.get(reverse("admin:news_article_changelist"))
    assert listing.status_code == 200 and "管理后台看得到" in listing.content.decode()
    change = reverse("admin:news_article_change", args=[article.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"title": "改掉"}).status_code == 403
    assert Article.objects.get(pk=article.pk).title == "管理后台看得到"
    assert client.get(reverse("admin:news_article_add")).status_code == 403
    assert client_for("secretariat").get(reverse("admin:news_article_changelist")).status_code in (
        302,
        403,
    )


def test_the_list_filters_by_area_with_news(client, town, area_a, area_b, writer, secretary):
    published_article(town=town, author=writer, reviewer=secretary, area=area_a, title="甲区")
    page = client.get(reverse("news:list", args=[town.slug])).content.decode()
    assert reverse("news:area_news", args=[town.slug, area_a.pk]) in page
    # An area without published news is not offered (a draft does not count).
    services.save_article(town=town, actor=writer, title="草稿", body="b", area=area_b)
    assert reverse("news:area_news", args=[town.slug, area_b.pk]) not in page
    area_page = client.get(reverse("news:area_news", args=[town.slug, area_a.pk])).content.decode()
    assert reverse("news:list", args=[town.slug]) in area_page
