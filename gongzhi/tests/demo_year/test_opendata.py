"""The demo year as open data: the organisation and the 96 meetings of 2023 validate
against the Popolo schemas and carry no personal data."""

from django.urls import reverse

from gongzhi.accounts.models import User
from gongzhi.api.tests.test_opendata import (
    _get,
    assert_no_personal_data,
    assert_popolo,
    assert_references_resolve,
)
from gongzhi.meetings.models import Attendee
from gongzhi.partners.models import Partner


def test_the_demo_year_exports_validate_and_are_masked(town, client):
    phones = [p for p in User.objects.values_list("phone", flat=True) if p]
    organisation, org_text = _get(client, reverse("api:opendata_popolo", args=[town.slug]))
    url = reverse("api:opendata_meetings", args=[town.slug]) + "?year=2023"
    meetings, meeting_text = _get(client, url)

    assert assert_popolo(organisation) > 300
    assert_references_resolve(organisation)
    assert assert_popolo(meetings) > 300
    assert_references_resolve({**organisation, **meetings})
    partner_names = list(Partner.objects.filter(town=town).values_list("name", flat=True))
    assert len(organisation["persons"]) == len(partner_names) == 93
    assert_no_personal_data(org_text, names=partner_names, phones=phones)
    attendee_names = {n for n in Attendee.objects.values_list("name", flat=True) if len(n) >= 2}
    assert_no_personal_data(meeting_text, names=attendee_names | set(partner_names), phones=phones)

    assert len(meetings["events"]) == 96  # the programme's 96 meetings of 2023
    options = {c["option"] for v in meetings["vote_events"] for c in v["counts"]}
    assert {"yes", "no", "owners_total", "owners_yes"} <= options  # art. 278 decisions too
