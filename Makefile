# Flowstudio: `make run` serves the studio, `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench bench-load fuzz install install-dev frontend chromium migrate seed serve worker

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed frontend
install-dev: $(VENV)/.installed-dev frontend chromium

# The graph editor is built from frontend/ into static/editor/ (npm registry only, no CDN).
frontend:
	@if [ -f frontend/package.json ]; then \
	  cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build; \
	fi

# Browser tests drive Debian's Chromium; Playwright cannot download browsers here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py ensure_admin

serve:
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/uvicorn studio.asgi:application --host $(HOST) --port $(PORT)

run: seed serve

# --beat: the worker also sweeps stale builds every minute (one such worker is enough).
worker: install
	$(BIN)/celery -A studio worker --beat --schedule var/celerybeat-schedule -l info

test: install-dev
	$(BIN)/python -m pytest -p no:cacheprovider

bench: install-dev
	@for f in bench/bench_*.py; do [ "$$f" = bench/bench_load.py ] && continue; echo "== $$f"; $(BIN)/python $$f || exit 1; done

# Real mode only (DATABASE_URL=postgres://..., REDIS_URL=redis://...): 200 HTTP clients with 100 try-it
# sockets, then 10/50/100 try-it chats (demo and 100 flows, with and without think time) on one and on
# two uvicorn processes, 30 s per run (BENCH_LOAD_SECONDS); fails on any error, dropped socket or
# leaked PostgreSQL connection.
bench-load: install-dev
	$(BIN)/python bench/bench_load.py

# Schemathesis against a live uvicorn as every role (FUZZ_EXAMPLES per operation); fails on any 500.
fuzz: install-dev
	$(BIN)/python bench/fuzz_api.py
