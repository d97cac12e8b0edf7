# Front door of the project (DESIGN.md §5). Only python3 and make are assumed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export HYPOTHESIS_PROFILE ?= ci
export NO_MKDOCS_2_WARNING := 1

.PHONY: test-floors test-newer-pythons demo test lint typecheck pytest docs docs-serve bench clean install-test install-docs install-bench bench-scorecardpy-env fuzz-explore mutation mutation-listed mutation-all

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,docs,dask]'

install-bench: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'

demo: install
	$(BIN)/python examples/tour.py

lint: install-test
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples

typecheck: install-test
	$(BIN)/mypy

pytest: install-test
	$(BIN)/pytest

docs: install-test
	$(BIN)/mkdocs build --strict --site-dir site

docs-serve: install-test
	$(BIN)/mkdocs serve

test: lint typecheck pytest docs

bench: install-bench bench-scorecardpy-env
	$(BIN)/python benchmarks/run.py

# scorecardpy breaks on pandas 3, so the scoring benchmark runs it from its own venv
# (benchmarks/bench_scoring.py prints why it was skipped when this venv is absent).
# A failed install does not stop `make bench`: the scoring benchmark reports the skip.
SCORECARDPY_VENV := .venv-scorecardpy

$(SCORECARDPY_VENV)/bin/scorecardpy-ready:
	$(PYTHON) -m venv $(SCORECARDPY_VENV)
	$(SCORECARDPY_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SCORECARDPY_VENV)/bin/python -m pip install --quiet scorecardpy 'pandas<3' \
		&& touch $@ || echo "scorecardpy could not be installed; its figures will be skipped"

bench-scorecardpy-env: $(SCORECARDPY_VENV)/bin/scorecardpy-ready

# The API fuzz tests with fresh random seeds (CI runs them from a fixed seed).
# SEEDS=n sets how many runs; a failure prints its seed and a reproduce_failure blob.
SEEDS ?= 10
fuzz-explore: install-test
	@for i in $$(seq $(SEEDS)); do \
		HYPOTHESIS_PROFILE=dev $(BIN)/pytest -q -p no:cacheprovider tests/test_fuzz*.py \
			|| exit 1; \
	done

# Mutation testing (#23), not part of `make test`: a module is mutated by mutmut and run
# against the tests tests/mutation/modules.toml maps it to (a module not listed there runs
# against all of tests/: correct, slow), one module at a time, under nice and the
# fixed-seed Hypothesis profile; prints mutants, killed, survived and score per module.
# The whole library is about 74,000 mutants, 1-4 s each on this 2-core machine: one to
# three days, so no single run covers it (docs/how-to/run-mutation-tests.md).
#   make mutation        bounded (about an hour): the modules whose source or mapped
#                        tests differ from MUTATION_BASE, plus today's slice of the
#                        library (1 of MUTATION_SLICES, rotating by day), starting no
#                        module after MUTATION_BUDGET seconds; the table says what share
#                        of the library it ran. MODULES=lendcrm/_money.py runs just those.
#   make mutation-listed the modules listed in modules.toml (those with a kept score)
#   make mutation-all    every module of src/lendcrm (days; for a dedicated machine)
# JOBS sets mutmut's workers.
MUTATION_VENV := .venv-mut
MODULES ?=
JOBS ?= 2
MUTATION_BASE ?= main
MUTATION_SLICES ?= 40
MUTATION_BUDGET ?= 2700
MUTMUT_RUN = $(MUTATION_VENV)/bin/python tests/mutation/run_mutmut.py --jobs $(JOBS)
$(MUTATION_VENV)/bin/mutmut:
	$(PYTHON) -m venv $(MUTATION_VENV)
	$(MUTATION_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MUTATION_VENV)/bin/python -m pip install --quiet -e '.[test,mutation]'

mutation: $(MUTATION_VENV)/bin/mutmut
	$(MUTMUT_RUN) $(if $(MODULES),$(MODULES),--changed-since $(MUTATION_BASE) \
		--slice auto/$(MUTATION_SLICES) --budget $(MUTATION_BUDGET))

mutation-listed: $(MUTATION_VENV)/bin/mutmut
	$(MUTMUT_RUN)

mutation-all: $(MUTATION_VENV)/bin/mutmut
	$(MUTMUT_RUN) --all

# The lowest supported versions (pyproject's floors), each pinned, in a venv of their
# own with only the test runner: the whole suite passes there too, and the tests and
# doctests that need an extra (scikit-learn, matplotlib, dask, mkdocs) skip cleanly
# (see conftest.py). .ci/run runs it after `make test` (#16).
FLOORS_VENV := .venv-floors
# No pyarrow here: pandas then holds text in Python storage, the path a bank without
# pyarrow takes (the main venv has pyarrow, so both storages are tested).
FLOORS := 'attrs==24.2.0' 'cattrs==24.1.0' 'numpy==2.2.0' 'pandas==3.1.0' 'scipy==1.13.1'

$(FLOORS_VENV)/bin/floors-ready: pyproject.toml
	$(PYTHON) -m venv $(FLOORS_VENV)
	$(FLOORS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FLOORS_VENV)/bin/python -m pip install --quiet -e . $(FLOORS) \
		'pytest>=8.0' 'hypothesis>=6.100'
	touch $@

test-floors: $(FLOORS_VENV)/bin/floors-ready
	$(FLOORS_VENV)/bin/python -m pip check
	$(FLOORS_VENV)/bin/pytest -q -p no:cacheprovider

# The suite on the newer Pythons the classifiers name, where the machine has them
# (python3.1x on PATH or pyenv's, whichever runs), each in its own venv with the newest releases the
# package index gives: a numpy or pandas release that breaks lendcrm shows here first,
# as the floors job shows the oldest. A Python the machine lacks is named as not tested.
NEWER_PYTHONS ?= 3.12 3.13
test-newer-pythons: $(addprefix test-python,$(NEWER_PYTHONS))

test-python%:
	@py=; for c in $$(command -v python$*) $$(ls -d $$HOME/.pyenv/versions/$*.*/bin/python 2>/dev/null); do \
		if $$c -c 'import venv' >/dev/null 2>&1; then py=$$c; fi; \
	done; \
	if [ -z "$$py" ]; then echo "Python $*: not on this machine, not tested"; exit 0; fi; \
	venv=.venv-py$*; \
	if [ ! -x $$venv/bin/pytest ]; then \
		$$py -m venv $$venv && $$venv/bin/python -m pip install --quiet --upgrade pip \
		&& $$venv/bin/python -m pip install --quiet -e '.[test,dask]' || exit 1; \
	fi; \
	$$venv/bin/python -c 'import sys, numpy, pandas, scipy; print("Python", sys.version.split()[0], "numpy", numpy.__version__, "pandas", pandas.__version__, "scipy", scipy.__version__)'; \
	$$venv/bin/pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) $(FLOORS_VENV) .venv-py3.12 .venv-py3.13 $(MUTATION_VENV) .mutation site .mypy_cache .ruff_cache .pytest_cache .hypothesis
