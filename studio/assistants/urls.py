from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from studio.assistants import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Every assistant's pages live under /assistants/<slug>/; the list itself is the dashboard.
    path("assistants/", login_required(RedirectView.as_view(pattern_name="dashboard")),
         name="assistant_list"),
    path("assistants/new/", views.assistant_create_view, name="assistant_create"),
    path("assistants/<slug:slug>/", views.assistant_overview, name="assistant_overview"),
    path("assistants/<slug:slug>/delete/", views.assistant_delete_view, name="assistant_delete"),
    path("assistants/<slug:slug>/settings/", views.assistant_settings_view, name="assistant_settings"),
]
