from django.urls import path

from studio.training import views

urlpatterns = [
    path("assistants/<slug:slug>/versions/new/", views.version_create_view, name="version_create"),
    path("assistants/<slug:slug>/versions/<int:number>/retry/", views.version_retry_view, name="version_retry"),
]
