"""The whole API against its own OpenAPI schema (schemathesis): for every operation,
a bounded, deterministic set of generated requests — half of them aimed at the real
objects of a small world — must never get a 5xx, must get a documented status, and
must get a body matching the documented schema. Writes send a resident's token.

The schema is loaded from the running WSGI application, so what is tested is what
/api/v1/openapi.json serves.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from gongzhi.api.tests.builders import api_world
from gongzhi.surveys.tests.builders import answers_for

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 20


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI handler run in the test's transaction: Django would
    close the connection at each request's start and end (the test client avoids it
    the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _real_ids(w) -> dict[str, int]:
    """Which object a path's {pk} names, by the path's collection."""
    return {
        "proposals": w["proposal"].pk,
        "activities": w["activity"].pk,
        "meetings": w["meeting"].pk,
        "projects": w["project"].pk,
        "processes": w["process"].pk,
        "surveys": w["survey"].pk,
        "articles": w["article"].pk,
    }


def _aim(case, w, ids) -> None:
    """Point the case's path at the world's town and its real objects."""
    params = case.path_parameters or {}
    if "slug" in params:
        params["slug"] = w["slug"]
    if "pk" in params:
        parts = case.operation.path.split("/")
        collection = parts[parts.index("{pk}") - 1]
        if collection in ids:
            params["pk"] = ids[collection]
    body = case.body if isinstance(case.body, dict) else {}
    if "area" in body:
        body["area"] = w["area"]
    if body.get("parent") is not None:
        body["parent"] = w["comment"].pk
    if "answers" in body:
        body["answers"] = w["answers"]


def test_every_operation_against_its_schema(town, area_a, area_b, people, wsgi_in_test_transaction):
    from config.wsgi import application

    w = api_world(town=town, area_a=area_a, area_b=area_b, people=people)
    ids = _real_ids(w)
    w["area"] = area_a.pk
    w["answers"] = {str(pk): value for pk, value in answers_for(w["survey"]).items()}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    # identity: the in-process WSGI client does not undo the GZip middleware's encoding
    # (real clients do); the schema checks read the JSON itself.
    headers = {
        "Authorization": f"Bearer {w['tokens']['resident']}",
        "Accept-Language": "en",
        "Accept-Encoding": "identity",
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19, [op.label for op in operations]
    failures = []
    statuses: dict[str, set[int]] = {}
    for operation in operations:

        @given(case=operation.as_strategy(), real=st.booleans())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case, real):
            if real:
                _aim(case, w, ids)
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses.setdefault(case.operation.label, set()).add(response.status_code)

        try:
            run()
        except Exception as error:  # collect every operation's failure, then report
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
    # The run reached the real objects, not only the errors: every read of a town's
    # records answered a 200, every write a 2xx or the service's 409 at least once.
    assert any("/api/v1/towns/" in label for label in statuses), statuses
    for label, seen in statuses.items():
        if "/api/v1/towns/" in label:
            assert seen & {200, 201, 409}, (label, seen)
