"""GET /api/v1/stats: the figures as JSON, bad input as clear JSON errors, no
personal data."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from gongzhi.events.models import Attendance
from gongzhi.places.models import Town
from gongzhi.reports.figures import KEYS
from gongzhi.tests.factories import ActivityFactory, AreaFactory, PartnerFactory, UserFactory

URL = "/api/v1/stats"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def local(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def small(town, area_a, area_b):
    """One partner and one attended activity in area_a in 2024."""
    partner = PartnerFactory(
        area=area_a, joined_on=date(2024, 2, 1), name="张伟", party_status="dual_registered"
    )
    start = local(2024, 5, 4, 9)
    activity = ActivityFactory(area=area_a, starts_at=start, ends_at=start + timedelta(hours=2))
    for user in [partner.user, UserFactory()]:
        Attendance.objects.create(activity=activity, user=user, method="qr", checked_in_at=start)
    return partner


def test_figures_as_json(client, small, town, area_a):
    response = client.get(URL, {"year": 2024, "town": town.slug}, **EN)
    assert response.status_code == 200
    data = response.json()
    assert data["town"] == town.slug
    assert data["area"] is None
    assert data["period"] == {"start": "2024-01-01", "end": "2024-12-31"}
    assert list(data["figures"]) == KEYS
    partners = data["figures"]["partners"]
    assert partners["value"] == 1
    assert partners["unit"] == "partners"
    assert "joined on or before" in partners["rule"]
    assert partners["url"].startswith("http://testserver/t/")
    assert {p["key"]: p["value"] for p in partners["parts"]}["planning"] == 1
    assert data["figures"]["person_times"]["value"] == 2
    assert data["figures"]["satisfaction"]["value"] is None
    assert data["months"][4] == {
        "month": "2024-05",
        "activities": 1,
        "person_times": 2,
        "proposals": 0,
        "meetings": 0,
    }
    assert [row["area"]["code"] for row in data["areas"]] == ["01", "02"]
    assert data["areas"][0]["person_times"] == 2
    assert sum(band["person_times"] for band in data["age_bands"]) == 2


def test_one_area_by_code_or_id(client, small, town, area_a, area_b):
    by_code = client.get(URL, {"year": 2024, "town": town.slug, "area": "01"}).json()
    by_id = client.get(URL, {"year": 2024, "town": town.slug, "area": str(area_a.pk)}).json()
    assert by_code == by_id
    assert by_code["area"] == {"id": area_a.pk, "code": "01", "name": area_a.name}
    assert by_code["areas"] == []
    other = client.get(URL, {"year": 2024, "town": town.slug, "area": "02"}).json()
    assert other["figures"]["partners"]["value"] == 0


def test_only_aggregates_no_personal_data(client, small, town):
    body = client.get(URL, {"year": 2024, "town": town.slug}).content.decode()
    assert "张伟" not in body and "张" not in body
    assert small.user.phone not in body


def test_the_only_town_is_the_default(client, small, town):
    Town.objects.exclude(pk=town.pk).delete()
    response = client.get(URL, {"year": 2024})
    assert response.status_code == 200
    assert response.json()["town"] == town.slug


def next_year():
    return timezone.localdate().year + 1


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"year": 1999}, 400, "year must be at least 2000."),
        ({"year": next_year}, 400, "There are no figures for"),
        ({"year": "abc"}, 400, "year must be a whole number."),
        ({"year": "2024", "area": "999999"}, 404, "There is no residential area"),
        ({"year": "2024", "area": " "}, 400, "Give a residential area's id or code."),
        ({"year": "2024", "area": "x" * 30}, 400, "area is too long"),
        ({"year": "2024", "town": "nowhere"}, 404, "There is no town"),
        ({"year": "2024", "town": "no town!"}, 400, "town has characters"),
        # A NUL reached PostgreSQL's text comparison as a 500 before the pattern.
        ({"year": "2024", "area": "\x00"}, 400, "area has characters"),
    ],
)
def test_bad_input_is_a_clear_json_error(client, town, area_a, params, status, message):
    # Worked out when the test runs, not at collection (a suite can cross midnight).
    params = {key: value() if callable(value) else value for key, value in params.items()}
    params = {"town": town.slug, **params}
    response = client.get(URL, params, **EN)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert message in response.json()["detail"]


def test_several_towns_need_a_town(client, town, other_town):
    response = client.get(URL, {"year": 2024}, **EN)
    assert response.status_code == 400
    assert "?town=" in response.json()["detail"]


def test_area_of_another_town_is_not_found(client, town, other_town):
    elsewhere = AreaFactory(town=other_town, code="77")
    response = client.get(URL, {"year": 2024, "town": town.slug, "area": str(elsewhere.pk)})
    assert response.status_code == 404


def test_queries_bounded_whatever_the_areas(client, town, django_assert_max_num_queries):
    for i in range(10):
        area = AreaFactory(town=town, code=f"5{i:02d}")
        PartnerFactory(area=area, joined_on=date(2024, 1, 1))
    with django_assert_max_num_queries(45):
        assert client.get(URL, {"year": 2024, "town": town.slug}).status_code == 200


def test_openapi_describes_the_response(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/stats"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"year", "area", "town"}
    assert set(operation["responses"]) >= {"200", "400", "404"}
    stats = schema["components"]["schemas"]["StatsOut"]
    assert set(stats["required"]) >= {"town", "area", "period", "figures", "months", "areas"}


def test_figures_are_counted_once_until_the_next_write(client, small, town, area_a):
    """The figures are kept between writes (reports.figures.remembered_figures): the
    second request counts nothing, and a new check-in is counted on the next one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def person_times():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"year": 2024, "town": town.slug})
        assert response.status_code == 200
        return response.json()["figures"]["person_times"]["value"], len(queries)

    counted, first = person_times()
    kept, second = person_times()
    assert counted == kept == 2
    assert second <= first - 10, f"counted again: {first} then {second} queries"
    activity = Attendance.objects.first().activity
    Attendance.objects.create(
        activity=activity, user=UserFactory(), method="qr", checked_in_at=activity.starts_at
    )
    assert person_times()[0] == 3
    # Another area's figures, or another period, are counted for themselves.
    response = client.get(URL, {"year": 2024, "town": town.slug, "area": area_a.code})
    assert response.json()["figures"]["person_times"]["value"] == 3
