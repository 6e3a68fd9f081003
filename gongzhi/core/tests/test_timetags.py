"""time_tag: a date or time as <time datetime>, which the stylesheet keeps on one line,
in the current time zone, also inside a translated sentence; nothing for no value."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone


def render(source: str, **context) -> str:
    return Template("{% load i18n timetags %}" + source).render(Context(context))


def test_a_date_and_a_moment_in_the_current_time_zone():
    assert render('{{ d|time_tag:"Y-m-d" }}', d=date(2023, 10, 6)) == (
        '<time datetime="2023-10-06">2023-10-06</time>'
    )
    moment = datetime(2023, 10, 6, 6, 30, 15, 123, tzinfo=ZoneInfo("UTC"))
    with timezone.override("Asia/Shanghai"):
        shown = render('{{ m|time_tag:"Y-m-d H:i" }}', m=moment)
    assert shown == '<time datetime="2023-10-06T14:30:15+08:00">2023-10-06 14:30</time>'


def test_inside_a_translated_sentence_and_without_a_value():
    shown = render(
        '{% blocktranslate with d=d|time_tag:"Y-m-d" %}due {{ d }}{% endblocktranslate %}',
        d=date(2024, 1, 2),
    )
    assert shown.endswith(' <time datetime="2024-01-02">2024-01-02</time>')  # not escaped
    assert render('[{{ d|time_tag:"Y-m-d" }}]', d=None) == "[]"
    assert render('[{{ d|time_tag:"Y-m-d" }}]', d="") == "[]"
