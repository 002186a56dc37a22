"""WebSocket routes of the editor: presence on a flow or a response, and save announcements on their lists."""
from django.urls import path

from studio.editor.presence import PresenceConsumer

websocket_urlpatterns = [
    # `path:` because a response name may hold a slash (`utter_faq/ask_price`).
    path("ws/assistants/<slug:slug>/presence/<str:kind>/<path:name>", PresenceConsumer.as_asgi()),
    path("ws/assistants/<slug:slug>/presence/<str:kind>/", PresenceConsumer.as_asgi()),
]
