# SalesRamp: `make run` sets everything up and serves the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app app

.PHONY: run setup test lint bench clean

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

run: setup
	@echo "SalesRamp at http://127.0.0.1:$(PORT)  (demo logins: see README.md, password 'demo')"
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - 'app:create_app()'

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

clean:
	rm -rf $(VENV) instance .pytest_cache
