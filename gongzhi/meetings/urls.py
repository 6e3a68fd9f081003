from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("t/<slug:town_slug>/meetings/", views.meeting_list, name="meeting_list"),
    path("t/<slug:town_slug>/meetings/new/", views.create_meeting, name="create_meeting"),
    path("t/<slug:town_slug>/meetings/ledger/", views.ledger, name="ledger"),
    path(
        "t/<slug:town_slug>/meetings/adopt/<int:proposal_pk>/", views.adopt, name="adopt_proposal"
    ),
    path("t/<slug:town_slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("t/<slug:town_slug>/meetings/<int:pk>/sign-in/", views.sign_in_self, name="sign_in"),
    path("t/<slug:town_slug>/meetings/<int:pk>/manage/", views.manage, name="manage"),
    path("t/<slug:town_slug>/meetings/<int:pk>/edit/", views.edit_meeting, name="edit_meeting"),
    path(
        "t/<slug:town_slug>/meetings/<int:pk>/motions/<int:motion_pk>/",
        views.motion_detail,
        name="motion",
    ),
]
