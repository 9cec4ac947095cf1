"""`make bench` (issue 16): `trainfn-gen run --workers 2` vs one worker, trials per minute, into BENCHMARKS.md.

Each side is the real command in its own process: the same space, a hand-written train() of a few
seconds a trial (a one-thread random forest on 3000 synthetic rows, 240-480 trees), the same seed and
number of trials. The two sides alternate (REPEATS each). Two figures per side: trials per minute of
SMAC's optimization (the table's `time` row: from the facade's creation to the last trial) and of the
whole command (process start to exit: imports, the Dask cluster's start and stop included). The
ratio of the medians is the speed-up; never asserted in tests (timings depend on the machine).

    python scripts/bench_workers.py [--trials 12] [--repeats 2] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_section import write_section

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLI = [str(Path(PY).parent / "trainfn-gen")] if (Path(PY).parent / "trainfn-gen").exists() else [PY, "-m", "trainfn_gen"]
SECTION = "## `trainfn-gen run`: Dask workers vs one worker (issue 16)"

TRAIN = '''"""A trial of a few seconds: a random forest on 3000 synthetic rows, one thread."""
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split


def train(cfg, dataset, seed, budget=None, model_dir=None):
    X_train, X_valid, y_train, y_valid = train_test_split(dataset["X"], dataset["y"], test_size=0.2, random_state=seed)
    model = RandomForestClassifier(n_estimators=cfg["n_estimators"], max_depth=cfg["max_depth"], n_jobs=1, random_state=seed)
    return -model.fit(X_train, y_train).score(X_valid, y_valid)
'''


def setup(folder: Path) -> tuple[Path, Path, Path]:
    import numpy as np
    from ConfigSpace import ConfigurationSpace, Integer
    from sklearn.datasets import make_classification

    space = ConfigurationSpace(seed=0)
    space.add([Integer("n_estimators", (240, 480), default=360), Integer("max_depth", (8, 16), default=12)])
    space.to_json(folder / "forest.json")
    X, y = make_classification(3000, 30, random_state=0)
    np.savez(folder / "data.npz", X=X, y=y)
    (folder / "train.py").write_text(TRAIN)
    return folder / "forest.json", folder / "data.npz", folder / "train.py"


def one_run(folder: Path, files, trials: int, workers: int) -> tuple[float, float, float]:
    """(optimization seconds, command seconds, CPU share of the trials) of one `trainfn-gen run`.

    The CPU share is the trials' CPU seconds over their wall seconds (runhistory.json's cpu_time and
    time): 1.0 on an idle core; lower when other processes took the cores.
    """
    space, data, train = files
    command = [*CLI, "run", str(space), "--dataset", str(data), "--train", str(train), "--trials", str(trials), "--output-dir", str(folder / f"out{workers}"), "--overwrite"]
    if workers > 1:
        command += ["--workers", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench_workers: {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    finished = re.search(r"^trials finished\s+(\d+)$", done.stdout, re.MULTILINE)
    seconds = re.search(r"^time\s+([0-9.]+) s$", done.stdout, re.MULTILINE)
    if not finished or int(finished.group(1)) != trials:
        raise SystemExit(f"bench_workers: not every trial finished:\n{done.stdout}")
    import json

    history = json.loads(next((folder / f"out{workers}").glob("smac/*/*/runhistory.json")).read_text())["data"]
    share = sum(trial["cpu_time"] for trial in history) / max(1e-9, sum(trial["time"] for trial in history))
    return float(seconds.group(1)), wall, share


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = setup(folder)
        load_before = os.getloadavg()
        results: dict[int, list[tuple[float, float]]] = {1: [], args.workers: []}
        shares: dict[int, list[float]] = {1: [], args.workers: []}
        for _ in range(args.repeats):
            for workers in (1, args.workers):
                seconds, wall, share = one_run(folder, files, args.trials, workers)
                results[workers].append((seconds, wall))
                shares[workers].append(share)
                print(f"workers {workers}: optimization {seconds:.1f} s, command {wall:.1f} s, trial CPU share {share:.2f}", flush=True)
        load_after = os.getloadavg()
    rate = {w: (60 * args.trials / statistics.median(s for s, _ in r), 60 * args.trials / statistics.median(w_ for _, w_ in r)) for w, r in results.items()}
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    load = f"load average (1, 5 min) {load_before[0]:.1f}, {load_before[1]:.1f} before and {load_after[0]:.1f}, {load_after[1]:.1f} after"
    table = [
        "| side | trials/min, optimization (median) | trials/min, whole command (median) | runs (optimization s / command s) | trials' CPU s / wall s |",
        "|---|---|---|---|---|",
    ]
    for workers, runs in results.items():
        shown = ", ".join(f"{s:.1f}/{w:.1f}" for s, w in runs)
        share = ", ".join(f"{x:.2f}" for x in shares[workers])
        table.append(f"| {workers} worker{'s' if workers > 1 else ''} | {rate[workers][0]:.1f} | {rate[workers][1]:.1f} | {shown} | {share} |")
    one, many = rate[1], rate[args.workers]
    table.append(f"| ratio {args.workers} / 1 (target >= 1.6x) | {many[0] / one[0]:.2f}x | {many[1] / one[1]:.2f}x | | |")
    text = "\n".join([
        SECTION, "",
        (
            f"`python scripts/bench_workers.py --trials {args.trials} --repeats {args.repeats} --workers {args.workers}` ({machine}; {load}). "
            f"Each run is `trainfn-gen run --train` of a one-thread random forest (240-480 trees on 3000 synthetic rows, about 3-6 s a trial on an idle core), "
            f"{args.trials} trials, the sides alternated; with --workers the local Dask cluster has one-thread workers and cores // workers BLAS threads each."
        ),
        "", *table, "",
    ])
    alone = statistics.median(shares[1])
    if alone < 0.8:
        text += (
            f"\nThe trials of the 1-worker side got {alone:.2f} of a core (their CPU seconds over wall seconds): other processes "
            "held the cores, and where the kernel shares CPU per session (Linux autogroup) more worker processes get no more "
            "CPU, so these ratios say nothing about the 1.6x target. Rerun on an idle machine.\n"
        )
    write_section(SECTION, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
