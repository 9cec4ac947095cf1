"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real `pre-commit` in a temporary git
repository: a space changes, the sync hook regenerates its train() and fails, the next run passes.

Two ways to use the hooks, both offline: the hook repository by local path (pre-commit builds its
own environment with pip, here from `make wheelhouse` alone, PIP_NO_INDEX set), and `repo: local`
with `language: system` (the trainfn-gen already installed), the documentation's (docs/sync.md) variant for clusters that
cannot reach a git host.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from offline import ROOT, offline_env, wheelhouse

pytestmark = pytest.mark.slow

SPACE = ROOT / "golden" / "spaces" / "17.json"  # random forest; n_estimators 50..200
GIT = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
PYPROJECT = """\
[project]
name = "experiments"
version = "0"

[tool.trainfn-gen.targets.forest]
space = "spaces/forest.json"
output = "train_forest.py"
task = "classification"
"""
HOOKS = ("trainfn-gen-sync", "trainfn-gen-check")


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, **GIT}
    return subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=True).stdout


def hook_repository(tmp_path: Path) -> tuple[Path, str]:
    """A one-commit git snapshot of this checkout as it is now (uncommitted edits included)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=False)
    if listed.returncode != 0:
        pytest.skip("the checkout is not a git repository")
    snapshot = tmp_path / "hook-repo"
    for name in filter(None, listed.stdout.split("\0")):
        if (ROOT / name).is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD").strip()


def user_repository(tmp_path: Path, config: str) -> Path:
    repo = tmp_path / "experiments"
    (repo / "spaces").mkdir(parents=True)
    shutil.copy(SPACE, repo / "spaces" / "forest.json")
    (repo / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a space and its target")
    return repo


def pre_commit(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pre_commit", "run", *args]
    result = subprocess.run(command, cwd=repo, env={**env, **GIT}, capture_output=True, text=True, check=False)
    print(f"$ pre-commit run {' '.join(args)}   # exit {result.returncode}\n{result.stdout}{result.stderr}")
    return result


def widen_space(repo: Path) -> None:
    path = repo / "spaces" / "forest.json"
    space = json.loads(path.read_text(encoding="utf-8"))
    (n_estimators,) = [hp for hp in space["hyperparameters"] if hp["name"] == "n_estimators"]
    n_estimators["upper"] = 400
    path.write_text(json.dumps(space, indent=2), encoding="utf-8")
    git(repo, "add", "spaces/forest.json")


def assert_fails_then_passes(repo: Path, env: dict, status: str) -> None:
    first = pre_commit(repo, env, "--all-files")
    assert first.returncode == 1
    assert f"forest: train_forest.py: {status}" in first.stdout
    assert "trainfn-gen-sync" in first.stdout and "Failed" in first.stdout
    git(repo, "add", "-A")
    second = pre_commit(repo, env, "--all-files")
    assert second.returncode == 0, second.stdout
    assert "Failed" not in second.stdout


def test_hook_from_a_local_path_installs_offline_regenerates_then_passes(tmp_path):
    hooks, rev = hook_repository(tmp_path)
    ids = "".join(f"      - id: {hook}\n" for hook in HOOKS)
    repo = user_repository(tmp_path, f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n{ids}")
    env = offline_env(PIP_FIND_LINKS=str(wheelhouse()), PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    assert_fails_then_passes(repo, env, "created")
    assert 'n_estimators=as_int(cfg.get("n_estimators"), 100, 50, 200)' in (repo / "train_forest.py").read_text()
    widen_space(repo)
    assert_fails_then_passes(repo, env, "updated")
    assert 'n_estimators=as_int(cfg.get("n_estimators"), 100, 50, 400)' in (repo / "train_forest.py").read_text()


LOCAL_CONFIG = """\
repos:
  - repo: local
    hooks:
      - id: trainfn-gen-sync
        name: trainfn-gen sync
        entry: trainfn-gen sync --fail-on-change
        language: system
        pass_filenames: false
        files: '(^|/)pyproject\\.toml$|\\.(json|ya?ml|pcs|py)$'
      - id: trainfn-gen-check
        name: trainfn-gen sync --check
        entry: trainfn-gen sync --check --diff
        language: system
        pass_filenames: false
        files: '(^|/)pyproject\\.toml$|\\.(json|ya?ml|pcs|py)$'
        stages: [manual]
"""


def test_repo_local_system_variant_checks_and_regenerates(tmp_path):
    """The documentation's `repo: local` block (docs/sync.md), verbatim; trainfn-gen from this environment's PATH."""
    page = (ROOT / "docs" / "sync.md").read_text(encoding="utf-8")
    assert LOCAL_CONFIG in page
    repo = user_repository(tmp_path, LOCAL_CONFIG)
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = offline_env(PATH=path, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    assert_fails_then_passes(repo, env, "created")
    widen_space(repo)
    check = pre_commit(repo, env, "--hook-stage", "manual", "trainfn-gen-check")
    assert check.returncode == 1
    assert "forest: train_forest.py: stale" in check.stdout
    assert '+        n_estimators=as_int(cfg.get("n_estimators"), 100, 50, 400),' in check.stdout
    assert git(repo, "diff") == ""  # --check wrote nothing: no unstaged change
    assert_fails_then_passes(repo, env, "updated")
