"""`make bench`, issue 14: what a multi-fidelity budget buys, and train()'s fixed cost per call.

Two tables, each measured side by side in one run (calls alternated, median of --repeats), written
as a section of BENCHMARKS.md after scripts/bench.py and scripts/bench_torch.py:
- multi-fidelity: for each family, train() generated with the multi-fidelity facade on one synthetic
  table (--rows rows, 20 features, 3 classes), called at the min, mid and max budget; the cost ratio
  cost(min)/cost(max) against the budget ratio min/max (the issue's target: within 2x of it), and the
  validation loss at each budget (it should improve with the budget);
- overhead: a generated train() of a cheap model (a depth-3 decision tree) against a hand-written
  split, fit and score of the same model, on digits, the synthetic table and one 5x its rows; the
  difference is train()'s fixed cost per call (target: at most 5 ms on digits, growing no faster than
  the data).
Needs only the project and its test extras (no sibling ../shared folder). Never asserted in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from ConfigSpace import ConfigurationSpace
from sklearn.datasets import load_digits, make_classification
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from bench_section import write_section
from harness import load_train
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate

SECTION = "## Multi-fidelity cost and per-call overhead (issue 14)"
# OpenMP estimators (histogram boosting, k-NN's distances) spread a call over every core; on a shared
# machine their threads wait on each other and a cheap call's time is mostly that wait (a k-NN call at the
# min budget took 0.1-0.5 s). Each call runs on one thread, as a trial among parallel SMAC workers would.
ONE_THREAD = "one thread per call (threadpoolctl)"
# family: (space, budget range); each space is generated with --family and the multi-fidelity facade.
FAMILIES = {
    "random_forest": ({"max_depth": (2, 20)}, (10, 100)),
    "hist_gradient_boosting": ({"learning_rate": (0.01, 0.5)}, (10, 100)),
    "xgboost": ({"max_depth": (2, 10)}, (10, 100)),
    "lightgbm": ({"num_leaves": (8, 64)}, (10, 100)),
    "mlp": ({"alpha": (1e-5, 1e-1)}, (5, 200)),
    "knn": ({"n_neighbors": (1, 50)}, (0.1, 1.0)),
}


def call(train, data: dict, budget=None) -> tuple[float, float]:
    """Seconds and loss of one quiet train() call, on one thread (see ONE_THREAD)."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), threadpool_limits(1):
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        loss = train({}, data, seed=0, budget=budget)
        return time.perf_counter() - start, loss


def fidelity_rows(data: dict, repeats: int, folder: Path) -> list[str]:
    rows = ["| family | budget range | cost at min / mid / max | cost ratio (budget ratio) | loss at min / mid / max |", "|---|---|---|---|---|"]
    for family, (space, (low, high)) in FAMILIES.items():
        path = folder / f"{family}.json"
        ConfigurationSpace(space).to_json(path)
        target = folder / f"train_{family}.py"
        target.write_text(generate(path, make_options(task="classification", family=family, facade="multi-fidelity", min_budget=low, max_budget=high)))
        train = load_train(target)
        budgets = (low, (low + high) / 2, high)
        call(train, data, high)  # warm-up: imports, caches
        seconds = {b: [] for b in budgets}
        losses = {}
        for _ in range(repeats):
            for budget in budgets:
                spent, losses[budget] = call(train, data, budget)
                seconds[budget].append(spent)
        cost = {b: statistics.median(s) for b, s in seconds.items()}
        line = f"| {family} | [{low}, {high}] | {' / '.join(f'{cost[b]:.3f} s' for b in budgets)} | {cost[low] / cost[high]:.2f} ({low / high:.2f}) | {' / '.join(f'{losses[b]:.4f}' for b in budgets)} |"
        print(line, flush=True)
        rows.append(line)
    return rows


def hand_written(data: dict) -> tuple[float, float]:
    """The same split, fit and score as the generated train(), written by hand."""
    with threadpool_limits(1):
        return _hand_written(data)


def _hand_written(data: dict) -> tuple[float, float]:
    start = time.perf_counter()
    X_train, X_valid, y_train, y_valid = train_test_split(data["X"], data["y"], test_size=0.2, random_state=0, stratify=data["y"])
    model = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X_train, y_train)
    loss = -accuracy_score(y_valid, model.predict(X_valid))
    return time.perf_counter() - start, loss


def overhead_rows(tables: dict, repeats: int, folder: Path) -> list[str]:
    path = folder / "tree.json"
    ConfigurationSpace({"max_depth": (2, 4)}).to_json(path)
    target = folder / "train_tree.py"
    target.write_text(generate(path, make_options(task="classification", family="decision_tree")))
    train = load_train(target)
    rows = ["| data | generated train() | hand-written | fixed cost per call | same loss |", "|---|---|---|---|---|"]
    for name, data in tables.items():
        call(train, data)
        generated, hand = [], []
        for _ in range(repeats):
            generated.append(call(train, data))
            hand.append(hand_written(data))
        gen_s, hand_s = statistics.median(s for s, _ in generated), statistics.median(s for s, _ in hand)
        same = "yes" if generated[0][1] == hand[0][1] else f"no ({generated[0][1]:.4f} vs {hand[0][1]:.4f})"
        line = f"| {name} | {gen_s * 1000:.1f} ms | {hand_s * 1000:.1f} ms | {(gen_s - hand_s) * 1000:.1f} ms | {same} |"
        print(line, flush=True)
        rows.append(line)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    X, y = make_classification(n_samples=args.rows, n_features=20, n_informative=10, n_classes=3, random_state=0)
    synthetic = {"X": X, "y": y}
    digits = dict(zip(("X", "y"), load_digits(return_X_y=True)))
    large = dict(zip(("X", "y"), make_classification(n_samples=5 * args.rows, n_features=20, n_informative=10, n_classes=3, random_state=0)))
    tables = {"digits (1797 x 64)": digits, f"synthetic ({args.rows} x 20)": synthetic, f"synthetic ({5 * args.rows} x 20)": large}
    with tempfile.TemporaryDirectory() as folder:
        fidelity = fidelity_rows(synthetic, args.repeats, Path(folder))
        overhead = overhead_rows(tables, max(args.repeats, 5), Path(folder))
    load = os.getloadavg()[0]  # other processes' load: the timings are only as steady as the machine
    setting = f"{args.rows} synthetic rows x 20 features, 3 classes; calls alternated, median of {args.repeats}; {ONE_THREAD}; load average {load:.1f} on {os.cpu_count()} cores at the start"
    write_section(SECTION, "\n".join([
        SECTION, "",
        f"`python scripts/bench_fidelity.py` ({setting}). Cost ratio: cost at the min budget / cost at the max budget; the target is within 2x of the budget ratio.", "",
        *fidelity, "",
        "Fixed cost per call: a generated train() of a depth-3 decision tree against a hand-written split, fit and score of the same model (median of at least 5, alternated).", "",
        *overhead, "",
    ]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
