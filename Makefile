# Two entry points: `make demo` (the whole flow against the embedded fake server)
# and `make test` (everything CI checks). Both bootstrap .venv from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# The suite starts a few hundred interpreters and rewrites every test module's asserts: with
# bytecode caching switched off (some images set this), each of them recompiles from source,
# which made `make test` ~20% slower. The caches land in __pycache__/, ignored by git.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test lint typecheck check-generated generate bench soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dialog360 demo

# Three workers on two cores: a fifth of the suite's wall time is tests waiting (timeouts, real
# Retry-After waits, subprocesses); a third worker fills it. Measured: 61 s with -n 2, 57 s with 3.
test: $(STAMP) check-generated lint typecheck
	$(BIN)/pytest -q -n 3

check-generated: $(STAMP)
	$(BIN)/python scripts/generate.py --check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

generate: $(STAMP)
	$(BIN)/python scripts/generate.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

soak: $(STAMP)
	$(BIN)/python scripts/soak.py

clean:
	rm -rf $(VENV) build dist
