from django.urls import path

from studio.exchange import views

# `import/` sits at the root: `assistants/import/` would be read as an assistant slug.
urlpatterns = [
    path("import/", views.import_new, name="exchange_import"),
    path("assistants/<slug:slug>/reimport/", views.reimport_preview, name="exchange_reimport"),
    path("assistants/<slug:slug>/reimport/apply/", views.reimport_apply, name="exchange_apply"),
    path("assistants/<slug:slug>/export.zip", views.export_zip, name="exchange_export"),
    # `<path:name>`: Rasa allows `/` in response names (utter_faq/price).
    path("assistants/<slug:slug>/items/<str:kind>/<path:name>/rename/", views.item_rename_page, name="item_rename"),
    path("assistants/<slug:slug>/items/<str:kind>/<path:name>/delete/", views.item_delete_page, name="item_delete"),
]
