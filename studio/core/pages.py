"""Helpers for htmx pages: domain errors become a rendered error page with the right status."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from studio.core.exceptions import DomainError


def domain_errors_as_pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render NotFound/Forbidden/... from services as the error page, never a traceback."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return TemplateResponse(request, "error.html", {"status": exc.status, "message": exc.message},
                                    status=exc.status)

    return wrapper
