from django.urls import path

from . import views

app_name = "contests"

CONTEST = "t/<slug:town_slug>/contests/<int:pk>/"

urlpatterns = [
    path("t/<slug:town_slug>/contests/", views.contest_list, name="contest_list"),
    path("t/<slug:town_slug>/contests/new/", views.create_contest, name="create_contest"),
    path("t/<slug:town_slug>/contests/<int:pk>/", views.contest_detail, name="contest"),
    path("t/<slug:town_slug>/contests/<int:pk>/enter/", views.submit_entry, name="submit_entry"),
    path(CONTEST + "manage/", views.manage, name="manage"),
    path(CONTEST + "criteria/", views.add_criterion, name="add_criterion"),
    path(CONTEST + "open/", views.open_call, name="open_call"),
    path(CONTEST + "jury/", views.appoint_judge, name="appoint_judge"),
    path(CONTEST + "advance/", views.advance_stage, name="advance_stage"),
    path(CONTEST + "awards/", views.award, name="award"),
    path("t/<slug:town_slug>/contests/<int:pk>/judge/", views.judge, name="judge"),
    path(
        "t/<slug:town_slug>/contests/<int:pk>/entries/<int:entry_pk>/",
        views.entry_detail,
        name="entry",
    ),
    path(
        "t/<slug:town_slug>/contests/<int:pk>/entries/<int:entry_pk>/vote/",
        views.vote,
        name="vote",
    ),
    path(
        "t/<slug:town_slug>/contests/<int:pk>/files/<int:file_pk>/",
        views.entry_file,
        name="entry_file",
    ),
]
