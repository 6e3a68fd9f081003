"""Open data in the Popolo shape: every exported object validates against the Popolo
JSON schemas (draft 03, resolved from the local copies: no network), and no personal
data (names unmasked, phone numbers) appears anywhere in the payload."""

import copy
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft3Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from gongzhi.core.testing import count_queries
from gongzhi.meetings import services as meeting_services
from gongzhi.meetings.models import MeetingKind
from gongzhi.meetings.tests.builders import decided_meeting, make_meeting, sign_in_people
from gongzhi.organisations.models import MemberRole
from gongzhi.organisations.services import add_member, create_team, set_up_organisation
from gongzhi.tests.factories import PartnerFactory

SCHEMAS = Path(__file__).parent / "popolo_schemas"
BASE = "http://www.popoloproject.com/schemas/"


def _strict(schema):
    """The schema with every object closed (additionalProperties false): the export
    must use Popolo's own property names, so a typo or a smuggled field (a phone)
    fails. Popolo itself allows extra properties; we choose not to use any."""
    schema = copy.deepcopy(schema)

    def close(node):
        if isinstance(node, dict):
            if "properties" in node:
                node.setdefault("additionalProperties", False)
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(schema)
    return schema


def _no_network(uri):
    raise AssertionError(f"schema {uri} would be fetched from the network")


