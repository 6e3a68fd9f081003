"""Scheduling a meeting: who may choose which areas (and a town-wide meeting)."""

import pytest
from django.urls import reverse

from gongzhi.core.errors import DomainError
from gongzhi.meetings.models import (
    Meeting,
)

from .builders import make_meeting, text

# --- 9/10. Scheduling --------------------------------------------------------------


def test_a_model_validation_error_is_a_domain_error(town, area_a, staff):
    with pytest.raises(DomainError):
        make_meeting(town=town, area=area_a, actor=staff, decision_rule="bogus")
    assert not Meeting.objects.exists()


def test_area_staff_are_not_offered_a_town_wide_meeting(client_for, town):
    page = text(client_for("area_staff").get(reverse("meetings:create_meeting", args=[town.slug])))
    assert "Town-wide" not in page
    page = text(client_for("secretariat").get(reverse("meetings:create_meeting", args=[town.slug])))
    assert "Town-wide" in page
