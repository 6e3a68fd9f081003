from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("t/<slug:town_slug>/surveys/<int:pk>/", views.survey_detail, name="survey"),
]
