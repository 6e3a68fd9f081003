from django.urls import path

from . import views

app_name = "contests"

urlpatterns = [
    path("t/<slug:town_slug>/contests/", views.contest_list, name="contest_list"),
    path("t/<slug:town_slug>/contests/new/", views.create_contest, name="create_contest"),
    path("t/<slug:town_slug>/contests/<int:pk>/", views.contest_detail, name="contest"),
    path("t/<slug:town_slug>/contests/<int:pk>/enter/", views.submit_entry, name="submit_entry"),
    path("t/<slug:town_slug>/contests/<int:pk>/manage/", views.manage, name="manage"),
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
