"""The demo's community news (gongzhi/demo/news.py): stories of the 2023 projects and
activities written by media partners and published by the secretariat in 2023, and
one submitted story waiting for review; idempotent."""

from gongzhi.news.models import Article
from gongzhi.partners.models import Partner
from gongzhi.places.models import RoleGrant


def test_published_stories_of_2023_by_media_partners(demo_year, town):
    published = Article.objects.published().filter(town=town)
    assert published.count() >= 5
    assert not published.exclude(published_at__year=2023).exists()
    assert published.filter(project__isnull=False).exists()
    assert published.filter(activity__isnull=False).exists()
    media = Partner.objects.active().with_mode("media").filter(town=town).values("user")
    assert not published.exclude(author__in=media).exists()
    assert set(published.values_list("author_role", flat=True)) == {"media"}
    secretaries = RoleGrant.objects.filter(town=town, role="secretariat").values("user")
    assert not published.exclude(published_by__in=secretaries).exists()


def test_one_story_waits_for_review(demo_year, town):
    assert Article.objects.filter(town=town, status="submitted").count() == 1


def test_seeding_again_adds_no_article(demo_year):
    assert demo_year.again["news.Article"] == demo_year.counts["news.Article"]
