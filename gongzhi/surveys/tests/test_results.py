"""Results: exact counts, shares and the scale average; exports opened and read."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.surveys import services
from gongzhi.surveys.results import percent, summarize
from gongzhi.tests.factories import UserFactory

from .builders import answers_for, build_survey


@pytest.fixture
def survey(town, area_a, people):
    survey = build_survey(town=town, area=area_a, actor=people["area_staff"])
    # Five residents: single 0,0,1,2,0; multiple sets; scale 5,4,4,1,(and 3); text two.
    rows = [
        (0, (0,), 5, "多种树"),
        (0, (0, 1), 4, ""),
        (1, (2,), 4, '=HYPERLINK("http://x")'),
        (2, (0, 1, 2), 1, ""),
        (0, (1,), 3, ""),
    ]
    for single, multiple, scale, text in rows:
        services.submit_response(
            survey=survey,
            user=UserFactory(),
            answers=answers_for(survey, single=single, multiple=multiple, scale=scale, text=text),
        )
    return survey


def test_percent_rounds_half_up():
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(0, 0) == Decimal("0.0")


def test_counts_shares_and_average_are_exact(survey):
    results = summarize(survey)
    assert results.response_count == 5
    single, multiple, scale, text = results.questions
    assert [(b.label, b.count, b.percent) for b in single.bars] == [
        ("绿化", 3, Decimal("60.0")),
        ("座椅", 1, Decimal("20.0")),
        ("照明", 1, Decimal("20.0")),
    ]
    assert [b.count for b in multiple.bars] == [3, 3, 2]
    assert [b.percent for b in multiple.bars] == [Decimal("60.0"), Decimal("60.0"), Decimal("40.0")]
    assert [b.count for b in scale.bars] == [1, 0, 1, 2, 1]
    assert scale.average == Decimal("3.40")
    assert scale.answered == 5
    assert text.answered == 2 and text.texts == ["多种树", '=HYPERLINK("http://x")']
    assert single.chart == {"labels": ["绿化", "座椅", "照明"], "counts": [3, 1, 1]}


def test_results_of_an_empty_survey(town, area_a, people):
    survey = build_survey(town=town, area=area_a, actor=people["area_staff"])
    results = summarize(survey)
    assert results.response_count == 0
    assert all(q.answered == 0 for q in results.questions)
    assert results.questions[2].average is None


def url(name, survey):
    return reverse(f"surveys:{name}", args=[survey.town.slug, survey.pk])


def test_csv_export_has_one_row_per_response_and_no_personal_data(survey, client_for, people):
    response = client_for("area_staff").get(url("export_csv", survey))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][2:] == [
        "1. 您最希望改善什么？",
        "2. 您常去哪些地方？",
        "3. 您对环境满意吗？",
        "4. 还有什么建议？",
    ]
    assert len(rows) == 6 and len(rows[0]) == 6
    assert rows[1][2:] == ["绿化", "绿化", "5", "多种树"]
    assert rows[4][2:] == ["照明", "绿化、座椅、照明", "1", ""]
    assert rows[3][5] == '\'=HYPERLINK("http://x")'  # a formula stays text
    people = list(survey.responses.values_list("user__display_name", "user__phone"))
    assert people
    for user in people:
        assert not any(value in body for value in user)


def test_excel_export_opens_with_the_same_rows(survey, client_for):
    response = client_for("secretariat").get(url("export_xlsx", survey))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == survey.title
    assert values[1][2] == "1. 您最希望改善什么？"
    data = values[2:]
    assert len(data) == 5
    assert data[0][0] == 1 and data[0][1] is not None  # number and submission time
    assert data[0][2:] == ("绿化", "绿化", 5, "多种树")
    assert data[2][5] == '=HYPERLINK("http://x")'
    assert sheet.cell(row=5, column=6).data_type == "s"
    assert "李居民" not in str(values)


def test_personal_data_export_has_own_answers(survey, people):
    from gongzhi.accounts.exports import export_sections

    resident = people["resident"]
    services.submit_response(survey=survey, user=resident, answers=answers_for(survey))
    section = export_sections(resident)["survey_responses"]
    assert len(section) == 1
    assert section[0]["answers"][0] == {"question": "您最希望改善什么？", "answer": "绿化"}
