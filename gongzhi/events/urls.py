from django.urls import path

from . import views, views_hours

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
    # The roster's actions, one URL each (POST only).
    path(
        "t/<slug:town_slug>/activities/<int:pk>/roster/check-in/",
        views.roster_check_in,
        name="roster_check_in",
    ),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/roster/check-out/",
        views.roster_check_out,
        name="roster_check_out",
    ),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/roster/walk-ins/",
        views.roster_walk_ins,
        name="roster_walk_ins",
    ),
    path("t/<slug:town_slug>/activities/<int:pk>/photos/add/", views.add_photo, name="add_photo"),
]

# World Café, market stalls and hosts (views_formats.py) are added below this line.
from . import views_formats  # noqa: E402

urlpatterns += [
    path("t/<slug:town_slug>/activities/<int:pk>/partners/", views_formats.hosts, name="hosts"),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/partners/add/",
        views_formats.add_partner,
        name="add_partner",
    ),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/partners/<int:involved_pk>/remove/",
        views_formats.remove_partner,
        name="remove_partner",
    ),
    path("t/<slug:town_slug>/activities/<int:pk>/cafe/", views_formats.cafe, name="cafe"),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/cafe/set-up/",
        views_formats.cafe_setup,
        name="cafe_setup",
    ),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/cafe/tables/<int:table_pk>/host/",
        views_formats.cafe_host,
        name="cafe_host",
    ),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/cafe/notes/",
        views_formats.cafe_note,
        name="cafe_note",
    ),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/cafe/harvest/",
        views_formats.cafe_theme,
        name="cafe_theme",
    ),
    path("t/<slug:town_slug>/activities/<int:pk>/market/", views_formats.market, name="market"),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/market/stalls/",
        views_formats.market_stall,
        name="market_stall",
    ),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/market/stalls/<int:stall_pk>/raised/",
        views_formats.market_raised,
        name="market_raised",
    ),
]

# Volunteer hours (views_hours.py) are added below this line.
urlpatterns += [
    path(
        "t/<slug:town_slug>/activities/<int:pk>/hours/claim/",
        views_hours.claim,
        name="claim_hours",
    ),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/hours/<int:claim_pk>/decide/",
        views_hours.decide,
        name="decide_hours",
    ),
    path("volunteer-hours/", views_hours.my_hours, name="my_hours"),
    path("volunteer-hours/certificate/", views_hours.certificate, name="certificate"),
]

# Changing and cancelling an activity (views_manage.py) are added below this line.
from . import views_manage  # noqa: E402

urlpatterns += [
    path(
        "t/<slug:town_slug>/activities/<int:pk>/edit/",
        views_manage.edit_activity,
        name="edit_activity",
    ),
    path(
        "t/<slug:town_slug>/activities/<int:pk>/cancel-activity/",
        views_manage.cancel_activity,
        name="cancel_activity",
    ),
]

# Calendar feeds and participation figures (views_figures.py) are added below this line.

from . import feeds, views_figures  # noqa: E402

urlpatterns += [
    path("t/<slug:town_slug>/activities.ics", feeds.town_feed, name="town_feed"),
    path(
        "t/<slug:town_slug>/areas/<int:area_pk>/activities.ics",
        feeds.area_feed,
        name="area_feed",
    ),
    path("t/<slug:town_slug>/activities/figures/", views_figures.figures, name="figures"),
]
