from django.urls import path

from . import views, views_ledgers

app_name = "partners"

urlpatterns = [
    # Residents
    path("t/<slug:town_slug>/partners/apply/", views.apply, name="apply"),
    path("t/<slug:town_slug>/partners/apply/qr.svg", views.apply_qr, name="apply_qr"),
    path("partners/applications/mine/", views.my_applications, name="my_applications"),
    path("partners/applications/<int:pk>/edit/", views.edit_application, name="edit_application"),
    path("partners/r/<str:token>/", views.recommendation, name="recommendation"),
    # Talent pool
    path("t/<slug:town_slug>/partners/", views.directory, name="directory"),
    path("t/<slug:town_slug>/partners/<int:pk>/", views.partner_detail, name="partner"),
    path("t/<slug:town_slug>/partners/<int:pk>/edit/", views.edit_partner, name="edit_partner"),
    path(
        "t/<slug:town_slug>/partners/<int:pk>/manage/", views.manage_partner, name="manage_partner"
    ),
    # Staff
    path("t/<slug:town_slug>/partners/recommend/", views.recommend, name="recommend"),
    path(
        "t/<slug:town_slug>/partners/recommendations/",
        views.recommendation_list,
        name="recommendations",
    ),
    path("t/<slug:town_slug>/partners/review/", views.review_queue, name="review_queue"),
    path(
        "t/<slug:town_slug>/partners/review/<int:pk>/",
        views.review_application,
        name="review_application",
    ),
    # The review page's decisions, one URL each (POST only).
    path(
        "t/<slug:town_slug>/partners/review/<int:pk>/accept/",
        views.accept_application,
        name="accept_application",
    ),
    path(
        "t/<slug:town_slug>/partners/review/<int:pk>/decline/",
        views.decline_application,
        name="decline_application",
    ),
    path(
        "t/<slug:town_slug>/partners/review/<int:pk>/more-info/",
        views.ask_applicant,
        name="ask_applicant",
    ),
    path("t/<slug:town_slug>/partners/match/", views.match, name="match"),
    # Ledgers (Excel)
    path(
        "t/<slug:town_slug>/partners/roster.xlsx", views_ledgers.roster_export, name="roster_export"
    ),
    path("t/<slug:town_slug>/partners/import/", views_ledgers.applications_import, name="import"),
    path("partners/import-template.xlsx", views_ledgers.import_template, name="import_template"),
]
