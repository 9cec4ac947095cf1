"""`make effect-gate` (issue 22): every hyperparameter stated used changes the fitted model's predictions.

Every space the generator makes a scikit-learn / XGBoost / LightGBM train() for: the goldens' spaces (the first
golden case of each, with its flags), ../shared/corpus and ../shared/wild (default flags), generated in memory.
Networks (PyTorch / TensorFlow) are compared through the saved network, loaded as `load_model` does. For each file, trainfn_gen.analyze.effect fits pairs of
configurations that differ in one hyperparameter (train() with model_dir, in a forked process per call) and
compares the saved model's predict_proba / decision_function / predict on probe rows. Prints one table per space
and the counts; exit 1 when a hyperparameter stated used is inert or every pair of it crashes.

usage: python scripts/effect_gate.py [--spaces 02.json,yahpo_rbv2_svm.json] [--limit 16] [--jobs 2] [--output FILE]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from harness import first_case_per_space, generated_files
from trainfn_gen.analyze.effect import STATUSES, effect
from trainfn_gen.run.loader import load_model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spaces", help="comma-separated space files (default: all)")
    parser.add_argument("--limit", type=int, default=16, help="pairs tried per hyperparameter before it is inert")
    parser.add_argument("--output", help="also write the tables to this file")
    parser.add_argument("--jobs", type=int, default=2, help="fits run side by side (the two of a pair)")
    args = parser.parse_args()
    wanted = set(args.spaces.split(",")) if args.spaces else None
    files, refused = generated_files("spaces")
    lines: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    totals: Counter = Counter()
    failing: list[str] = []
    start = time.monotonic()
    for label, source, space in files:
        space_file = label.split("/", 1)[1]
        if label.startswith("golden/"):  # a golden is asked for by its space file or its own name
            space_file = next(c["space"] for c in first_case_per_space().values() if f"golden/{c['name']}" == label)
        if wanted and space_file not in wanted and label.split("/")[-1] not in wanted:
            continue
        began = time.monotonic()
        say(f"\n## {label}\n\n| hyperparameter | result | pair |\n|---|---|---|")
        counts: Counter = Counter()

        def row(result, label=label, counts=counts) -> None:
            counts[result.status] += 1
            shown = result.detail if result.status != "inert" else f"{result.detail}: {'; '.join(result.tried[:4])}"
            say(f"| {result.name} | {result.status} | {shown} |")
            if result.status in ("inert", "crash", "slow"):
                failing.append(f"{label}: {result.name}: {result.status}: {shown}")

        effect(source, space, limit=args.limit, progress=row, jobs=args.jobs, load_network=load_model)
        totals.update(counts)
        say(f"\n{label}: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s]) + f" ({time.monotonic() - began:.0f} s)")
    say(f"\n# Totals ({time.monotonic() - start:.0f} s)\n")
    say(", ".join(f"{totals[s]} {s}" for s in STATUSES))
    say(f"refused spaces: {len(refused)}")
    for line in failing:
        say(f"FAIL {line}")
    if args.output:
        Path(args.output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
