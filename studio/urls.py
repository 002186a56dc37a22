from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

from studio.api import api
from studio.core.views import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("health", health, name="health"),
    path("", include("studio.accounts.urls")),
    path("", include("studio.assistants.urls")),
    path("", include("studio.training.urls")),
    path("", include("studio.history.urls")),
    path("", include("studio.comments.urls")),
]

# Pages of apps other helpers own join once their package exists.
for _app in ("studio.exchange", "studio.editor", "studio.tryit", "studio.e2etests"):
    if find_spec(_app) is not None and find_spec(f"{_app}.urls") is not None:
        urlpatterns.append(path("", include(f"{_app}.urls")))
