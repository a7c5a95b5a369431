# Suanpan: `make run` sets up and starts the app; `make test` sets up and runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV_ENV := DEBUG=1
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run serve install frontend messages migrate demo test lint typecheck archcheck test-sqlite test-postgres test-e2e test-fuzz test-e2e-and-fuzz bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: node_modules/.installed

# Compiled catalogues are build output, made from the committed .po files.
messages: install
	$(BIN)/pybabel compile --domain django --directory src/suanpan/locale --statistics

migrate: install frontend messages
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v0
	$(DEV_ENV) $(PY) manage.py createcachetable
	@$(DEV_ENV) $(PY) manage.py admin hint

demo: migrate
	$(DEV_ENV) $(PY) manage.py demo

# The background worker (the daily dunning run) runs beside the server and stops with it.
run: demo
	$(DEV_ENV) $(PY) manage.py receivables schedule
	@echo "Suanpan is starting at http://127.0.0.1:8000 (stop with Ctrl+C)"
	@$(DEV_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Production: the database and static files brought up to date, then gunicorn (`suanpan serve`:
# SUANPAN_BIND, SUANPAN_WORKERS, SUANPAN_THREADS, SUANPAN_TIMEOUT; see docs/operations.md).
# Runs with the environment's settings: DEBUG off unless set.
serve: install frontend messages
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --no-input -v0
	$(BIN)/suanpan serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

archcheck: install frontend
	$(BIN)/lint-imports
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=check-deploy-secret-key-that-is-long-and-random-enough-0123456789 ALLOWED_HOSTS=suanpan.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(DEV_ENV) $(PY) manage.py export_openapi --check docs/openapi.json

test-sqlite: install frontend messages
	$(BIN)/pytest -q -n 2 -m "not e2e and not fuzz"

test-postgres: install frontend messages
	bash .ci/postgres-up
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -q -n 2 -m "not e2e and not fuzz"

test-e2e: install frontend messages
	bash .ci/browser-up
	$(BIN)/pytest -q -m e2e

# Schemathesis against `suanpan serve` on PostgreSQL: no server error, answers as documented.
test-fuzz: install frontend messages
	bash .ci/postgres-up
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -q -n 0 -m fuzz

# The browser and fuzz legs each drive one client most of the time: run side by side they take
# about 4 minutes instead of 6 on two cores. Each keeps its own log; both must pass.
test-e2e-and-fuzz: install frontend messages
	@mkdir -p var
	@$(MAKE) --no-print-directory test-fuzz > var/test-fuzz.log 2>&1 & fuzz=$$!; \
	$(MAKE) --no-print-directory test-e2e; e2e=$$?; \
	wait $$fuzz; fuzz_status=$$?; \
	echo "--- fuzz leg (var/test-fuzz.log) ---"; cat var/test-fuzz.log; \
	exit $$(( e2e != 0 || fuzz_status != 0 ))

test: lint typecheck archcheck test-sqlite test-postgres test-e2e-and-fuzz

bench: install frontend
	bash .ci/postgres-up
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/customers.py $(BENCH_ARGS)
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/ledger.py $(LEDGER_BENCH_ARGS)
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/sales.py $(SALES_BENCH_ARGS)
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/invoicing_match.py $(INVOICING_MATCH_BENCH_ARGS)
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/invoicing.py $(INVOICING_BENCH_ARGS)
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/http_lists.py $${HTTP_BENCH_ARGS:---duration 5}

clean:
	rm -rf $(VENV) node_modules var
