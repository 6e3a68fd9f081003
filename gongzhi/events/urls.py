from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("t/<slug:town_slug>/activities/", views.activity_list, name="activity_list"),
    path("t/<slug:town_slug>/activities/new/", views.create_activity, name="create_activity"),
    path("t/<slug:town_slug>/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("t/<slug:town_slug>/activities/<int:pk>/register/", views.register, name="register"),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/cancel/",
        views.cancel_registration,
        name="cancel_registration",
    ),
    path("t/<slug:town_slug>/activities/<int:pk>/publish/", views.publish, name="publish"),
    path("t/<slug:town_slug>/activities/<int:pk>/qr/", views.checkin_screen, name="checkin_screen"),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/checkin/<str:token>/",
        views.checkin,
        name="checkin",
    ),
    path("t/<slug:town_slug>/activities/<int:pk>/roster/", views.roster, name="roster"),
]

# World Café, market stalls and hosts (views_formats.py) are added below this line.

# Volunteer hours (views_hours.py) are added below this line.

# Calendar feeds and participation figures (views_figures.py) are added below this line.

