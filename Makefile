# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export DJANGO_SETTINGS_MODULE := kiemdiem.config.settings

.PHONY: run test lint bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

run: $(STAMP)
	$(VENV)/bin/kiemdiem migrate --noinput
	$(VENV)/bin/kiemdiem demo --if-empty
	$(VENV)/bin/kiemdiem demo-year --if-needed
	$(VENV)/bin/kiemdiem demo --logins
	$(VENV)/bin/kiemdiem runserver 127.0.0.1:8000

test: $(TEST_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy kiemdiem

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3
