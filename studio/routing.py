"""WebSocket routes; other apps add theirs here."""
from importlib import import_module
from importlib.util import find_spec

from studio.tryit.routing import websocket_urlpatterns as tryit_patterns

websocket_urlpatterns = [*tryit_patterns]

for _app in ("studio.exchange", "studio.editor", "studio.e2etests"):
    if find_spec(_app) is not None and find_spec(f"{_app}.routing") is not None:
        websocket_urlpatterns += import_module(f"{_app}.routing").websocket_urlpatterns
