from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from studio.core.health import health_report, public_report


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    if not (request.user.is_staff or request.user.is_superuser):
        report = public_report(report)
    return JsonResponse({"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503)
