# Two entry points: `make run` starts the demo, `make test` runs lint, types and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# COMMAND=DEBIAN_PACKAGE pairs the test suite needs on the machine (COMMAND may be a path pattern).
SYSTEM_PACKAGES := chromium=chromium chromedriver=chromium-driver pdftoppm=poppler-utils \
	'/usr/lib/postgresql/*/bin/postgres=postgresql'

.PHONY: run test fuzz bench compiled clean
# The wheel with the verifier compiled by mypyc (hatch_build.py), unpacked where PYTHONPATH can take it.
# (the wheel holds the whole package: any change under src/ builds it again)
COMPILED := $(CURDIR)/build/compiled
COMPILED_SOURCES := hatch_build.py pyproject.toml $(shell find src -type f -not -path '*/__pycache__/*')

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sce serve --demo

$(COMPILED)/.built: $(STAMP) $(COMPILED_SOURCES)
	./scripts/ensure-system-packages gcc=gcc
	rm -rf build/wheels $(COMPILED)
	SCE_COMPILE=1 $(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation -w build/wheels .
	$(BIN)/python -m zipfile -e build/wheels/sce-*.whl $(COMPILED)
	touch $@

compiled: $(COMPILED)/.built

test: $(STAMP) $(COMPILED)/.built
	./scripts/ensure-system-packages $(SYSTEM_PACKAGES)
	$(BIN)/ruff check src tests bench hatch_build.py
	$(BIN)/ruff format --check src tests bench hatch_build.py
	$(BIN)/mypy
	$(BIN)/mypy --strict hatch_build.py
	$(BIN)/python -m pytest -q
	# the verifier's tests again, on the compiled build
	SCE_EXPECT_COMPILED=1 PYTHONPATH=$(COMPILED) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/verifier tests/audit tests/bench/test_verify_journal_bench.py

# Fuzzing campaign: the fuzzers with FUZZ_SCALE times their examples under coverage (report of the fuzzed
# readers), then every property test; all with fresh random examples (make test repeats the same ones).
FUZZ_SCALE ?= 20
FUZZED := */sce/journal/codec.py,*/sce/eservice/delivery_xml.py,*/sce/fiscal/v2/emulator.py,*/sce/fiscal/v2/schema.py,*/sce/fiscal/v2/validation.py,*/sce/fiscal/v2/fdm.py,*/sce/fiscal/v2/vat.py,*/sce/fiscal/v2/identifiers.py,*/sce/fiscal/v2/messages.py,*/sce/fiscal/v2/store.py,*/sce/fiscal/v2/signing.py
fuzz: $(STAMP)
	SCE_HYPOTHESIS_PROFILE=explore SCE_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/coverage run --branch \
		--data-file=.coverage.fuzz --include='$(FUZZED)' -m pytest -q -s -p no:cacheprovider tests/scale/test_fuzz.py
	$(BIN)/coverage report --data-file=.coverage.fuzz --show-missing --skip-covered
	SCE_HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -q \
		$(shell grep -rl --include='*.py' 'from hypothesis import' tests | grep -v -e test_fuzz.py -e conftest.py)

# the journal verifier is measured as the compiled wheel runs it
bench: $(STAMP) $(COMPILED)/.built
	PYTHONPATH=$(COMPILED) $(BIN)/python bench/run.py --bench-dir bench

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis .coverage.fuzz
