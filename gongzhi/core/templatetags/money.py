"""Amounts of money as residents read them: grouped, no ".00" on a whole amount.

``{{ amount|yuan }}`` is the amount with its unit: "120,000 元" in Chinese,
"120,000 yuan" in English; "1,234.50 元" when it is not whole. ``{{ amount|money }}``
is the number alone, for a sentence that names the unit itself
(``{% blocktranslate with amount=budget|money %}{{ amount }} yuan{% endblocktranslate %}``).
An empty value (None, "") stays empty; a value that is not a number is shown as is.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext

register = template.Library()


def format_money(value) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    amount = amount.quantize(Decimal("0.01"))
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


@register.filter
def money(value) -> str:
    return format_money(value)


@register.filter
def yuan(value) -> str:
    text = format_money(value)
    if not text:
        return text
    return gettext("%(amount)s yuan") % {"amount": text}
