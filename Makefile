# SalesRamp: `make run` sets everything up and serves the app (gunicorn and the job worker);
# `make test` runs the whole suite (no worker needed: the tests run each job as it is queued).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app app

.PHONY: run setup test lint bench loadtest clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) curriculum load
	$(FLASK) demo --if-empty

# The job worker (exports, sealing) runs beside gunicorn; when gunicorn stops (Ctrl-C), the
# trap stops the worker too, so one command starts and stops both. app/serving.py holds
# gunicorn's hooks (each worker's memory settled once the app is loaded).
run: setup
	@echo "SalesRamp at http://127.0.0.1:$(PORT)  (demo logins: see README.md, password 'demo')"
	@$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - \
		-c python:app.serving 'app:create_app()'

# Both cores: pytest-xdist runs one worker per CPU (each with its own database).
test: $(VENV)/.installed
	$(BIN)/pytest -n auto

lint: $(VENV)/.installed
	$(BIN)/ruff check app tests benchmarks
	$(BIN)/ruff format --check app tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

# Locust against 127.0.0.1 only: SQLite and PostgreSQL, 2 and 4 gunicorn workers, 50 users,
# 60 s each; prints the figures and writes them to instance/loadtest/results.md.
loadtest: $(VENV)/.installed
	$(BIN)/python -m benchmarks.loadtest

clean:
	rm -rf $(VENV) instance .pytest_cache
