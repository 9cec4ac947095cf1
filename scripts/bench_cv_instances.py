"""`make bench` (issue 17): `run --cv K --folds-as-instances` vs plain K-fold CV, into BENCHMARKS.md.

Two corpus selector spaces (SVM / random forest), each on a scikit-learn dataset; each side is one
`optimize` (what `trainfn-gen run` does) with the same seed: plain CV and folds as instances with
the same number of trials (a plain-CV trial scores all K folds, a folds-as-instances trial one fold,
SMAC's intensifier racing the configurations over the folds), and folds as instances with K times
the trials (as many fold fits as plain CV). The train() is the space's generated `--cv K` train()
(dataset["fold"] selects one fold; a plain call scores all). Figures per side: wall time of the optimization, the final incumbent's all-folds CV loss (a
plain call), and the time at which the run's incumbent first had an all-folds CV loss at least as
good as the plain-CV run's final one (from SMAC's trajectory in intensifier.json). Timings are not
asserted in tests.

    python scripts/bench_cv_instances.py [--trials 16] [--folds 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench_section import write_section

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "automl-agent"
SECTION = "## `trainfn-gen run --cv K --folds-as-instances` vs plain K-fold CV (issue 17)"
CASES = [("02", "breast_cancer"), ("04", "digits")]

def setup(folder: Path, space: str, folds: int) -> tuple[Path, Path]:
    """The space and its generated K-fold train() (`generate --cv K`)."""
    from trainfn_gen import generate

    path = CORPUS / f"{space}.json"
    train = folder / f"cv_{space}.py"
    train.write_text(generate(path, task="classification", cv=folds))
    return path, train


def one_side(folder: Path, space: Path, cv_train: Path, dataset: str, trials: int, folds: int, instances: bool) -> dict:
    from trainfn_gen.engine.options import make_options
    from trainfn_gen.run.optimize import optimize

    out = folder / f"{space.stem}-{dataset}-{'instances' if instances else 'plain'}"
    start = time.perf_counter()
    result = optimize(
        space, f"sklearn:{dataset}", make_options(task="classification", cv=folds), trials=trials, output_dir=out, train_file=cv_train, seed=0,
        overwrite=True, echo=lambda line: None, save_models="none", folds_as_instances=instances,
    )
    wall = time.perf_counter() - start
    trajectory = json.loads((result.smac_dir / "intensifier.json").read_text())["trajectory"]
    history = json.loads((result.smac_dir / "runhistory.json").read_text())
    seed = history["data"][0]["seed"]  # the seed SMAC gave every trial (deterministic)
    return {"result": result, "wall": wall, "trajectory": trajectory, "configs": history["configs"], "seed": seed, "fits": len(history["data"]) * (1 if instances else folds)}


def cv_loss(train, config: dict, data: dict, seed: int, cache: dict) -> float:
    key = json.dumps(config, sort_keys=True)
    if key not in cache:
        cache[key] = train(config, data, seed)
    return cache[key]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=16)
    parser.add_argument("--folds", type=int, default=4)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"bench_cv_instances: skipped: {CORPUS} (the corpus) is not beside this checkout")
        return 0
    import contextlib
    import io

    from trainfn_gen import load_train
    from trainfn_gen.data.datasets import load_dataset

    rows = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for space_name, dataset in CASES:
            space, cv_train = setup(folder, space_name, args.folds)
            train = load_train(cv_train)
            data = load_dataset(f"sklearn:{dataset}")
            # The same number of trials; and folds as instances with as many fold fits as plain CV makes.
            plan = {"plain": (args.trials, False), "instances": (args.trials, True), "instances, same fold fits": (args.trials * args.folds, True)}
            sides = {mode: one_side(folder, space, cv_train, dataset, trials, args.folds, instances) for mode, (trials, instances) in plan.items()}
            cache: dict = {}
            with contextlib.redirect_stdout(io.StringIO()):
                losses = {mode: [(item["walltime"], cv_loss(train, side["configs"][str(item["config_ids"][0])], data, side["seed"], cache)) for item in side["trajectory"]]
                          for mode, side in sides.items()}
            target = losses["plain"][-1][1]
            for mode, side in sides.items():
                reached = next((seconds for seconds, loss in losses[mode] if loss <= target + 1e-12), None)
                rows.append((f"{space_name}.json on {dataset}", mode, plan[mode][0], side["fits"], side["wall"], losses[mode][-1][1], reached, len(side["trajectory"])))
                print(f"{space_name} {dataset} {mode}: {side['wall']:.1f} s, {side['fits']} fold fits, final CV loss {losses[mode][-1][1]:.4f}, "
                      f"reached plain's {target:.4f} at {reached if reached is None else round(reached, 1)} s", flush=True)
    load_after = os.getloadavg()
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        SECTION,
        "",
        (f"`python scripts/bench_cv_instances.py --trials {args.trials} --folds {args.folds}` ({machine}; load average (1 min) "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; other jobs shared the cores). Hyperparameter optimization facade, "
        f"seed 0, the same number of SMAC trials on the first two sides: a plain-CV trial fits all {args.folds} folds, a "
        f"folds-as-instances trial one fold; the third side gives folds as instances {args.folds}x the trials, as many fold fits as plain CV (SMAC's intensifier "
        "runs a challenger on more folds only while it can still beat the incumbent; the incumbent runs on every fold). "
        "The train() is the space's generated `--cv K` train() (`dataset[\"fold\"]` selects one fold, a plain call scores all). "
        "Final loss: the final incumbent's all-folds CV loss "
        "(-accuracy, a plain call with the trials' seed); reached: seconds into the optimization at which the run's incumbent first had "
        "an all-folds CV loss at least as good as the plain-CV run's final one (SMAC's trajectory)."),
        "",
        "| space | side | trials | fold fits | wall s | final incumbent CV loss | s until plain CV's final loss | incumbent changes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, mode, trials, fits, wall, loss, reached, changes in rows:
        shown = "not reached" if reached is None else f"{reached:.1f}"
        side = {"plain": "plain CV", "instances": "folds as instances", "instances, same fold fits": "folds as instances, as many fold fits"}[mode]
        lines.append(f"| {name} | {side} | {trials} | {fits} | {wall:.1f} | {loss:.4f} | {shown} | {changes} |")
    write_section(SECTION, "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
