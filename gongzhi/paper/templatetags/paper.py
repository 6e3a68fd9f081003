from django import template

from gongzhi.planning.notice import qr_svg

register = template.Library()


@register.simple_tag
def qr_code(url):
    """An inline QR code of ``url`` that prints sharply on the A4 paper forms."""
    return qr_svg(url)
