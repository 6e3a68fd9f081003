"""htmx helpers: one template per page, a named partial for the swapped part."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(request, template: str, context: dict, *, partial: str | None = None, status=200):
    """Render ``template``, or only its ``partial`` (django-template-partials) when htmx
    asks, and tell caches that the answer depends on the HX-Request header."""
    name = f"{template}#{partial}" if (partial and request.htmx) else template
    response = render(request, name, context, status=status)
    if partial:
        patch_vary_headers(response, ["HX-Request"])
    return response
