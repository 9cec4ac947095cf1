"""Issue 19: a quiet, complete install: no setuptools warnings caused by pyproject.toml, the templates
shipped, pandas in the `run` extra, a demo that says which configuration is the default, and a
`make bench` that says what it skips without the shared corpus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from trainfn_gen.commands.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_declares_license_and_template_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"  # an SPDX expression, not the deprecated table
    packages = set(project["tool"]["setuptools"]["packages"])
    data = project["tool"]["setuptools"]["package-data"]
    # every folder of templates is a declared package whose templates are package data
    for folder in sorted(p for p in (ROOT / "snippets").rglob("*") if p.is_dir() and not p.name.startswith("__")):
        name = "trainfn_gen.snippets." + ".".join(folder.relative_to(ROOT / "snippets").parts)
        assert name in packages and data[name] == ["*.jinja"], name
    assert any(dep.startswith("pandas") for dep in project["project"]["optional-dependencies"]["run"])


@pytest.mark.slow
def test_wheel_builds_without_setuptools_warnings_and_ships_every_template(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", str(ROOT), "-w", str(tmp_path)], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    log = built.stdout + built.stderr
    for warning in ("BuildBackendWarning", "SetuptoolsDeprecationWarning", "Package would be ignored", "license` as a TOML table"):
        assert warning not in log
    import zipfile

    (wheel,) = tmp_path.glob("trainfn_gen-*.whl")
    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".jinja")}
    expected = {"trainfn_gen/snippets/" + str(p.relative_to(ROOT / "snippets")) for p in (ROOT / "snippets").rglob("*.jinja")}
    assert shipped == expected


def test_demo_says_which_configuration_is_the_default(tmp_path):
    pytest.importorskip("sklearn")
    result = CliRunner().invoke(main, ["demo", "-o", str(tmp_path / "train_demo.py"), "--dataset", "iris", "--configs", "2"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "loss=" in line]
    assert len(lines) == 2
    assert lines[0].split()[0] == "default" and lines[1].split()[:2] == ["sample", "1"]
    assert "default configuration and 1 sampled" in result.stdout


def test_bench_without_the_corpus_skips_its_rows_with_a_clear_line(tmp_path):
    # --corpus pointing nowhere: the corpus rows are skipped and said so; nothing else is run.
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--corpus", str(tmp_path / "none"), "--only", "corpus", "--output", str(tmp_path / "B.md")],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert f"skipped: no corpus at {tmp_path / 'none'}" in done.stdout
    assert "skipped: no corpus" in (tmp_path / "B.md").read_text()
