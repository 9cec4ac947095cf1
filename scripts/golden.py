"""Regenerate (`write`) or verify (`check`) golden/ through the real CLI, one case per line of golden/cases.json."""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"


def cases() -> list[dict]:
    return json.loads((GOLDEN / "cases.json").read_text())


def run_cli(case: dict, output: Path) -> None:
    """The real CLI, in this process (one interpreter start for all cases instead of one per case)."""
    from click.testing import CliRunner
    from trainfn_gen.commands.cli import main

    result = CliRunner().invoke(main, ["generate", str(GOLDEN / "spaces" / case["space"]), "-o", str(output), *case["args"]])
    if result.exit_code != 0:
        raise SystemExit(f"{case['name']}: {result.output.strip()}")


def write() -> int:
    for case in cases():
        run_cli(case, GOLDEN / f"{case['name']}.py")
    print(subprocess.run(["git", "diff", "--stat", "--", str(GOLDEN)], capture_output=True, text=True, cwd=ROOT, check=False).stdout or "golden/: no changes")
    return 0


def check() -> int:
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for case in cases():
            fresh = Path(folder) / f"{case['name']}.py"
            run_cli(case, fresh)
            expected = GOLDEN / f"{case['name']}.py"
            old = expected.read_text().splitlines(keepends=True) if expected.exists() else []
            new = fresh.read_text().splitlines(keepends=True)
            if old != new:
                failed += 1
                sys.stdout.writelines(difflib.unified_diff(old, new, f"golden/{expected.name}", "generated"))
    if failed:
        print(f"{failed} golden file(s) differ: run `make golden` and review `git diff golden/`.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit({"write": write, "check": check}[sys.argv[1]]())
