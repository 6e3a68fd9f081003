from django.urls import path

from . import views, views_steps

app_name = "planning"

P = "t/<slug:town_slug>/plans/"

urlpatterns = [
    # processes, board, batch, templates (views.py)
    path(P, views.process_list, name="process_list"),
    path(P + "<int:pk>/", views.process_detail, name="process"),
    path(P + "<int:pk>/follow/", views.follow, name="follow"),
    path(P + "<int:pk>/advance/", views.advance, name="advance"),
    path(P + "<int:pk>/return/", views.return_to_step, name="return"),
    path(P + "<int:pk>/abandon/", views.abandon, name="abandon"),
    path(P + "<int:pk>/proposals/", views.take_in, name="take_in"),
    path(P + "start/", views.start, name="start"),
    path(P + "batch/", views.batch, name="batch"),
    path(P + "batch/<int:pk>/", views.batch_result, name="batch_result"),
    path(P + "board/", views.board, name="board"),
    path(P + "board/export/", views.board_export, name="board_export"),
    path(P + "templates/", views.template_list, name="template_list"),
    path(P + "templates/<int:pk>/copy/", views.template_copy, name="template_copy"),
    path(
        P + "templates/<int:pk>/steps/<int:step_pk>/",
        views.template_step,
        name="template_step",
    ),
    # evidence pages and actions (views_steps.py)
    path(P + "<int:pk>/step/", views_steps.step, name="step"),
    # The step page's actions, one URL each (POST only): step/need/, step/remove-need/...
    *(
        path(
            P + f"<int:pk>/step/{action.replace('_', '-')}/",
            view,
            name=f"step_{action}",
        )
        for action, view in views_steps.STEP_VIEWS.items()
    ),
    path(P + "<int:pk>/drafts/<int:draft_pk>/", views_steps.draft, name="draft"),
    path(P + "<int:pk>/drafts/<int:draft_pk>/vote/", views_steps.draft_vote, name="draft_vote"),
    path(
        P + "<int:pk>/drafts/<int:draft_pk>/comment/",
        views_steps.draft_comment,
        name="draft_comment",
    ),
    path(P + "<int:pk>/drafts/<int:draft_pk>/file/", views_steps.draft_file, name="draft_file"),
    path(P + "<int:pk>/consultation/", views_steps.consultation, name="consultation"),
    path(
        P + "<int:pk>/consultation/comment/",
        views_steps.consultation_comment,
        name="consultation_comment",
    ),
    path(
        P + "<int:pk>/consultation/reply/",
        views_steps.consultation_reply,
        name="consultation_reply",
    ),
    path(P + "<int:pk>/notice/", views_steps.notice, name="notice"),
    path(P + "<int:pk>/notice/object/", views_steps.notice_object, name="notice_object"),
    path(P + "<int:pk>/notice/reply/", views_steps.notice_reply, name="notice_reply"),
    path(P + "<int:pk>/notice/print/", views_steps.notice_print, name="notice_print"),
]
