from django.urls import path

from . import views, views_steps  # noqa: F401 - views_steps routes land below

app_name = "planning"

P = "t/<slug:town_slug>/plans/"

urlpatterns = [
    # processes, board, batch, templates (views.py)
    path(P, views.process_list, name="process_list"),
    path(P + "<int:pk>/", views.process_detail, name="process"),
    # evidence pages and actions (views_steps.py)
]
