from django.urls import path

from . import views

app_name = "proposals"

P = "t/<slug:town_slug>/proposals/"
C = P + "<int:pk>/comments/<int:comment_pk>/"

urlpatterns = [
    path(P, views.proposal_list, name="proposal_list"),
    path(P + "new/", views.submit, name="submit"),
    path(P + "moderation/", views.moderation, name="moderation"),
    path(P + "settings/", views.settings_page, name="settings"),
    path(P + "ledger.xlsx", views.ledger, name="ledger"),
    path(P + "<int:pk>/", views.proposal_detail, name="proposal"),
    path(P + "<int:pk>/support/", views.support, name="support"),
    path(P + "<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path(P + "<int:pk>/comments/", views.comment, name="comment"),
    # Staff decisions, one URL each (POST only).
    path(P + "<int:pk>/review/", views.start_review, name="start_review"),
    path(P + "<int:pk>/merge/", views.merge, name="merge"),
    path(P + "<int:pk>/decline/", views.decline, name="decline"),
    path(P + "<int:pk>/implement/", views.mark_implemented, name="mark_implemented"),
    path(C + "report/", views.report_comment, name="report_comment"),
    path(C + "hide/", views.hide_comment, name="hide_comment"),
    path(C + "keep/", views.dismiss_reports, name="dismiss_reports"),
]
