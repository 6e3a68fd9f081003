"""Contest rules: the call, entries and their files, the jury, stages, vote, awards."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.contests import services
from gongzhi.contests.models import (
    Award,
    Contest,
    Entry,
    EntryFile,
    EntryStatus,
    PublicVote,
    Score,
    Stage,
)
from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent
from gongzhi.core.services import verify_audit_chain
from gongzhi.tests.factories import PartnerFactory, SiteFactory, UserFactory

from .builders import after_submissions, dates, enter, jpeg, make_contest, open_contest, pdf, png

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def contest(town, area_a, secretary):
    return open_contest(town=town, area=area_a, actor=secretary)


@pytest.fixture
def judges(town, area_a, contest, secretary):
    """Two planning partners on the jury of every review stage, one early-only."""
    members = []
    for name, stages in [
        ("规划甲", Stage.reviews()),
        ("智库乙", Stage.reviews()),
        ("早评丙", ["early"]),
    ]:
        partner = PartnerFactory(area=area_a, name=name, modes=["planning"])
        members.append(
            services.appoint_judge(contest=contest, partner=partner, stages=stages, actor=secretary)
        )
    return members


def points(contest, *values):
    return dict(zip(contest.criteria.values_list("pk", flat=True), values, strict=True))


def into_review(contest, secretary):
    return services.advance_stage(contest=contest, actor=secretary, at=after_submissions(contest))


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- The call -----------------------------------------------------------------------


def test_dates_out_of_order_and_weights_not_100_are_refused(town, area_a, secretary):
    site = SiteFactory(town=town, area=area_a)
    bad_dates = dates()
    bad_dates["early_review_on"] = bad_dates["submission_closes"]
    with pytest.raises(DomainError):
        services.create_contest(town=town, actor=secretary, sites=[site], title="x", **bad_dates)
    with pytest.raises(DomainError):
        services.create_contest(
            town=town,
            actor=secretary,
            sites=[site],
            title="x",
            jury_weight=60,
            public_weight=30,
            **dates(),
        )
    assert not Contest.objects.exists()


def test_sites_of_another_town_are_refused(town, other_town, secretary):
    elsewhere = SiteFactory(area__town=other_town)
    with pytest.raises(DomainError):
        services.create_contest(town=town, actor=secretary, sites=[elsewhere], title="x", **dates())


def test_the_call_opens_only_with_sites_and_criteria_and_then_criteria_are_fixed(
    town, area_a, secretary
):
    contest = make_contest(town=town, actor=secretary, sites=[SiteFactory(town=town, area=area_a)])
    with pytest.raises(DomainError):
        services.open_call(contest=contest, actor=secretary)  # no criteria yet
    services.add_criterion(contest=contest, actor=secretary, name="创意", max_points=50)
    with pytest.raises(DomainError):
        services.add_criterion(contest=contest, actor=secretary, name="创意", max_points=10)
    services.open_call(contest=contest, actor=secretary)
    with pytest.raises(DomainError, match="published"):
        services.add_criterion(contest=contest, actor=secretary, name="美观", max_points=50)
    assert list(contest.criteria.values_list("name", flat=True)) == ["创意"]
    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))
    assert verbs == ["contest.create", "contest.criterion", "contest.open"]


# --- Entries and their files --------------------------------------------------------


def test_entry_with_png_jpeg_and_pdf_drafts(contest, people):
    entry = enter(contest, people["resident"], files=[png(), jpeg(), pdf()])
    kinds = sorted(entry.files.values_list("kind", "content_type"))
    assert kinds == [
        ("image", "image/jpeg"),
        ("image", "image/png"),
        ("pdf", "application/pdf"),
    ]
    assert set(entry.files.values_list("stage", flat=True)) == {"submission"}


@pytest.mark.parametrize(
    "bad",
    [
        SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain"),
        SimpleUploadedFile("fake.png", b"this is text, not a picture", content_type="image/png"),
        SimpleUploadedFile("fake.pdf", b"\x89PNG not a pdf", content_type="application/pdf"),
        SimpleUploadedFile("anim.gif", b"GIF89a....", content_type="image/gif"),
    ],
    ids=["txt", "png-that-is-text", "pdf-that-is-not", "gif"],
)
def test_files_of_the_wrong_type_refuse_the_whole_entry(contest, people, settings, bad):
    with pytest.raises(DomainError) as error:
        enter(contest, people["resident"], files=[png("good.png"), bad])
    assert bad.name in error.value.message
    assert not Entry.objects.exists() and not EntryFile.objects.exists()
    assert stored_files(settings) == []


def test_a_jpeg_named_png_is_refused(contest, people):
    disguised = jpeg("photo.png")
    with pytest.raises(DomainError, match="photo.png"):
        enter(contest, people["resident"], files=[disguised])


def test_an_entry_needs_a_draft_and_one_of_the_contest_sites(town, area_a, contest, people):
    with pytest.raises(DomainError):
        enter(contest, people["resident"], files=[])
    with pytest.raises(DomainError):
        enter(contest, people["resident"], site=SiteFactory(town=town, area=area_a))
    assert not Entry.objects.exists()


def test_submissions_only_while_open(contest, people):
    enter(contest, people["resident"])
    with pytest.raises(DomainError, match="already entered"):
        enter(contest, people["partner"])  # same team, same site
    later = after_submissions(contest)
    with pytest.raises(DomainError, match="closed"):
        services.submit_entry(
            contest=contest,
            user=people["partner"],
            team_name="迟到队",
            site=contest.sites.first(),
            title="t",
            description="d",
            files=[png()],
            at=later,
        )
    assert Entry.objects.count() == 1


def test_a_draft_call_takes_no_entries(town, area_a, secretary, people):
    site = SiteFactory(town=town, area=area_a)
    draft = make_contest(town=town, actor=secretary, sites=[site])
    with pytest.raises(DomainError):
        enter(draft, people["resident"], site=site)


def test_only_the_team_adds_drafts_while_competing(contest, people, secretary):
    entry = enter(contest, people["resident"])
    with pytest.raises(DomainError):
        services.add_drafts(entry=entry, user=people["partner"], files=[png()])
    into_review(contest, secretary)
    contest.refresh_from_db()
    services.add_drafts(entry=entry, user=people["resident"], files=[pdf()])
    assert list(entry.files.values_list("stage", flat=True)) == ["submission", "early"]


# --- Jury and scores ----------------------------------------------------------------


def test_suggested_judges_are_planning_and_think_tank_partners(town, area_a, contest, people):
    planner = PartnerFactory(area=area_a, modes=["planning"])
    thinker = PartnerFactory(area=area_a, modes=["think_tank"])
    PartnerFactory(area=area_a, modes=["media"])
    entrant = PartnerFactory(area=area_a, modes=["planning"], user=people["resident"])
    enter(contest, people["resident"])
    suggested = {m.partner for m in services.suggest_judges(contest)}
    assert {planner, thinker} <= suggested
    assert entrant not in suggested
    for partner in suggested:
        assert {m.mode for m in partner.modes.all()} & {"planning", "think_tank"}


def test_a_judge_scores_once_per_entry_and_stage(contest, people, judges, secretary):
    entry = enter(contest, people["resident"])
    first = judges[0].partner.user
    with pytest.raises(DomainError, match="review stage"):
        services.score_entry(entry=entry, user=first, points=points(contest, 30, 50))
    into_review(contest, secretary)
    entry.refresh_from_db()
    services.score_entry(entry=entry, user=first, points=points(contest, 30, 50))
    with pytest.raises(DomainError, match="already scored"):
        services.score_entry(entry=entry, user=first, points=points(contest, 40, 60))
    assert sorted(Score.objects.values_list("points", flat=True)) == [30, 50]  # not overwritten
    assert AuditEvent.objects.filter(verb="contest.score").count() == 1


def test_only_judges_score_and_within_the_points(contest, people, judges, secretary):
    entry = enter(contest, people["resident"])
    into_review(contest, secretary)
    entry.refresh_from_db()
    with pytest.raises(DomainError, match="jury"):
        services.score_entry(entry=entry, user=people["partner"], points=points(contest, 1, 1))
    judge = judges[0].partner.user
    with pytest.raises(DomainError, match="between 0 and 40"):
        services.score_entry(entry=entry, user=judge, points=points(contest, 41, 10))
    with pytest.raises(DomainError, match="every"):
        services.score_entry(entry=entry, user=judge, points={contest.criteria.first().pk: 10})
    assert not Score.objects.exists()


def test_a_judge_scores_only_in_their_stages_and_only_entries_in_the_running(
    contest, people, judges, secretary
):
    kept = enter(contest, people["resident"])
    dropped = enter(contest, people["partner"], team="另一队")
    into_review(contest, secretary)
    services.advance_stage(contest=contest, actor=secretary, keep=[kept])
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.stage, kept.status) == ("midterm", EntryStatus.ADVANCED)
    assert (dropped.stage, dropped.status) == ("early", EntryStatus.ELIMINATED)
    early_only = judges[2].partner.user
    with pytest.raises(DomainError, match="not judging"):
        services.score_entry(entry=kept, user=early_only, points=points(contest, 1, 1))
    with pytest.raises(DomainError, match="not in the running"):
        services.score_entry(
            entry=dropped, user=judges[0].partner.user, points=points(contest, 1, 1)
        )
    assert not Score.objects.exists()


def test_partners_who_entered_cannot_judge(area_a, contest, people, secretary):
    entrant = PartnerFactory(area=area_a, user=people["partner"])
    enter(contest, people["partner"])
    with pytest.raises(DomainError, match="entered"):
        services.appoint_judge(contest=contest, partner=entrant, stages=["early"], actor=secretary)


def test_judges_come_from_the_town(other_town, contest, secretary):
    stranger = PartnerFactory(area__town=other_town)
    with pytest.raises(DomainError):
        services.appoint_judge(contest=contest, partner=stranger, stages=["early"], actor=secretary)


# --- Stages -------------------------------------------------------------------------


def test_submissions_close_only_after_the_published_date(contest, people, secretary):
    enter(contest, people["resident"])
    with pytest.raises(DomainError, match="open until"):
        services.advance_stage(contest=contest, actor=secretary)
    into_review(contest, secretary)
    assert Contest.objects.get().stage == "early"


def test_advancing_needs_a_choice_and_stops_at_the_final(contest, people, secretary):
    entry = enter(contest, people["resident"])
    into_review(contest, secretary)
    with pytest.raises(DomainError):
        services.advance_stage(contest=contest, actor=secretary, keep=[])
    services.advance_stage(contest=contest, actor=secretary, keep=[entry])
    services.advance_stage(contest=contest, actor=secretary, keep=[entry])
    with pytest.raises(DomainError, match="last stage"):
        services.advance_stage(contest=contest, actor=secretary, keep=[entry])
    events = AuditEvent.objects.filter(verb="contest.advance").order_by("seq")
    assert [e.after["stage"] for e in events] == ["early", "midterm", "final"]


# --- Public vote and awards ---------------------------------------------------------


@pytest.fixture
def final(contest, people, judges, secretary):
    """Two finalists and one entry eliminated in the early review."""
    a = enter(contest, people["resident"], team="甲队")
    b = enter(contest, people["partner"], team="乙队")
    c = enter(contest, people["area_staff"], team="丙队")
    into_review(contest, secretary)
    services.advance_stage(contest=contest, actor=secretary, keep=[a, b])
    services.advance_stage(contest=contest, actor=secretary, keep=[a, b])
    for entry in (a, b, c):
        entry.refresh_from_db()
    contest.refresh_from_db()
    return contest, a, b, c


def test_one_vote_per_account_for_a_finalist_before_closing(final, people):
    contest, a, b, c = final
    voter = UserFactory()
    services.cast_vote(entry=a, user=voter)
    with pytest.raises(DomainError, match="already voted"):
        services.cast_vote(entry=b, user=voter)
    with pytest.raises(DomainError, match="finalists"):
        services.cast_vote(entry=c, user=UserFactory())
    with pytest.raises(DomainError, match="closed"):
        services.cast_vote(
            entry=a, user=UserFactory(), at=contest.public_vote_closes + timedelta(seconds=1)
        )
    assert list(PublicVote.objects.values_list("entry", flat=True)) == [a.pk]


def test_no_vote_before_the_final(contest, people, secretary):
    entry = enter(contest, people["resident"])
    with pytest.raises(DomainError):
        services.cast_vote(entry=entry, user=people["partner"])
    assert not PublicVote.objects.exists()


def test_awards_after_the_vote_combine_jury_and_public(
    final, judges, secretary, django_capture_on_commit_callbacks
):
    contest, a, b, c = final
    for judge in judges[:2]:
        user = judge.partner.user
        services.score_entry(entry=a, user=user, points=points(contest, 30, 40))  # 70
        services.score_entry(entry=b, user=user, points=points(contest, 40, 50))  # 90
    for _ in range(3):
        services.cast_vote(entry=a, user=UserFactory())
    services.cast_vote(entry=b, user=UserFactory())
    with pytest.raises(DomainError, match="still open"):
        services.award(contest=contest, actor=secretary, titles={a.pk: "一等奖"})
    closed = contest.public_vote_closes + timedelta(minutes=1)
    with pytest.raises(DomainError, match="finalists"):
        services.award(contest=contest, actor=secretary, titles={c.pk: "一等奖"}, at=closed)
    with django_capture_on_commit_callbacks(execute=True):
        awards = services.award(
            contest=contest, actor=secretary, titles={a.pk: "一等奖", b.pk: "二等奖"}, at=closed
        )
    # a: 70 × 0.70 + 30 × 0.75 = 71.5; b: 70 × 0.90 + 30 × 0.25 = 70.5
    assert [(x.entry_id, x.rank, str(x.combined_score)) for x in awards] == [
        (a.pk, 1, "71.50"),
        (b.pk, 2, "70.50"),
    ]
    assert set(Entry.objects.winners()) == {a, b}
    assert Contest.objects.get().status == "awarded"
    with pytest.raises(DomainError):
        services.award(contest=contest, actor=secretary, titles={a.pk: "一等奖"}, at=closed)
    assert Award.objects.count() == 2
    assert verify_audit_chain() is None
    assert a.submitted_by.notifications.filter(message__contains="一等奖").exists()


def test_voting_ends_with_the_awards(final, secretary):
    contest, a, _b, _c = final
    closed = contest.public_vote_closes + timedelta(minutes=1)
    services.award(contest=contest, actor=secretary, titles={a.pk: "一等奖"}, at=closed)
    contest.refresh_from_db()
    assert not services.vote_is_open(contest, at=timezone.now())
