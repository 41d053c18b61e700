# Antre — two commands: `make run` (server on the embedded default) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run demo test test-unit screenshots bench lint install assets system-deps services clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Browser assets from npm (lockfile; no CDN) into server/web/static/vendor.
assets:
	bash scripts/build-assets.sh

## Start the server with the sample Samarinda site (SQLite in var/, one process).
run: install assets
	$(PY) -m server run

## The sample site open now with simulated visitors and clerks, in var/demo.db (wiped at every start).
demo: install assets
	$(PY) -m server run --demo

## Debian packages the tests use (Redis, PostgreSQL, Chromium); installed when missing and we are root.
system-deps:
	bash scripts/system-deps.sh

## Start Redis (port 6390) and PostgreSQL for the tests when they are not running.
services: system-deps
	bash scripts/ensure-services.sh

test: install assets services
	$(PY) -m pytest

test-unit: install
	$(PY) -m pytest tests/unit

## Every picture in docs/screenshots, drawn again from the sample config.toml on one open Wednesday (tests/site_day.py):
## the tests marked `screenshots`, then a check that no picture was left from an earlier run. Rerun after changing a screen.
screenshots: install assets services
	since=$$(date +%s) && ANTRE_UPDATE_SCREENSHOTS=1 $(PY) -m pytest -m screenshots -p no:cacheprovider && \
	  ANTRE_SCREENSHOTS_SINCE=$$since $(PY) -m pytest -p no:cacheprovider tests/unit/test_screenshots.py

bench: install services
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check server kiosk display counter hardware tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
