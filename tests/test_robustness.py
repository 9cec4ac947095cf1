"""R24: the full sweep (scripts/robustness.py, `make robustness`) is part of `make test`.

Every golden space (one case each), at least 50 configurations, each call in its own forked process with a time
limit: 0 crashes and 0 timeouts. The sweep's own machinery is tested too: a train() that crashes, returns a
non-finite loss or hangs is counted as such, so the full-sweep test can fail.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import coverage
import pytest
from harness import golden_cases

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = 50


def _robustness():
    spec = importlib.util.spec_from_file_location("robustness_script", ROOT / "scripts" / "robustness.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FAULTY = '''
import math, time


def train(cfg, dataset, seed, budget=None, model_dir=None):
    if cfg.get("mode") == "crash":
        raise ValueError("boom")
    if cfg.get("mode") == "nan":
        return math.nan
    if cfg.get("mode") == "hang":
        time.sleep(60)
    return -1.0 if seed % 2 else -0.5
'''


def test_the_sweep_counts_crashes_non_finite_losses_and_timeouts(tmp_path):
    robustness = _robustness()
    file = tmp_path / "train_faulty.py"
    file.write_text(FAULTY)
    call = {"file": str(file), "numpy": False, "data": "iris", "pandas": False, "given_test": False, "budget": "none", "model_dir": ""}
    modes = ["ok", "crash", "nan", "hang", "ok"]
    calls = [{**call, "config": {"mode": mode}, "seed": index} for index, mode in enumerate(modes)]
    cov = coverage.Coverage(data_file=None, branch=True, include=[os.path.realpath(file)])
    outcomes, arcs = robustness.run_all(calls, cov, jobs=2, timeout=3.0)
    assert outcomes == ["ok", "crash", "crash", "timeout", "ok"]
    reached, branches, unreached = robustness.branch_report(file, arcs)
    # Three ifs: the crash and nan calls' arcs count; the killed call sends none, so `if hang` -> sleep is unreached.
    assert (reached, branches) == (5, 6)
    assert unreached == ["train_faulty.py:10->11"]


@pytest.mark.slow
def test_full_sweep_of_every_golden_space_has_no_crash_and_no_timeout():
    """`make robustness` itself: every golden space, >= 50 configurations each, 0 crashes, 0 timeouts."""
    command = [sys.executable, str(ROOT / "scripts" / "robustness.py"), "--configs", str(CONFIGS), "--timeout", "120"]
    jobs = os.environ.get("TRAINFN_SWEEP_JOBS")
    if jobs:
        command += ["--jobs", jobs]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    print(completed.stdout)  # the sweep's table (seen with -s or on failure)
    lines = completed.stdout.splitlines()
    assert lines and lines[0].split()[:3] == ["space", "case", "configs"], completed.stdout + completed.stderr[-5000:]
    total = next(line for line in lines if line.startswith("total"))
    rows = {line.split()[0]: line.split() for line in lines[1 : lines.index(total)]}
    assert set(rows) == {case["space"] for case in golden_cases()}
    assert all(int(row[2]) >= CONFIGS for row in rows.values()), rows
    configs, calls, crashes, timeouts = (int(v) for v in total.split()[2:6])
    assert configs >= CONFIGS * len(rows) and calls >= configs
    assert (crashes, timeouts) == (0, 0), completed.stdout + completed.stderr[-5000:]
    assert completed.returncode == 0
