# Two entry points: `make run` (demo app on SQLite) and `make test` (the whole check suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What running needs (badge images and PDFs); the tests add a browser, poppler and
# Node.js (>= 20.19, with npm) for the identity providers the SSO tests start.
RUN_PACKAGES := fonts-dejavu-core libharfbuzz-subset0
APT_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils nodejs
export DJANGO_SETTINGS_MODULE := config.settings
# Where `make run` serves.
PORT ?= 8000

.PHONY: run run-deps test lint install node-deps system-deps demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The stamp is rebuilt whenever a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# The Node.js peers the tests run (identity providers for campus sign-in, Digital
# Bazaar's verifier of signed credentials), reinstalled from the lock file whenever
# it changes.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || $(MAKE) system-deps APT_PACKAGES="nodejs npm"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: node_modules/.package-lock.json

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py load_demo

run-deps:
	$(MAKE) system-deps APT_PACKAGES="$(RUN_PACKAGES)"

run: run-deps demo
	DEBUG=true $(BIN)/python manage.py collectstatic --noinput -v 0
	@echo "Serving on http://127.0.0.1:$(PORT) with a task worker  (Ctrl-C stops both)"
	@# The worker sends the emails and issues CSV awards in the background; it stops
	@# with the web server, however that ends.
	@DEBUG=true $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DEBUG=true $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 \
		--access-logfile -

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: system-deps install node-deps lint
	DEBUG=true $(BIN)/python manage.py check
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	SECRET_KEY=$${SECRET_KEY:-make-test-only-key} \
		SITE_URL=$${SITE_URL:-http://127.0.0.1:8000} $(BIN)/pytest

# Load test on the local PostgreSQL (BENCH_POSTGRES); needs Debian's hey (and valgrind
# for bench/instructions.py).
bench: install
	$(MAKE) system-deps APT_PACKAGES="hey valgrind"
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 test-artifacts
