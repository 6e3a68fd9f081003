"""Builders for the news tests (and the matrix's world)."""

from gongzhi.news import services
from gongzhi.tests.factories import PartnerFactory


def media_partner(*, user, area):
    return PartnerFactory(user=user, area=area, modes=["media"])


def published_article(*, town, author, reviewer, area=None, title="口袋花园建成了", **fields):
    article = services.save_article(
        town=town, actor=author, title=title, body="第一段。\n\n第二段。", area=area, **fields
    )
    services.submit_article(article=article, actor=author)
    return services.publish_article(article=article, actor=reviewer)


def submitted_article(*, town, author, area=None, title="新建的花园", **fields):
    article = services.save_article(
        town=town, actor=author, title=title, body="正文。", area=area, **fields
    )
    return services.submit_article(article=article, actor=author)
