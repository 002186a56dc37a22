# Flowstudio app image: one image for the web process (uvicorn) and the Celery worker.
# Packages come from PyPI and the npm registry only; nothing is fetched from a CDN at run time.

# --- graph editor bundle (frontend/ -> static/editor/) -------------------------------------------
FROM node:20-slim AS editor
WORKDIR /src
COPY frontend/ frontend/
RUN mkdir -p static/editor \
 && if [ -f frontend/package.json ]; then cd frontend && npm ci --no-audit --no-fund && npm run build; fi

# --- application ----------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN useradd --create-home --uid 1000 studio
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
COPY --from=editor /src/static/editor/ static/editor/
# collectstatic needs settings but no services; the key below exists only during this build step.
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-0000000000 python manage.py collectstatic --noinput -v 0 \
 && mkdir -p var && chown -R studio:studio /app
USER studio

EXPOSE 8000
# compose.yaml runs migrations once in the web service; the worker reuses this image.
CMD ["uvicorn", "studio.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
