from django.urls import path

from . import views

app_name = "cultivation"

PROGRAMME = "t/<slug:town_slug>/cultivation/<int:pk>/"

urlpatterns = [
    path("t/<slug:town_slug>/cultivation/", views.programme_list, name="programme_list"),
    path("t/<slug:town_slug>/cultivation/new/", views.create_programme, name="create_programme"),
    path(PROGRAMME, views.programme_detail, name="programme"),
    path(PROGRAMME + "sessions/", views.add_session, name="add_session"),
    path(PROGRAMME + "open/", views.open_programme, name="open_programme"),
    path(PROGRAMME + "close/", views.close_programme, name="close_programme"),
    path(PROGRAMME + "certificate/", views.certificate, name="certificate"),
    path(PROGRAMME + "certificate/<int:user_pk>/", views.certificate_of, name="certificate_of"),
    path(
        "t/<slug:town_slug>/areas/<int:pk>/cultivation/",
        views.area_trainees,
        name="area_trainees",
    ),
]
