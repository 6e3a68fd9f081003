import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongzhi.core.errors import DomainError
from gongzhi.core.models import Notification
from gongzhi.news import services
from gongzhi.news.models import Article, ArticleStatus
from gongzhi.planning.services import start_process
from gongzhi.renewal.tests.builders import jpeg_upload
from gongzhi.tests.factories import ActivityFactory, AreaFactory, RoleGrantFactory, UserFactory

from .builders import media_partner, published_article, submitted_article


@pytest.fixture
def writer(people, area_a):
    media_partner(user=people["partner"], area=area_a)
    return people["partner"]


def test_a_media_partner_writes_submits_and_the_secretariat_publishes(
    town, area_a, writer, secretary, django_capture_on_commit_callbacks
):
    article = services.save_article(
        town=town, actor=writer, title="花园", body="一。\n\n二。", area=area_a
    )
    assert article.author_role == "media" and article.status == ArticleStatus.DRAFT
    services.submit_article(article=article, actor=writer)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article=article, actor=secretary)
    article.refresh_from_db()
    assert article.status == "published" and article.published_by == secretary
    assert article.paragraphs == ["一。", "二。"]
    assert Notification.objects.filter(user=writer, kind="news.published").exists()


def test_staff_author_counts_as_staff(town, secretary):
    article = services.save_article(town=town, actor=secretary, title="t", body="b")
    assert article.author_role == "staff"


def test_return_then_edit_and_resubmit(
    town, area_a, writer, staff, django_capture_on_commit_callbacks
):
    article = submitted_article(town=town, author=writer, area=area_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_article(article=article, actor=staff, reason="请补充照片")
    article.refresh_from_db()
    assert article.status == "returned"
    assert Notification.objects.filter(user=writer, kind="news.returned").exists()
    services.save_article(town=town, actor=writer, article=article, title="改", body="改后")
    services.submit_article(article=article, actor=writer)
    assert Article.objects.get(pk=article.pk).status == "submitted"


def _nothing_stored(call):
    before = Article.objects.count(), list(Article.objects.values_list("status", "title"))
    with pytest.raises((DomainError, PermissionDenied)):
        call()
    assert (Article.objects.count(), list(Article.objects.values_list("status", "title"))) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "", "body": "b"}, "cannot be empty"),
        ({"title": "t", "body": "  "}, "cannot be empty"),
        ({"title": "长" * 101, "body": "b"}, "too long"),
        ({"title": "t", "body": "b", "summary": "长" * 201}, "too long"),
    ],
)
def test_bad_text_is_refused(town, writer, in_english, fields, message):
    with pytest.raises(DomainError, match=message):
        services.save_article(town=town, actor=writer, **fields)
    assert not Article.objects.exists()


def test_links_the_author_may_not_see_are_refused(town, other_town, area_a, writer):
    draft = ActivityFactory(area=area_a, status="draft")
    _nothing_stored(
        lambda: services.save_article(town=town, actor=writer, title="t", body="b", activity=draft)
    )
    other_area = AreaFactory(town=other_town)
    other_secretary = UserFactory()
    RoleGrantFactory(user=other_secretary, town=other_town, role="secretariat")
    plan = start_process(town=other_town, area=other_area, actor=other_secretary, title="外镇")
    _nothing_stored(
        lambda: services.save_article(town=town, actor=writer, title="t", body="b", process=plan)
    )


def test_publishing_twice_is_refused(town, area_a, writer, secretary, in_english):
    article = published_article(town=town, author=writer, reviewer=secretary, area=area_a)
    with pytest.raises(DomainError, match="already published"):
        services.publish_article(article=article, actor=secretary)
    with pytest.raises(DomainError):
        services.return_article(article=article, actor=secretary, reason="x")
    with pytest.raises(DomainError):
        services.save_article(town=town, actor=writer, article=article, title="t", body="b")


def test_a_draft_cannot_be_published_nor_returned_without_reason(town, writer, secretary):
    article = services.save_article(town=town, actor=writer, title="t", body="b")
    _nothing_stored(lambda: services.publish_article(article=article, actor=secretary))
    services.submit_article(article=article, actor=writer)
    _nothing_stored(lambda: services.return_article(article=article, actor=secretary, reason=" "))


