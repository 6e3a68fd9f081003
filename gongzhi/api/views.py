"""Plain Django views at the edges of the API: its index and a JSON 404 for any other
address under /api/, so that integrations never have to parse an HTML error page."""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _


def index(request):
    """What /api/v1/ offers: where the OpenAPI schema is."""
    return JsonResponse(
        {
            "name": "Gongzhi API",
            "version": "1",
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        }
    )


def not_found(request, rest=""):
    return JsonResponse({"detail": _("There is nothing at this address.")}, status=404)
