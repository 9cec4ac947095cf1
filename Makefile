# trainfn-gen developer tasks. PYTHON is the project's virtual environment.
PYTHON ?= .venv/bin/python

.PHONY: demo test install-run install-test golden golden-check estimators lint wheelhouse corpus-report wild-report robustness audit-goldens effect-gate fuzz data-forms bench gpu-check audit-truth

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

# Issue 13: rewrite generator/knowledge/estimator_data.py from the installed scikit-learn, XGBoost and LightGBM.
estimators:
	$(PYTHON) scripts/estimators.py

lint:
	$(PYTHON) -m ruff check generator tests scripts
	$(PYTHON) -m ruff check --isolated --select F golden

# Air-gapped clusters: the project's wheel and the wheels of everything it needs to generate (no
# extras), plus setuptools and wheel so that pre-commit can build the hook offline from the folder.
WHEELHOUSE ?= wheelhouse
wheelhouse: $(PYTHON)
	$(PYTHON) -m pip wheel -q . "setuptools>=77" wheel -w $(WHEELHOUSE)
	@ls $(WHEELHOUSE)

# Issue 4: every corpus space with default flags, generated and run or refused; writes CORPUS.md.
corpus-report:
	$(PYTHON) scripts/corpus_report.py --output CORPUS.md

# Issue 13: every real space of ../shared/wild, generated and run or refused, against its README's expectation; writes WILD.md.
wild-report:
	$(PYTHON) scripts/corpus_report.py --wild --output WILD.md

# Issue 8: R24 sweep of every golden space (each call in its own process, branch coverage of the generated code).
robustness:
	$(PYTHON) scripts/robustness.py

# Issue 18: `trainfn-gen audit` on every golden file (one case per space); exit 1 on any finding.
audit-goldens:
	$(PYTHON) scripts/audit_goldens.py

# Issue 22: every hyperparameter stated used of every generated scikit-learn / XGBoost / LightGBM file (goldens,
# corpus, wild) must change the fitted model's predictions on probe rows; prints a table per space, exit 1 on an
# inert one (`make test` runs a sample of it: tests/test_effect_gate.py).
effect-gate:
	$(PYTHON) scripts/effect_gate.py

# Issue 8: the larger hypothesis profile of tests/test_fuzz.py (`make test` runs its "ci" profile).
fuzz:
	HYPOTHESIS_PROFILE=fuzz $(PYTHON) -m pytest -q -m fuzz tests/test_fuzz.py

# Issue 27: the larger hypothesis profile of tests/test_data_forms.py (60 data forms per family; `make test` runs 4).
data-forms:
	HYPOTHESIS_PROFILE=data-forms $(PYTHON) -m pytest -q tests/test_data_forms.py -k every_form

# Issue 8: speed and memory ratios, written to BENCHMARKS.md (never asserted in tests); issue 14: the
# multi-fidelity cost table and train()'s fixed cost per call; issue 16: run --workers 2 vs 1; issue 17: folds as SMAC instances vs plain CV, and how well
# holdout, 3-fold and 5-fold rank configurations against 10x repeated 5-fold, and their cost (about 20 CPU-minutes
# in two processes; 42 minutes on a shared 2-core machine).
# Rows that need ../shared (the corpus) or torch are skipped with a line saying so.
bench:
	$(PYTHON) scripts/bench.py
	@if $(PYTHON) -c "import torch" 2>/dev/null; then $(PYTHON) scripts/bench_torch.py; \
	else echo "bench_torch: skipped: torch is not installed (pip install -e '.[torch]')"; fi
	$(PYTHON) scripts/bench_fidelity.py
	$(PYTHON) scripts/bench_workers.py
	$(PYTHON) scripts/bench_cv_instances.py
	$(PYTHON) scripts/bench_cv.py

# Issue 14: on a machine with one CUDA GPU (under 5 minutes): every PyTorch golden's train() on the GPU
# (finite loss, model saved, caller's generators restored), the torch benchmark at batch 32 and 512, and
# the GPU section of BENCHMARKS.md. Without CUDA: one line, exit 0, BENCHMARKS.md unchanged.
gpu-check:
	$(PYTHON) scripts/gpu_check.py

# Issue 25: check + audit on each LLM-written train() of ../shared/llm_written, scored against the ground truth of
# tests/data/llm_written_faults.json (found by audit, by check, missed, false alarms, audit wall time).
audit-truth:
	$(PYTHON) scripts/audit_truth.py
