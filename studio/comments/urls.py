from django.urls import path

from studio.comments import views

urlpatterns = [
    path("assistants/<slug:slug>/comments/", views.assistant_comments_page, name="assistant_comments"),
    # `path`: a step id is free text in Rasa and may hold `/`.
    path("assistants/<slug:slug>/comments/step/<str:flow_id>/<path:step_id>/", views.step_comments_page,
         name="step_comments"),
    path("assistants/<slug:slug>/comments/new/", views.thread_start_view, name="thread_start"),
    path("assistants/<slug:slug>/comments/threads/<int:thread_id>/reply/", views.thread_action_view,
         {"action": "reply"}, name="thread_reply"),
    path("assistants/<slug:slug>/comments/threads/<int:thread_id>/resolve/", views.thread_action_view,
         {"action": "resolve"}, name="thread_resolve"),
    path("assistants/<slug:slug>/comments/threads/<int:thread_id>/reopen/", views.thread_action_view,
         {"action": "reopen"}, name="thread_reopen"),
    path("assistants/<slug:slug>/comments/<int:comment_id>/edit/", views.comment_change_view, {"action": "edit"},
         name="comment_edit"),
    path("assistants/<slug:slug>/comments/<int:comment_id>/delete/", views.comment_change_view, {"action": "delete"},
         name="comment_delete"),
    path("mentions/", views.mentions_page, name="mentions"),
    path("mentions/read/", views.mentions_read_view, name="mentions_read"),
    path("mentions/<int:mention_id>/", views.mention_open, name="mention_open"),
]
