"""Survey pages: the builder, answering on a phone (account or device cookie),
clear refusals that store nothing, scoped permissions and constant query counts."""

from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.core.testing import (
    assert_constant_queries,
    assert_nothing_written,
)
from gongzhi.surveys import services
from gongzhi.surveys.models import Response, Survey
from gongzhi.surveys.views import DEVICE_COOKIE
from gongzhi.tests.factories import UserFactory

from .builders import answers_for, build_survey


def url(name, survey, *more):
    return reverse(f"surveys:{name}", args=[survey.town.slug, survey.pk, *more])


@pytest.fixture
def survey(town, area_a, people):
    return build_survey(town=town, area=area_a, actor=people["area_staff"])


@pytest.fixture
def anonymous_survey(town, area_a, people):
    return build_survey(town=town, area=area_a, actor=people["area_staff"], allows_anonymous=True)


def form_data(survey, **overrides):
    data = {}
    for pk, value in answers_for(survey, **overrides).items():
        data[f"q{pk}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


# --- Builder ----------------------------------------------------------------------------


def test_staff_build_open_and_close_a_survey(client_for, town, area_a):
    client = client_for("area_staff")
    response = client.post(
        reverse("surveys:create_survey", args=[town.slug]),
        {"title": "加装电梯意愿调查", "area": area_a.pk, "intro": "", "allows_anonymous": "on"},
    )
    survey = Survey.objects.get(title="加装电梯意愿调查")
    assert response.status_code == 302 and response["Location"] == url("manage", survey)
    assert survey.area == area_a and survey.allows_anonymous and survey.status == "draft"
    manage = url("manage", survey)
    client.post(
        url("add_question", survey),
        {
            "kind": "single",
            "text": "您住几楼？",
            "options": "1–3 楼\n4–6 楼\n\n",
            "required": "on",
        },
    )
    add = url("add_question", survey)
    client.post(add, {"kind": "scale", "text": "支持程度", "required": "on"})
    client.post(add, {"kind": "text", "text": "顾虑"})
    first, second, third = survey.questions.order_by("order")
    assert first.options == ["1–3 楼", "4–6 楼"] and not third.required
    client.post(url("move_question_down", survey), {"question": first.pk})
    assert list(survey.questions.order_by("order")) == [second, first, third]
    client.post(url("move_question_up", survey), {"question": first.pk})
    client.post(url("remove_question", survey), {"question": third.pk})
    assert list(survey.questions.order_by("order")) == [first, second]
    response = client.post(
        url("edit_question", survey, second.pk),
        {"kind": "multiple", "text": "您关心什么？", "options": "费用\n噪音", "required": "on"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.kind, second.options) == ("multiple", ["费用", "噪音"])
    page = client.get(manage)
    assert page.status_code == 200 and "您关心什么？" in page.content.decode()
    client.post(url("open_survey", survey))
    survey.refresh_from_db()
    assert survey.status == "open" and survey.opened_at
    assert client.get(url("edit_question", survey, first.pk)).status_code == 409
    client.post(url("close_survey", survey))
    survey.refresh_from_db()
    assert survey.status == "closed"


def test_a_bad_question_is_a_form_error_and_adds_nothing(client_for, town, area_a, people):
    survey = build_survey(town=town, area=area_a, actor=people["area_staff"], open_it=False)
    client = client_for("area_staff")
    client.cookies["django_language"] = "en"
    with assert_nothing_written():
        response = client.post(
            url("add_question", survey),
            {"kind": "single", "text": "只有一个选项", "options": "唯一"},
        )
    assert response.status_code == 400
    assert "needs at least 2 options" in response.content.decode()
    assert survey.questions.count() == 4


@pytest.mark.parametrize("question", ["abc", "²", "1" * 40, "", "-1"])
@pytest.mark.parametrize("action", ["move_question_up", "move_question_down", "remove_question"])
def test_a_malformed_question_id_is_a_bad_request(
    client_for, town, area_a, people, action, question
):
    survey = build_survey(town=town, area=area_a, actor=people["area_staff"], open_it=False)
    client = client_for("area_staff")
    client.cookies["django_language"] = "en"
    with assert_nothing_written():
        response = client.post(url(action, survey), {"question": question})
    assert response.status_code == 400
    assert "Choose a question of this survey." in response.content.decode()
    assert survey.questions.count() == 4


def test_the_builder_page_takes_no_post(client_for, town, area_a, people):
    """Each form posts to its own URL; a POST to the page (an old copy with a hidden
    ``action`` field) is refused, not ignored."""
    survey = build_survey(town=town, area=area_a, actor=people["area_staff"], open_it=False)
    with assert_nothing_written():
        response = client_for("area_staff").post(
            url("manage", survey), {"action": "add", "kind": "text", "text": "题目"}
        )
    assert response.status_code == 405


def test_opening_an_empty_survey_says_why(client_for, town, people):
    survey = services.create_survey(town=town, actor=people["secretariat"], title="空")
    client = client_for("secretariat")
    client.cookies["django_language"] = "en"
    response = client.post(url("open_survey", survey), follow=True)
    assert "Add at least one question" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == "draft"


def test_area_staff_create_only_in_their_areas(client_for, town, area_b):
    client = client_for("area_staff")
    create = reverse("surveys:create_survey", args=[town.slug])
    with assert_nothing_written():
        response = client.post(create, {"title": "别区调研", "area": area_b.pk})
    assert response.status_code == 400  # not a choice for them
    with assert_nothing_written():
        response = client.post(create, {"title": "全镇调研", "area": ""})
    assert response.status_code == 403  # town-wide: the secretariat's
    assert not Survey.objects.exists()
    assert client_for("secretariat").post(create, {"title": "全镇调研"}).status_code == 302


def test_area_staff_of_another_area_are_refused(client_for, town, area_b, people):
    other = build_survey(town=town, area=area_b, actor=people["secretariat"])
    client = client_for("area_staff")
    question = other.questions.first()
    for name in ("manage", "results", "export_csv", "export_xlsx"):
        assert client.get(url(name, other)).status_code == 403, name
    with assert_nothing_written():
        response = client.post(url("close_survey", other))
    assert response.status_code == 403
    with assert_nothing_written():
        response = client.post(url("remove_question", other), {"question": question.pk})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == "open" and other.questions.count() == 4


def test_staff_list_shows_own_areas_only(client_for, town, area_a, area_b, people):
    build_survey(town=town, area=area_a, actor=people["secretariat"], title="甲区问卷")
    build_survey(town=town, area=area_b, actor=people["secretariat"], title="乙区问卷")
    staff_page = client_for("area_staff").get(reverse("surveys:survey_list", args=[town.slug]))
    assert "甲区问卷" in staff_page.content.decode()
    assert "乙区问卷" not in staff_page.content.decode()
    town_page = client_for("secretariat").get(reverse("surveys:survey_list", args=[town.slug]))
    assert "乙区问卷" in town_page.content.decode()


# --- Answering --------------------------------------------------------------------------


def test_resident_answers_then_sees_thanks_then_already_answered(client_for, survey, people):
    client = client_for("resident")
    page = client.get(url("survey", survey))
    html = page.content.decode()
    assert 'type="radio"' in html and 'type="checkbox"' in html and "<textarea" in html
    assert "请花两分钟回答。" in html
    response = client.post(url("survey", survey), form_data(survey))
    assert response.status_code == 302 and response["Location"].endswith("?done=1")
    assert Response.objects.get(survey=survey).user == people["resident"]
    client.cookies["django_language"] = "en"
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for taking part!" in thanks
    again = client.get(url("survey", survey)).content.decode()
    assert "You have already answered this survey" in again
    assert "survey-form" not in again and "Thank you for taking part!" not in again


def test_answering_twice_is_refused_clearly(client_for, survey):
    client = client_for("resident")
    client.cookies["django_language"] = "en"
    client.post(url("survey", survey), form_data(survey))
    with assert_nothing_written():
        response = client.post(url("survey", survey), form_data(survey, single=2))
    assert response.status_code == 409
    assert "You have already answered this survey" in response.content.decode()
    assert survey.responses.count() == 1
    assert not survey.responses.get().answers.filter(choices=[2]).exists()


def test_missing_required_answer_shows_form_errors_and_stores_nothing(client_for, survey):
    client = client_for("resident")
    client.cookies["django_language"] = "en"
    data = form_data(survey)
    scale_q = survey.questions.get(kind="scale")
    del data[f"q{scale_q.pk}"]
    data[f"q{survey.questions.get(kind='single').pk}"] = "9"
    with assert_nothing_written():
        response = client.post(url("survey", survey), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the following" in html and "This field is required." in html
    assert "Select a valid choice" in html
    assert not Response.objects.exists()


def test_service_messages_reach_the_form(client_for, survey, monkeypatch):
    """What only the service knows is still shown beside the question."""
    client = client_for("resident")
    client.cookies["django_language"] = "en"
    text_q = survey.questions.get(kind="text")
    monkeypatch.setattr(
        "gongzhi.surveys.forms.TEXT_ANSWER_MAX", 10**6
    )  # the form would let it through
    from gongzhi.surveys.models import TEXT_ANSWER_MAX

    data = form_data(survey, text="字" * (TEXT_ANSWER_MAX + 1))
    with assert_nothing_written():
        response = client.post(url("survey", survey), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_q{text_q.pk}_error"' in html
    assert "at most 1000 characters, this has 1001" in html
    assert not Response.objects.exists()


def test_anonymous_disallowed_is_sent_to_log_in(survey):
    client = Client()
    page = client.get(url("survey", survey))
    assert page.status_code == 200 and reverse("account_login") in page.content.decode()
    assert "survey-form" not in page.content.decode()
    response = client.post(url("survey", survey), form_data(survey))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Response.objects.exists()


def test_anonymous_device_answers_once_by_signed_cookie(anonymous_survey):
    phone = Client()
    phone.cookies["django_language"] = "en"
    survey = anonymous_survey
    response = phone.post(url("survey", survey), form_data(survey))
    assert response.status_code == 302
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie.value.count(":") >= 1  # signed
    stored = Response.objects.get(survey=survey)
    assert stored.user is None and stored.device_token and stored.device_token in cookie.value
    assert "You have already answered" in phone.get(url("survey", survey)).content.decode()
    with assert_nothing_written():
        again = phone.post(url("survey", survey), form_data(survey))
    assert again.status_code == 409
    assert survey.responses.count() == 1
    # A forged cookie is not the device's: it is ignored and a new token is issued.
    forger = Client()
    forger.cookies[DEVICE_COOKIE] = stored.device_token
    assert forger.post(url("survey", survey), form_data(survey)).status_code == 302
    assert survey.responses.count() == 2
    assert survey.responses.exclude(pk=stored.pk).get().device_token != stored.device_token


def test_closed_survey_refuses_answers(client_for, survey, people):
    services.close_survey(survey=survey, actor=people["area_staff"])
    client = client_for("resident")
    client.cookies["django_language"] = "en"
    page = client.get(url("survey", survey)).content.decode()
    assert "This survey has closed" in page and "survey-form" not in page
    with assert_nothing_written():
        response = client.post(url("survey", survey), form_data(survey))
    assert response.status_code == 409
    assert "This survey has closed" in response.content.decode()
    assert not Response.objects.exists()


def test_draft_is_hidden_from_residents(client_for, town, area_a, people):
    draft = build_survey(town=town, area=area_a, actor=people["area_staff"], open_it=False)
    assert client_for("resident").get(url("survey", draft)).status_code == 404
    assert client_for("resident").get(url("qr", draft)).status_code == 404
    assert client_for("area_staff").get(url("survey", draft)).status_code == 200


def test_html_in_answers_and_questions_is_inert(client_for, town, area_a, people):
    staff = people["area_staff"]
    survey = services.create_survey(
        town=town, area=area_a, actor=staff, title="<b>标题</b>", intro="<script>alert(1)</script>"
    )
    services.add_question(
        survey=survey,
        actor=staff,
        kind="single",
        text="<img src=x onerror=alert(1)>",
        options=["<i>甲</i>", "乙"],
    )
    services.add_question(survey=survey, actor=staff, kind="text", text="建议")
    services.open_survey(survey=survey, actor=staff)
    single_q, text_q = survey.questions.order_by("order")
    services.submit_response(
        survey=survey,
        user=UserFactory(),
        answers={single_q.pk: 0, text_q.pk: "<script>alert('x')</script>"},
    )
    for page in (
        client_for("resident").get(url("survey", survey)),
        client_for("area_staff").get(url("results", survey)),
        client_for("area_staff").get(url("manage", survey)),
    ):
        html = page.content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "<i>甲" not in html
    results = client_for("area_staff").get(url("results", survey)).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in results
    # The chart data is JSON inside a json_script element, escaped there too.
    assert "\\u003Ci\\u003E\\u7532" in results or "\\u003Ci\\u003E甲" in results


# --- Results, QR, query counts ----------------------------------------------------------


def test_results_page_shows_counts_chart_data_and_no_names(client_for, survey, people):
    resident = people["resident"]
    services.submit_response(
        survey=survey, user=resident, answers=answers_for(survey, text="路灯太暗")
    )
    client = client_for("area_staff")
    client.cookies["django_language"] = "en"
    html = client.get(url("results", survey)).content.decode()
    assert 'id="survey-chart-' in html and 'data-survey-chart="survey-chart-' in html
    assert "js/survey-charts.js" in html and "vendor/echarts.min.js" in html
    assert "Average 4.00 of 5" in html and "100.0%" in html and "路灯太暗" in html
    assert resident.display_name not in html and resident.phone not in html


def test_qr_code_is_an_svg_of_the_survey_page(client, survey):
    response = client.get(url("qr", survey))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    # A file needs its namespace, or the <img> showing it is a broken image.
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


def test_results_page_queries_do_not_grow_with_responses(client_for, survey):
    def make_rows(n):
        # Each answer's free text is its own, so that the page can be seen to list it.
        texts = [f"建议{uuid4().hex[:8]}" for _ in range(n)]
        for text in texts:
            services.submit_response(
                survey=survey, user=UserFactory(), answers=answers_for(survey, text=text)
            )
        return texts

    assert_constant_queries(client_for("area_staff"), url("results", survey), make_rows)


def test_survey_list_queries_do_not_grow(client_for, town, area_a, people):
    def make_rows(n):
        surveys = []
        for _ in range(n):
            made = build_survey(town=town, area=area_a, actor=people["secretariat"])
            services.submit_response(survey=made, user=UserFactory(), answers=answers_for(made))
            surveys.append(made)
        return surveys

    assert_constant_queries(
        client_for("area_staff"),
        reverse("surveys:survey_list", args=[town.slug]),
        make_rows,
        small=3,
        large=25,
    )
