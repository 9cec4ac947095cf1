"""`make wheelhouse`: a fresh virtual environment installs from that folder alone and generates a
golden case byte-identically with the installed CLI (the air-gapped cluster recipe of docs/airgapped.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import venv

import pytest
from offline import ROOT, offline_env, wheelhouse

GOLDEN = ROOT / "golden"
CASES = ("17_loss_hpo", "07_loss_multifidelity", "05_regression_metrics_hpo")

pytestmark = pytest.mark.slow


def test_wheelhouse_holds_the_project_and_its_generator_dependencies_only():
    names = {path.name.split("-")[0].lower() for path in wheelhouse().glob("*.whl")}
    assert {"trainfn_gen", "configspace", "black", "jinja2", "click", "setuptools", "wheel"} <= names
    assert not names & {"scikit_learn", "smac", "torch", "pandas", "pytest"}


def test_fresh_venv_installs_offline_and_generates_golden_cases(tmp_path):
    env_dir = tmp_path / "venv"
    # The recipe of docs/airgapped.md uses the new venv's own pip; pip's --python option installs into the new venv
    # the same way while skipping ensurepip, and --no-compile skips byte-compiling scipy: seconds saved.
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-compile", "--no-index", "--find-links", str(wheelhouse()), "trainfn-gen"]
    result = subprocess.run(install, capture_output=True, text=True, env=offline_env(), check=False)
    print("$", " ".join(install[2:]), "\n" + result.stdout[-2000:] + result.stderr[-2000:])
    assert result.returncode == 0, result.stdout + result.stderr
    cases = {case["name"]: case for case in json.loads((GOLDEN / "cases.json").read_text())}
    for name in CASES:
        case, output = cases[name], tmp_path / f"{name}.py"
        command = [str(env_dir / "bin" / "trainfn-gen"), "generate", str(GOLDEN / "spaces" / case["space"]), "-o", str(output), *case["args"]]
        # Run outside the checkout, so only the installed package can be imported.
        run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=offline_env(), check=False)
        print("$ trainfn-gen", " ".join(command[1:]), "\n" + run.stderr)
        assert run.returncode == 0, run.stderr
        assert output.read_bytes() == (GOLDEN / f"{name}.py").read_bytes(), name
    where = subprocess.run([str(python), "-c", "import trainfn_gen; print(trainfn_gen.__file__)"], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert str(env_dir) in where.stdout and sys.prefix not in where.stdout
