"""A small world for the API's tests (and its schemathesis run): one town with two
areas, a published and a draft activity, proposals, a plan, a decided meeting with
approved minutes naming people, a project with a milestone, an open survey, a
published article, and a token per role."""

from django.utils import timezone

from gongzhi.api.services import create_token
from gongzhi.meetings.tests.builders import decided_meeting
from gongzhi.organisations.services import create_team, set_up_organisation
from gongzhi.planning import services as planning_services
from gongzhi.proposals import services as proposal_services
from gongzhi.proposals.tests.builders import adopted_proposal, make_proposal
from gongzhi.renewal import services as renewal_services
from gongzhi.renewal.tests.builders import make_project
from gongzhi.surveys.tests.builders import build_survey
from gongzhi.tests.factories import ActivityFactory, SiteFactory


def api_world(*, town, area_a, area_b, people) -> dict:
    secretary = people["secretariat"]
    resident = people["resident"]
    set_up_organisation(town=town, actor=secretary)
    team = create_team(
        town=town, actor=secretary, name="A队", basis="group", group_name="A组", areas=[area_a]
    )
    activity = ActivityFactory(area=area_a, title="花园工作坊")
    draft_activity = ActivityFactory(area=area_b, status="draft", title="草稿活动")
    proposal = make_proposal(
        town=town, author=resident, area=area_a, title="加装座椅", description="老人需要休息。"
    )
    comment = proposal_services.add_comment(
        proposal=proposal, author=people["partner"], body="同意"
    )
    adopted = adopted_proposal(
        town=town, author=resident, area=area_b, title="晾衣架", description="没有地方晒被子。"
    )
    process = planning_services.start_process(
        town=town, area=area_a, actor=secretary, title="甲区花园更新"
    )
    decided = decided_meeting(town=town, area=area_a, actor=secretary, title="甲区自治会议")
    today = timezone.localdate()
    project = make_project(
        actor=secretary,
        site=SiteFactory(town=town, area=area_b),
        responsible_unit=team,
        proposal=adopted,
        title="便民晾衣架",
        description="晾衣架与雨棚",
        budget="8000",
    )
    renewal_services.add_milestone(
        project=project, actor=secretary, title="施工", planned_start=today, planned_end=today
    )
    survey = build_survey(town=town, area=area_a, actor=secretary)
    draft_survey = build_survey(town=town, area=area_a, actor=secretary, open_it=False)
    from gongzhi.news.tests.builders import media_partner, published_article

    media_partner(user=people["partner"], area=area_a)
    article = published_article(
        town=town, author=people["partner"], reviewer=secretary, area=area_a, project=project
    )
    tokens = {}
    for role in ("resident", "partner", "secretariat"):
        _token, key = create_token(user=people[role], name=f"{role} integration", days=30)
        tokens[role] = key
    return {
        "slug": town.slug,
        "activity": activity,
        "draft_activity": draft_activity,
        "proposal": proposal,
        "comment": comment,
        "adopted": adopted,
        "process": process,
        "meeting": decided["meeting"],
        "motion": decided["motion"],
        "project": project,
        "survey": survey,
        "draft_survey": draft_survey,
        "article": article,
        "tokens": tokens,
    }


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
