"""Dates and times as ``<time>`` elements, which the stylesheet keeps on one line.

``{{ value|time_tag:"Y-m-d" }}`` formats as the ``date`` filter does (in the current
time zone) inside ``<time datetime="…">``; it works as a ``blocktranslate`` variable
too, since its result is safe HTML. An empty value stays empty.
"""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html

register = template.Library()


@register.filter(expects_localtime=True)
def time_tag(value, arg=None):
    text = date_filter(value, arg)
    if not text:
        return text
    if isinstance(value, datetime.datetime):
        machine = value.replace(microsecond=0).isoformat()
    elif isinstance(value, datetime.date | datetime.time):
        machine = value.isoformat()
    else:
        return text
    return format_html('<time datetime="{}">{}</time>', machine, text)