def test_who_may_write_and_review(town, area_b, people, writer):
    _nothing_stored(
        lambda: services.save_article(town=town, actor=people["resident"], title="t", body="b")
    )
    # A partner without the media work mode does not write news.
    article = submitted_article(town=town, author=writer, area=area_b)
    for role in ("area_staff", "other_secretariat", "resident", "partner"):
        _nothing_stored(lambda r=role: services.publish_article(article=article, actor=people[r]))


def test_photo_is_re_encoded(town, writer):
    from gongzhi.core.images import clean_photo

    article = services.save_article(
        town=town, actor=writer, title="t", body="b", photo=clean_photo(jpeg_upload())
    )
    assert article.photos.count() == 1


def test_pages_feed_and_share_card(client, client_for, town, area_a, writer, secretary):
    from gongzhi.core.images import clean_photo

    article = published_article(
        town=town, author=writer, reviewer=secretary, area=area_a, summary="新花园开放",
        photo=clean_photo(jpeg_upload()),
    )  # fmt: skip
    page = client.get(reverse("news:article", args=[town.slug, article.pk])).content.decode()
    assert '<meta property="og:title" content="口袋花园建成了">' in page
    assert '<meta property="og:description" content="新花园开放">' in page
    assert 'property="og:image" content="http://testserver/' in page
    assert "王**" in page and "王合伙人" not in page
    staff_page = client_for("secretariat").get(article.get_absolute_url()).content.decode()
    assert "王合伙人" in staff_page
    feed = client.get(reverse("news:feed", args=[town.slug]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert b"<title>\xe5\x8f\xa3\xe8\xa2\x8b" in feed.content  # 口袋…
    poster = client.get(reverse("news:poster", args=[town.slug, article.pk]))
    assert b"<svg" in poster.content
    for url in (reverse("news:list", args=[town.slug]),
                reverse("news:area_news", args=[town.slug, area_a.pk])):  # fmt: skip
        assert article.title in client.get(url).content.decode()


def test_drafts_are_not_public(client, town, writer):
    article = services.save_article(town=town, actor=writer, title="草稿", body="b")
    assert client.get(reverse("news:feed", args=[town.slug])).content.count(b"<entry>") == 0
    assert "草稿" not in client.get(reverse("news:list", args=[town.slug])).content.decode()
    assert client.get(reverse("news:poster", args=[town.slug, article.pk])).status_code == 302


def test_write_view_refuses_a_draft_activity_link(client_for, town, area_a, writer):
    draft = ActivityFactory(area=area_a, status="draft")
    response = client_for("partner").post(
        reverse("news:write", args=[town.slug]), {"title": "t", "body": "b", "activity": draft.pk}
    )
    assert response.status_code == 400 and not Article.objects.exists()


@pytest.mark.parametrize("url_name", ["news:list", "news:area_news"])
def test_list_makes_constant_queries(client, town, area_a, people, url_name):
    from gongzhi.core.testing import assert_constant_queries

    media_partner(user=people["partner"], area=area_a)
    args = [town.slug] + ([area_a.pk] if url_name == "news:area_news" else [])

    def make_rows(n):
        return [
            published_article(town=town, author=people["partner"], reviewer=people["secretariat"],
                              area=area_a, title=f"文章{i}")
            for i in range(n)
        ]  # fmt: skip

    assert_constant_queries(client, reverse(url_name, args=args), make_rows)


def test_the_area_page_shows_its_latest_news(client, town, area_a, area_b, writer, secretary):
    article = published_article(town=town, author=writer, reviewer=secretary, area=area_a)
    page = client.get(reverse("places:area", args=[town.slug, area_a.pk])).content.decode()
    assert article.get_absolute_url() in page
    assert reverse("news:area_news", args=[town.slug, area_a.pk]) in page
    other = client.get(reverse("places:area", args=[town.slug, area_b.pk])).content.decode()
    assert article.get_absolute_url() not in other
