"""The sections meetings add to other apps' pages: a proposal's agenda items and the
adopt link, an area's and a unit's outstanding action items and meetings."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.core.sections import sections_for
from gongzhi.meetings import services
from gongzhi.organisations.services import set_up_organisation
from gongzhi.proposals.tests.builders import make_proposal

from .builders import add_action, decided_meeting, text


def test_action_items_on_area_and_unit_pages(client, town, area_a, staff, people):
    secretariat = set_up_organisation(town=town, actor=people["secretariat"])
    world = decided_meeting(town=town, area=area_a, actor=staff, organiser=secretariat)
    done = add_action(world["meeting"], staff, title="已办完的事", owner_unit=secretariat)
    services.set_action_status(item=done, actor=staff, status="done")
    area_page = text(client.get(reverse("places:area", args=[town.slug, area_a.pk])))
    assert "联系物业报价" in area_page and "已办完的事" not in area_page
    assert "王**" in area_page and "王小明" not in area_page  # the owner, masked
    assert world["meeting"].title in area_page
    unit_page = text(client.get(reverse("organisations:unit", args=[town.slug, secretariat.pk])))
    assert "联系物业报价" in unit_page and "已办完的事" not in unit_page
    assert world["meeting"].title in unit_page


def test_proposal_section(rf, town, area_a, area_b, people, staff):
    proposal = make_proposal(town=town, author=people["resident"], area=area_a, title="增设充电桩")
    request = rf.get("/")
    request.user = staff
    # Staff also get paper's section (record a support from paper); this one is meetings'.
    [section] = [
        s for s in sections_for("proposals.proposal", request, proposal)
        if s["key"] == "meetings.agenda"
    ]  # fmt: skip
    assert section["can_adopt"] and section["items"] == []
    request.user = people["area_staff"]
    world = decided_meeting(town=town, area=area_a, actor=staff, approve=False)
    services.add_agenda_item(meeting=world["meeting"], actor=staff, proposal=proposal)
    proposal.refresh_from_db()
    request.user = people["resident"]
    [section] = sections_for("proposals.proposal", request, proposal)
    assert not section["can_adopt"] and [i.meeting for i in section["items"]] == [world["meeting"]]
    # nobody else's proposal gets an empty section
    other = make_proposal(
        town=town, author=people["resident"], area=area_b, title="别的提案", category="other"
    )
    assert sections_for("proposals.proposal", request, other) == []


def test_section_queries_are_constant(rf, town, area_a, staff, people):
    request = rf.get("/")
    request.user = people["resident"]

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            sections_for("places.area", request, area_a)
        return len(ctx.captured_queries)

    decided_meeting(town=town, area=area_a, actor=staff)
    # A first call loads what a page has loaded already (the area's town, the user's
    # roles); the rule is that more meetings add no query.
    queries()
    few = queries()
    for i in range(4):
        decided_meeting(town=town, area=area_a, actor=staff, title=f"会{i}")
    assert queries() == few
