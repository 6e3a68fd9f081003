"""Every list makes a constant number of queries, and shows the rows it was given.

``LIST_QUERY_TESTS`` is the register: each URL name that lists rows (an HTML page or
an API list) → the test that calls ``assert_constant_queries`` on it (with 5 and 50
rows, checking that they are on the page). The lists that had no such test have it
here; the others are tested beside their app's other page tests.

A URL name *looks like a list* when its view (for the API, the operation's function)
calls ``paginate(``, or when its name (after the namespace) starts with ``my_`` or
ends with ``_list``, ``directory``, ``roster``, ``board`` (not ``dashboard``),
``chart``, ``queue``, ``moderation``, ``batch_result`` or a plural ``s`` (not ``ss``);
views that accept only POST (``@require_POST``) are actions, not lists. A new URL
that looks like a list and is neither in the register nor in ``NOT_LISTS`` (with the
reason it is not one) fails ``test_every_list_is_registered``. The check reads the
URL conf and the test files' source only, so it gives the same answer on every
pytest-xdist worker.
"""

import ast
import inspect
import re
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from gongzhi.core.testing import assert_constant_queries
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.tests.factories import ActivityFactory, AreaFactory, PartnerFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
HERE = "gongzhi/tests/test_list_queries.py"

LIST_QUERY_TESTS = {
    # places
    "places:home": (
        "gongzhi/places/tests/test_pages.py::test_home_town_list_query_count_is_constant"
    ),
    "places:area_list": (
        "gongzhi/places/tests/test_pages.py::test_area_list_query_count_is_constant"
    ),
    "places:area_residents": (
        "gongzhi/places/tests/test_pages.py::test_area_residents_query_count_is_constant"
    ),
    "places:town_audit": (
        "gongzhi/places/tests/test_pages.py::test_town_audit_query_count_is_constant"
    ),
    "notifications": f"{HERE}::test_notifications",
    "todo": "gongzhi/tests/test_todo.py::test_query_count_is_constant",
    "me": "gongzhi/tests/test_me.py::test_me_query_count_is_constant",
    # partners
    "partners:directory": (
        "gongzhi/partners/tests/test_directory.py::test_directory_query_count_is_constant"
    ),
    "partners:review_queue": (
        "gongzhi/partners/tests/test_applications.py::"
        "test_review_queue_lists_open_applications_with_constant_queries"
    ),
    "partners:my_applications": f"{HERE}::test_my_applications",
    "partners:recommendations": f"{HERE}::test_recommendations",
    "partners:match": (
        "gongzhi/partners/tests/test_matching.py::test_match_query_count_does_not_grow_with_partners"
    ),
    "partners:roster_export": (
        "gongzhi/partners/tests/test_ledgers.py::test_roster_queries_do_not_grow_with_partners"
    ),
    "venues:venue_list": (
        "gongzhi/venues/tests/test_pages.py::test_venue_list_query_count_is_constant"
    ),
    "organisations:chart": (
        "gongzhi/organisations/tests/test_organisation.py::test_chart_query_count_is_constant"
    ),
    # events
    "events:activity_list": (
        "gongzhi/events/tests/test_pages.py::test_activity_list_query_count_is_constant"
    ),
    "events:figures": (
        "gongzhi/events/tests/test_figures.py::test_figures_page_query_count_is_constant"
    ),
    "events:roster": f"{HERE}::test_activity_roster",
    "events:hosts": f"{HERE}::test_activity_hosts",
    "events:my_hours": f"{HERE}::test_my_hours",
    # cultivation
    "cultivation:programme_list": (
        "gongzhi/cultivation/tests/test_views.py::test_list_queries_do_not_grow"
    ),
    "cultivation:area_trainees": (
        "gongzhi/cultivation/tests/test_views.py::test_area_record_queries_do_not_grow"
    ),
    # contests, proposals, meetings, surveys
    "contests:contest_list": (
        "gongzhi/contests/tests/test_pages.py::test_contest_list_queries_are_constant"
    ),
    "proposals:proposal_list": (
        "gongzhi/proposals/tests/test_views.py::test_list_makes_constant_queries"
    ),
    "proposals:moderation": (
        "gongzhi/proposals/tests/test_query_counts.py::test_moderation_queue_queries_do_not_grow"
    ),
    "meetings:meeting_list": "gongzhi/meetings/tests/test_views.py::test_list_queries_do_not_grow",
    "surveys:survey_list": (
        "gongzhi/surveys/tests/test_pages.py::test_survey_list_queries_do_not_grow"
    ),
    "surveys:results": (
        "gongzhi/surveys/tests/test_pages.py::test_results_page_queries_do_not_grow_with_responses"
    ),
    # planning, renewal
    "planning:process_list": (
        "gongzhi/planning/tests/test_pages.py::test_process_list_queries_constant"
    ),
    "planning:board": "gongzhi/planning/tests/test_board.py::test_board_queries_constant",
    "planning:template_list": f"{HERE}::test_template_list",
    "planning:batch_result": f"{HERE}::test_batch_result",
    "renewal:project_list": "gongzhi/renewal/tests/test_views.py::test_list_makes_constant_queries",
    "news:list": "gongzhi/news/tests/test_news.py::test_list_makes_constant_queries",
    "news:area_news": "gongzhi/news/tests/test_news.py::test_list_makes_constant_queries",
    # the API's lists
    "api:areas": f"{HERE}::test_api_areas",
    "api:processes": f"{HERE}::test_api_processes",
    "api:proposals": f"{HERE}::test_api_proposals",
    "api:activities": f"{HERE}::test_api_activities",
    "api:meetings": f"{HERE}::test_api_meetings",
    "api:projects": f"{HERE}::test_api_projects",
    "api:articles": "gongzhi/api/tests/test_articles.py::test_list_queries_do_not_grow",
}

