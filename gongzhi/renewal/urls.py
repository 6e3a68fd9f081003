from django.urls import path

from . import views

app_name = "renewal"

PROJECT = "t/<slug:town_slug>/projects/<int:pk>/"

urlpatterns = [
    path("t/<slug:town_slug>/projects/", views.project_list, name="project_list"),
    path("t/<slug:town_slug>/projects/new/", views.create_project, name="create_project"),
    path("t/<slug:town_slug>/projects/ledger.xlsx", views.ledger, name="ledger"),
    path(PROJECT, views.project_detail, name="project"),
    path(PROJECT + "manage/", views.manage, name="manage"),
    path(PROJECT + "edit/", views.edit_project, name="edit_project"),
    path(PROJECT + "milestones/", views.add_milestone, name="add_milestone"),
    path(
        PROJECT + "milestones/<int:milestone_pk>/",
        views.record_milestone,
        name="record_milestone",
    ),
    path(PROJECT + "spending/", views.add_spending, name="add_spending"),
    path(PROJECT + "approvals/", views.approve_budget, name="approve_budget"),
    path(PROJECT + "photos/", views.add_photo, name="add_photo"),
    path(PROJECT + "start/", views.start_construction, name="start_construction"),
    path(PROJECT + "suspend/", views.suspend, name="suspend"),
    path(PROJECT + "resume/", views.resume, name="resume"),
    path(PROJECT + "complete/", views.complete, name="complete"),
    path(PROJECT + "maintenance/", views.start_maintenance, name="start_maintenance"),
]
