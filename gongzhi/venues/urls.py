from django.urls import path

from . import views

app_name = "venues"

urlpatterns = [
    path("t/<slug:town_slug>/venues/", views.venue_list, name="venue_list"),
    path("t/<slug:town_slug>/venues/new/", views.register_venue, name="register_venue"),
    path("t/<slug:town_slug>/venues/<int:pk>/", views.venue_detail, name="venue"),
    path("t/<slug:town_slug>/venues/<int:pk>/edit/", views.edit_venue, name="edit_venue"),
    path("t/<slug:town_slug>/venues/<int:pk>/retire/", views.retire_venue, name="retire_venue"),
    path("t/<slug:town_slug>/venues/<int:pk>/calendar.ics", views.venue_feed, name="feed"),
    path("t/<slug:town_slug>/venues/<int:pk>/book/", views.book, name="book"),
    path("t/<slug:town_slug>/bookings/<int:pk>/confirm/", views.confirm, name="confirm_booking"),
    path("t/<slug:town_slug>/bookings/<int:pk>/decline/", views.decline, name="decline_booking"),
    path("t/<slug:town_slug>/bookings/<int:pk>/cancel/", views.cancel, name="cancel_booking"),
]
