"""Step names come from code in the reader's language (issue 15, point 3): the
default loop's eleven names are translated msgids, a town may rename a step in
either language, and every page, list, report and the API show the name in the
language of the request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from gongzhi.planning import services
from gongzhi.planning.models import (
    DEFAULT_STEP_NAMES,
    PlanningProcess,
    StepKind,
    TemplateStep,
    current_step_name,
    with_current_step,
)
from gongzhi.planning.tests.builders import process_at_step

pytestmark = pytest.mark.django_db

ENGLISH = {
    1: "Community survey",
    4: "Participatory design",
    6: "Joint meeting",
    10: "Joint meeting (second)",
    11: "Public notice of the plan",
}


def names(template, language):
    with translation.override(language):
        return {step.order: step.display_title for step in template.steps.all()}


def test_the_default_loop_is_named_from_code():
    template = services.ensure_default_template()
    stored = template.steps.order_by().values_list("title_zh", "title_en").distinct()
    assert list(stored) == [("", "")]
    assert {order for order, _kind in DEFAULT_STEP_NAMES} == set(range(1, 12))
    english = names(template, "en")
    assert {order: english[order] for order in ENGLISH} == ENGLISH
    chinese = names(template, "zh-hans")
    # Steps 1-9 share their msgids with the kinds, translated to the programme's names.
    assert [chinese[n] for n in (1, 2, 4)] == ["社区调研", "居民访谈", "居民参与设计"]


def test_a_rename_shows_in_its_language_and_the_other_falls_back_to_code():
    template = services.ensure_default_template()
    step = template.steps.get(order=2)
    step.title_zh = "居民走访"
    step.save()
    assert names(template, "zh-hans")[2] == "居民走访"
    # No English rename: English readers see the code's English name of the step.
    assert names(template, "en")[2] == "Resident interviews"
    step.title_en = "Door-to-door visits"
    step.save()
    assert names(template, "en")[2] == "Door-to-door visits"
    assert names(template, "zh-hans")[2] == "居民走访"


def test_a_step_outside_the_default_loop_is_named_by_its_kind():
    step = TemplateStep(order=3, kind=StepKind.SURVEY)
    with translation.override("en"):
        assert step.display_title == "Community survey"
        assert TemplateStep(order=40, kind="gone").display_title == "gone"


def test_the_english_plan_page_shows_english_step_names(client, town, area_a, people):
    process = process_at_step(4, town=town, area=area_a, actor=people["secretariat"])
    page = client.get(process.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Now: step 4, Participatory design" in page
    assert "居民参与设计" not in page and "社区调研" not in page


def test_current_step_names_in_one_query(town, area_a, area_b, people):
    first = process_at_step(4, town=town, area=area_a, actor=people["secretariat"])
    second = process_at_step(10, town=town, area=area_b, actor=people["secretariat"])
    step = first.template.steps.get(order=4)
    step.title_en = "Co-design"
    step.save()
    query = with_current_step(PlanningProcess.objects.filter(pk__in=[first.pk, second.pk]))
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        found = {p.pk: current_step_name(p) for p in query}
    assert len(queries) == 1
    assert found == {first.pk: "Co-design", second.pk: "Joint meeting (second)"}
    with translation.override("en"):
        rows = {r["pk"]: current_step_name(r) for r in query.values("pk", *ROW)}
    assert rows == found


ROW = ("current_order", "step_kind", "step_title_zh", "step_title_en")


def test_the_api_names_steps_in_the_requests_language(client, town, area_a, people):
    process = process_at_step(1, town=town, area=area_a, actor=people["secretariat"])
    url = f"/api/v1/towns/{town.slug}/processes/{process.pk}"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["current_step_title"] == "Community survey"
    assert body["steps"][10]["title"] == "Public notice of the plan"


def test_staff_rename_a_step_in_both_languages(client_for, town, people):
    default = services.ensure_default_template()
    copy = services.copy_template(template=default, actor=people["administrator"], name="副本")
    step = copy.steps.get(order=1)
    url = reverse("planning:template_step", args=[town.slug, copy.pk, step.pk])
    client = client_for("administrator")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="title_zh"' in page and 'name="title_en"' in page
    rules = {"min_count": 30, "min_days": 0, "expected_days": 30}
    response = client.post(url, {**rules, "title_zh": "入户调研", "title_en": "Home visits"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.title_zh, step.title_en) == ("入户调研", "Home visits")
    # Giving the standard name back (or nothing) makes the step follow the code again.
    client.post(url, {**rules, "title_zh": "", "title_en": "Community survey"})
    step.refresh_from_db()
    assert (step.title_zh, step.title_en) == ("", "")
