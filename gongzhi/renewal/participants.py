"""Who took part in what a project came from: the residents told when its result is
published (结果公开) and invited to the satisfaction survey.

- a proposal: its author and current supporters;
- a contest entry: whoever submitted it;
- a plan: its followers, the respondents of its surveys (step 1), the people signed
  in at its co-design activities, and the authors and supporters of the proposals
  taken into it.
Anonymous survey answers (device tokens) and walk-in counts name nobody, so they
cannot be told.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q


def participant_filter(project) -> Q:
    """A filter on users for the people who took part in the project's origin."""
    if project.proposal_id:
        return _proposal_people([project.proposal_id])
    if project.entry_id:
        return Q(pk=project.entry.submitted_by_id)
    from gongzhi.planning.models import ActivityLink, SurveyLink

    process = project.process
    survey_ids = SurveyLink.objects.filter(run__process=process).values("survey_id")
    activity_ids = ActivityLink.objects.filter(run__process=process).values("activity_id")
    proposal_ids = list(process.proposals.values_list("pk", flat=True))
    people = (
        Q(pk__in=process.followers.values("user_id"))
        | Q(survey_responses__survey__in=survey_ids)
        | Q(attendances__activity__in=activity_ids)
    )
    if proposal_ids:
        people |= _proposal_people(proposal_ids)
    return people


def _proposal_people(proposal_ids) -> Q:
    return Q(proposals__pk__in=proposal_ids) | Q(
        proposal_supports__proposal__in=proposal_ids,
        proposal_supports__withdrawn_at__isnull=True,
    )


def participants(project):
    """The distinct accounts (not deleted) that took part in the project's origin."""
    users = get_user_model().objects.filter(participant_filter(project), deleted_at__isnull=True)
    return get_user_model().objects.filter(pk__in=users.values("pk")).order_by("pk")
