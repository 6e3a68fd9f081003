import rules

from gongzhi.core.rules import is_administrator, is_secretariat_for


@rules.predicate
def is_published(user, contest):
    return bool(contest is not None and contest.status != "draft")


@rules.predicate
def is_judge_of(user, contest):
    """On the contest's jury (through the user's community-partner profile)."""
    if contest is None or not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_gongzhi_juries", {})
    if contest.pk not in cache:
        cache[contest.pk] = contest.jury.filter(partner__user=user).exists()
    return cache[contest.pk]


town_staff = is_administrator | is_secretariat_for

# The town's secretariat runs its contests: the call, criteria, jury, stages, awards.
rules.add_perm("contests.create", town_staff)
rules.add_perm("contests.manage", town_staff)
# A call is public once opened; drafts only to those who run it.
rules.add_perm("contests.view", is_published | town_staff)
# Judges score; residents submit entries (and their drafts) and vote: any signed-in
# account; when and for what is the contest's own rule (services.py).
rules.add_perm("contests.judge", is_judge_of)
rules.add_perm("contests.enter", rules.is_authenticated)
rules.add_perm("contests.vote", rules.is_authenticated)
