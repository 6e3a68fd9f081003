from django import template

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*pairs):
    """The way back from a page: ``{% breadcrumbs label url label url … %}``, from the
    widest to the nearest; a label whose url is empty is shown as text."""
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of label and url")
    return {"crumbs": [{"label": pairs[i], "url": pairs[i + 1]} for i in range(0, len(pairs), 2)]}