# URL names the rule takes for lists that are not lists of rows, and why.
NOT_LISTS = {
    "accounts:my_data": "a person's own account page (one record and its consents)",
    "proposals:settings": "a town's proposal settings: one form",
    "reports:ledgers": "a workbook of every ledger, built by reports (tested in reports)",
    "api:stats": "figures, not rows",
    "metrics": "the operator's Prometheus figures; reads no database",
    "api:opendata_meetings": "a Popolo export; its constant queries: api/tests/test_opendata.py",
    "feeds:area_meetings": "an iCalendar feed; its constant queries: api/tests/test_feeds.py",
    "feeds:town_meetings": "an iCalendar feed; its constant queries: api/tests/test_feeds.py",
}

LIST_NAME = re.compile(
    r"(^my_|_list$|directory$|roster$|(^|_)board$|chart$|queue$|moderation$|batch_result$"
    r"|(?<!s)s$)"  # a plural (not "process")
)


def _url_views(resolver=None, namespace=""):
    """(URL name, view function) for every named URL of ours (not Django's admin)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _url_views(pattern, inner)
        elif pattern.name:
            yield namespace + pattern.name, pattern.callback


def _api_functions() -> dict[str, object]:
    """The API's operations by URL name: the function each one runs."""
    from gongzhi.api.api import api

    functions = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            if path_view.url_name:
                for operation in path_view.operations:
                    functions[f"api:{path_view.url_name}"] = operation.view_func
    return functions


def _source(function) -> str:
    function = inspect.unwrap(function)
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def looks_like_a_list(name: str, function) -> bool:
    if not getattr(function, "__module__", "").startswith("gongzhi."):
        return False
    source = _source(function)
    if "@require_POST" in source:  # an action (claim_hours, dismiss_reports), not a page
        return False
    return "paginate(" in source or bool(LIST_NAME.search(name.rsplit(":", 1)[-1]))


def _named_views() -> dict[str, object]:
    views = dict(_url_views())
    views.update(_api_functions())
    return views


def test_every_list_is_registered():
    views = _named_views()
    lists = {name for name, function in views.items() if looks_like_a_list(name, function)}
    assert len(lists) > 30  # the rule found the lists
    missing = lists - set(LIST_QUERY_TESTS) - set(NOT_LISTS)
    assert not missing, (
        f"Lists without a query-count test: {sorted(missing)}. Add one to LIST_QUERY_TESTS "
        f"(or, if it is not a list, to NOT_LISTS with the reason)."
    )
    stale = (set(LIST_QUERY_TESTS) | set(NOT_LISTS)) - set(views)
    assert not stale, f"Not URL names any more: {sorted(stale)}"


def _calls_the_check(node) -> bool:
    return any(
        isinstance(call, ast.Call)
        and getattr(call.func, "id", getattr(call.func, "attr", None)) == "assert_constant_queries"
        for call in ast.walk(node)
    )


