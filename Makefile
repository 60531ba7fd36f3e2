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

.PHONY: demo test pytest lint typecheck check-generated generate bench soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dialog360 demo

# The checks and the tests run side by side (each one's output is printed whole when it ends),
# and pytest uses three workers on two cores: part of the suite's time is tests waiting
# (timeouts, real Retry-After waits, subprocesses), which the third worker and the checks fill.
# worksteal: xdist's default hands each worker its share up front, and one worker was left
# running its queue of slow tests alone for the last 15 s; idle workers now take over tests.
test: $(STAMP)
	@$(MAKE) --no-print-directory -j4 --output-sync=target check-generated lint typecheck pytest

pytest: $(STAMP)
	$(BIN)/pytest -q -n 3 --dist worksteal

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
