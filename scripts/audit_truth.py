"""Issue 25: run `check` and `audit` on each LLM-written train() of ../shared/llm_written and score them against the
ground truth of tests/data/llm_written_faults.json.

Per function: the faults, those found by audit, those found by check, those found by neither (missed), the audit
findings and check rows that match no fault (false alarms; check's notes counted apart), and the audit's wall time.
Totals: faults found by audit and check together, audit's findings right, check's rows right (errors; notes apart).

    .venv/bin/python scripts/audit_truth.py [--configs 2] [--rows 300] [--timeout 60] [--only p05_bcfaf7b ...] [--json out.json]

--pythonpath runs another copy of the project (e.g. an export of an older commit whose `trainfn_gen` folder is a
link to its generator/), to measure before and after with the same ground truth and the same scoring.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "tests" / "data" / "llm_written_faults.json"
FUNCTIONS = ROOT.parent / "shared" / "llm_written"


def subsample(dataset: str, rows: int, folder: Path) -> str:
    """`sklearn:NAME` as an .npz of its first `rows` rows in a seeded random order (the same rows on every run), so
    that an audit of a network takes minutes on a shared machine; other specs unchanged."""
    if not dataset.startswith("sklearn:") or rows <= 0:
        return dataset
    import numpy as np
    from sklearn import datasets

    name = dataset.split(":", 1)[1]
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))[:rows]
    path = folder / f"{name}_{rows}.npz"
    np.savez(path, X=X[order], y=y[order])
    return str(path)


def _run(args: list[str], pythonpath: str | None, timeout: float) -> tuple[str, float]:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "trainfn_gen", *args], capture_output=True, text=True, env=env, timeout=timeout, check=False)
    return done.stdout, time.monotonic() - started


def check_rows(folder: Path, pythonpath: str | None) -> list[dict]:
    out, _ = _run(["check", "--output-format", "json", "--space", str(folder / "space.json"), str(folder / "train.py")], pythonpath, 120)
    return json.loads(out) if out.strip() else []


def audit_items(folder: Path, dataset: str, configs: int, timeout: float, pythonpath: str | None) -> tuple[list[dict], float, str]:
    """The audit's findings as scored items (an inert finding: one item per hyperparameter), its wall time, an error."""
    args = ["audit", str(folder / "train.py"), "--space", str(folder / "space.json"), "--dataset", dataset,
            "--configs", str(configs), "--timeout", str(timeout), "--json", "--quiet"]
    out, seconds = _run(args, pythonpath, 3600)
    if not out.strip():
        return [], seconds, "audit printed nothing"
    items = []
    for finding in json.loads(out)["findings"]:
        if finding["check"] == "inert" and finding.get("calls"):
            items += [{"check": "inert", "message": entry} for entry in finding["calls"]]
        else:
            items.append({"check": finding["check"], "message": finding["message"]})
    return items, seconds, ""


def matches_check(row: dict, fault: dict) -> bool:
    return any(row["code"] in spec["rules"] and spec["lines"][0] <= row["line"] <= spec["lines"][1] for spec in fault["check"])


def matches_audit(item: dict, fault: dict) -> bool:
    return any(item["check"] == spec["check"] and re.search(spec["text"], item["message"]) for spec in fault["audit"])


def score(name: str, entry: dict, rows: list[dict], items: list[dict]) -> dict:
    faults = entry["faults"]
    errors = [r for r in rows if r.get("severity", "error") != "note"]
    notes = [r for r in rows if r.get("severity", "error") == "note"]
    by_audit = [i for i, f in enumerate(faults) if any(matches_audit(item, f) for item in items)]
    by_check = [i for i, f in enumerate(faults) if any(matches_check(row, f) for row in rows)]
    return {
        "function": name, "dataset": entry["dataset"], "faults": len(faults),
        "found_by_audit": by_audit, "found_by_check": by_check,
        "missed": [i for i in range(len(faults)) if i not in by_audit and i not in by_check],
        "audit_findings": len(items),
        "audit_false_alarms": [f"{i['check']}: {i['message'][:160]}" for i in items if not any(matches_audit(i, f) for f in faults)],
        "check_errors": len(errors), "check_notes": len(notes),
        "check_false_alarms": [f"{r['line']}: {r['code']} {r['message'][:120]}" for r in errors if not any(matches_check(r, f) for f in faults)],
        "check_note_false_alarms": [f"{r['line']}: {r['code']} {r['message'][:120]}" for r in notes if not any(matches_check(r, f) for f in faults)],
    }


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}% ({part}/{whole})" if whole else "n/a (0/0)"


def report(results: list[dict], truth: dict) -> str:
    lines = ["| function | faults | found by audit | found by check | missed | false alarms (audit / check errors / check notes) | audit wall time |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        faults = truth["functions"][r["function"]]["faults"]
        missed = ", ".join(f"{faults[i]['rule']}@{faults[i]['line']}" for i in r["missed"]) or "-"
        lines.append(f"| {r['function']} | {r['faults']} | {len(r['found_by_audit'])} | {len(r['found_by_check'])} | {len(r['missed'])} ({missed}) "
                     f"| {len(r['audit_false_alarms'])} / {len(r['check_false_alarms'])} / {len(r['check_note_false_alarms'])} | {r['audit_seconds']:.0f} s |")
    total = sum(r["faults"] for r in results)
    found = total - sum(len(r["missed"]) for r in results)
    items = sum(r["audit_findings"] for r in results)
    errors = sum(r["check_errors"] for r in results)
    notes = sum(r["check_notes"] for r in results)
    lines += ["",
              f"found by audit and check together: {percent(found, total)}",
              f"found by audit: {percent(sum(len(r['found_by_audit']) for r in results), total)}; by check: {percent(sum(len(r['found_by_check']) for r in results), total)}",
              f"audit's findings right: {percent(items - sum(len(r['audit_false_alarms']) for r in results), items)}",
              (f"check's rows right (errors): {percent(errors - sum(len(r['check_false_alarms']) for r in results), errors)}; "
               f"notes, counted apart: {percent(notes - sum(len(r['check_note_false_alarms']) for r in results), notes)}"),
              f"audit wall time: {sum(r['audit_seconds'] for r in results):.0f} s in all"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truth", type=Path, default=TRUTH)
    parser.add_argument("--functions", type=Path, default=FUNCTIONS)
    parser.add_argument("--configs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--rows", type=int, default=300, help="rows of each sklearn dataset the audit gets (0: all)")
    parser.add_argument("--pythonpath", help="PYTHONPATH of another copy of the project to measure instead")
    parser.add_argument("--json", type=Path, help="also write every result, false alarms named, to this file")
    args = parser.parse_args()
    truth = json.loads(args.truth.read_text())
    results = []
    scratch = Path(tempfile.mkdtemp(prefix="audit-truth-"))
    for name, entry in truth["functions"].items():
        if args.only and name not in args.only:
            continue
        folder = args.functions / name
        rows = check_rows(folder, args.pythonpath)
        dataset = subsample(entry["dataset"], args.rows, scratch)
        items, seconds, error = audit_items(folder, dataset, args.configs, args.timeout, args.pythonpath)
        result = score(name, entry, rows, items) | {"audit_seconds": seconds, "audit_error": error, "audit_items": items, "check_rows": rows}
        results.append(result)
        print(f"{name}: {result['faults']} faults, audit {len(result['found_by_audit'])}, check {len(result['found_by_check'])}, "
              f"missed {len(result['missed'])}, audit false alarms {len(result['audit_false_alarms'])}, {seconds:.0f} s", file=sys.stderr)
    text = report(results, truth)
    print(text, end="")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
