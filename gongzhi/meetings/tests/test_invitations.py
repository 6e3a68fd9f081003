"""Invitations by phone: this town's accounts only, and the typed name, never the account's."""

import pytest

from gongzhi.core.errors import DomainError
from gongzhi.core.testing import assert_nothing_written
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    Attendee,
)
from gongzhi.tests.factories import UserFactory

from .builders import manage_url, text

# --- 4. Invitations by phone: this town's accounts only, the name typed ---------------


def test_invite_by_phone_reveals_no_account(client_for, town, other_town, meeting, people):
    from gongzhi.tests.factories import AreaFactory

    elsewhere = UserFactory(
        display_name="外镇的钱多多",
        phone="13900001111",
        residential_area=AreaFactory(town=other_town, name="外镇小区", code="91"),
    )
    client = client_for("area_staff")
    for phone in (elsewhere.phone, "18600000000"):
        response = client.post(
            manage_url(meeting, "invite"),
            {"name": "某人", "party": "resident", "phone": phone},
        )
        page = text(response)
        assert response.status_code == 400
        assert "No account registered in this town has this mobile number." in page
        assert "钱多多" not in page
    assert not Attendee.objects.exists()
    # the name is required even with an account: its own name is never copied
    with assert_nothing_written():
        response = client.post(
            manage_url(meeting, "invite"),
            {
                "name": "",
                "party": "resident",
                "phone": people["resident"].phone,
            },
        )
    assert response.status_code == 400 and not Attendee.objects.exists()
    response = client.post(
        manage_url(meeting, "invite"),
        {
            "name": "老李",
            "party": "resident",
            "phone": people["resident"].phone,
        },
    )
    assert response.status_code == 302
    assert Attendee.objects.get(user=people["resident"]).name == "老李"


def test_the_service_refuses_an_account_of_another_town(meeting, staff, other_town):
    from gongzhi.tests.factories import AreaFactory

    outsider = UserFactory(residential_area=AreaFactory(town=other_town, code="92"))
    with pytest.raises(DomainError):
        services.invite(meeting=meeting, actor=staff, name="某人", user=outsider)
    assert not Attendee.objects.exists()
