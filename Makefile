# lamtheo — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
# The local PostgreSQL used for the second test run (trust auth); override with PG_TEST_URL.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run test test-sqlite test-postgres install install-test deps-system messages lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.8

install: $(BIN)/python
	$(UV) pip install --quiet --python $(BIN)/python -e .

install-test: $(BIN)/python
	$(UV) pip install --quiet --python $(BIN)/python -e '.[test]'

## make run: set up everything, load the demo organization into SQLite (first time), serve on :8000
run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop); background jobs run in a db_worker beside it"
	$(BIN)/python manage.py db_worker --no-reload -v0 & WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 \
		--access-logfile - --env DJANGO_SETTINGS_MODULE=config.settings.dev

# System packages the tests need: Debian's chromium (browser tests), gettext (translation checks),
# pango/harfbuzz + DejaVu fonts for WeasyPrint (the PDF forms), and LibreOffice Writer without its GUI
# (the .docx forms are converted to PDF to check their page layout).
deps-system:
	@if [ ! -x /usr/bin/chromium ] || ! command -v msgfmt >/dev/null || ! ldconfig -p | grep -q libharfbuzz-subset || ! command -v soffice >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libreoffice-writer-nogui >/dev/null; \
	  else echo "NOTE: chromium/gettext/soffice missing and not root: browser, translation or document-layout tests will say they were skipped"; fi; \
	fi

## make test: install what tests need and run the whole suite on SQLite, then on PostgreSQL when reachable
test: install-test deps-system
	$(BIN)/python manage.py compilemessages -v0 --ignore '.venv/*'
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$LAMTHEO_REQUIRE_POSTGRES" ] || $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	else echo "SKIPPED: PostgreSQL run — no server at $(PG_TEST_URL) (set DATABASE_URL or start PostgreSQL)"; fi

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest

test-postgres:
	@echo "== test suite on PostgreSQL =="
	DATABASE_URL=$${DATABASE_URL:-$(PG_TEST_URL)} $(BIN)/python -m pytest -m "not browser"

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

messages: install-test
	$(BIN)/python manage.py makemessages -l vi --no-obsolete --add-location file -i '.venv/*' -i 'staticfiles/*'
	$(BIN)/python manage.py compilemessages -v0 --ignore '.venv/*'

bench: $(BIN)/python
	$(UV) pip install --quiet --python $(BIN)/python -e '.[test,bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var staticfiles
