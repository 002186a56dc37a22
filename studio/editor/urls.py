from django.urls import path

from studio.editor import action_views, response_views, slot_views, system_flow_views, translation_views, views

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
    path("assistants/<slug:slug>/slots/", slot_views.slot_list_page, name="slot_list"),
    path("assistants/<slug:slug>/slots/new/", slot_views.slot_create_page, name="slot_create"),
    path("assistants/<slug:slug>/slots/<str:name>/edit/", slot_views.slot_edit_page, name="slot_edit"),
    path("assistants/<slug:slug>/actions/", action_views.action_list_page, name="action_list"),
    path("assistants/<slug:slug>/actions/new/", action_views.action_create_page, name="action_create"),
    path("assistants/<slug:slug>/actions/<str:name>/edit/", action_views.action_edit_page, name="action_edit"),
    path("assistants/<slug:slug>/responses/", views.response_list_page, name="response_list"),
    path("assistants/<slug:slug>/responses.csv", translation_views.responses_csv_export_view, name="responses_csv"),
    path("assistants/<slug:slug>/responses/import/", translation_views.responses_csv_import_page,
         name="responses_csv_import"),
    path("assistants/<slug:slug>/translations/", translation_views.translations_page, name="translations"),
    # `path`: Rasa allows any text as a response name, `/` included (`utter_faq/ask_price`).
    path("assistants/<slug:slug>/responses/<path:name>/edit/", response_views.response_edit_page,
         name="response_edit"),
]
