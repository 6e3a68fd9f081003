"""Contest pages: bad input answered clearly with nothing stored, the secretariat's
page from call to award, and constant query counts on every list."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongzhi.contests import services
from gongzhi.contests.models import (
    Contest,
    Entry,
    EntryFile,
    PublicVote,
    Score,
    Stage,
)
from gongzhi.core.testing import (
    assert_constant_queries,
    assert_nothing_written,
)
from gongzhi.tests.factories import PartnerFactory, SiteFactory, UserFactory

from .builders import after_submissions, dates, enter, open_contest, png


@pytest.fixture
def contest(town, area_a, people):
    return open_contest(town=town, area=area_a, actor=people["secretariat"])


@pytest.fixture
def judge(area_a, contest, people):
    partner = PartnerFactory(user=people["partner"], area=area_a, modes=["planning"])
    return services.appoint_judge(
        contest=contest, partner=partner, stages=Stage.reviews(), actor=people["secretariat"]
    )


def url(name, contest, *more):
    return reverse(f"contests:{name}", args=[contest.town.slug, contest.pk, *more])


def entry_form(contest, *files, team="街角小队"):
    return {
        "team_name": team,
        "members": "李居民（组长）",
        "site": contest.sites.order_by("pk").first().pk,
        "title": "转角花园",
        "description": "把转角变成邻居们的小花园。",
        "files": list(files),
    }


def add_entries(contest, n, stage=Stage.EARLY):
    """n entries already in ``stage``, each with an image draft (fast, no services)."""
    site = contest.sites.order_by("pk").first()
    start = Entry.objects.count()
    entries = []
    for i in range(start, start + n):
        entry = Entry.objects.create(
            contest=contest,
            team_name=f"队{i}",
            site=site,
            title=f"方案{i}",
            description="d",
            submitted_by=UserFactory(),
            stage=stage,
        )
        draft = EntryFile(
            entry=entry, name="a.png", kind="image", content_type="image/png", stage="submission"
        )
        draft.file.save("a.png", ContentFile(png().read()), save=True)
        entries.append(entry)
    return entries


def test_an_entry_with_a_fake_png_is_refused_with_the_file_named(client_for, contest):
    fake = SimpleUploadedFile("sketch.png", b"plain text pretending", content_type="image/png")
    with assert_nothing_written():
        response = client_for("resident").post(
            url("submit_entry", contest),
            entry_form(contest, png("ok.png"), fake),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "sketch.png" in response.content.decode()
    assert not Entry.objects.exists() and not EntryFile.objects.exists()


def test_a_resident_submits_an_entry_with_drafts(client_for, contest, people):
    response = client_for("resident").post(url("submit_entry", contest), entry_form(contest, png()))
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert entry.submitted_by == people["resident"]
    draft = entry.files.get()
    served = client_for("anonymous").get(draft.get_absolute_url())
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["Content-Disposition"].startswith("inline")
    # The member list is the team's and the secretariat's, not the public's.
    assert (
        "李居民（组长）"
        not in client_for("anonymous").get(entry.get_absolute_url()).content.decode()
    )
    assert (
        "李居民（组长）" in client_for("secretariat").get(entry.get_absolute_url()).content.decode()
    )


def test_a_score_for_no_entry_or_a_garbled_one_is_refused_with_a_message(
    client_for, contest, judge, people
):
    """ "²" passes str.isdigit() but not int(): it once made the judge page a 500."""
    entry = enter(contest, people["resident"])
    services.advance_stage(
        contest=contest, actor=people["secretariat"], at=after_submissions(contest)
    )
    client = client_for("partner")
    fields = {f"e{entry.pk}-c{c.pk}": 20 for c in contest.criteria.all()}
    for posted in ({"entry": "²", **fields}, fields, {"entry": "9" * 30}):
        with assert_nothing_written():
            answer = client.post(url("judge", contest), posted, HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 409, posted
        assert "This entry cannot be scored in this stage." in answer.content.decode()
    assert not Score.objects.exists()


def test_a_judge_scores_once_and_a_second_attempt_is_refused(client_for, contest, judge, people):
    entry = enter(contest, people["resident"])
    services.advance_stage(
        contest=contest, actor=people["secretariat"], at=after_submissions(contest)
    )
    client = client_for("partner")
    fields = {f"e{entry.pk}-c{c.pk}": 20 for c in contest.criteria.all()}
    page = client.get(url("judge", contest))
    assert page.status_code == 200 and entry.title in page.content.decode()
    assert client.post(url("judge", contest), {"entry": entry.pk, **fields}).status_code == 302
    again = client.post(
        url("judge", contest),
        {"entry": entry.pk, **dict.fromkeys(fields, 5)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code in (400, 409)
    assert sorted(Score.objects.values_list("points", flat=True)) == [20, 20]
    too_many = {f"e{entry.pk}-c{c.pk}": 999 for c in contest.criteria.all()}
    assert client.post(url("judge", contest), {"entry": entry.pk, **too_many}).status_code in (
        400,
        409,
    )
    assert Score.objects.count() == 2


def test_voting_twice_is_refused_with_a_message(client_for, contest, people):
    a = enter(contest, people["partner"], team="甲队")
    b = enter(contest, people["area_staff"], team="乙队")
    secretary = people["secretariat"]
    services.advance_stage(contest=contest, actor=secretary, at=after_submissions(contest))
    services.advance_stage(contest=contest, actor=secretary, keep=[a, b])
    services.advance_stage(contest=contest, actor=secretary, keep=[a, b])
    client = client_for("resident")
    assert client.post(url("vote", contest, a.pk)).status_code == 302
    response = client.post(url("vote", contest, b.pk), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already voted" in response.content.decode()
    assert list(PublicVote.objects.values_list("entry", flat=True)) == [a.pk]


def test_the_secretariat_runs_a_call_from_its_page(client_for, town, area_a, people):
    secretary = client_for("secretariat")
    sites = [SiteFactory(town=town, area=area_a, name=n) for n in ("3号楼转角", "东门")]
    when = dates()
    form = {
        "title": "转角遇见社区微更新设计赛",
        "description": "为街角设计微更新方案。",
        "sites": [s.pk for s in sites],
        **{k: v.isoformat() for k, v in when.items() if k != "public_vote_closes"},
        "public_vote_closes": when["public_vote_closes"].strftime("%Y-%m-%dT%H:%M"),
        "jury_weight": 60,
        "public_weight": 50,
    }
    with assert_nothing_written():
        bad = secretary.post(reverse("contests:create_contest", args=[town.slug]), form)
    assert bad.status_code == 400 and not Contest.objects.exists()
    form["public_weight"] = 40
    created = secretary.post(reverse("contests:create_contest", args=[town.slug]), form)
    contest = Contest.objects.get()
    assert created["Location"] == url("manage", contest)
    manage = url("manage", contest)
    secretary.post(url("add_criterion", contest), {"name": "创意", "max_points": 50})
    secretary.post(url("add_criterion", contest), {"name": "可行性", "max_points": 50})
    secretary.post(url("open_call", contest))
    contest.refresh_from_db()
    assert contest.status == "open" and contest.criteria.count() == 2
    planner = PartnerFactory(user=people["partner"], area=area_a, modes=["planning"])
    page = secretary.get(manage).content.decode()
    assert planner.name in page  # suggested from the talent pool
    secretary.post(
        url("appoint_judge", contest), {"partner": planner.pk, "stages": Stage.reviews()}
    )
    assert contest.jury.get().partner == planner
    entries = [enter(contest, UserFactory(), team=f"队{i}") for i in range(3)]
    with mock.patch("django.utils.timezone.now", return_value=after_submissions(contest)):
        secretary.post(url("advance_stage", contest))
    contest.refresh_from_db()
    assert contest.stage == "early"
    keep = [str(e.pk) for e in entries[:2]]
    secretary.post(url("advance_stage", contest), {"keep": keep})
    secretary.post(url("advance_stage", contest), {"keep": keep})
    contest.refresh_from_db()
    assert contest.stage == "final"
    assert not Entry.objects.get(pk=entries[2].pk).in_running
    for entry in entries[:2]:
        fields = {f"e{entry.pk}-c{c.pk}": 30 + entry.pk % 7 for c in contest.criteria.all()}
        client_for("partner").post(url("judge", contest), {"entry": entry.pk, **fields})
    assert Score.objects.filter(stage="final").count() == 4
    closed = contest.public_vote_closes + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=closed):
        page = secretary.get(manage)
        assert f"award_{entries[0].pk}" in page.content.decode()
        secretary.post(
            url("award", contest),
            {f"award_{entries[0].pk}": "一等奖", f"award_{entries[1].pk}": ""},
        )
    contest.refresh_from_db()
    assert contest.status == "awarded"
    assert list(Entry.objects.winners()) == [entries[0]]
    public = client_for("anonymous").get(contest.get_absolute_url()).content.decode()
    assert "一等奖" in public and 'id="results"' in public


def test_the_manage_page_takes_no_post(client_for, contest):
    """Each form posts to its own URL; a POST to the page (an old copy with a hidden
    ``action`` field) is refused, not ignored."""
    with assert_nothing_written():
        response = client_for("secretariat").post(url("manage", contest), {"action": "open"})
    assert response.status_code == 405


def test_a_bad_form_shows_the_page_again_and_a_refusal_says_why(client_for, contest):
    secretary = client_for("secretariat")
    secretary.cookies["django_language"] = "en"
    with assert_nothing_written():
        response = secretary.post(url("add_criterion", contest), {"name": "", "max_points": 500})
    assert response.status_code == 400
    assert "Please correct the form below." in response.content.decode()
    with assert_nothing_written():
        response = secretary.post(url("open_call", contest))
    assert response.status_code == 409  # the call is open already
    assert "Only a draft call can be opened." in response.content.decode()
    with assert_nothing_written():
        response = secretary.post(url("award", contest))
    assert response.status_code == 409  # not in the final: the service says why
    assert "Awards are given after the final." in response.content.decode()


# --- Query counts -------------------------------------------------------------------


def test_contest_list_queries_are_constant(client, town, area_a, people):
    def make_rows(n):
        return [
            open_contest(
                town=town,
                area=area_a,
                actor=people["secretariat"],
                sites=[SiteFactory(town=town, area=area_a)],
            )
            for _ in range(n)
        ]

    assert_constant_queries(client, reverse("contests:contest_list", args=[town.slug]), make_rows)


def test_contest_page_queries_are_constant(client, contest):
    assert_constant_queries(
        client, contest.get_absolute_url(), lambda n: add_entries(contest, n, Stage.SUBMISSION)
    )


def test_judge_page_queries_are_constant(client_for, contest, judge, people):
    Contest.objects.filter(pk=contest.pk).update(stage=Stage.EARLY)
    assert_constant_queries(
        client_for("partner"), url("judge", contest), lambda n: add_entries(contest, n)
    )


def test_manage_page_queries_are_constant(client_for, contest, judge):
    Contest.objects.filter(pk=contest.pk).update(stage=Stage.EARLY)
    assert_constant_queries(
        client_for("secretariat"), url("manage", contest), lambda n: add_entries(contest, n)
    )


def test_awarded_contest_page_queries_are_constant(client, contest, people):
    Contest.objects.filter(pk=contest.pk).update(stage=Stage.FINAL, status="awarded")
    assert_constant_queries(
        client, contest.get_absolute_url(), lambda n: add_entries(contest, n, Stage.FINAL)
    )
