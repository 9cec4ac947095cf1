"""Golden files: regenerated through the CLI, byte-identical, deterministic, black-stable, ruff-clean."""

from __future__ import annotations

import os
import subprocess
import sys

import black
import pytest
from harness import GOLDEN, ROOT, golden_cases
from trainfn_gen.engine.format import MODE

CASES = golden_cases()


def test_golden_files_match_the_generator():
    """`make golden-check`: every case regenerated into a temp folder equals golden/."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "golden.py"), "check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + "\nrun `make golden` and review `git diff golden/`"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_golden_is_black_stable(case):
    text = (GOLDEN / f"{case['name']}.py").read_text()
    assert black.format_str(text, mode=MODE) == text


def test_goldens_pass_ruff_pyflakes():
    files = [str(GOLDEN / f"{case['name']}.py") for case in CASES]
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select", "F", *files], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_generation_is_byte_identical_across_hash_seeds(tmp_path):
    """Same input and version -> same bytes, whatever PYTHONHASHSEED is (DESIGN habit 8)."""
    outputs = []
    for hash_seed in ("0", "1", "0"):
        target = tmp_path / f"train_{len(outputs)}.py"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-m", "trainfn_gen", "generate", str(GOLDEN / "spaces" / "16.json"), "--task", "classification", "--facade", "multi-fidelity", "-o", str(target)], check=True, env=env, capture_output=True)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert str(ROOT).encode() not in outputs[0]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_golden_passes_the_static_checker(case):
    """`trainfn-gen check --space`: generated files meet every statically checkable rule."""
    result = subprocess.run(
        [sys.executable, "-m", "trainfn_gen", "check", str(GOLDEN / f"{case['name']}.py"), "--space", str(GOLDEN / "spaces" / case["space"])],
        capture_output=True, check=False,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
