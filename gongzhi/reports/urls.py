from django.urls import path

from . import views, views_ledgers

app_name = "reports"

urlpatterns = [
    path("t/<slug:town_slug>/reports/", views.dashboard, name="dashboard"),
    path("t/<slug:town_slug>/reports/annual/<int:year>/", views.annual_report, name="annual"),
    path("t/<slug:town_slug>/reports/ledgers.xlsx", views_ledgers.ledgers_bundle, name="ledgers"),
]
