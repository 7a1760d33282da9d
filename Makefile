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

# The laptop demo gets its own random key, made once and kept in var/ (without DEBUG the server
# refuses the built-in demo key). gunicorn writes no access log: a vote's path and time stay
# out of every log (docs/api.md, docs/operator.md "Bảo mật").
SECRET_FILE := var/secret_key
KEY := SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_FILE))}"

$(SECRET_FILE):
	mkdir -p var
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: $(STAMP) $(SECRET_FILE)
	$(KEY) $(VENV)/bin/kiemdiem migrate --noinput
	$(KEY) $(VENV)/bin/kiemdiem demo --if-empty
	$(KEY) $(VENV)/bin/kiemdiem demo-year --if-needed
	$(KEY) $(VENV)/bin/kiemdiem demo --logins
	$(KEY) $(VENV)/bin/gunicorn kiemdiem.config.wsgi --bind 127.0.0.1:8000 \
	  --worker-class gthread --workers 2 --threads 8 --log-level warning

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
