"""Issue 24: documentation a user finds. The README is short (set-up, quick start, command overview);
the reference is the MkDocs site of docs/, built with `mkdocs build --strict` (a broken link or
anchor, a missing page or a page left out of the nav fails)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from trainfn_gen.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
README_MAX_LINES = 250


def nav_pages(node) -> list[str]:
    """Every page file named in mkdocs.yml's nav (nested sections included)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [page for item in node for page in nav_pages(item)]
    if isinstance(node, dict):
        return [page for value in node.values() for page in nav_pages(value)]
    return []


def mkdocs_config() -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML (a dependency of mkdocs) reads mkdocs.yml")
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; move reference material to docs/"


def test_readme_keeps_the_two_setup_commands_and_the_quick_start():
    readme = README.read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme, "the set-up commands (.ci/run runs `make test`)"
    for step in (". .venv/bin/activate", "trainfn-gen generate", "trainfn-gen run", "--dataset my.csv", "load_model", "best/"):
        assert step in readme, f"the quick start lacks {step!r}"


def test_every_command_in_the_readme_overview_exists():
    readme = README.read_text(encoding="utf-8")
    overview = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `trainfn-gen ([a-z-]+)", overview, re.MULTILINE))
    assert named, "the README's command overview names no command"
    assert named <= set(main.commands), f"not commands of the CLI: {sorted(named - set(main.commands))}"
    assert set(main.commands) <= named, f"commands missing from the README's overview: {sorted(set(main.commands) - named)}"


def test_every_docs_page_is_in_the_nav():
    config = mkdocs_config()
    assert config.get("docs_dir", "docs") == "docs"
    listed = nav_pages(config["nav"])
    pages = sorted(str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md"))
    assert sorted(set(listed)) == pages, f"pages and nav differ: only in docs/ {sorted(set(pages) - set(listed))}, only in the nav {sorted(set(listed) - set(pages))}"
    assert len(listed) == len(set(listed)), "a page is listed twice in the nav"


def test_readme_links_to_docs_pages_that_exist():
    readme = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?:docs/)?[\w./-]+\.md)(?:#[\w-]*)?\)", readme)
    assert any(target.startswith("docs/") for target in targets)
    for target in targets:
        assert (ROOT / target).is_file(), f"README links to {target}, which does not exist"


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="mkdocs is not installed: pip install -e '.[docs]' (the test extra has it)")
def test_mkdocs_build_strict(tmp_path):
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / "index.html").is_file()
    built = {str(path.relative_to(site)) for path in site.rglob("index.html")}
    for page in nav_pages(mkdocs_config()["nav"]):
        expected = "index.html" if page == "index.md" else f"{page[:-3]}/index.html"
        assert expected in built, f"{page} was not built"
