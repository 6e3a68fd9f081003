from django.urls import path

from . import views

app_name = "surveys"

SURVEY = "t/<slug:town_slug>/surveys/<int:pk>/"

urlpatterns = [
    path("t/<slug:town_slug>/surveys/", views.survey_list, name="survey_list"),
    path("t/<slug:town_slug>/surveys/new/", views.create_survey, name="create_survey"),
    path(SURVEY, views.survey_detail, name="survey"),
    path(SURVEY + "qr.svg", views.qr, name="qr"),
    path(SURVEY + "manage/", views.manage, name="manage"),
    path(SURVEY + "questions/", views.add_question, name="add_question"),
    path(SURVEY + "questions/up/", views.move_question_up, name="move_question_up"),
    path(SURVEY + "questions/down/", views.move_question_down, name="move_question_down"),
    path(SURVEY + "questions/delete/", views.remove_question, name="remove_question"),
    path(SURVEY + "open/", views.open_survey, name="open_survey"),
    path(SURVEY + "close/", views.close_survey, name="close_survey"),
    path(SURVEY + "questions/<int:question_pk>/", views.edit_question, name="edit_question"),
    path(SURVEY + "results/", views.results, name="results"),
    path(SURVEY + "responses.csv", views.export_csv, name="export_csv"),
    path(SURVEY + "responses.xlsx", views.export_xlsx, name="export_xlsx"),
]
