# Two entry points: `make run` starts the demo, `make test` runs lint, types and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# COMMAND=DEBIAN_PACKAGE pairs the test suite needs on the machine (COMMAND may be a path pattern).
SYSTEM_PACKAGES := chromium=chromium chromedriver=chromium-driver pdftoppm=poppler-utils \
	'/usr/lib/postgresql/*/bin/postgres=postgresql'

.PHONY: run test fuzz bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sce serve --demo

test: $(STAMP)
	./scripts/ensure-system-packages $(SYSTEM_PACKAGES)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# The property and fuzz tests with fresh random examples (make test repeats the same ones).
fuzz: $(STAMP)
	SCE_HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -q $(shell grep -rl --include='*.py' 'from hypothesis import' tests)

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
