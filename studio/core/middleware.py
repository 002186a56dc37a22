"""Refuse NUL characters in the URL before they reach a view.

PostgreSQL text cannot hold U+0000, so a NUL in a path or query parameter would otherwise turn
a harmless lookup into a database error (500) instead of a client error.
"""
from __future__ import annotations

from typing import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

MESSAGE = "the URL contains a NUL character (\\u0000), which is never valid here"


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            place = "path" if "\x00" in request.path else "query"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": [{"loc": [place], "msg": MESSAGE}]}, status=400)
            return HttpResponse(f"Bad request: {place}: {MESSAGE}", status=400, content_type="text/plain")
        return self.get_response(request)
