"""`make bench`, issue 17: how well holdout, 3-fold and 5-fold rank configurations, and at what cost.

For each (dataset, corpus space): train() is generated from the space (today's code, no --cv), and each
of --configs configurations sampled (seeded) from the space is scored by each protocol through that
train(), with explicit splits where the protocol needs them (R14: given X_test/y_test, train() fits
on all of X and scores on the test split):
- holdout: train() called on the whole table, i.e. its own seeded 80/20 split (stratified when it can be);
- 3-fold / 5-fold: (Stratified)KFold(shuffle=True, random_state=seed), the mean loss over the folds;
- reference: 10x repeated 5-fold, (Repeated)(Stratified)KFold with a seed no protocol uses.
Each protocol runs with --seeds seeds (0, 1, ...). Against the reference: Spearman and Kendall rank
correlation of the configurations' losses, the regret of the protocol's pick (the reference loss of its
best configuration minus the reference's best) and whether the pick is in the reference's top 3;
mean (and sd for Spearman) over the seeds. Cost: wall seconds per configuration, and the ratio to holdout.
A conclusion paragraph derives the default (K and a row threshold) from the table (`recommend`).
Needs the corpus (../shared/corpus/automl-agent, or --corpus PATH): without it the section says it was
skipped. Written as a section of BENCHMARKS.md; never asserted in tests (timings depend on the machine).

    python scripts/bench_cv.py [--configs 30] [--seeds 3] [--repeats 10] [--jobs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from bench_section import write_section
from ConfigSpace import ConfigurationSpace
from joblib import Parallel, delayed
from scipy.stats import kendalltau, spearmanr
from sklearn import datasets
from sklearn.model_selection import KFold, RepeatedKFold, RepeatedStratifiedKFold, StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "automl-agent"
SECTION = "## Cross-validation: ranking quality and cost (issue 17)"
PROTOCOLS = ("holdout", "3-fold", "5-fold")
REFERENCE_SEED = 1000  # the reference's splits and train() seed; the protocols use 0, 1, ... (--seeds)
# dataset -> the corpus spaces it is run with (and the task they are generated for). Cheap families only:
# 38 selects naive Bayes / kNN / SVM, 24 is one SVM; diabetes (regression) gets 24 and 05 as SVR.
CASES = (
    ("iris", "38.json"), ("iris", "24.json"),
    ("wine", "38.json"), ("wine", "24.json"),
    ("diabetes", "24.json"), ("diabetes", "05.json"),
    ("breast_cancer", "38.json"), ("breast_cancer", "24.json"),
    ("digits", "38.json"), ("digits", "24.json"),
    ("synthetic_4000", "38.json"),
)
# Rough cost order (largest first) so that --jobs 2 starts the long cases first and ends together.
ORDER = ("synthetic_4000", "digits", "breast_cancer", "diabetes", "wine", "iris")


def load(name: str) -> tuple[np.ndarray, np.ndarray, str]:
    """X, y and the task of a dataset; synthetic_N is make_classification with N rows (3 classes, 5% label noise)."""
    if name.startswith("synthetic_"):
        X, y = datasets.make_classification(int(name.split("_")[1]), 20, n_informative=8, n_classes=3, flip_y=0.05, random_state=0)
        return X, y, "classification"
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return X, y, "regression" if name == "diabetes" else "classification"


def rank_agreement(losses: list[float], reference: list[float]) -> tuple[float, float, float, bool]:
    """(Spearman, Kendall, regret, pick in the reference's top 3) of a protocol's losses against the reference's.

    A protocol that gives every configuration the same loss ranks nothing: its correlations are 0. Its pick
    is the first configuration of lowest loss (sampling order, as an incumbent would be kept); the regret
    is the pick's reference loss minus the lowest reference loss; top 3: fewer than 3 configurations have
    a strictly lower reference loss than the pick.
    """
    ref = np.asarray(reference, dtype=float)
    pick = int(np.argmin(losses))
    if np.ptp(losses) == 0 or np.ptp(ref) == 0:
        rho = tau = 0.0
    else:
        rho, tau = float(spearmanr(losses, ref)[0]), float(kendalltau(losses, ref)[0])
    return rho, tau, float(ref[pick] - ref.min()), int((ref < ref[pick]).sum()) < 3


def recommend(rows: list[dict], tolerance: float = 0.05) -> dict:
    """The default from the table: K and the row threshold below which K-fold is worth its cost.

    rows: one dict per (dataset, space) with "rows" and the mean Spearman of each protocol ("spearman":
    {protocol: mean}). Per row count (datasets of the same size pooled), gap = 5-fold minus holdout. The
    threshold is the smallest row count from which every larger row count has gap <= tolerance (holdout
    ranks as well as 5-fold there); None when even the largest does not. K is 3 when 3-fold's mean Spearman
    below the threshold is within tolerance / 2 of 5-fold's (cheaper, as good), else 5.
    """
    sizes = sorted({r["rows"] for r in rows})
    gap = {n: statistics.mean(r["spearman"]["5-fold"] - r["spearman"]["holdout"] for r in rows if r["rows"] == n) for n in sizes}
    threshold = None
    for n in reversed(sizes):
        if gap[n] > tolerance:
            break
        threshold = n
    below = [r for r in rows if threshold is None or r["rows"] < threshold] or rows
    three = statistics.mean(r["spearman"]["3-fold"] for r in below)
    five = statistics.mean(r["spearman"]["5-fold"] for r in below)
    return {"gap": gap, "threshold": threshold, "k": 3 if five - three <= tolerance / 2 else 5, "three": three, "five": five}


def splitter(task: str, folds: int, seed: int, repeats: int = 1):
    if repeats > 1:
        kind = RepeatedStratifiedKFold if task == "classification" else RepeatedKFold
        return kind(n_splits=folds, n_repeats=repeats, random_state=seed)
    kind = StratifiedKFold if task == "classification" else KFold
    return kind(n_splits=folds, shuffle=True, random_state=seed)


def cv_loss(train, config, X, y, splits, seed: int) -> float:
    """Mean loss of train() over explicit splits (R14: fit on X, score on the given test split)."""
    losses = [train(config, {"X": X[fit], "y": y[fit], "X_test": X[test], "y_test": y[test]}, seed=seed) for fit, test in splits]
    return float(np.mean(losses))


def evaluate(train, configs, X, y, task: str, seeds: int, repeats: int) -> tuple[list[float], dict]:
    """Reference losses, and per protocol: per seed the configurations' losses and the wall seconds spent."""
    reference_splits = list(splitter(task, 5, REFERENCE_SEED, repeats).split(X, y))
    reference = [cv_loss(train, c, X, y, reference_splits, REFERENCE_SEED) for c in configs]
    runs = {p: [] for p in PROTOCOLS}
    for seed in range(seeds):
        for protocol in PROTOCOLS:
            start = time.perf_counter()
            if protocol == "holdout":
                losses = [float(train(c, {"X": X, "y": y}, seed=seed)) for c in configs]
            else:
                splits = list(splitter(task, int(protocol[0]), seed).split(X, y))
                losses = [cv_loss(train, c, X, y, splits, seed) for c in configs]
            runs[protocol].append((losses, time.perf_counter() - start))
    return reference, runs


def summarize(dataset: str, space: str, n_rows: int, reference, runs, n_configs: int) -> dict:
    row = {"dataset": dataset, "space": space, "rows": n_rows, "spearman": {}, "sd": {}, "kendall": {}, "regret": {}, "top3": {}, "seconds": {}}
    for protocol, per_seed in runs.items():
        scores = [rank_agreement(losses, reference) for losses, _ in per_seed]
        rhos = [s[0] for s in scores]
        row["spearman"][protocol] = statistics.mean(rhos)
        row["sd"][protocol] = statistics.stdev(rhos) if len(rhos) > 1 else 0.0
        row["kendall"][protocol] = statistics.mean(s[1] for s in scores)
        row["regret"][protocol] = statistics.mean(s[2] for s in scores)
        row["top3"][protocol] = sum(s[3] for s in scores)
        row["seconds"][protocol] = statistics.mean(seconds for _, seconds in per_seed) / n_configs
    return row


def run_case(dataset: str, space_file: Path, args, folder: Path) -> dict:
    from trainfn_gen.analyze.sweep import load_train
    from trainfn_gen.engine.options import make_options
    from trainfn_gen.engine.pipeline import generate

    X, y, task = load(dataset)
    target = folder / f"train_{dataset}_{space_file.stem}.py"
    target.write_text(generate(space_file, make_options(task=task)))
    train = load_train(target)
    space = ConfigurationSpace.from_json(space_file)
    space.seed(0)
    configs = space.sample_configuration(args.configs)
    start = time.perf_counter()
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        reference, runs = evaluate(train, configs, X, y, task, args.seeds, args.repeats)
    row = summarize(dataset, space_file.name, len(y), reference, runs, args.configs)
    row["wall"] = time.perf_counter() - start
    return row


def cell(row: dict, protocol: str) -> str:
    ratio = row["seconds"][protocol] / row["seconds"]["holdout"]
    return (f"{row['spearman'][protocol]:.2f} ± {row['sd'][protocol]:.2f} / {row['kendall'][protocol]:.2f} | "
            f"{row['regret'][protocol]:.4f} ({row['top3'][protocol]}) | {ratio:.1f}x")


def conclusion(rows: list[dict], seeds: int) -> str:
    rule = recommend(rows)
    gaps = ", ".join(f"{n} rows {g:+.2f}" for n, g in rule["gap"].items())
    if rule["threshold"] is None:
        default = f"{rule['k']}-fold at every size measured (holdout never came within 0.05 of 5-fold)"
    elif rule["threshold"] == min(rule["gap"]):
        default = "holdout at every size measured (5-fold never ranked more than 0.05 better)"
    else:
        default = f"{rule['k']}-fold below {rule['threshold']} rows, holdout from {rule['threshold']} rows up"
    noise = ", ".join(f"{p} {statistics.mean(r['sd'][p] for r in rows):.2f}" for p in PROTOCOLS)
    cost = ", ".join(f"{p} {statistics.mean(r['seconds'][p] / r['seconds']['holdout'] for r in rows):.1f}x" for p in PROTOCOLS[1:])
    regret = ", ".join(f"{p} {sum(r['top3'][p] for r in rows)}/{seeds * len(rows)}" for p in PROTOCOLS)
    return conclusion_text(rule, gaps, default, cost, regret, noise, seeds) + " " + generator_default(rule)


def generator_default(rule: dict) -> str:
    """Whether `--cv auto` (generator/engine/cv.py) follows the rule: K, and a row limit between the largest size
    measured below the threshold and the threshold (the measurements cannot place it closer)."""
    from trainfn_gen.engine.cv import AUTO_FOLDS, AUTO_MAX_ROWS

    below = [n for n in rule["gap"] if rule["threshold"] is not None and n < rule["threshold"]]
    low = max(below, default=0)
    fits = rule["threshold"] is not None and AUTO_FOLDS == rule["k"] and low < AUTO_MAX_ROWS <= rule["threshold"]
    verdict = "follows this rule" if fits else "does NOT follow this rule: update AUTO_FOLDS / AUTO_MAX_ROWS in generator/engine/cv.py"
    return (
        f"`--cv auto` (generator/engine/cv.py) uses {AUTO_FOLDS} folds below {AUTO_MAX_ROWS} rows and {verdict} (the switch lies "
        f"between {low} and {rule['threshold']} rows)."
    )


def conclusion_text(rule: dict, gaps: str, default: str, cost: str, regret: str, noise: str, seeds: int) -> str:
    return (
        f"Conclusion (computed from the table by `recommend` in scripts/bench_cv.py): the Spearman gap 5-fold minus holdout, "
        f"per row count (spaces pooled), is {gaps}. The threshold is the smallest row count from which holdout stays within "
        f"0.05 of 5-fold at every larger size: {rule['threshold'] or 'none'}. Below it 3-fold's mean Spearman is "
        f"{rule['three']:.2f} and 5-fold's {rule['five']:.2f} (K = 3 when within 0.025, else 5). Default these numbers support: "
        f"**{default}**. Mean cost over holdout: {cost}. Picks in the reference's top 3: {regret}. Noise: the mean sd of "
        f"Spearman over the {seeds} seeds is {noise}; a gap smaller than that is not evidence either way."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=30)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=10, help="repeats of the reference's 5-fold")
    parser.add_argument("--jobs", type=int, default=2, help="cases run in parallel (worker processes)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--only", help="comma-separated datasets (a partial run: prints, writes nothing)")
    args = parser.parse_args()
    command = f"`python scripts/bench_cv.py --configs {args.configs} --seeds {args.seeds} --repeats {args.repeats} --jobs {args.jobs}`"
    if not args.corpus.is_dir():
        line = f"Skipped: no corpus at {os.path.relpath(args.corpus, ROOT)} (the spaces come from it; pass --corpus PATH)."
        print(f"bench_cv: {line}")
        write_section(SECTION, f"{SECTION}\n\n{line}\n")
        return 0
    cases = sorted((c for c in CASES if not args.only or c[0] in args.only.split(",")), key=lambda c: ORDER.index(c[0]))
    rows = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        # Each case in one worker process: its protocols (and so its cost ratios) share that process and its load.
        done = Parallel(n_jobs=args.jobs, return_as="generator_unordered")(
            delayed(run_case)(dataset, args.corpus / space, args, Path(tmp)) for dataset, space in cases
        )
        for row in done:
            rows.append(row)
            print(f"{row['dataset']:>15} {row['space']}: {' | '.join(f'{p} {cell(row, p)}' for p in PROTOCOLS)} ({row['wall']:.0f} s)", flush=True)
    rows.sort(key=lambda r: CASES.index((r["dataset"], r["space"])))
    total = time.perf_counter() - started
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, 5-minute load {os.getloadavg()[1]:.1f} at the end"
    header = " | ".join(f"{p}: Spearman ± sd / Kendall | {p}: regret (top-3 hits of {args.seeds}) | {p}: cost" for p in PROTOCOLS)
    table = [f"| dataset (rows) | space | {header} | holdout s/config |", "|---|---|" + "---|" * (3 * len(PROTOCOLS) + 1)]
    for row in rows:
        table.append(f"| {row['dataset']} ({row['rows']}) | {row['space']} | {' | '.join(cell(row, p) for p in PROTOCOLS)} | {row['seconds']['holdout']:.3f} |")
    text = "\n".join([
        SECTION, "",
        (f"{command} ({machine}; {total:.0f} s in all). Per (dataset, corpus space): train() generated from the space "
         f"(`trainfn-gen generate`, today's code), {args.configs} configurations sampled from the space (seed 0), each scored by "
         f"holdout (train()'s own seeded 80/20 split), 3-fold and 5-fold ((Stratified)KFold, shuffled) through train() with "
         f"explicit test splits (R14), with protocol seeds 0-{args.seeds - 1}; the reference is {args.repeats}x repeated 5-fold "
         f"with seed {REFERENCE_SEED}. Spearman/Kendall: rank correlation with the reference (mean ± sd over the seeds; 0 when a "
         "protocol gives every configuration the same loss). Regret: reference loss of the protocol's best configuration minus "
         "the reference's best (losses are -accuracy, or MSE for diabetes), mean over the seeds; in brackets how many seeds' picks "
         "were in the reference's top 3. Cost: wall seconds per configuration over holdout's (train()'s fixed cost included)."),
        "", *table, "", conclusion(rows, args.seeds), "",
    ])
    if args.only:
        print(text)
        return 0
    write_section(SECTION, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
