"""Amounts of money: grouped, no ".00" on a whole amount, the unit in the language."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from gongzhi.core.templatetags.money import format_money


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("120000.00"), "120,000"),
        (Decimal("1234.50"), "1,234.50"),
        (Decimal("0.05"), "0.05"),
        (Decimal("0"), "0"),
        (Decimal("-8000.00"), "-8,000"),
        (1234567, "1,234,567"),
        ("99.999", "100"),
        (None, ""),
        ("", ""),
        ("n/a", "n/a"),
    ],
)
def test_format_money(value, text):
    assert format_money(value) == text


def render(source, **context):
    return Template("{% load money %}" + source).render(Context(context))


def test_yuan_names_the_unit_in_the_language():
    with translation.override("zh-hans"):
        assert render("{{ v|yuan }}", v=Decimal("120000.00")) == "120,000 元"
        assert render("{{ v|yuan }}", v=Decimal("1234.5")) == "1,234.50 元"
    with translation.override("en"):
        assert render("{{ v|yuan }}", v=Decimal("120000.00")) == "120,000 yuan"
    assert render("{{ v|yuan }}", v=None) == ""


def test_money_is_the_number_alone():
    assert render("{{ v|money }}", v=Decimal("8000.00")) == "8,000"
