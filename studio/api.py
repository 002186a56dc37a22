"""The root django-ninja API at /api/: app routers plus one mapping from domain errors to HTTP."""
from importlib import import_module
from importlib.util import find_spec

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from studio.core.exceptions import DomainError, RevisionConflict, ValidationFailed

api = NinjaAPI(title="Flowstudio API", version="1", auth=django_auth, urls_namespace="api")  # django_auth checks CSRF


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict = {"detail": exc.message}
    if isinstance(exc, ValidationFailed):
        body["detail"] = [problem.as_dict() for problem in exc.problems]
    if isinstance(exc, RevisionConflict):
        to_api = getattr(exc.current, "to_api", None)
        body["current"] = to_api() if to_api else {"revision": exc.current.revision}
        body.update(getattr(exc, "details", {}))  # an EditConflict: base, theirs, mine and what overlaps
    return api.create_response(request, body, status=exc.status)


# Routers of apps other helpers own are mounted once their package exists. They go first:
# `assistants/import` must not be taken for the `assistants/<slug>` route (a 405).
for _module in ("studio.exchange.api", "studio.editor.api"):
    if find_spec(_module.rsplit(".", 1)[0]) is not None and find_spec(_module) is not None:
        api.add_router("/assistants/", import_module(_module).router)

api.add_router("/assistants/", "studio.assistants.api.router")
api.add_router("/assistants/", "studio.training.api.router")
api.add_router("/assistants/", "studio.accounts.api.router")
api.add_router("/assistants/", "studio.e2etests.api.router")
api.add_router("/assistants/", "studio.tryit.mock_api.router")
api.add_router("/assistants/", "studio.history.api.router")
api.add_router("/assistants/", "studio.comments.api.router")
