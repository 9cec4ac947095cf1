"""BENCHMARKS.md is written by several `make bench` scripts: scripts/bench.py writes the file, each other script one section."""

from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def write_section(section: str, text: str, path: Path = BENCHMARKS) -> None:
    """Replace (or add at the end) the section whose heading line is `section`; the other sections stay as they are.

    `text` starts with that heading. The section ends at the next `## ` heading.
    """
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    before, found, after = current.partition(section)
    rest = after[after.index("\n## ") :] if found and "\n## " in after else ""
    path.write_text(f"{before.rstrip()}\n\n{text.rstrip()}\n{rest}")
