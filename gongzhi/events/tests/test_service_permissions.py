"""Every staff write on activities checks the actor's permission inside the service, so
that a view (or any other caller) that forgets its check still cannot act: each service
is called directly by people who may not, and must refuse with nothing written.

The activities are in area B, which the area staff of the shared fixtures do not
serve; the other secretariat serves another town. The allowed calls are the other
tests of this app.
"""

from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.core.testing import assert_refused
from gongzhi.events import formats, hours, services
from gongzhi.events.models import Registration
from gongzhi.tests.factories import ActivityFactory, PartnerFactory, UserFactory

# Everyone who may not manage an activity of area B.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_a, area_b, people):
    staff = people["secretariat"]
    draft = ActivityFactory(area=area_b, status="draft")
    cafe_activity = ActivityFactory(area=area_b, kind="world_cafe")
    cafe = formats.set_up_world_cafe(
        activity=cafe_activity, actor=staff, questions=["需要什么？"], tables=1
    )
    market = ActivityFactory(area=area_b, kind="charity_market")
    partner = PartnerFactory(area=area_b)
    stall = formats.add_market_stall(
        activity=market, actor=staff, offer="义剪", offer_kind="service", partner=partner
    )
    service = ActivityFactory(area=area_b, kind="volunteer_service")
    volunteer = UserFactory()
    services.check_in(
        activity=service,
        user=volunteer,
        method="roster",
        recorded_by=staff,
        at=service.starts_at,
    )
    claim = hours.claim_hours(activity=service, user=volunteer, minutes=30, reason="布置场地")
    involved = formats.add_activity_partner(
        activity=draft, partner=partner, role="helper", actor=staff
    )
    return {
        "town": town,
        "area": area_b,
        "area_a": area_a,
        "draft": draft,
        "cafe": cafe,
        "table": cafe.tables.get(),
        "round": cafe.rounds.get(),
        "market": market,
        "stall": stall,
        "claim": claim,
        "service": service,
        "attendance": service.attendances.get(),
        "newcomer": UserFactory(),
        "partner": PartnerFactory(area=area_b),
        "involved": involved,
        "bare_cafe": ActivityFactory(area=area_b, kind="world_cafe"),
    }


def _new_activity(w, actor, area):
    starts = w["draft"].starts_at + timedelta(days=7)
    return services.create_activity(
        town=w["town"],
        actor=actor,
        area=area,
        kind="workshop",
        title="新活动",
        venue="议事厅",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


CASES = {
    "create_activity": lambda w, actor: _new_activity(w, actor, w["area"]),
    "create_activity_town_wide": lambda w, actor: _new_activity(w, actor, None),
    "publish_activity": lambda w, actor: services.publish_activity(
        activity=w["draft"], actor=actor
    ),
    "update_activity": lambda w, actor: services.update_activity(
        activity=w["draft"], actor=actor, title="改名", capacity=10
    ),
    # Into an area the actor does serve: the activity's own area is checked first.
    "update_activity_into_own_area": lambda w, actor: services.update_activity(
        activity=w["draft"], actor=actor, area=w["area_a"]
    ),
    "cancel_activity": lambda w, actor: services.cancel_activity(
        activity=w["draft"], actor=actor, reason="天气原因"
    ),
    "record_walk_ins": lambda w, actor: services.record_walk_ins(
        activity=w["market"], actor=actor, count=10
    ),
    "add_activity_partner": lambda w, actor: formats.add_activity_partner(
        activity=w["draft"], partner=w["partner"], role="speaker", actor=actor
    ),
    "remove_activity_partner": lambda w, actor: formats.remove_activity_partner(
        involved=w["involved"], actor=actor
    ),
    "set_up_world_cafe": lambda w, actor: formats.set_up_world_cafe(
        activity=w["bare_cafe"],
        actor=actor,
        questions=["怎么用？"],
        tables=1,
    ),
    "set_table_host": lambda w, actor: formats.set_table_host(
        table=w["table"], actor=actor, partner=w["partner"]
    ),
    "record_table_note": lambda w, actor: formats.record_table_note(
        table=w["table"], round=w["round"], actor=actor, text="大家的想法"
    ),
    "add_harvest_theme": lambda w, actor: formats.add_harvest_theme(
        cafe=w["cafe"], actor=actor, title="分时段开放"
    ),
    "add_market_stall": lambda w, actor: formats.add_market_stall(
        activity=w["market"], actor=actor, offer="绿植", offer_kind="goods", partner=w["partner"]
    ),
    "record_stall_raised": lambda w, actor: formats.record_stall_raised(
        stall=w["stall"], actor=actor, raised_amount=Decimal("100")
    ),
    "add_activity_photo": lambda w, actor: formats.add_activity_photo(
        activity=w["market"],
        actor=actor,
        image=SimpleUploadedFile("a.png", b"not an image", content_type="image/png"),
        content="摊位",
        taken_at=w["market"].starts_at,
        place="广场",
        people="居民",
        photographer="张三",
    ),
    "decide_claim": lambda w, actor: hours.decide_claim(
        claim=w["claim"], actor=actor, approve=True
    ),
    "check_in_from_the_roster": lambda w, actor: services.check_in(
        activity=w["service"],
        user=w["newcomer"],
        method="roster",
        recorded_by=actor,
        at=w["service"].starts_at,
    ),
    "check_out": lambda w, actor: services.check_out(
        attendance=w["attendance"], actor=actor, at=w["service"].ends_at
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_manage_the_activity(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))


# --- Taking part as oneself ----------------------------------------------------------


def test_taking_part_is_refused_to_an_account_that_cannot_act(area_b):
    """events.take_part: a closed (inactive) account, or nobody, cannot sign up,
    cancel a sign-up or check in with the door's code."""
    activity = ActivityFactory(area=area_b)
    closed = UserFactory(is_active=False)
    registration = Registration.objects.create(activity=activity, user=closed)
    code = services.checkin_token(activity, at=activity.starts_at)
    calls = []
    for user in (closed, AnonymousUser(), None):
        calls += [
            partial(services.register, activity=activity, user=user),
            partial(services.cancel_registration, registration=registration, user=user),
            partial(
                services.check_in_with_code,
                activity=activity,
                token=code,
                user=user,
                at=activity.starts_at,
            ),
        ]
    assert_refused(*calls)
