from django.urls import path

from studio.assistants import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("assistants/new/", views.assistant_create_view, name="assistant_create"),
    path("assistants/<slug:slug>/", views.assistant_overview, name="assistant_overview"),
    path("assistants/<slug:slug>/delete/", views.assistant_delete_view, name="assistant_delete"),
    path("assistants/<slug:slug>/settings/", views.assistant_settings_view, name="assistant_settings"),
]
