from django.urls import path

from studio.editor import system_flow_views, views

urlpatterns = [
    path("assistants/<slug:slug>/flows/", views.flow_list_page, name="flow_list"),
    path("assistants/<slug:slug>/flows/<str:flow_id>/edit/", views.flow_editor_page, name="flow_editor"),
    path("assistants/<slug:slug>/flows/<str:flow_id>/duplicate/", views.flow_duplicate_page, name="flow_duplicate"),
    path("assistants/<slug:slug>/flows/<str:flow_id>/delete/", views.flow_delete_page, name="flow_delete"),
    path("assistants/<slug:slug>/system-flows/", system_flow_views.system_flow_list_page, name="system_flow_list"),
    path("assistants/<slug:slug>/system-flows/<str:flow_id>/", system_flow_views.system_flow_page, name="system_flow"),
    path("assistants/<slug:slug>/system-flows/<str:flow_id>/customise/", system_flow_views.system_flow_customise_page,
         name="system_flow_customise"),
    path("assistants/<slug:slug>/system-flows/<str:flow_id>/diff/", system_flow_views.system_flow_diff_page,
         name="system_flow_diff"),
    path("assistants/<slug:slug>/system-flows/<str:flow_id>/reset/", system_flow_views.system_flow_reset_page,
         name="system_flow_reset"),
    path("assistants/<slug:slug>/responses/", views.response_list_page, name="response_list"),
    # `path`: Rasa allows any text as a response name, `/` included (`utter_faq/ask_price`).
    path("assistants/<slug:slug>/responses/<path:name>/edit/", views.response_edit_page, name="response_edit"),
]
