"""R24, reduced: scripts/robustness.py on two golden spaces with a few configurations (`make robustness` runs all)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_reduced_sweep_has_no_crash_and_no_timeout():
    command = [sys.executable, str(ROOT / "scripts" / "robustness.py"), "--configs", "4", "--jobs", "2", "--timeout", "300", "--spaces", "02.json,svm_log_names.json"]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=1200, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    total = next(line for line in completed.stdout.splitlines() if line.startswith("total"))
    calls, crashes, timeouts = (int(v) for v in total.split()[2:5])
    assert calls >= 16
    assert (crashes, timeouts) == (0, 0)
