# trainfn-gen developer tasks. PYTHON is the project's virtual environment.
PYTHON ?= .venv/bin/python

.PHONY: demo test install-run install-test golden golden-check lint wheelhouse corpus-report robustness audit-goldens fuzz bench

.venv/bin/python:
	python3 -m venv .venv
	$(PYTHON) -m pip install -q --upgrade pip

install-run: .venv/bin/python
	$(PYTHON) -m pip install -q -e '.[run]'

install-test: .venv/bin/python
	$(PYTHON) -m pip install -q -e '.[test,run]'

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

# Air-gapped clusters: the project's wheel and the wheels of everything it needs to generate (no
# extras), plus setuptools and wheel so that pre-commit can build the hook offline from the folder.
WHEELHOUSE ?= wheelhouse
wheelhouse: $(PYTHON)
	$(PYTHON) -m pip wheel -q . "setuptools>=69" wheel -w $(WHEELHOUSE)
	@ls $(WHEELHOUSE)

# Issue 4: every corpus space with default flags, generated and run or refused; writes CORPUS.md.
corpus-report:
	$(PYTHON) scripts/corpus_report.py --output CORPUS.md

# Issue 8: R24 sweep of every golden space (each call in its own process, branch coverage of the generated code).
robustness:
	$(PYTHON) scripts/robustness.py

# Issue 18: `trainfn-gen audit` on every golden file (one case per space); exit 1 on any finding.
audit-goldens:
	$(PYTHON) scripts/audit_goldens.py

# Issue 8: the larger hypothesis profile of tests/test_fuzz.py (`make test` runs its "ci" profile).
fuzz:
	HYPOTHESIS_PROFILE=fuzz $(PYTHON) -m pytest -q -m fuzz tests/test_fuzz.py

# Issue 8: speed and memory ratios, written to BENCHMARKS.md (never asserted in tests).
bench:
	$(PYTHON) scripts/bench.py
	$(PYTHON) scripts/bench_torch.py