def test_every_registered_list_has_its_query_test():
    trees = {}
    assert len(LIST_QUERY_TESTS) > 30
    for name, reference in LIST_QUERY_TESTS.items():
        path, function = reference.split("::")
        if path not in trees:
            trees[path] = ast.parse((ROOT / path).read_text())
        found = [
            node
            for node in trees[path].body
            if isinstance(node, ast.FunctionDef) and node.name == function
        ]
        assert found, f"{name}: no test {reference}"
        assert _calls_the_check(found[0]), f"{name}: {reference} does not call the check"


def test_the_rule_finds_lists_and_leaves_forms():
    views = _named_views()
    assert looks_like_a_list("events:roster", views["events:roster"])
    assert looks_like_a_list("partners:recommendations", views["partners:recommendations"])
    assert looks_like_a_list("api:areas", views["api:areas"])  # paginate() in the operation
    assert not looks_like_a_list("events:create_activity", views["events:create_activity"])
    assert not looks_like_a_list("api:activity", views["api:activity"])
    assert not looks_like_a_list("planning:process", views["planning:process"])
    assert not looks_like_a_list("events:claim_hours", views["events:claim_hours"])  # POST


# --- The lists that had no query-count test -----------------------------------------


def unique(prefix: str) -> str:
    return f"{prefix}{uuid4().hex[:8]}"


def test_notifications(client_for, people):
    from gongzhi.core.models import Notification

    def make_rows(n):
        messages = [unique("您关注的规划有新进展") for _ in range(n)]
        Notification.objects.bulk_create(
            Notification(user=people["resident"], message=m, url="/") for m in messages
        )
        return messages

    assert_constant_queries(client_for("resident"), reverse("notifications"), make_rows)


def test_my_applications(client_for, town, area_a, people):
    from gongzhi.partners.models import Application

    def make_rows(n):
        notes = [unique("名额已满，") for _ in range(n)]
        for note in notes:
            Application.objects.create(
                town=town,
                applicant=people["resident"],
                area=area_a,
                name="李居民",
                channel="online",
                status="declined",
                decision_note=note,
            )
        return notes

    assert_constant_queries(client_for("resident"), reverse("partners:my_applications"), make_rows)


def test_recommendations(client_for, town, area_a, people):
    from gongzhi.partners import services

    counter = iter(range(10_000))

    def make_rows(n):
        names = [unique("推荐") for _ in range(n)]
        for name in names:
            services.recommend(
                town=town,
                area=area_a,
                actor=people["area_staff"],
                name=name,
                phone=f"1350000{next(counter):04d}",
                reason="热心",
            )
        return names

    url = reverse("partners:recommendations", args=[town.slug])
    assert_constant_queries(client_for("secretariat"), url, make_rows)


def _past_activity(area, **fields):
    now = timezone.now()
    values = {"starts_at": now - timedelta(hours=3), "ends_at": now - timedelta(hours=1)}
    return ActivityFactory(area=area, town=area.town, **(values | fields))


def test_activity_roster(client_for, town, area_a, people):
    from gongzhi.events import services
    from gongzhi.events.models import Attendance

    activity = ActivityFactory(area=area_a, town=town, capacity=200)

    def make_rows(n):
        users = UserFactory.create_batch(n)
        for i, user in enumerate(users):
            if i % 2:  # half signed up, half walked in with their account
                services.register(activity=activity, user=user)
            else:
                Attendance.objects.create(activity=activity, user=user, method="roster")
        return [user.phone for user in users]

    url = reverse("events:roster", args=[town.slug, activity.pk])
    assert_constant_queries(client_for("area_staff"), url, make_rows)


def test_activity_hosts(client_for, town, area_a, people):
    from gongzhi.events.models import ActivityPartner

    activity = ActivityFactory(area=area_a, town=town)

    def make_rows(n):
        partners = PartnerFactory.create_batch(n, town=town, area=area_a)
        ActivityPartner.objects.bulk_create(
            ActivityPartner(
                activity=activity, partner=p, role="host", added_by=people["area_staff"]
            )
            for p in partners
        )
        return partners

    url = reverse("events:hosts", args=[town.slug, activity.pk])
    assert_constant_queries(client_for("area_staff"), url, make_rows)


def test_my_hours(client_for, town, area_a, people):
    from gongzhi.events.models import Attendance

    def make_rows(n):
        activities = [_past_activity(area_a, kind="volunteer_service") for _ in range(n)]
        Attendance.objects.bulk_create(
            Attendance(
                activity=a,
                user=people["resident"],
                method="roster",
                checked_in_at=a.starts_at,
                checked_out_at=a.ends_at,
            )
            for a in activities
        )
        return activities

    assert_constant_queries(client_for("resident"), reverse("events:my_hours"), make_rows)


