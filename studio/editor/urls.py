from django.urls import path

from studio.editor import views

urlpatterns = [
    path("assistants/<slug:slug>/flows/", views.flow_list_page, name="flow_list"),
    path("assistants/<slug:slug>/flows/<str:flow_id>/edit/", views.flow_editor_page, name="flow_editor"),
    path("assistants/<slug:slug>/flows/<str:flow_id>/duplicate/", views.flow_duplicate_page, name="flow_duplicate"),
    path("assistants/<slug:slug>/flows/<str:flow_id>/delete/", views.flow_delete_page, name="flow_delete"),
]
