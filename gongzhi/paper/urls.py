from django.urls import path

from . import views

app_name = "paper"

PAPER = "t/<slug:town_slug>/paper/"

urlpatterns = [
    path(PAPER, views.desk, name="desk"),
    # One URL per input a paper form records.
    path(
        PAPER + "activities/<int:pk>/sign-up/",
        views.record,
        {"kind": "registration"},
        name="record_registration",
    ),
    path(
        PAPER + "proposals/<int:pk>/support/",
        views.record,
        {"kind": "support"},
        name="record_support",
    ),
    path(
        PAPER + "surveys/<int:pk>/answers/",
        views.record,
        {"kind": "response"},
        name="record_response",
    ),
    path(
        PAPER + "plans/<int:pk>/comment/", views.record, {"kind": "comment"}, name="record_comment"
    ),
    path(
        PAPER + "plans/<int:pk>/objection/",
        views.record,
        {"kind": "objection"},
        name="record_objection",
    ),
    path(PAPER + "plans/<int:pk>/dot/", views.record, {"kind": "dot"}, name="record_dot"),
    # The printable A4 forms.
    path(PAPER + "surveys/<int:pk>/form/", views.survey_form, name="survey_form"),
    path(PAPER + "plans/<int:pk>/form/", views.plan_form, name="plan_form"),
    path(PAPER + "photos/<str:kind>/<int:pk>/", views.photo, name="photo"),
]
