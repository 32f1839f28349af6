# Child First: `make run` sets everything up and serves the app; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CF := $(BIN)/childfirst
CSS := childfirst/web/static/web/build/childfirst.css

.PHONY: run test setup lint format clean

run: setup
	$(CF) migrate --noinput
	$(CF) collectstatic --noinput --verbosity 0
	$(CF) demo --if-empty --incidents 400
	$(CF) serve

test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed $(CSS)

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

$(CSS): node_modules/.installed $(wildcard childfirst/web/scss/*.scss)
	npm run --silent build:css

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .


clean:
	rm -rf $(VENV) node_modules staticfiles $(CSS)
