# chuangwei 创卫 — developer commands. `make run` serves the demo city, `make test` runs the suite.
# GNU make. Everything runs from the project's own virtualenv in .venv, created on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV = .venv
PY = $(VENV)/bin/python
PIP = $(VENV)/bin/pip
PORT ?= 8000
PYTEST_ARGS ?=
# The one Celery beat keeps its schedule state here (not in the source tree).
BEAT_SCHEDULE ?= $(VENV)/celerybeat-schedule

# Stamps: an install re-runs only when the files it reads change.
RUNTIME_STAMP = $(VENV)/.installed-runtime
DEV_STAMP = $(VENV)/.installed-dev

.PHONY: help venv install install-dev run test stack bench fuzz lint typecheck migrations-check clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

# --- virtualenv and dependencies -------------------------------------------------------------

$(PY):
	@command -v $(PYTHON) >/dev/null || { \
	  echo "error: '$(PYTHON)' not found. chuangwei needs Python >= 3.11: make PYTHON=python3.12 ..." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "error: chuangwei needs Python >= 3.11, but '$(PYTHON)' is $$($(PYTHON) -V 2>&1)." >&2; \
	  echo "       Install a newer Python or point make at one: make PYTHON=python3.12 ..." >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "error: '$(PYTHON) -m venv' failed; on Debian/Ubuntu run: apt-get install python3-venv" >&2; exit 1; }

# Install progress goes to stderr so that `make bench` keeps stdout pure JSON even when it installs first.
$(RUNTIME_STAMP): requirements.txt | $(PY)
	@echo "$(PIP) install -r requirements.txt" >&2
	@$(PIP) install -q pip==26.3 >&2
	@$(PIP) install -q -r requirements.txt >&2
	@touch $@

# pip >= 25.1 reads PEP 735 [dependency-groups] straight from pyproject.toml.
$(DEV_STAMP): $(RUNTIME_STAMP) pyproject.toml
	@echo "$(PIP) install --group dev" >&2
	@$(PIP) install -q --group dev >&2
	@touch $@

venv: $(PY)  ## Create .venv only
install: $(RUNTIME_STAMP)  ## Install runtime dependencies
install-dev: $(DEV_STAMP)  ## Install runtime + dev dependencies

# --- the two everyday commands ---------------------------------------------------------------

# Embedded default: SQLite file + inline Celery tasks, no services needed. rundev serves it with gunicorn (one
# process of threads, a real listen backlog: a fleet of phones syncing at once) and runs the periodic jobs in it.
run: export DEBUG = true
run: $(RUNTIME_STAMP)  ## Serve the demo city on http://127.0.0.1:$(PORT) (SQLite, DEBUG)
	$(PY) manage.py migrate
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py seed_demo_campaign
	$(PY) manage.py load_problem_categories
	$(PY) manage.py load_check_templates
	$(PY) manage.py seed_demo_tickets --if-empty
	$(PY) manage.py seed_demo_patrols --if-empty
	$(PY) manage.py rundev 127.0.0.1:$(PORT)

# DATABASE_URL / REDIS_URL / E2E_REQUIRED pass through from the environment.
test: $(DEV_STAMP)  ## Run the whole suite (PYTEST_ARGS=... to narrow it)
	DEBUG=true $(VENV)/bin/pytest $(PYTEST_ARGS)

# --- full stack, benchmark, checks -----------------------------------------------------------

# web (gunicorn) + one Celery worker + exactly one beat, against PostgreSQL and Redis.
# DEBUG is taken from the environment: DEBUG=true is fine on your own machine; otherwise set
# SECRET_KEY, ALLOWED_HOSTS and (for plain HTTP) SECURE_SSL_REDIRECT=false etc. as in README.md.
# Ctrl-C stops all three; if one of them dies, the others are stopped too.
stack: $(RUNTIME_STAMP)  ## web + Celery worker + beat against DATABASE_URL/REDIS_URL
	@test -n "$$DATABASE_URL" || { echo "error: make stack needs DATABASE_URL (e.g. postgres://postgres:postgres@127.0.0.1:5432/chuangwei)" >&2; exit 1; }
	@test -n "$$REDIS_URL" || { echo "error: make stack needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)" >&2; exit 1; }
	$(PY) manage.py migrate
	$(PY) manage.py load_standards
	$(PY) manage.py load_problem_categories
	$(PY) manage.py load_check_templates
	$(PY) manage.py collectstatic --noinput -v 0
	@pids=""; trap 'exit 130' INT TERM; trap 'kill $$pids 2>/dev/null; wait' EXIT; \
	$(VENV)/bin/gunicorn chuangwei.wsgi -b 127.0.0.1:$(PORT) -w 2 & pids="$$pids $$!"; \
	$(VENV)/bin/celery -A chuangwei worker -l info & pids="$$pids $$!"; \
	$(VENV)/bin/celery -A chuangwei beat -l info --schedule $(BEAT_SCHEDULE) & pids="$$pids $$!"; \
	echo "stack: web http://127.0.0.1:$(PORT) + worker + beat running; Ctrl-C stops all three."; \
	wait -n

bench: $(RUNTIME_STAMP)  ## Point, ticket, patrol and home pages (200k tickets, 1M patrol results), finding submissions vs /ping/ on PostgreSQL, binder; JSON
	@$(PY) bench/run.py

fuzz: $(DEV_STAMP)  ## schemathesis against a live demo server (DATABASE_URL's server, else SQLite)
	$(PY) .ci/fuzz_api.py

lint: $(DEV_STAMP)  ## ruff check + ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(DEV_STAMP)  ## mypy apps chuangwei
	DEBUG=true $(VENV)/bin/mypy apps chuangwei

migrations-check: $(RUNTIME_STAMP)  ## Fail if models and migrations disagree
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Keeps db.sqlite3 and media/ (your data); removes the virtualenv and generated files.
clean:  ## Remove .venv, collected static files and caches
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
