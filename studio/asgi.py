"""One ASGI app for HTTP and WebSockets (served by uvicorn)."""
import os

from django.core.asgi import get_asgi_application

from studio.env import ImproperlyConfiguredVariable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
try:
    # Django must be set up before the consumers (and their models) are imported.
    django_asgi_app = get_asgi_application()
except ImproperlyConfiguredVariable as exc:
    raise SystemExit(f"Flowstudio cannot start: {exc}") from None

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from studio.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
