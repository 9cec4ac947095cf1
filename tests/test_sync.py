"""`trainfn-gen sync`: targets from [tool.trainfn-gen.targets.NAME], write-if-changed, --check/--diff,
one paragraph per failing target (named), the other targets still synced."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from trainfn_gen.commands.cli import main

SPACES = Path(__file__).resolve().parent.parent / "golden" / "spaces"


def project(tmp_path: Path, tables: str) -> Path:
    shutil.copy(SPACES / "17.json", tmp_path / "forest.json")
    (tmp_path / "pyproject.toml").write_text(tables, encoding="utf-8")
    return tmp_path / "pyproject.toml"


FOREST = '[tool.trainfn-gen.targets.forest]\nspace = "forest.json"\noutput = "train_forest.py"\n'
BUDGET = '[tool.trainfn-gen.targets.budget]\nspace = "forest.json"\noutput = "train_budget.py"\nfacade = "MultiFidelityFacade"\ncontract = "metrics"\nmin-budget = 10\nmax_budget = 100\n'


def sync(pyproject: Path, *args: str):
    return CliRunner().invoke(main, ["sync", "--config", str(pyproject), *args])


def test_created_identical_updated(tmp_path):
    pyproject = project(tmp_path, FOREST + BUDGET)
    first = sync(pyproject)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == ["forest: train_forest.py: created", "budget: train_budget.py: created"]
    assert "def train(" in (tmp_path / "train_budget.py").read_text()
    assert sync(pyproject).stdout.splitlines() == ["forest: train_forest.py: identical", "budget: train_budget.py: identical"]
    (tmp_path / "train_forest.py").write_text((tmp_path / "train_forest.py").read_text() + "# edited\n", encoding="utf-8")
    third = sync(pyproject, "--fail-on-change")
    assert third.exit_code == 1
    assert "forest: train_forest.py: updated" in third.stdout


def test_check_writes_nothing_and_shows_a_diff(tmp_path):
    pyproject = project(tmp_path, FOREST)
    missing = sync(pyproject, "--check")
    assert missing.exit_code == 1 and "forest: train_forest.py: missing" in missing.stdout
    assert not (tmp_path / "train_forest.py").exists()
    sync(pyproject)
    assert sync(pyproject, "--check").exit_code == 0
    (tmp_path / "train_forest.py").write_text((tmp_path / "train_forest.py").read_text() + "x = 1\n", encoding="utf-8")
    stale = sync(pyproject, "--check", "--diff")
    assert stale.exit_code == 1
    assert "forest: train_forest.py: stale" in stale.stdout and "\n-x = 1\n" in stale.stdout
    assert (tmp_path / "train_forest.py").read_text().endswith("x = 1\n")


def test_unknown_key_names_the_table_and_the_key_and_others_proceed(tmp_path):
    typo = '[tool.trainfn-gen.targets.typo]\nspace = "forest.json"\noutput = "train_typo.py"\ncontrct = "loss"\n'
    result = sync(project(tmp_path, typo + FOREST))
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("trainfn-gen: error: target 'typo': ")
    assert "[tool.trainfn-gen.targets.typo] has an unknown key 'contrct'" in line
    assert result.stdout.splitlines() == ["forest: train_forest.py: created"]
    assert not (tmp_path / "train_typo.py").exists()


def test_failing_target_leaves_its_file_untouched(tmp_path):
    bad = '[tool.trainfn-gen.targets.bad]\nspace = "missing.json"\noutput = "train_bad.py"\n'
    pyproject = project(tmp_path, bad + FOREST)
    (tmp_path / "train_bad.py").write_bytes(b"# keep\n")
    result = sync(pyproject)
    assert result.exit_code == 1
    assert "target 'bad'" in result.stderr and "missing.json" in result.stderr
    assert (tmp_path / "train_bad.py").read_bytes() == b"# keep\n"
    assert (tmp_path / "train_forest.py").exists()


def test_bad_value_and_shared_output_are_refused(tmp_path):
    wrong = '[tool.trainfn-gen.targets.wrong]\nspace = "forest.json"\noutput = "train_wrong.py"\nfacade = "fast"\n'
    twin = '[tool.trainfn-gen.targets.twin]\nspace = "forest.json"\noutput = "train_forest.py"\n'
    result = sync(project(tmp_path, FOREST + wrong + twin))
    assert result.exit_code == 1
    assert "target 'wrong'" in result.stderr and "key 'facade'" in result.stderr
    assert "target 'twin'" in result.stderr and "as target 'forest' does" in result.stderr


def test_pyproject_found_upwards_and_paths_relative_to_it(tmp_path, monkeypatch):
    project(tmp_path, FOREST)
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub" / "deeper")
    result = CliRunner().invoke(main, ["sync"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "train_forest.py").exists()


def test_no_pyproject_or_no_targets_is_one_paragraph(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["sync"])
    assert result.exit_code == 1
    assert "no [tool.trainfn-gen.targets.NAME] table" in result.stderr
