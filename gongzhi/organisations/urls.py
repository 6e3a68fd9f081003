from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("t/<slug:town_slug>/organisation/", views.chart, name="chart"),
    path("t/<slug:town_slug>/organisation/teams/new/", views.create_team, name="create_team"),
    path("t/<slug:town_slug>/organisation/<int:pk>/", views.unit_detail, name="unit"),
    path("t/<slug:town_slug>/organisation/<int:pk>/match/", views.unit_match, name="unit_match"),
    path("t/<slug:town_slug>/organisation/<int:pk>/members/", views.add_member, name="add_member"),
    path(
        "t/<slug:town_slug>/organisation/memberships/<int:pk>/end/",
        views.end_membership,
        name="end_membership",
    ),
]
