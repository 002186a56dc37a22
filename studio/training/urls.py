from django.urls import path

from studio.training import views

urlpatterns = [
    path("assistants/<slug:slug>/versions/new/", views.version_create_view, name="version_create"),
]
