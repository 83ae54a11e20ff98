# eISO: make demo · make test · make bench · make lint · make messages
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: demo test bench lint messages system-deps clean

$(BIN)/python:
	@PY=$$(scripts/find-python) && echo "Creating $(VENV) with $$PY" && "$$PY" -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

## demo: install, migrate the SQLite database under var/, load the demo province, serve it
demo: $(VENV)/.installed
	$(BIN)/eiso migrate --no-input
	EISO_HTTPS=0 EMAIL_URL=consolemail:// $(BIN)/eiso demo --port $(PORT)

## system-deps: what the tests need from the system (Chromium for the browser tests)
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Chromium for the browser tests (apt-get)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	fi
	@command -v chromium >/dev/null || { echo "Chromium is required for the browser tests and could not be installed." >&2; exit 1; }

## test: the linters (make lint), then the whole suite on SQLite, then again on PostgreSQL when one is reachable
test: $(VENV)/.installed-dev system-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	@ran="";                                                                                   \
	echo "=== pytest on SQLite ===";                                                           \
	env -u DATABASE_URL $(BIN)/pytest -q || exit $$?; ran="SQLite";                            \
	url="$${DATABASE_URL:-}";                                                                  \
	if [ -z "$$url" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then url="$(PG_URL)"; fi; \
	case "$$url" in postgres*)                                                                 \
	  echo "=== pytest on PostgreSQL ($${url%%\?*}) ===";                                      \
	  DATABASE_URL="$$url" $(BIN)/pytest -q || exit $$?; ran="$$ran and PostgreSQL";;          \
	  *) if [ -n "$${CI:-}" ]; then echo "CI: PostgreSQL must be reachable (set DATABASE_URL=postgres://...)." >&2; exit 1; fi; \
	     echo "PostgreSQL not reachable (set DATABASE_URL=postgres://...): skipped the PostgreSQL run.";; \
	esac;                                                                                      \
	echo "Tests passed on: $$ran"

## bench: benchmarks in bench/ (prints figures; never fails on a number)
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

## lint: ruff, then the import contracts of pyproject.toml (apps import only earlier layers, no cycles)
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## messages: refresh the gettext catalogues (needs GNU gettext) and compile them
messages: $(VENV)/.installed-dev
	$(BIN)/eiso makemessages -l vi -l en --no-obsolete --ignore ".venv/*" --ignore "var/*" --ignore "bench/*" \
	  --ignore "*/tests/*" --ignore "tests/*" --ignore "eiso/static/vendor/*" --ignore "conftest.py"
	$(BIN)/eiso compilemessages --ignore ".venv/*"

## clean: the virtualenv and caches (var/, with the database, files and secret key, is kept)
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
