"""Notifications in the reader's language (issue 15, point 3): a notification is
stored as a registered kind and its parameters and written out when it is read, so
what an English-speaking staff member caused reads in Chinese to a Chinese reader
and the other way round; old rows and broken ones show their stored text."""

import re
from uuid import uuid4

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from gongzhi.core.models import Notification
from gongzhi.core.notifications import choice_labels, register_kind, registered_kinds, render
from gongzhi.core.services import notify, notify_all
from gongzhi.core.testing import assert_constant_queries
from gongzhi.proposals import services as proposals
from gongzhi.proposals.models import ProposalStatus
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"%\((\w+)\)")


def test_there_are_kinds_from_every_app_that_notifies():
    apps = {kind.key.split(".")[0] for kind in registered_kinds()}
    assert apps >= {
        "planning",
        "events",
        "renewal",
        "partners",
        "proposals",
        "organisations",
        "contests",
    }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_kind_formats_with_the_params_it_declares(language):
    kinds = registered_kinds()
    assert len(kinds) > 20, "the apps' kinds are not registered"
    for kind in kinds:
        # The sample names every placeholder's parameter (or prepare makes it).
        with translation.override(language):
            text = kind.render(dict(kind.sample))
        assert text and "%(" not in text, kind.key
        unnamed = [
            name
            for name in PLACEHOLDER.findall(str(kind.message))
            if name not in kind.sample and kind.prepare is None
        ]
        assert not unnamed, (kind.key, unnamed)


def test_unknown_kinds_and_broken_params_show_the_stored_text():
    assert render("gone.kind", {"title": "x"}, fallback="旧的文字") == "旧的文字"
    assert render("", {}, fallback="旧的文字") == "旧的文字"
    assert render("proposals.status", {"title": "x"}, fallback="旧的文字") == "旧的文字"
    assert render("proposals.status", {"title": "x", "status": "no"}, fallback="旧") == "旧"
    assert render("proposals.status", ["not", "a", "dict"], fallback="旧") == "旧"
    assert render("events.hours_approved", {"minutes": "many", "title": "x"}, fallback="旧") == "旧"


def test_a_kind_must_be_registered_to_be_sent():
    with pytest.raises(ValueError), transaction.atomic():
        notify(user=UserFactory(), kind="nobody.registered.this", params={})


def test_choice_labels_follow_the_language():
    kind = register_kind(
        "tests.status",
        message="%(status)s",
        sample={"status": ProposalStatus.ADOPTED.value},
        prepare=choice_labels(status=ProposalStatus),
    )
    with translation.override("en"):
        assert kind.render(kind.sample) == "Adopted"


def _messages(client, language):
    page = client.get(reverse("notifications"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    return page.content.decode()


def test_a_message_reads_in_the_readers_language(
    client, town, area_a, people, django_capture_on_commit_callbacks
):
    author = UserFactory(residential_area=area_a)
    proposal = make_proposal(
        town=town,
        author=author,
        area=area_a,
        title="中心花园增设休息座椅",
        description="老人散步累了没有地方坐，希望在花园步道旁增设三张座椅。",
    )
    # The staff member works in English, the author reads in Chinese ...
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        proposals.start_review(proposal=proposal, actor=people["secretariat"])
    told = Notification.objects.get(user=author)
    assert told.kind == "proposals.status"
    assert told.params == {"title": proposal.title, "status": "under_review"}
    client.force_login(author)
    page = _messages(client, "zh-hans")
    assert "提案“中心花园增设休息座椅”现在的状态：审核中。" in page
    assert "is now" not in page
    # ... and the other way round.
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        proposals.decline(proposal=proposal, actor=people["secretariat"], reason="属市政道路")
    page = _messages(client, "en")
    assert "The proposal “中心花园增设休息座椅” is now: Not adopted." in page
    assert "The proposal “中心花园增设休息座椅” is now: Under review." in page
    assert "现在的状态" not in page


def test_old_and_broken_rows_show_their_stored_text(client, people):
    user = people["resident"]
    Notification.objects.bulk_create(
        [
            Notification(user=user, message="旧通知：您关注的规划有新进展"),
            Notification(user=user, kind="gone.kind", params={}, message="已删除的类别"),
            Notification(
                user=user, kind="proposals.status", params={"title": "x"}, message="参数不全"
            ),
        ]
    )
    client.force_login(user)
    page = _messages(client, "en")
    assert "旧通知：您关注的规划有新进展" in page and "已删除的类别" in page and "参数不全" in page


def test_notify_all_stores_the_kind_once_per_person(django_capture_on_commit_callbacks):
    users = [UserFactory(), UserFactory()]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        told = notify_all(
            users=[*users, users[0]], kind="renewal.built", params={"title": "口袋花园"}
        )
    assert told == 2
    rows = Notification.objects.filter(kind="renewal.built")
    assert sorted(rows.values_list("user_id", flat=True)) == sorted(u.pk for u in users)
    with translation.override("en"):
        assert rows.first().text.startswith("“口袋花园” is built")


def test_the_messages_page_reads_in_constant_queries(client_for, people):
    def make_rows(n):
        titles = [f"规划{uuid4().hex[:8]}" for _ in range(n)]
        Notification.objects.bulk_create(
            Notification(
                user=people["resident"],
                kind="planning.moved",
                params={"title": title, "order": 4, "kind": "participatory_design"},
                message="fallback",
                url="/",
            )
            for title in titles
        )
        return titles

    assert_constant_queries(client_for("resident"), reverse("notifications"), make_rows)
