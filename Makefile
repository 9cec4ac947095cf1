# trainfn-gen developer tasks. PYTHON is the project's virtual environment.
PYTHON ?= .venv/bin/python

.PHONY: demo test install-run install-test golden golden-check lint bench

.venv/bin/python:
	python3 -m venv .venv
	$(PYTHON) -m pip install -q --upgrade pip

install-run: .venv/bin/python
	$(PYTHON) -m pip install -q -e '.[run]'

install-test: .venv/bin/python
	$(PYTHON) -m pip install -q -e '.[test]'

# README command 1: install, generate from the bundled example space, run a few configurations on digits.
demo: install-run
	$(PYTHON) -m trainfn_gen demo

# README command 2 (and .ci/run): install the test extras (torch and tensorflow run the generated
# networks) and run every test.
test: install-test
	$(PYTHON) -m pip install -q -e '.[test,torch,tensorflow]'
	$(PYTHON) -m pytest -q

golden:
	$(PYTHON) scripts/golden.py write

golden-check:
	$(PYTHON) scripts/golden.py check

lint:
	$(PYTHON) -m ruff check generator tests scripts
	$(PYTHON) -m ruff check --isolated --select F golden

# R23 benchmarks (more will join): the generated PyTorch loop against a hand-written one.
bench:
	$(PYTHON) scripts/bench_torch.py
