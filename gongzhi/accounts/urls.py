from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("me/", views.my_data, name="my_data"),
    path("me/export.json", views.export_my_data, name="export"),
    path("me/consents/<int:pk>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("me/delete/", views.delete_account, name="delete"),
]
