from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("t/<slug:town_slug>/meetings/", views.meeting_list, name="meeting_list"),
    path("t/<slug:town_slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
]
