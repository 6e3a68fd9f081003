from django.urls import path

from . import views

app_name = "meetings"

MEETING = "t/<slug:town_slug>/meetings/<int:pk>/"
MOTION = MEETING + "motions/<int:motion_pk>/"

urlpatterns = [
    path("t/<slug:town_slug>/meetings/", views.meeting_list, name="meeting_list"),
    path("t/<slug:town_slug>/meetings/new/", views.create_meeting, name="create_meeting"),
    path("t/<slug:town_slug>/meetings/ledger/", views.ledger, name="ledger"),
    path(
        "t/<slug:town_slug>/meetings/adopt/<int:proposal_pk>/", views.adopt, name="adopt_proposal"
    ),
    path(MEETING, views.meeting_detail, name="meeting"),
    path(MEETING + "sign-in/", views.sign_in_self, name="sign_in"),
    path(MEETING + "manage/", views.manage, name="manage"),
    path(MEETING + "edit/", views.edit_meeting, name="edit_meeting"),
    # The manage page's actions, one URL each (POST only).
    path(MEETING + "agenda/", views.add_agenda_item, name="add_agenda_item"),
    path(MEETING + "invite/", views.invite, name="invite"),
    path(MEETING + "sign-in-attendee/", views.sign_in_attendee, name="sign_in_attendee"),
    path(MEETING + "walk-in/", views.walk_in, name="walk_in"),
    path(MEETING + "party/", views.record_party, name="record_party"),
    path(MEETING + "motions/", views.move_motion, name="move_motion"),
    path(MEETING + "minutes/", views.save_minutes, name="save_minutes"),
    path(MEETING + "minutes/approve/", views.approve_minutes, name="approve_minutes"),
    path(MEETING + "actions/", views.add_action_item, name="add_action_item"),
    path(MEETING + "actions/status/", views.set_action_status, name="set_action_status"),
    path(MEETING + "cancel/", views.cancel_meeting, name="cancel_meeting"),
    path(MOTION, views.motion_detail, name="motion"),
    # The motion page's actions, one URL each (POST only).
    path(MOTION + "second/", views.second_motion, name="second_motion"),
    path(MOTION + "withdraw/", views.withdraw_motion, name="withdraw_motion"),
    path(MOTION + "speech/", views.record_speech, name="record_speech"),
    path(MOTION + "votes/", views.cast_votes, name="cast_votes"),
    path(MOTION + "counts/", views.record_counts, name="record_counts"),
    path(MOTION + "owners/", views.record_owners_count, name="record_owners_count"),
    path(MOTION + "decide/", views.decide_motion, name="decide_motion"),
]
