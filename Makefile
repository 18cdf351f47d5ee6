# Rehabilita — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# The suite runs on every core (pytest-xdist); each worker gets its own SQLite files and PostgreSQL database.
PYTEST_WORKERS ?= auto
export FLASK_APP := app:create_app

.DEFAULT_GOAL := help
.PHONY: help install install-dev translations run serve demo db-upgrade migration extract chromium test lint typecheck \
	pytest bench bench-photos bench-reports load clean backup restore

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed translations ## Create .venv and install the app

install-dev: $(VENV)/.installed-dev translations ## Install the app with test and lint tools

translations: $(VENV)/.installed ## Compile the Spanish and English message catalogs
	@$(BIN)/python -c "from app.core.catalogs import compile_catalogs; compile_catalogs(force=True)"

db-upgrade: install ## Bring the database schema up to date (Alembic)
	$(BIN)/flask db upgrade

demo: db-upgrade ## Load the demo data (idempotent)
	$(BIN)/flask demo

run: demo ## Install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)
	@echo "Rehabilita on http://127.0.0.1:$(PORT)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

serve: db-upgrade ## Serve with gunicorn (production-like), no demo data
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) 'app:create_app()'

migration: install-dev ## Autogenerate a migration from the models: make migration m="what changed"
	$(BIN)/flask db migrate -m "$(m)"

extract: install-dev ## Extract translatable strings and update the catalogs
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

chromium: ## Install Debian's Chromium for the browser tests (when missing and root)
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed: browser tests will skip"; \
	  else echo "chromium missing and not root: browser tests will skip"; fi; fi

lint: install-dev ## ruff check and format check
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests

typecheck: install-dev ## mypy over app/
	$(BIN)/mypy

pytest: install-dev ## Run the pytest suite only
	$(BIN)/pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: install-dev chromium lint typecheck ## Install what tests need, then ruff, mypy and the whole pytest suite
	$(BIN)/pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: install-dev ## Benchmark the dashboard and project page on a synthetic portfolio
	$(BIN)/python -m benchmarks.portfolio

load: install-dev ## Drive gunicorn on PostgreSQL with concurrent clients; check no confirmed write was lost
	$(BIN)/python -m benchmarks.load

bench-photos: install-dev ## Benchmark photo ingest against bare Pillow (time and peak memory)
	$(BIN)/python -m benchmarks.photos

bench-reports: install-dev ## Benchmark a donor report with 40 and 200 photos against bare reportlab
	$(BIN)/python -m benchmarks.reports

backup: install ## Write the database and stored files to one archive: make backup [OUTPUT=path.tar.gz]
	$(BIN)/flask backup $(if $(OUTPUT),--output $(OUTPUT))

restore: install ## Restore an archive into an empty, migrated database: make restore FILE=path.tar.gz [FORCE=1]
	@test -n "$(FILE)" || { echo "make restore FILE=path/to/backup.tar.gz"; exit 1; }
	$(BIN)/flask restore $(FILE) $(if $(FORCE),--force)

clean: ## Remove the virtualenv and caches (keeps instance/ and uploads/)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
