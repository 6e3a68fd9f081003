"""Community news in the public read API: published articles only (a draft, one
waiting for review or returned is never listed and is a 404), newest first, authors
masked, filtered by area."""

import pytest
from django.test import Client

from gongzhi.news import services
from gongzhi.news.tests.builders import media_partner, published_article, submitted_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def news(town, area_a, area_b, people):
    writer = people["partner"]
    media_partner(user=writer, area=area_a)
    secretary = people["secretariat"]
    older = published_article(
        town=town, author=writer, reviewer=secretary, area=area_a, title="口袋花园建成了"
    )
    newer = published_article(
        town=town, author=writer, reviewer=secretary, area=area_b, title="晾衣架装好了"
    )
    draft = services.save_article(town=town, actor=writer, title="草稿一篇", body="正文")
    waiting = submitted_article(town=town, author=writer, area=area_a, title="等待审核")
    returned = submitted_article(town=town, author=writer, area=area_a, title="被退回的")
    services.return_article(article=returned, actor=secretary, reason="请补充照片")
    return {"older": older, "newer": newer, "hidden": [draft, waiting, returned]}


def get(path):
    response = Client().get(f"/api/v1{path}", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("application/json")
    return response, response.json()


def test_the_list_has_published_articles_only_newest_first(town, news):
    response, body = get(f"/towns/{town.slug}/articles")
    assert response.status_code == 200
    assert [a["id"] for a in body["items"]] == [news["newer"].pk, news["older"].pk]
    assert body["count"] == 2
    item = body["items"][1]
    assert item["title"] == "口袋花园建成了" and item["author"] == "王**"
    assert item["author_role"] == "media" and item["area"]["name"]
    assert item["url"].endswith(news["older"].get_absolute_url())
    text = response.content.decode()
    assert not any(article.title in text for article in news["hidden"])


def test_the_list_filters_by_area(town, area_a, news):
    _r, body = get(f"/towns/{town.slug}/articles?area={area_a.pk}")
    assert [a["id"] for a in body["items"]] == [news["older"].pk]


def test_one_article_with_its_paragraphs(town, news):
    response, body = get(f"/towns/{town.slug}/articles/{news['older'].pk}")
    assert response.status_code == 200
    assert body["paragraphs"] == ["第一段。", "第二段。"]
    assert body["photos"] == [] and body["project"] is None


def test_an_article_not_published_is_a_404(town, other_town, news):
    assert len(news["hidden"]) == 3
    for article in news["hidden"]:
        response, body = get(f"/towns/{town.slug}/articles/{article.pk}")
        assert response.status_code == 404 and body == {"detail": "Not found."}
    # Nor is a published article found under another town.
    response, _body = get(f"/towns/{other_town.slug}/articles/{news['older'].pk}")
    assert response.status_code == 404


def test_bad_input_is_a_400(town, news):
    for query in ("area=0", "area=abc", "page_size=101"):
        response, body = get(f"/towns/{town.slug}/articles?{query}")
        assert response.status_code == 400 and set(body) == {"detail"}
    response, _body = get(f"/towns/{town.slug}/articles/0")
    assert response.status_code == 400


def test_list_queries_do_not_grow(client, town, area_a, people):
    from django.urls import reverse

    from gongzhi.core.testing import assert_constant_queries

    writer = people["partner"]
    media_partner(user=writer, area=area_a)

    def make_rows(n):
        return [
            published_article(
                town=town, author=writer, reviewer=people["secretariat"], title=f"文章{i}"
            ).title
            for i in range(n)
        ]

    url = reverse("api:articles", args=[town.slug]) + "?page_size=100"
    assert_constant_queries(client, url, make_rows, small=3, large=15)
