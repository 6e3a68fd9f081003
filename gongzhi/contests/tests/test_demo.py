"""The demo contest: run from call to award through the services, once."""

from gongzhi.contests.models import Award, Contest, Entry, PublicVote, Score
from gongzhi.core.services import verify_audit_chain
from gongzhi.demo import contests as contests_demo
from gongzhi.demo import partners as partners_demo
from gongzhi.demo import places as places_demo


def test_the_2023_contest_runs_from_call_to_award(db):
    town = places_demo.seed()
    secretary = partners_demo.demo_user(partners_demo.SECRETARIAT_PHONE)
    admin = partners_demo.demo_user("13800000005")
    partners_demo.seed(town, admin)
    assert contests_demo.seed(town, secretary) is True
    assert contests_demo.seed(town, secretary) is False  # idempotent

    contest = Contest.objects.get(town=town)
    assert (contest.title, contest.status, contest.stage) == (
        contests_demo.TITLE,
        "awarded",
        "final",
    )
    assert contest.sites.count() == 6 and contest.criteria.count() == 4
    assert Entry.objects.count() == 6
    assert Entry.objects.filter(status="eliminated").count() == 2
    assert contest.jury.count() == contests_demo.JURY_SIZE
    modes = {m.mode for j in contest.jury.all() for m in j.partner.modes.all()}
    assert modes & {"planning", "think_tank"}
    assert Score.objects.filter(stage="final").count() == 4 * 4 * contests_demo.JURY_SIZE
    assert PublicVote.objects.count() > 50
    assert list(Award.objects.order_by("rank").values_list("title", flat=True)) == [
        "一等奖",
        "二等奖",
        "三等奖",
    ]
    assert Entry.objects.winners().count() == 3
    assert all(f.file.size > 0 for e in Entry.objects.all() for f in e.files.all())
    assert verify_audit_chain() is None
