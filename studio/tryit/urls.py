from django.urls import path

from studio.tryit import mock_views, views

urlpatterns = [
    path("assistants/<slug:slug>/actions/<str:name>/mock/", mock_views.action_mock_page, name="action_mock"),
    path("assistants/<slug:slug>/try/", views.tryit_page, name="tryit"),
    path("assistants/<slug:slug>/try/conversations/", views.conversation_list, name="tryit_conversations"),
    path("assistants/<slug:slug>/try/c/<int:pk>/", views.conversation_page, name="tryit_conversation"),
    path("assistants/<slug:slug>/try/c/<int:pk>/fork/", views.conversation_fork, name="tryit_conversation_fork"),
    path("assistants/<slug:slug>/try/c/<int:pk>/rename/", views.conversation_rename, name="tryit_conversation_rename"),
    path("assistants/<slug:slug>/try/c/<int:pk>/delete/", views.conversation_delete, name="tryit_conversation_delete"),
    path("assistants/<slug:slug>/try/flow/<str:flow_id>/", views.flow_view, name="tryit_flow_view"),
]
