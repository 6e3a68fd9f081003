"""Building contests for tests: an open call with sites and criteria, draft files."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongzhi.contests import services
from gongzhi.tests.factories import SiteFactory


def png(name="draft.png", size=(40, 30), colour=(200, 80, 60)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def jpeg(name="draft.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (20, 120, 60)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name="plan.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def dates(today=None, *, vote_hours=72):
    """A schedule whose submission window contains today."""
    today = today or timezone.localdate()
    return {
        "submission_opens": today - timedelta(days=10),
        "submission_closes": today,
        "early_review_on": today + timedelta(days=7),
        "midterm_review_on": today + timedelta(days=21),
        "final_review_on": today + timedelta(days=35),
        "public_vote_closes": timezone.now() + timedelta(hours=vote_hours),
    }


def make_contest(*, town, actor, sites, title="赛", **fields):
    """A contest in preparation (a draft, not yet open for entries) on ``sites``, made
    through the service: its schedule from ``dates()``, its weights 70 (jury) and 30
    (public) unless given."""
    values = {"description": "为街角设计微更新方案。", "jury_weight": 70, "public_weight": 30}
    values.update(fields)
    return services.create_contest(
        town=town, actor=actor, sites=sites, title=title, **dates(), **values
    )


def open_contest(*, town, area, actor, sites=None, criteria=(("创意", 40), ("可行性", 60))):
    sites = sites or [
        SiteFactory(town=town, area=area, name="3号楼转角"),
        SiteFactory(town=town, area=area, name="垃圾房旁空地"),
    ]
    contest = make_contest(town=town, actor=actor, sites=sites, title="转角遇见社区微更新设计赛")
    for name, points in criteria:
        services.add_criterion(contest=contest, actor=actor, name=name, max_points=points)
    return services.open_call(contest=contest, actor=actor)


def enter(contest, user, team="街角小队", title="转角花园", site=None, files=None):
    return services.submit_entry(
        contest=contest,
        user=user,
        team_name=team,
        site=site or contest.sites.order_by("pk").first(),
        title=title,
        description="把转角变成邻居们的小花园。",
        files=files if files is not None else [png()],
    )


def after_submissions(contest):
    """A moment after submissions closed (to advance past the submission stage)."""
    from datetime import datetime, time

    day = contest.submission_closes + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(9)))


def contest_world(*, town, area, people, partner):
    """For the permission matrix: an open contest in its early review with one entry
    (by the resident, with a draft) and the partner user on the jury."""
    secretary = people["secretariat"]
    contest = open_contest(town=town, area=area, actor=secretary)
    entry = enter(contest, people["resident"])
    services.appoint_judge(
        contest=contest, partner=partner, stages=["early", "midterm", "final"], actor=secretary
    )
    services.advance_stage(contest=contest, actor=secretary, at=after_submissions(contest))
    draft = make_contest(town=town, actor=secretary, sites=[], title="筹备中的设计赛")
    return {
        "contest": contest.pk,
        "draft_contest": draft.pk,
        "entry": entry.pk,
        "entry_file": entry.files.get().pk,
    }
