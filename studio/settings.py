"""Flowstudio settings, read from the environment only.

With no DATABASE_URL the studio runs on SQLite under var/; with no REDIS_URL it uses an in-memory
channel layer and runs Celery tasks eagerly. A malformed value stops start-up naming the variable.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import dj_database_url

from studio.env import (
    ImproperlyConfiguredVariable, env_bool, env_float, env_header, env_int, env_list, env_str, env_url, env_url_list,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/ (git-ignored)."""
    configured = env_str("SECRET_KEY")
    if configured is not None:
        if len(configured) < 32:
            raise ImproperlyConfiguredVariable("SECRET_KEY", "must be at least 32 characters long")
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
# Only needed when the browser's origin differs from the Host header (e.g. a TLS proxy).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

# Apps owned by other parts of the team join automatically once their package exists.
OPTIONAL_APPS = [app for app in ("studio.exchange", "studio.editor") if find_spec(app) is not None]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "channels",
    "axes",
    "ninja",  # serves its own Swagger UI files: no CDN, no inline script (the CSP allows neither)
    "studio.core",
    "studio.assistants",
    "studio.accounts",
    "studio.training",
    "studio.tryit",
    *OPTIONAL_APPS,
    "studio.e2etests",
    "simple_history",
    "studio.history",  # after the apps whose models it keeps versions of
    "studio.comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "studio.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "studio.core.middleware.RejectBadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "studio.accounts.password_gate.DefaultPasswordGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who: the logged-in user behind each change
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it turns a lockout into its page
]

ROOT_URLCONF = "studio.urls"
ASGI_APPLICATION = "studio.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% partialdef %} everywhere without a {% load %} in each template.
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "studio.core.context_processors.studio",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "pgsql", "sqlite"))
# Under ASGI each request runs in a thread of its own, so persistent connections (one per thread)
# piled up past PostgreSQL's max_connections. Every process borrows from one pool instead; the
# most connections a web process or a worker child holds is DATABASE_POOL_SIZE.
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", default=10)
if DATABASE_URL:
    try:
        # CONN_MAX_AGE stays 0 (Django refuses persistent connections with a pool); health checks
        # make the pool test a connection before lending it, so a restarted server costs no error.
        _db = dj_database_url.parse(DATABASE_URL, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfiguredVariable("DATABASE_URL", str(exc)) from None
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db["ENGINE"] = "studio.core.pgpool"  # the same backend; its pool checks only idle connections
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1, "max_size": DATABASE_POOL_SIZE,
            "max_idle": 60,  # a burst's extra connections go back to PostgreSQL after a quiet minute
        }
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "studio.sqlite3"}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and Celery --------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
if REDIS_URL:
    # channels_redis waits for socket messages in BZPOPMIN calls that block 5 s on the server;
    # redis-py 8 gives up on any read after its default 5 s socket_timeout, which dropped every idle
    # try-it socket. Reads get the 5 s block plus slack, so a dead Redis is still noticed.
    _redis_host = {"address": REDIS_URL, "socket_timeout": 15, "socket_connect_timeout": 5}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [_redis_host]}}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# Builds report through the database; no task result is ever read, so there is no backend to reach.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A build still running after BUILD_TIMEOUT seconds is dead: the worker's hard time limit has killed
# it, and the sweeper (every minute in beat, and whenever versions are listed) queues it again, up to
# BUILD_MAX_ATTEMPTS sends in all, or fails it with the reason.
BUILD_TIMEOUT = env_float("BUILD_TIMEOUT", default=300.0)
BUILD_MAX_ATTEMPTS = 3
CELERY_TASK_TIME_LIMIT = BUILD_TIMEOUT
# Late acks: a worker killed mid-build leaves the message unacknowledged, and Redis hands it out
# again after the visibility timeout, which must outlast the longest build.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BUILD_TIMEOUT + 60,
    # kombu's defaults wait forever on a broker that vanished without closing the connection.
    "socket_connect_timeout": 2, "socket_timeout": 10,
}
# With the broker down, creating a version answers 503 within seconds instead of a 500 after
# kombu's default retries (19 s): one retry, 2 s to connect.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {"sweep-stale-builds": {"task": "training.version_sweep", "schedule": 60.0}}

# --- LLM (used by the try-it command generator) ---------------------------------------------------
LLM_BASE_URL = env_url("LLM_BASE_URL", schemes=("http", "https"))
LLM_API_KEY = env_str("LLM_API_KEY", default="")
LLM_MODEL = env_str("LLM_MODEL", default="")
LLM_TIMEOUT = env_float("LLM_TIMEOUT", default=30.0)
# Where LLM_API_KEY may be sent besides LLM_BASE_URL: an assistant can point its LLM at any URL, so
# any other URL is called without the key. Assistant-chosen URLs on internal addresses are refused
# unless listed here or LLM_ALLOW_INTERNAL_URLS is set (studio/tryit/llm_access.py applies both).
LLM_KEY_ALLOWED_BASE_URLS = env_url_list("LLM_KEY_ALLOWED_BASE_URLS", schemes=("http", "https"), default=[])
LLM_ALLOW_INTERNAL_URLS = env_bool("LLM_ALLOW_INTERNAL_URLS", default=False)

# --- Uploads --------------------------------------------------------------------------------------
# One limit for every project upload (import and re-import, page and API), checked by
# studio.exchange.services: on the uploaded zip and on what it unpacks to. Django's own
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) keeps bounding JSON bodies and form fields, not files.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", default=50) * 1024 * 1024

# --- Auth -----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# django-axes counts failed logins (the login page and the admin's) per username and address. Not
# per address alone: behind a proxy every user shares one. The address is REMOTE_ADDR only, so a
# made-up X-Forwarded-For cannot reset the count (uvicorn fills REMOTE_ADDR from trusted proxies).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "studio.accounts.views.locked_out"
AXES_VERBOSE = False  # else every manage.py command starts with an "AXES: BEGIN" line

# --- Security headers and TLS ---------------------------------------------------------------------
# The default policy allows only the studio's own scripts: templates have no inline scripts or event
# handlers (tests/studio/test_security_headers.py checks them); htmx and the editor are files under
# /static/. Inline styles stay allowed because htmx and the graph editor set them at run time.
DEFAULT_CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",  # CSP level 3: 'self' also covers the try-it socket (ws/wss to this host)
    "worker-src 'self' blob:", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
])
CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY", default=DEFAULT_CONTENT_SECURITY_POLICY)
CONTENT_SECURITY_POLICY_REPORT_ONLY = env_bool("CONTENT_SECURITY_POLICY_REPORT_ONLY", default=False)
# Off by default so plain-HTTP local use works; turn on behind TLS (see the README).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = env_header("SECURE_PROXY_SSL_HEADER")  # e.g. "X-Forwarded-Proto: https"

# --- I18N / static --------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collectstatic (tests, DEBUG) WhiteNoise finds files where they live.
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # django-axes logs four INFO lines per successful login; failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
