# Two commands for a new machine: `make run` (the app on SQLite with the source meeting's data)
# and `make test` (the whole suite). Both install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Every dependency, pinned with its hashes (runtime + test tools, Python 3.11 on Linux):
# `make lock` refreshes it from pyproject.toml's ranges (see the README).
LOCK := requirements.lock

.PHONY: run test lint format install lock lock-upgrade clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Only what the lock names, each file checked against its hash; then the project itself,
# built with the locked setuptools (no unpinned build environment fetched).
$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "→ http://$(HOST)/  editor / seiyo-editor-2022（編集者）  viewer / seiyo-viewer-2022（閲覧者）"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=seiyo_dx.settings_test
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

# The lock from pyproject.toml (dependencies + the test extra) and the build backend.
# `make lock` keeps today's pins where the ranges still allow them (after editing pyproject.toml);
# `make lock-upgrade` moves every package to its newest allowed release.
UV_COMPILE = printf 'setuptools>=68\n' | $(BIN)/uv pip compile pyproject.toml - --extra test \
	--generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	--quiet -o $(LOCK)

$(BIN)/uv: | $(BIN)/python
	$(BIN)/pip install --quiet "uv>=0.9,<1"

lock: | $(BIN)/uv
	$(UV_COMPILE)

lock-upgrade: | $(BIN)/uv
	$(UV_COMPILE) --upgrade

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
