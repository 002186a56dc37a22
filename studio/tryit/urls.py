from django.urls import path

from studio.tryit import views

urlpatterns = [
    path("assistants/<slug:slug>/try/", views.tryit_page, name="tryit"),
]
