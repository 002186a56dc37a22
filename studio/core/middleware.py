"""Refuse input no view can use before it reaches one: NUL characters in the URL, and JSON bodies
nested too deep or holding text that cannot be stored.

PostgreSQL text cannot hold U+0000 and UTF-8 cannot encode a lone surrogate ("\\ud800" is valid
JSON), so either would otherwise turn a harmless request into a database error (500); JSON
nested thousands deep makes the decoder hit the recursion limit. engine.safe_input does the
JSON checks, the same ones the try-it socket applies to its frames.
"""
from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from engine.safe_input import JsonRejected, load_json

MESSAGE = "the URL contains a NUL character (\\u0000), which is never valid here"


def _refusal(request: HttpRequest, status: int, loc: list, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"loc": loc, "msg": message}]}, status=status)
    place = ".".join(map(str, loc))
    return HttpResponse(f"Bad request: {place}: {message}", status=status, content_type="text/plain")


def _json_problem(request: HttpRequest) -> tuple[int, list, str] | None:
    """(status, loc, message) when a JSON body must not reach the view."""
    if request.content_type != "application/json" and not request.content_type.endswith("+json"):
        return None
    try:
        load_json(request.body)
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, ["body"], f"the request body is too large (at most {limit:,} bytes)"
    except JsonRejected as exc:
        # Too deep is an unreadable body (400); a bad character is a bad value (422), named.
        return (422 if exc.loc else 400), ["body", *exc.loc], exc.message
    except ValueError:
        return None  # not JSON at all: the view's own parser says so
    return None


class RejectBadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return _refusal(request, 400, ["path" if "\x00" in request.path else "query"], MESSAGE)
        problem = _json_problem(request)
        if problem is not None:
            return _refusal(request, *problem)
        return self.get_response(request)

