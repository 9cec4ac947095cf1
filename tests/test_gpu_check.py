"""Issue 14: `make gpu-check` (scripts/gpu_check.py) skips cleanly where there is no CUDA device.

The GPU path itself runs on a machine with CUDA (`make gpu-check`); `--cpu` rehearses it elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_without_cuda_one_line_exit_0_and_benchmarks_unchanged():
    benchmarks = ROOT / "BENCHMARKS.md"
    before = benchmarks.read_bytes()
    # An empty CUDA_VISIBLE_DEVICES hides every GPU, so the test means the same on a machine with one.
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run([sys.executable, "scripts/gpu_check.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gpu-check: skipped: ") and "BENCHMARKS.md unchanged" in lines[0]
    assert "no CUDA device" in lines[0] or "torch is not installed" in lines[0]
    assert benchmarks.read_bytes() == before


def test_gpu_section_replaces_only_itself(tmp_path, monkeypatch):
    """The GPU rows have their own section: rewriting it keeps the sections before and after it (bench_torch's
    section used to drop every section after its own)."""
    pytest.importorskip("torch")  # bench_torch imports torch
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    import bench_torch

    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## A\n\na\n\n## GPU\n\nold\n\n## B\n\nb\n")
    bench_torch.write_section("## GPU", "## GPU\n\nnew\n", path)
    assert path.read_text() == "# Benchmarks\n\n## A\n\na\n\n## GPU\n\nnew\n\n## B\n\nb\n"
    bench_torch.write_section("## C", "## C\n\nc\n", path)
    assert path.read_text().endswith("## B\n\nb\n\n## C\n\nc\n")
