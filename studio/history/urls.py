from django.urls import path

from studio.history import views

urlpatterns = [
    path("assistants/<slug:slug>/activity/", views.activity_page, name="assistant_activity"),
    path("assistants/<slug:slug>/history/settings/", views.item_history_page, name="settings_history"),
    # `path`: response names may contain `/` (`utter_faq/ask_price`).
    path("assistants/<slug:slug>/history/<str:kind>/<path:key>/", views.item_history_page, name="item_history"),
]
