"""Bad input to meetings: ids that are not plain digits, owners' figures out of bounds,
speeches far over their limit, and model validation errors as domain errors."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from gongzhi.core.errors import DomainError
from gongzhi.core.testing import assert_nothing_written
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    DecisionRule,
    Speech,
    Vote,
    VoteMode,
)

from .builders import make_meeting, manage_url, motion_url, seconded_motion, sign_in_people, text

# --- 2. Ids and numbers that are not plain digits -----------------------------------


def test_unicode_digits_are_not_ids(client_for, town, meeting, staff):
    client = client_for("area_staff")
    ledger = client.get(reverse("meetings:ledger", args=[town.slug]) + "?year=²")
    assert ledger.status_code == 200
    with assert_nothing_written():
        response = client.post(manage_url(meeting, "sign_in_attendee"), {"attendee": "²"})
    assert response.status_code == 409
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    motion = seconded_motion(meeting, staff, people)
    with assert_nothing_written():
        response = client.post(motion_url(motion, "cast_votes"), {"vote-²": "yes"})
    assert response.status_code == 409 and "Choose someone on this meeting" in text(response)
    huge = "9" * 30
    with assert_nothing_written():
        response = client.post(motion_url(motion, "cast_votes"), {f"vote-{huge}": "yes"})
    assert response.status_code == 409
    with assert_nothing_written():
        response = client.post(manage_url(meeting, "sign_in_attendee"), {"attendee": huge})
    assert response.status_code == 409
    assert not Vote.objects.exists()


# --- 3. Owners' figures are bounded -------------------------------------------------


def owners_motion(town, area_a, staff):
    meeting = make_meeting(
        town=town, area=area_a, actor=staff, decision_rule=DecisionRule.OWNERS_MAJOR
    )
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    return seconded_motion(meeting, staff, people, vote_mode=VoteMode.COUNTS)


def test_huge_owners_figures_are_a_form_error(client_for, town, area_a, staff):
    motion = owners_motion(town, area_a, staff)
    figures = {
        "total_area": "1000",
        "total_owners": str(10**12),
        "participating_area": "900",
        "participating_owners": str(10**12),
        "yes_area": "800",
        "yes_owners": str(10**11),
    }
    with assert_nothing_written():
        response = client_for("area_staff").post(motion_url(motion, "record_owners_count"), figures)
    assert response.status_code == 400
    motion.refresh_from_db()
    assert motion.total_owners is None


@translation.override("en")
def test_huge_owners_figures_are_refused_by_the_service(town, area_a, staff):
    motion = owners_motion(town, area_a, staff)
    with pytest.raises(DomainError, match="at most"):
        services.record_owners_count(
            motion=motion,
            actor=staff,
            total_area=Decimal("1000"),
            total_owners=10**12,
            participating_area=Decimal("900"),
            participating_owners=10**12,
            yes_area=Decimal("800"),
            yes_owners=10**11,
        )
    motion.refresh_from_db()
    assert motion.total_owners is None


# --- 12. Speech lengths ------------------------------------------------------------


@translation.override("en")
def test_a_speech_far_over_the_limit_is_refused_and_overruns_are_shown(client_for, meeting, staff):
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    motion = seconded_motion(meeting, staff, people)
    with pytest.raises(DomainError, match="three times"):
        services.record_speech(
            motion=motion, actor=staff, attendee=people[0], stance="for", seconds=3600
        )
    assert not Speech.objects.exists()
    services.record_speech(
        motion=motion, actor=staff, attendee=people[0], stance="for", seconds=360
    )
    services.record_speech(motion=motion, actor=staff, attendee=people[1], stance="for", seconds=60)
    page = text(client_for("area_staff").get(motion_url(motion)))
    assert page.count("over time") == 1
    with assert_nothing_written():
        response = client_for("area_staff").post(
            motion_url(motion, "record_speech"),
            {"attendee": people[1].pk, "stance": "against", "seconds": 3600},
        )
    assert response.status_code == 409 and Speech.objects.count() == 2
