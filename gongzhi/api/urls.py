from django.urls import include, path, re_path

from . import feeds, views
from .api import api

# iCalendar feeds of meetings (the activity feeds live in gongzhi/events).
feed_patterns = [
    path("t/<slug:town_slug>/meetings.ics", feeds.town_meetings, name="town_meetings"),
    path(
        "t/<slug:town_slug>/areas/<int:area_pk>/meetings.ics",
        feeds.area_meetings,
        name="area_meetings",
    ),
]

urlpatterns = [
    # Before ninja's own root (which answers an HTML 404): a JSON index.
    path("api/v1/", views.index, name="api_index"),
    path("api/v1/", api.urls),
    # Anything else under /api/ answers JSON, not the site's HTML 404 page.
    re_path(r"^api/(?P<rest>.*)$", views.not_found, name="api_not_found"),
    path("", include((feed_patterns, "feeds"))),
]
