"""Every staff or contributor write in the planning loop checks the actor's permission
inside the service, so that a view (or any other caller) that forgets its check still
cannot act: each service is called directly by people who may not, and must refuse with
nothing written.

The process is in area B, which the area staff of the shared fixtures do not serve, and
the partner is not one of its partners; the other secretariat serves another town. The
allowed calls are the other tests of this app. Comments, dot votes and objections are
residents' own actions, held to the step's rules (see test_evidence_services).
"""

from datetime import timedelta
from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.core.testing import assert_refused
from gongzhi.meetings.tests.builders import make_meeting
from gongzhi.planning import evidence_services as ev
from gongzhi.planning import services
from gongzhi.planning.models import Need, PlanningProcess, ProcessStatus
from gongzhi.planning.tests.builders import (
    give_evidence,
    process_at_step,
    publish_notice,
    run_of,
)
from gongzhi.proposals.models import ProposalStatus
from gongzhi.proposals.tests.builders import proposal_at
from gongzhi.surveys.services import create_survey
from gongzhi.tests.factories import ActivityFactory, AreaFactory, UserFactory

# Everyone who may neither contribute to nor run the process of area B, nor start or
# stop processes in the town.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")
# Templates are the administrator's alone.
NOT_ADMINISTRATOR = ("resident", "partner", "area_staff", "secretariat", "other_secretariat")


@pytest.fixture
def world(town, area_b, people):
    staff = people["secretariat"]
    process = process_at_step(11, town=town, area=area_b, actor=staff)
    consultation = give_evidence(run_of(process, 8), actor=staff)
    notice = give_evidence(run_of(process, 11), actor=staff, without="objection_reply")
    adopted, _author, _supporters = proposal_at(
        ProposalStatus.ADOPTED, town=town, area=area_b, supporters=0
    )
    return {
        "town": town,
        "process": process,
        "new_area": AreaFactory(town=town),
        "survey": create_survey(town=town, area=area_b, actor=staff, title="需求调查"),
        "need": Need.objects.create(run=run_of(process, 1), text="楼道照明"),
        "activity": ActivityFactory(area=area_b, kind="workshop"),
        "meeting": make_meeting(town=town, area=area_b, actor=staff, kind="joint"),
        "proposal": adopted,
        "draft": consultation["draft"],
        "comment": consultation["comments"][0],
        "objection": notice["objection"],
    }


def _file(name, content=b"%PDF-1.4 plan"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


CASES = {
    "start_process": lambda w, actor: services.start_process(
        town=w["town"], area=w["new_area"], actor=actor, title="新规划"
    ),
    "launch_batch": lambda w, actor: services.launch_batch(
        town=w["town"], actor=actor, title="批量", assignments=[(w["new_area"], None)]
    ),
    "advance_step": lambda w, actor: services.advance_step(process=w["process"], actor=actor),
    "return_to_step": lambda w, actor: services.return_to_step(
        process=w["process"], actor=actor, to_order=1, reason="重新调研"
    ),
    "abandon": lambda w, actor: services.abandon(
        process=w["process"], actor=actor, reason="居民意见分歧"
    ),
    "take_in_proposal": lambda w, actor: services.take_in_proposal(
        process=w["process"], proposal=w["proposal"], actor=actor
    ),
    "link_survey": lambda w, actor: ev.link_survey(
        process=w["process"], actor=actor, survey=w["survey"]
    ),
    "add_need": lambda w, actor: ev.add_need(process=w["process"], actor=actor, text="座椅"),
    "remove_need": lambda w, actor: ev.remove_need(
        process=w["process"], actor=actor, need=w["need"]
    ),
    "add_step_photo": lambda w, actor: ev.add_step_photo(
        process=w["process"], actor=actor, image=_file("a.png", b"png"), purpose="site"
    ),
    "record_interview": lambda w, actor: ev.record_interview(
        process=w["process"],
        actor=actor,
        category="owner",
        held_on=timezone.now().date(),
        notes="谈话记录",
        summary="希望增加座椅",
        consent=True,
    ),
    "upload_draft": lambda w, actor: ev.upload_draft(
        process=w["process"], actor=actor, file=_file("plan.pdf"), title="方案", description="说明"
    ),
    "link_activity": lambda w, actor: ev.link_activity(
        process=w["process"], actor=actor, activity=w["activity"]
    ),
    "link_meeting": lambda w, actor: ev.link_meeting(
        process=w["process"], actor=actor, meeting=w["meeting"]
    ),
    "record_joint_decision": lambda w, actor: ev.record_joint_decision(
        process=w["process"], actor=actor, motion=None, decision="approve"
    ),
    "open_consultation": lambda w, actor: ev.open_consultation(
        process=w["process"],
        actor=actor,
        draft=w["draft"],
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=14),
    ),
    "reply_to_consultation_comment": lambda w, actor: ev.reply_to_consultation_comment(
        comment=w["comment"], actor=actor, reply="已采纳"
    ),
    "post_notice": lambda w, actor: publish_notice(
        process=w["process"], actor=actor, draft=w["draft"]
    ),
    "reply_to_objection": lambda w, actor: ev.reply_to_objection(
        objection=w["objection"], actor=actor, reply="已调整"
    ),
    "publish_result": lambda w, actor: ev.publish_result(
        process=w["process"], actor=actor, text="无重大异议"
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_act_on_the_process(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))


def test_only_the_administrator_changes_templates(db, people):
    template = services.ensure_default_template()
    step = template.steps.order_by("order").first()
    assert_refused(
        *(
            partial(services.copy_template, template=template, actor=people[role], name="副本")
            for role in NOT_ADMINISTRATOR
        ),
        *(
            partial(services.change_step_rule, step=step, actor=people[role], title_zh="改")
            for role in NOT_ADMINISTRATOR
        ),
    )


def test_area_staff_return_a_plan_only_on_a_joint_meetings_decision(town, area_a, people):
    """The staff of the process's own area may run it, but sending it back on the
    secretariat's authority (without a meeting's decision) is the town's."""
    process = process_at_step(3, town=town, area=area_a, actor=people["secretariat"])
    assert_refused(
        lambda: services.return_to_step(
            process=process, actor=people["area_staff"], to_order=1, reason="重新调研"
        )
    )


# --- Taking part as oneself ----------------------------------------------------------


def test_following_a_draft_is_refused_to_who_may_not_see_it(town, people):
    """planning.take_part: a plan not yet public cannot be followed by residents nor
    by staff of other areas or towns."""
    process = process_at_step(
        1, town=town, area=AreaFactory(town=town), actor=people["secretariat"]
    )
    PlanningProcess.objects.filter(pk=process.pk).update(status=ProcessStatus.DRAFT)
    process.refresh_from_db()
    assert_refused(
        *(partial(services.follow, process=process, user=people[role]) for role in UNAUTHORISED)
    )


def test_taking_part_is_refused_to_an_account_that_cannot_act(world):
    """planning.take_part: a closed (inactive) account, or nobody, cannot follow,
    comment, place a dot or object, whatever the step."""
    process, draft = world["process"], world["draft"]
    calls = []
    for user in (UserFactory(is_active=False), AnonymousUser(), None):
        calls += [
            partial(services.follow, process=process, user=user),
            partial(ev.comment_on_draft, process=process, user=user, draft=draft, body="好"),
            partial(ev.cast_dot_vote, process=process, user=user, draft=draft),
            partial(ev.comment_in_consultation, process=process, user=user, body="好"),
            partial(ev.object_to_notice, process=process, user=user, body="不同意"),
        ]
    assert_refused(*calls)
