from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("t/<slug:town_slug>/proposals/", views.proposal_list, name="proposal_list"),
    path("t/<slug:town_slug>/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
]
