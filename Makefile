# Cổng Dịch vụ công: `make run` to serve the portal, `make test` to check everything.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON_VERSION := $(shell cat .python-version)
# pyenv's shim knows python3.12 inside this folder (.python-version); else try the usual places.
PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/$(PYTHON_VERSION)/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; assert sys.version_info[:2]==(3,12)' 2>/dev/null; then command -v $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test e2e lint fmt typecheck messages bench bench-catalogue lock migrate demo clean-venv check-python chromium pg-test worker

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Cần Python 3.12 (python3.12) để chạy dự án. Cài bằng pyenv: 'pyenv install $(PYTHON_VERSION)' hoặc gói python3.12 của hệ điều hành." >&2; \
		exit 1; fi

$(VENV)/.installed: requirements.lock pyproject.toml | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

migrate: $(VENV)/.installed
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

## make run: virtualenv, install, migrate, demo data, serve on http://127.0.0.1:$(PORT) (SQLite).
run: demo
	@echo "Cổng Dịch vụ công: http://127.0.0.1:$(PORT)  (tài khoản mẫu: xem README.md)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## make worker / make beat: deliver notifications with Celery on Redis (REDIS_URL must be set;
## without it the web process delivers them itself). Run one beat and any number of workers.
.PHONY: beat
worker: $(VENV)/.installed
	@test -n "$$REDIS_URL$$CELERY_BROKER_URL" || { echo "Cần REDIS_URL (ví dụ redis://127.0.0.1:6379/0) để chạy worker Celery." >&2; exit 1; }
	PYTHONPATH=src DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-dichvucong.config.settings.dev} \
		$(BIN)/celery -A dichvucong.config worker --without-gossip --without-mingle --loglevel $${LOG_LEVEL:-INFO}

beat: $(VENV)/.installed
	@test -n "$$REDIS_URL$$CELERY_BROKER_URL" || { echo "Cần REDIS_URL (ví dụ redis://127.0.0.1:6379/0) để chạy beat Celery." >&2; exit 1; }
	PYTHONPATH=src DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-dichvucong.config.settings.dev} \
		$(BIN)/celery -A dichvucong.config beat --loglevel $${LOG_LEVEL:-INFO}

## make run-prod: the production set on one machine (gunicorn, PostgreSQL, Redis, Celery worker
## and beat, S3 object storage; a local moto server when S3_ENDPOINT_URL is unset); Ctrl-C stops
## it all. make backup / make restore BACKUP=var/backups/<time>: docs/deployment.md.
.PHONY: run-prod backup restore
run-prod: $(VENV)/.installed
	$(BIN)/python ops/run_prod.py

backup: $(VENV)/.installed
	$(BIN)/python ops/backup.py

restore: $(VENV)/.installed
	$(BIN)/python ops/restore.py $(BACKUP)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(VENV)/.installed
	$(BIN)/mypy src/dichvucong/accounts/services.py src/dichvucong/accounts/selectors.py src/dichvucong/notifications/services.py src/dichvucong/core

## Debian's packages the tests need: chromium drives the browser journeys (never
## `playwright install`), its fonts and HarfBuzz's subsetter serve WeasyPrint's slips, and
## poppler-utils' pdftotext reads the slips back. Installed when missing (as root), else named.
TEST_PACKAGES := chromium fonts-liberation2 libharfbuzz-subset0 poppler-utils
chromium:
	@if command -v dpkg >/dev/null 2>&1; then \
		missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done | xargs); \
	elif [ ! -x "$(CHROMIUM)" ]; then missing=chromium; else missing=""; fi; \
	if [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			echo "Cài các gói Debian cho kiểm thử: $$missing…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Thiếu gói Debian: $$missing (sudo apt-get install $$missing) rồi chạy lại 'make test'." >&2; exit 1; \
		fi; fi

## make test: lint, migrations check, the whole suite (browser journeys included).
test: lint chromium
	DJANGO_SETTINGS_MODULE=dichvucong.config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

e2e: $(VENV)/.installed chromium
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

## The same suite on PostgreSQL (what .ci/run does after `make test`).
pg-test: $(VENV)/.installed chromium
	DATABASE_URL=$${PG_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dichvucong} REQUIRE_SERVICES=1 $(BIN)/pytest $(PYTEST_ARGS)

## make api-schema: rewrite the committed OpenAPI document (a test fails when it drifts).
.PHONY: api-schema api-fuzz
api-schema: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=dichvucong.config.settings.test $(MANAGE) spectacular --validate --fail-on-warn --file src/dichvucong/api/openapi.yaml

## make api-fuzz: schemathesis on a live server with demo data on PostgreSQL (.ci/api-fuzz).
api-fuzz: $(VENV)/.installed
	.ci/api-fuzz

messages: $(VENV)/.installed
	cd src/dichvucong && ../../$(BIN)/python ../../manage.py makemessages -l en --no-location && \
		../../$(BIN)/python ../../manage.py compilemessages -l en

## Regenerate the lock file after changing pyproject.toml (needs network to PyPI).
lock: | check-python
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --python-version 3.12 --generate-hashes -o requirements.lock

clean-venv:
	rm -rf $(VENV)

## Benchmarks (not part of `make test`; bench/README.md); PostgreSQL on 127.0.0.1:5432.
## make bench: the data set (1M dossiers, kept when already generated), every page under load
## next to the bare view and pgbench, the table in bench/README.md; then the in-process ones.
## BENCH_ARGS reaches bench/load.py (e.g. BENCH_ARGS="--duration 10 --only lookup search").
.PHONY: bench-data bench-load bench-wrk
bench: bench-load bench-catalogue bench-stats

bench-wrk:
	@command -v wrk >/dev/null 2>&1 || { if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Cài wrk của Debian để tạo tải…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "Thiếu wrk (apt-get install wrk): dùng bộ tạo tải Python, chậm hơn." >&2; fi; }

## make bench-data: only generate (or keep) the data set (bench/generate.py).
bench-data: $(VENV)/.installed
	$(BIN)/python bench/generate.py --reuse $(BENCH_DATA_ARGS)

bench-load: $(VENV)/.installed bench-wrk
	$(BIN)/python bench/load.py --reuse $(BENCH_ARGS)

bench-catalogue: $(VENV)/.installed
	$(BIN)/python bench/catalogue.py

## The statistics page over 1M dossiers' worth of daily figures (bench/stats.py; docs/stats.md).
.PHONY: bench-stats
bench-stats: $(VENV)/.installed
	$(BIN)/python bench/stats.py

## make bench-lookup: the lookup alone with its plans and in-process costs (bench/lookup.py, on
## bench/generate.py's data set); BENCH_ARGS=--reuse keeps the data.
.PHONY: bench-lookup
bench-lookup: $(VENV)/.installed bench-wrk
	$(BIN)/python bench/lookup.py $(BENCH_ARGS)
