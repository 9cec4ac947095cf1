"""Shared by the offline tests: one wheelhouse per test process, built by `make wheelhouse`."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@cache
def wheelhouse() -> Path:
    """`make wheelhouse` into a temporary folder (built once per test process, removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="trainfn-gen-wheelhouse-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    command = ["make", "-s", "wheelhouse", f"PYTHON={sys.executable}", f"WHEELHOUSE={folder}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def offline_env(**extra: str) -> dict[str, str]:
    """The environment with no pip configuration at all (no index, no mirror, no constraints)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    # PIP_COMPILE=0 (pip's --no-compile) skips byte-compiling numpy and scipy: only faster.
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_COMPILE="0", **extra)
    return env
