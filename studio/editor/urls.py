from django.urls import path

from studio.editor import views

urlpatterns = [
    path("assistants/<slug:slug>/flows/", views.flow_list_page, name="flow_list"),
    path("assistants/<slug:slug>/flows/<str:flow_id>/edit/", views.flow_editor_page, name="flow_editor"),
    path("assistants/<slug:slug>/flows/<str:flow_id>/duplicate/", views.flow_duplicate_page, name="flow_duplicate"),
    path("assistants/<slug:slug>/flows/<str:flow_id>/delete/", views.flow_delete_page, name="flow_delete"),
    path("assistants/<slug:slug>/responses/", views.response_list_page, name="response_list"),
    # `path`: Rasa allows any text as a response name, `/` included (`utter_faq/ask_price`).
    path("assistants/<slug:slug>/responses/<path:name>/edit/", views.response_edit_page, name="response_edit"),
]
