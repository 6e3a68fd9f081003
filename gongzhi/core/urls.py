from django.urls import path

from . import metrics, sms_views, todo_views, views

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("mode/", views.set_mode, name="set_mode"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("metrics", metrics.metrics, name="metrics"),
    path("me/", views.me, name="me"),
    path("me/sms/", sms_views.sms_choices, name="sms_choices"),
    path("sms/", sms_views.sms_ledger, name="sms_ledger"),
    path("sms/outbox/", sms_views.sms_outbox, name="sms_outbox"),
    path("sms/receipts/<str:provider>/<str:token>/", sms_views.sms_receipts, name="sms_receipts"),
    path("notifications/", views.notifications, name="notifications"),
    path("todo/", todo_views.todo, name="todo"),
    path("floor/", views.bench_floor, name="bench_floor"),
]
