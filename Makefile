# Opora: `make demo` runs the demo, `make test` runs every check. Both set up everything first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SEED ?= 1
# pytest workers (pytest-xdist); each worker has its own test database. `make test PYTEST_WORKERS=0` runs serially.
PYTEST_WORKERS ?= 2

.PHONY: demo test lint bench install install-dev clean migrations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

.env:
	sed "s/^DJANGO_SECRET_KEY=.*/DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))')/; s/^OPORA_PSEUDONYM_SECRET=.*/OPORA_PSEUDONYM_SECRET=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(32))')/" .env.example > .env

demo: $(VENV)/.installed .env
	$(BIN)/opora demo --seed $(SEED) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	DJANGO_SECRET_KEY=x $(BIN)/opora makemigrations --check --dry-run

test: lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

migrations: $(VENV)/.installed-dev
	DJANGO_SECRET_KEY=x $(BIN)/opora makemigrations

clean:
	rm -rf $(VENV) var/*.sqlite3
