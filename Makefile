# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEV := DJANGO_DEBUG=true

.PHONY: install run test test-stack test-scale screenshots lint lint-imports format typecheck hooks audit migrations-check test-postgres lighthouse bench prod-local reliability backup restore services

# Installs exactly what uv.lock pins (dev tools included) into .venv. When uv is not on PATH, it
# comes from PyPI into .uv/ (its own small venv, so `uv sync` never removes it from .venv): a
# machine with only python3.12 is enough.
UV_VERSION := 0.13.8
UV ?= $(or $(shell command -v uv 2>/dev/null),.uv/bin/uv)

$(VENV)/.installed: pyproject.toml uv.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.12 is required: install it, or run 'make PYTHON=/path/to/python3.12 ...'"; exit 1; }
	@[ -x "$(UV)" ] || command -v "$(UV)" >/dev/null || { \
		$(PYTHON) -m venv .uv && .uv/bin/pip install --quiet "uv==$(UV_VERSION)"; }
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	@# Rows advisers edited or deleted since the last load are kept and listed as a warning.
	$(DEV) $(BIN)/python manage.py load_directory --keep-edits
	@# Alerts' hourly run, queued once for the worker (a second call queues nothing).
	$(DEV) $(BIN)/python manage.py send_alerts --schedule
	@# The task worker (large imports, mail, alerts) runs beside the server and stops with it (restart
	@# `make run` after changing a task: the worker does not reload itself here).
	$(DEV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# mypy with django-stubs over the code and tests (pyproject's [tool.mypy]); part of `make test`.
typecheck: install
	$(DEV) $(BIN)/mypy

# docs/architecture.md's layers (import-linter; contracts in pyproject's [tool.importlinter]): a lower
# layer importing a higher one fails here. Part of `make test`.
lint-imports: install
	$(BIN)/lint-imports --no-logo

# Run ruff, ruff format, mypy and django-upgrade before each commit (.pre-commit-config.yaml).
hooks: install
	$(BIN)/pre-commit install

# Known vulnerabilities in exactly the versions uv.lock pins (PyPI's advisory data). --strict fails
# when a version cannot be looked up; CI passes AUDIT_STRICT= and warns instead (see .ci/run).
AUDIT_STRICT ?= --strict
audit: install
	$(UV) export --frozen --all-groups --no-emit-project --no-hashes --format requirements-txt \
		--output-file $(VENV)/locked-requirements.txt --quiet
	$(BIN)/pip-audit $(AUDIT_STRICT) --disable-pip --no-deps --progress-spinner off \
		-r $(VENV)/locked-requirements.txt

migrations-check: install
	DJANGO_SETTINGS_MODULE=internships.test_settings $(BIN)/python manage.py makemigrations --check --dry-run

# What the reliability tests and `make prod-local` run: Debian's nginx, redis-server and wrk.
services:
	@missing=""; for tool in nginx redis-server wrk; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	  [ "$$missing" = "" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }

# The whole suite on the database DATABASE_URL names (SQLite when unset), browser tests included,
# on every core (pytest-xdist; PYTEST_WORKERS=0 runs it in one process). Tests that should share a
# worker carry @pytest.mark.xdist_group (not honoured with pytest 9.2: pytest-xdist#1386, README).
# The production-topology tests are `make test-stack`; the scale tests and the full property-test
# budgets are `make test-scale`. MARKERS chooses tests by mark, e.g.
# MARKERS='not scale and not browser'; PYTEST_ARGS adds pytest arguments, e.g. PYTEST_ARGS='-x'.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup
MARKERS ?= not scale and not stack
PYTEST_ARGS ?=
test: lint typecheck migrations-check lint-imports services
	$(PYTEST) -m "$(MARKERS)" $(PYTEST_ARGS)

# The production-topology tests (`@pytest.mark.stack`): each starts its own nginx, gunicorn, Redis,
# task worker or private PostgreSQL cluster, and mostly waits on them (outages, restarts, load).
# They keep their own database whatever DATABASE_URL says: CI runs them once.
STACK_WORKERS ?= 2
test-stack: install services
	$(BIN)/pytest -n $(STACK_WORKERS) --dist loadgroup -m stack $(PYTEST_ARGS)

# The whole suite on the local PostgreSQL server (tests only: no lint or type check).
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
test-postgres: install services
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(PYTEST) -m "$(MARKERS)" $(PYTEST_ARGS)

# What takes minutes and runs once in CI: the scale tests (a 10,000-row import) and every property
# test (hypothesis) with the full budget of HYPOTHESIS_PROFILE=ci (tests/conftest.py). `make test`
# runs the same property tests with the everyday budget.
test-scale: install services
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(PYTEST) -m "scale or hypothesis" $(PYTEST_ARGS)

# The browser tests again, photographing what they show into artifacts/ (git-ignored) for a person to
# look at: every page type at both viewports in light and dark while axe checks it, and each
# journey's key screens. The everyday suite takes no pictures (tests/browser/conftest.py).
screenshots: install
	SCREENSHOTS=1 $(PYTEST) -m "browser and not stack" tests/browser $(PYTEST_ARGS)

# Lighthouse (pinned in tools/lighthouse, run in Debian's Chromium) on home, list and detail of a
# production-like local run; prints the four category scores. LIGHTHOUSE_MIN=100 makes it a gate.
lighthouse: install
	cd tools/lighthouse && npm ci --no-audit --no-fund --silent
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python tools/lighthouse/run.py

# The production topology under wrk (nginx microcache → gunicorn → Redis page cache, next to a
# static file, with a junk flood and an adviser editing once a second), then uncached page speed
# on synthetic data (10,000 and 100,000 programmes, SQLite and PostgreSQL). Reports, never
# asserts; not part of `make test` or CI. See README.
bench: install services
	$(BIN)/python bench/production.py
	$(BIN)/python bench/run.py

# The production stack on loopback: nginx (PROD_LOCAL_PORT, 8180) → gunicorn (2 workers) → the
# local PostgreSQL (database internships_local, created and seeded once), with a private Redis.
# db_worker is started again if it ends; Ctrl-C (or SIGTERM) stops every process it started.
prod-local: install services
	$(BIN)/python -m deploy.stack

# Faults under visitors' load through nginx against that stack (a few minutes); prints a table
# whose rows each check what must hold, and exits 1 when one fails. See README.
reliability: install services
	$(BIN)/python -m deploy.reliability

# A whole-database backup (users, history, timestamps): pg_dump on PostgreSQL, SQLite's backup
# API on SQLite. `make restore BACKUP=backups/….dump` puts one back (everything stored is replaced).
BACKUP ?= backups/$(shell date -u +%Y%m%dT%H%M%SZ).backup
backup: install
	$(BIN)/python manage.py backup_database $(BACKUP)

restore: install
	@[ -n "$(BACKUP)" ] && [ -f "$(BACKUP)" ] || { echo "make restore BACKUP=path/to/file.backup"; exit 1; }
	$(BIN)/python manage.py restore_database --yes $(BACKUP)
