"""Who took part in what a project came from: the residents told when its result is
published (结果公开) and invited to the satisfaction survey.

- a proposal: its author and current supporters;
- a contest entry: whoever submitted it;
- a plan: its followers, the respondents of its surveys (step 1), the people signed
  in at its co-design activities, and the authors and supporters of the proposals
  taken into it.
Anonymous survey answers (device tokens) and walk-in counts name nobody, so they
cannot be told.

Each group is a subquery of user ids, and the filter an OR of ``pk__in`` branches:
OR-ing joins through several to-many relations would multiply the rows (a user
for each response times each attendance ...) before DISTINCT, and lets the
database plan one big join instead of a few index look-ups.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q


def participant_filter(project) -> Q:
    """A filter on users for the people who took part in the project's origin."""
    if project.proposal_id:
        from gongzhi.proposals.models import Proposal

        return _proposal_people(Proposal.objects.filter(pk=project.proposal_id).values("pk"))
    if project.entry_id:
        from gongzhi.contests.models import Entry

        return Q(pk__in=Entry.objects.filter(pk=project.entry_id).values("submitted_by_id"))
    from gongzhi.events.models import Attendance
    from gongzhi.planning.models import ActivityLink, SurveyLink
    from gongzhi.surveys.models import Response

    process = project.process
    surveys = SurveyLink.objects.filter(run__process=process).values("survey_id")
    activities = ActivityLink.objects.filter(run__process=process).values("activity_id")
    followers = process.followers.values("user_id")
    respondents = Response.objects.filter(survey__in=surveys, user__isnull=False).values("user_id")
    attendees = Attendance.objects.filter(activity__in=activities).values("user_id")
    return (
        Q(pk__in=followers)
        | Q(pk__in=respondents)
        | Q(pk__in=attendees)
        | _proposal_people(process.proposals.values("pk"))
    )


def _proposal_people(proposals) -> Q:
    """The authors and current supporters of ``proposals`` (a subquery of ids)."""
    from gongzhi.proposals.models import Proposal, Support

    authors = Proposal.objects.filter(pk__in=proposals).values("author_id")
    supporters = Support.objects.filter(proposal__in=proposals, withdrawn_at__isnull=True)
    return Q(pk__in=authors) | Q(pk__in=supporters.values("user_id"))


def participants(project):
    """The distinct accounts (not deleted) that took part in the project's origin.

    Each branch is a ``pk IN (...)`` test on the user table, so every user is one
    row and no DISTINCT is needed."""
    return (
        get_user_model()
        .objects.filter(participant_filter(project), deleted_at__isnull=True)
        .order_by("pk")
    )
