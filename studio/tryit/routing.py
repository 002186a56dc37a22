from django.urls import path

from studio.tryit.consumers import TryItConsumer

websocket_urlpatterns = [
    path("ws/assistants/<slug:slug>/tryit/", TryItConsumer.as_asgi()),
]
