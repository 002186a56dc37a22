"""Reachability of the services the studio depends on; embedded mode has nothing to reach."""
from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection

from studio.celery import app

EMBEDDED = "embedded"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the message is the diagnosis
        return f"down: {exc.__class__.__name__}: {exc}".strip()
    return "up"


def check_redis() -> str:
    if not settings.REDIS_URL:
        return EMBEDDED
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return f"down: {exc}"
    return "up"


def check_celery() -> str:
    if not settings.REDIS_URL:
        return EMBEDDED


    try:
        replies = app.control.ping(timeout=1.0)
    except Exception as exc:  # kombu raises several unrelated types when the broker is gone
        return f"down: {exc}"
    return f"up ({len(replies)} worker{'s' if len(replies) != 1 else ''})" if replies else "down: no worker answered"


def health_report() -> tuple[bool, dict[str, str]]:
    report = {"database": check_database(), "redis": check_redis(), "celery": check_celery()}
    healthy = all(value == EMBEDDED or value.startswith("up") for value in report.values())
    return healthy, report


def public_report(report: dict[str, str]) -> dict[str, str]:
    """Only up/down per service: the error text names hosts, ports and drivers, for staff only."""
    return {name: value if value == EMBEDDED else "up" if value.startswith("up") else "down"
            for name, value in report.items()}