def test_template_list(client_for, town):
    from gongzhi.planning.tests.test_pages import short_template

    def make_rows(n):
        templates = [short_template("survey", "drafts", name=unique("流程")) for _ in range(n)]
        return [f'id="template-{t.pk}"' for t in templates]

    url = reverse("planning:template_list", args=[town.slug])
    assert_constant_queries(client_for("administrator"), url, make_rows, small=3, large=15)


def test_batch_result(client_for, town, people):
    from gongzhi.planning import services
    from gongzhi.planning.models import BatchLaunch

    secretary = people["secretariat"]
    batch = BatchLaunch.objects.create(
        town=town,
        template=services.ensure_default_template(),
        title="2024年社区规划",
        launched_by=secretary,
    )

    def make_rows(n):
        return [
            services.start_process(
                town=town,
                area=AreaFactory(town=town),
                actor=secretary,
                title=unique("规划"),
                template=batch.template,
                batch=batch,
            )
            for _ in range(n)
        ]

    url = reverse("planning:batch_result", args=[town.slug, batch.pk])
    assert_constant_queries(client_for("secretariat"), url, make_rows)


def api(name, town):
    return reverse(f"api:{name}", kwargs={"slug": town.slug})


def test_api_areas(client, town):
    assert_constant_queries(
        client, api("areas", town), lambda n: AreaFactory.create_batch(n, town=town)
    )


def test_api_processes(client, town, people):
    from gongzhi.planning import services

    def make_rows(n):
        return [
            services.start_process(
                town=town,
                area=AreaFactory(town=town),
                actor=people["secretariat"],
                title=unique("规划"),
            )
            for _ in range(n)
        ]

    assert_constant_queries(client, api("processes", town), make_rows)


def test_api_proposals(client, town, area_a):
    from gongzhi.proposals import services

    def make_rows(n):
        made = []
        for _ in range(n):
            made.append(
                make_proposal(
                    town=town,
                    author=UserFactory(residential_area=area_a),
                    area=area_a,
                    title=unique("提案"),
                    description="希望改善。",
                )
            )
            services.support_proposal(proposal=made[-1], user=UserFactory())
        return made

    assert_constant_queries(client, api("proposals", town), make_rows)


def test_api_activities(client, town, area_a):
    def make_rows(n):
        return ActivityFactory.create_batch(n, area=area_a, town=town)

    assert_constant_queries(client, api("activities", town), make_rows)


def test_api_meetings(client, town, area_a, people):
    from gongzhi.meetings.tests.builders import make_meeting, sign_in_people

    def make_rows(n):
        meetings = []
        for _ in range(n):
            meeting = make_meeting(
                town=town, area=area_a, actor=people["area_staff"], title=unique("会议")
            )
            sign_in_people(meeting, people["area_staff"], [unique("甲"), unique("乙")])
            meetings.append(meeting)
        return meetings

    assert_constant_queries(client, api("meetings", town), make_rows)


def test_api_projects(client, town, area_a, people):
    from gongzhi.renewal.tests.builders import completed_process, new_project

    staff = people["area_staff"]
    process = completed_process(area=area_a, actor=staff)

    def make_rows(n):
        return [
            new_project(actor=staff, area=area_a, process=process, title=unique("项目"))
            for _ in range(n)
        ]

    assert_constant_queries(client, api("projects", town), make_rows, small=3, large=15)


def test_the_check_cannot_pass_without_rows_on_the_page(client, town, other_town):
    url = reverse("places:area_list", args=[town.slug])
    with pytest.raises(AssertionError, match="returned 0 rows"):
        assert_constant_queries(client, url, lambda n: None)
    # Rows that the page does not list (another town's areas) are not rows of it.
    with pytest.raises(AssertionError, match="does not show the rows added"):
        assert_constant_queries(
            client, url, lambda n: AreaFactory.create_batch(n, town=other_town), 2, 4
        )
    # Nor is a batch of which the page shows nothing, even when the first batch is.
    batches = iter([town, other_town])
    with pytest.raises(AssertionError, match="shows none of the 2 rows added last"):
        assert_constant_queries(
            client, url, lambda n: AreaFactory.create_batch(n, town=next(batches)), 2, 4
        )
    # Text markers: in JSON too (a row's id, or text).
    api_url = reverse("api:areas", kwargs={"slug": town.slug})
    with pytest.raises(AssertionError, match="does not show"):
        assert_constant_queries(client, api_url, lambda n: ["没有的小区"] * n, 1, 2)
