from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy
from django.views.static import serve

from gongzhi.accounts import urls as accounts_urls
from gongzhi.core import views as core_views

admin.site.site_header = admin.site.site_title = gettext_lazy("Gongzhi")

urlpatterns = [
    path("", include("gongzhi.places.urls")),
    path("accounts/", include("gongzhi.accounts.urls")),
    path("accounts/", include(accounts_urls.allauth_urlpatterns)),
    path("", include("gongzhi.partners.urls")),
    path("", include("gongzhi.organisations.urls")),
    path("", include("gongzhi.venues.urls")),
    path("", include("gongzhi.events.urls")),
    path("", include("gongzhi.contests.urls")),
    path("", include("gongzhi.proposals.urls")),
    path("", include("gongzhi.meetings.urls")),
    path("", include("gongzhi.surveys.urls")),
    path("", include("gongzhi.planning.urls")),
    path("", include("gongzhi.renewal.urls")),
    path("", include("gongzhi.paper.urls")),
    path("", include("gongzhi.news.urls")),
    path("", include("gongzhi.cultivation.urls")),
    path("", include("gongzhi.reports.urls")),
    path("", include("gongzhi.api.urls")),
    path("", include("gongzhi.core.urls")),
    path("admin/", admin.site.urls),
]

if settings.GONGZHI_SERVE_MEDIA:
    # Uploaded photos on a single machine (the demo). Production serves MEDIA_URL from
    # object storage or the web server in front; see README.

    def media(request, path):
        # MEDIA_ROOT read on each request, not when this module loads, so a test that
        # points it at its own folder is served from there.
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", media, name="media")]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
# allauth's rate limits answer through this (too many codes or wrong passwords).
handler429 = core_views.too_many_requests
handler500 = core_views.server_error
