from django.urls import path

from . import navigation, views

app_name = "places"

urlpatterns = [
    path("", views.home, name="home"),
    path("go/<slug:key>/", navigation.go, name="go"),
    path("t/<slug:town_slug>/", views.town_home, name="town"),
    path("t/<slug:town_slug>/areas/", views.area_list, name="area_list"),
    path("t/<slug:town_slug>/areas/<int:pk>/", views.area_detail, name="area"),
    path(
        "t/<slug:town_slug>/areas/<int:pk>/residents/", views.area_residents, name="area_residents"
    ),
    path("t/<slug:town_slug>/audit/", views.town_audit, name="town_audit"),
]
