from django.urls import path

from . import todo_views, views

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("mode/", views.set_mode, name="set_mode"),
    path("healthz", views.healthz, name="healthz"),
    path("me/", views.me, name="me"),
    path("notifications/", views.notifications, name="notifications"),
    path("todo/", todo_views.todo, name="todo"),
    path("floor/", views.bench_floor, name="bench_floor"),
]
