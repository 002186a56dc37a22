from django.urls import path

from studio.e2etests.consumers import TestRunsConsumer

websocket_urlpatterns = [
    path("ws/assistants/<slug:slug>/tests/", TestRunsConsumer.as_asgi()),
]