def _registry():
    """The local schemas under their ids; anything else is an error, never a fetch."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = _strict(json.loads(path.read_text(encoding="utf-8")))
        resource = Resource.from_contents(schema, default_specification=DRAFT3)
        resources.append((schema["id"], resource))
    return Registry(retrieve=_no_network).with_resources(resources)


REGISTRY = _registry()

# Draft 3 formats Popolo uses, checked here (the optional format libraries are not
# installed, and an unchecked format would pass anything).
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value):
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.tzinfo is not None  # RFC 3339 needs the offset


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value):
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


@FORMATS.checks("email")
def _is_email(value):
    return not isinstance(value, str) or "@" in value


def validator(name: str) -> Draft3Validator:
    schema = REGISTRY[BASE + f"{name}.json#"].contents
    return Draft3Validator(schema, registry=REGISTRY, format_checker=FORMATS)


COLLECTIONS = {
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
    "posts": "post",
    "areas": "area",
    "events": "event",
    "motions": "motion",
    "vote_events": "vote_event",
}


def assert_popolo(payload: dict) -> int:
    """Validate every object of every Popolo collection in ``payload``; returns how
    many objects were checked."""
    checked = 0
    errors = []
    for key, objects in payload.items():
        if key == "meta":
            continue
        assert key in COLLECTIONS, f"{key} is not a Popolo collection"
        check = validator(COLLECTIONS[key])
        for obj in objects:
            checked += 1
            errors += [f"{key} {obj.get('id')}: {e.message}" for e in check.iter_errors(obj)]
    assert not errors, "\n".join(errors)
    return checked


def assert_references_resolve(payload: dict) -> None:
    """Every *_id inside the export points at an object of the export."""
    ids = {obj["id"] for key, objs in payload.items() if key != "meta" for obj in objs}
    dangling = [
        (obj["id"], field, obj[field])
        for key, objs in payload.items()
        if key != "meta"
        for obj in objs
        for field in (
            "person_id",
            "organization_id",
            "post_id",
            "parent_id",
            "area_id",
            "motion_id",
            "legislative_session_id",
        )
        if obj.get(field) and obj[field] not in ids
    ]
    assert not dangling, dangling


def assert_no_personal_data(text: str, *, names, phones) -> None:
    for name in names:
        assert name not in text, f"unmasked name {name} in the export"
    for phone in phones:
        assert phone not in text, f"phone number {phone} in the export"
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), "a mobile number in the export"


# --- The schemas themselves ----------------------------------------------------------------


def test_schemas_resolve_locally_and_reject_a_wrong_object():
    """The references between the schemas resolve to the local files, and the
    validator really checks: a wrong object fails."""
    check = validator("membership")
    bad = {"id": "m", "start_date": "yesterday", "person": {"name": 3}, "phone": "x"}
    messages = [e.message for e in check.iter_errors(bad)]
    assert len(messages) == 3  # the date pattern, the extra "phone", person.json's name
    nested = list(check.iter_errors({"person": {"name": 3}}))  # checked through person.json#
    assert len(nested) == 1 and "3 is not of type" in nested[0].message
    assert list(validator("event").iter_errors({"start_date": "2023-01-01T09:00:00"}))  # no TZ
    assert not list(
        validator("vote_event").iter_errors({"counts": [{"option": "yes", "value": 1}]})
    )
    assert list(validator("vote_event").iter_errors({"counts": [{"option": "yes"}]}))


# --- The organisation -------------------------------------------------------------------------


@pytest.fixture
def organisation(town, area_a, area_b, people):
    secretary = people["secretariat"]
    secretariat = set_up_organisation(town=town, actor=secretary)
    leader = PartnerFactory(user=people["partner"], area=area_a, name="王带头")
    members = [
        PartnerFactory(area=area_a, name="张三丰"),
        PartnerFactory(area=area_b, name="李小龙", party_status="member"),
    ]
    team = create_team(
        town=town,
        actor=secretary,
        name="逸景花园队",
        basis="leader",
        leader=leader,
        areas=[area_a],
        description="王带头牵头，联系 13912345678",
    )
    add_member(unit=team, partner=members[0], role=MemberRole.MEMBER, actor=secretary)
    head = add_member(unit=secretariat, partner=members[1], role=MemberRole.HEAD, actor=secretary)
    from gongzhi.organisations.services import end_membership

    end_membership(membership=head, actor=secretary)
    add_member(unit=secretariat, partner=members[1], role=MemberRole.DEPUTY, actor=secretary)
    return {"team": team, "secretariat": secretariat, "partners": [leader, *members]}


def _get(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json(), response.content.decode()


def test_organisation_is_popolo_and_masked(client, town, organisation):
    url = reverse("api:opendata_popolo", args=[town.slug])
    payload, text = _get(client, url)

    assert assert_popolo(payload) > 10
    assert_references_resolve(payload)
    partners = organisation["partners"]
    assert_no_personal_data(
        text,
        names=[p.name for p in partners],
        phones=[p.user.phone for p in partners] + ["13912345678"],
    )

    persons = {p["id"]: p for p in payload["persons"]}
    assert persons[f"partner-{partners[0].pk}"] == {
        "id": f"partner-{partners[0].pk}",
        "name": "王**",
    }
    assert all(set(p) == {"id", "name"} for p in persons.values())  # nothing but a masked name
    assert set(persons) == {f"partner-{p.pk}" for p in partners}  # partner ids, not accounts

    organizations = {o["id"]: o for o in payload["organizations"]}
    kinds = sorted(o["classification"] for o in organizations.values())
    assert kinds.count("committee") == 5 and kinds.count("secretariat") == 1
    assert kinds.count("team") == 1 and kinds.count("town") == 1
    assert kinds.count("residents_committee") == 2
    team = organizations[f"unit-{organisation['team'].pk}"]
    assert team["parent_id"] == f"unit-{organisation['secretariat'].pk}"
    assert "王带头" not in team["description"] and "139****5678" in team["description"]
    assert organizations[f"town-{town.slug}"]["name"] == town.name
    # In pinyin order: 第 di before 逸 yi.
    assert [a["name"] for a in payload["areas"]] == ["第二居民区", "逸景佳苑"]
    rc = organizations[f"rc-{organisation['partners'][0].area_id}"]
    assert rc["name"] == "逸景佳苑 residents' committee" and rc["area_id"].startswith("area-")

    memberships = payload["memberships"]
    assert len(memberships) == 4
    leader = next(m for m in memberships if m["person_id"] == f"partner-{partners[0].pk}")
    assert (
        leader["role"] == "Leader" and leader["post_id"] == f"post-{organisation['team'].pk}-leader"
    )
    ended = [m for m in memberships if "end_date" in m]
    assert len(ended) == 1 and ended[0]["role"] == "Head"
    plain = next(m for m in memberships if m["person_id"] == f"partner-{partners[1].pk}")
    assert "post_id" not in plain  # a plain member holds no post
    posts = {p["id"]: p for p in payload["posts"]}
    assert set(posts) == {
        f"post-{organisation['team'].pk}-leader",
        f"post-{organisation['secretariat'].pk}-head",
        f"post-{organisation['secretariat'].pk}-deputy",
    }
    assert posts[f"post-{organisation['team'].pk}-leader"]["label"] == "Leader, 逸景花园队"


def test_organisation_in_chinese_by_default(client, town, organisation):
    payload = client.get(reverse("api:opendata_popolo", args=[town.slug])).json()
    assert any(o["name"].startswith("逸景佳苑") for o in payload["organizations"])
    assert_popolo(payload)


def test_organisation_of_an_unknown_town_is_a_json_404(client, db):
    response = client.get(
        reverse("api:opendata_popolo", args=["nowhere"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no town at this address."}


def test_organisation_of_an_empty_town_is_valid(client, other_town):
    payload, _text = _get(client, reverse("api:opendata_popolo", args=[other_town.slug]))
    assert payload["persons"] == [] and payload["memberships"] == []
    assert [o["classification"] for o in payload["organizations"]] == ["town"]
    assert_popolo(payload)


def test_organisation_queries_do_not_grow_with_partners(client, town, area_a, organisation, people):
    url = reverse("api:opendata_popolo", args=[town.slug])
    count_queries(client, url)
    few, _ = count_queries(client, url)
    team = organisation["team"]
    for _i in range(10):
        partner = PartnerFactory(area=area_a)
        add_member(unit=team, partner=partner, role=MemberRole.MEMBER, actor=people["secretariat"])
    many, response = count_queries(client, url)
    assert few == many
    assert len(response.json()["memberships"]) == 14


# --- Meetings as events -----------------------------------------------------------------------


@pytest.fixture
def held_meetings(town, area_a, area_b, people):
    secretary = people["secretariat"]
    unit = set_up_organisation(town=town, actor=secretary)
    decided = decided_meeting(town=town, area=area_a, actor=secretary, title="王小明的提议讨论会")
    town_wide = decided_meeting(
        town=town, area=None, actor=secretary, organiser=unit, kind=MeetingKind.COMMITTEE
    )
    # Not exported: a meeting whose record is still open, and a cancelled one.
    open_meeting = make_meeting(town=town, area=area_b, actor=secretary, title="未结束的会")
    sign_in_people(open_meeting, secretary, ["赵六"])
    cancelled = make_meeting(town=town, area=area_b, actor=secretary, title="取消的会")
    meeting_services.cancel_meeting(meeting=cancelled, actor=secretary, reason="改期")
    return {
        "decided": decided,
        "town_wide": town_wide,
        "open": open_meeting,
        "cancelled": cancelled,
    }


def test_meetings_are_popolo_events_with_motions_and_votes(client, town, held_meetings):
    year = timezone.localdate(held_meetings["decided"]["meeting"].starts_at).year
    url = reverse("api:opendata_meetings", args=[town.slug]) + f"?year={year}"
    payload, text = _get(client, url)

    assert assert_popolo(payload) == 6  # 2 events, 2 motions, 2 vote events
    assert_references_resolve(
        {**payload, "organizations": [{"id": e["organization_id"]} for e in payload["events"]]}
    )
    assert_no_personal_data(text, names=["王小明", "张三丰", "李四", "赵六"], phones=[])
    assert "取消的会" not in text and "未结束的会" not in text

    meeting = held_meetings["decided"]["meeting"]
    event = next(e for e in payload["events"] if e["id"] == f"meeting-{meeting.pk}")
    assert event["name"] == "王**的提议讨论会"
    assert event["classification"] == "self_governance" and event["status"] == "held"
    assert event["organization_id"] == f"rc-{meeting.area_id}"
    assert event["sources"][0]["url"].endswith(meeting.get_absolute_url())
    town_wide = next(e for e in payload["events"] if e["id"] != f"meeting-{meeting.pk}")
    assert town_wide["classification"] == "committee"
    assert town_wide["organization_id"].startswith("unit-")

    motion = held_meetings["decided"]["motion"]
    popolo_motion = next(m for m in payload["motions"] if m["id"] == f"motion-{motion.pk}")
    assert popolo_motion["legislative_session_id"] == f"meeting-{meeting.pk}"
    assert popolo_motion["result"] == "pass" and popolo_motion["text"] == motion.text
    vote_event = next(v for v in payload["vote_events"] if v["motion_id"] == popolo_motion["id"])
    assert vote_event["result"] == "pass"
    assert vote_event["counts"] == [
        {"option": "yes", "value": 2},
        {"option": "no", "value": 1},
        {"option": "abstain", "value": 0},
    ]
    assert "votes" not in vote_event  # counts only: never who voted how


def test_motion_text_is_masked(client, town, area_a, people):
    secretary = people["secretariat"]
    record = decided_meeting(town=town, area=area_a, actor=secretary)
    motion = record["motion"]
    type(motion).objects.filter(pk=motion.pk).update(text="王小明提议，电话13812341234")
    year = timezone.localdate(record["meeting"].starts_at).year
    url = reverse("api:opendata_meetings", args=[town.slug]) + f"?year={year}"
    payload, text = _get(client, url)
    assert payload["motions"][0]["text"] == "王**提议，电话138****1234"
    assert_no_personal_data(text, names=["王小明"], phones=["13812341234"])


def test_meetings_of_another_year_are_not_exported(client, town, held_meetings):
    year = timezone.localdate(held_meetings["decided"]["meeting"].starts_at).year
    url = reverse("api:opendata_meetings", args=[town.slug]) + f"?year={year - 1}"
    payload, _text = _get(client, url)
    assert payload["events"] == payload["motions"] == payload["vote_events"] == []
    assert payload["meta"]["year"] == year - 1


def test_meetings_default_to_this_year(client, town, held_meetings):
    payload, _text = _get(client, reverse("api:opendata_meetings", args=[town.slug]))
    assert payload["meta"]["year"] == timezone.localdate().year


def test_a_year_after_next_year_is_a_clear_400(client, town):
    year = timezone.localdate().year + 2
    url = reverse("api:opendata_meetings", args=[town.slug]) + f"?year={year}"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == f"Choose a year between 2000 and {year - 1}."


@pytest.mark.parametrize("year", ["1999", "99999999999", "last", "2023.5", ""])
def test_a_malformed_or_out_of_range_year_is_a_400(client, town, year):
    url = reverse("api:opendata_meetings", args=[town.slug]) + f"?year={year}"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    if year == "":
        assert response.status_code in (200, 400)  # an empty value may mean "not given"
        return
    assert response.status_code == 400
    assert "year" in response.json()["detail"]


@pytest.mark.parametrize("slug", ["nowhere", "bad%00slug", "x" * 41])
def test_an_unknown_or_malformed_town_is_a_json_error(client, db, slug):
    for name in ("api:opendata_popolo", "api:opendata_meetings"):
        url = reverse(name, args=["SLUG"]).replace("SLUG", slug)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code in (400, 404)
        assert response.json()["detail"]


def test_meetings_of_an_unknown_town_is_a_json_404(client, db):
    response = client.get(reverse("api:opendata_meetings", args=["nowhere"]))
    assert response.status_code == 404 and response.json()["detail"]


def test_meetings_queries_do_not_grow(client, town, area_a, people):
    secretary = people["secretariat"]
    decided_meeting(town=town, area=area_a, actor=secretary)
    url = reverse("api:opendata_meetings", args=[town.slug])
    count_queries(client, url)
    few, _ = count_queries(client, url)
    for _i in range(3):
        decided_meeting(
            town=town,
            area=area_a,
            actor=secretary,
            starts_at=timezone.now() - timedelta(minutes=30),
        )
    many, response = count_queries(client, url)
    assert few == many
    assert len(response.json()["events"]) == 4
