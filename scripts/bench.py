"""`make bench`: speed and memory, each figure a ratio measured in one run, written to BENCHMARKS.md (R23).

Never asserted in tests: timings depend on the machine. Rows:
- generation of every corpus space in one process (total, p50; black included);
- `trainfn-gen --help` and `--version` vs `python -c "import click"` (issue 19: <= 1.5x), alternated;
- CLI cold start of `trainfn-gen generate` vs `python -c "import ConfigSpace, black, jinja2, click"`, the two
  commands alternated, median of each;
- `sync --check` over a temporary project with one target per corpus space that generates (a space refused
  as it is gets the first --family that generates; the rest are skipped and counted);
- a generated scikit-learn train() vs a hand-written minimal fit-and-score of the SAME configuration: the
  estimator's arguments and the scaler are read back from the model the generated train() saved, the split is
  the same (80/20, stratified, random_state=seed); both run alternately in one process and must return the
  same loss (RF and SVM on digits);
- peak memory (max RSS) of generation and of one generated train() vs the hand-written one, each in a fresh
  process.

Rows that need the shared corpus (../shared/corpus/automl-agent, or --corpus PATH) are replaced by one
"skipped: no corpus at PATH" row when it is absent. `--only GROUP` runs one group of rows (start,
corpus, train); `--output FILE` writes elsewhere than BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "automl-agent"
PY = sys.executable
REPEATS = 7
CLI = [str(Path(PY).parent / "trainfn-gen")] if (Path(PY).parent / "trainfn-gen").exists() else [PY, "-m", "trainfn_gen"]

GENERATE_ALL = """
import sys, time, resource, statistics
from pathlib import Path
from trainfn_gen.api import generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.options import make_options
times, refused = [], 0
for path in sorted(Path({corpus!r}).glob('*.json')):
    t = time.perf_counter()
    try:
        generate(path, make_options(None))
    except GeneratorError:
        refused += 1
    times.append(time.perf_counter() - t)
print(sum(times), statistics.median(times), len(times), refused, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

# The generated train() and a hand-written fit-and-score of the same configuration, alternated in one process.
TRAIN_VS_HAND = """
import contextlib, glob, io, statistics, sys, tempfile, time
sys.path.insert(0, {tests!r})
import joblib
from harness import load_train
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.compose import ColumnTransformer
train = load_train(__import__('pathlib').Path({file!r}))
X, y = load_digits(return_X_y=True)
config = {config!r}
with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()):
    generated_loss = train(config, {{'X': X, 'y': y}}, seed=0, model_dir=folder)
    saved = joblib.load(glob.glob(folder + '/*.joblib')[0])

def flatten(step):
    return [s for _, inner in step.steps for s in flatten(inner)] if isinstance(step, Pipeline) else [step]

steps = [s for s in flatten(saved) if not isinstance(s, ColumnTransformer)]  # drop the imputer/encoder
estimator, scalers = steps[-1], steps[:-1]
joblib.dump(make_pipeline(*[clone(s) for s in scalers], clone(estimator)), {hand_file!r})  # for the memory row

def hand(X, y, seed):
    X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.2, random_state=seed, stratify=y)
    model = make_pipeline(*[clone(s) for s in scalers], clone(estimator))
    model.fit(X_train, y_train)
    return -accuracy_score(y_valid, model.predict(X_valid))

hand_loss = hand(X, y, 0)
assert abs(hand_loss - generated_loss) < 1e-12, (hand_loss, generated_loss)
gen_times, hand_times = [], []
for _ in range({repeats}):
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        train(config, {{'X': X, 'y': y}}, seed=0)
    gen_times.append(time.perf_counter() - t)
    t = time.perf_counter()
    hand(X, y, 0)
    hand_times.append(time.perf_counter() - t)
print(statistics.median(gen_times), statistics.median(hand_times), generated_loss)
"""

# Peak memory of one fit, in a fresh process: `which` is "generated" or "hand".
PEAK = """
import contextlib, io, resource, sys
sys.path.insert(0, {tests!r})
from harness import load_train
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score
import joblib
X, y = load_digits(return_X_y=True)
if {which!r} == 'generated':
    train = load_train(__import__('pathlib').Path({file!r}))
    with contextlib.redirect_stdout(io.StringIO()):
        train({config!r}, {{'X': X, 'y': y}}, seed=0)
else:
    X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
    model = joblib.load({hand_file!r})  # the unfitted hand-written model of the timing row: same configuration
    model.fit(X_train, y_train)
    accuracy_score(y_valid, model.predict(X_valid))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(code: str) -> list[str]:
    done = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"bench step failed:\n{done.stderr}")
    if done.stderr.strip():
        print(done.stderr.strip(), file=sys.stderr)
    return done.stdout.split()


def alternate(first: list[str], second: list[str], repeats: int = REPEATS) -> tuple[float, float]:
    """Median wall time of two commands run alternately from a cold start (same load for both)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for command, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
            bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def sync_project(folder: Path, corpus: Path) -> tuple[Path, int, list[str]]:
    """A pyproject.toml with one target per corpus space that generates (or generates with some --family)."""
    from trainfn_gen.engine.options import make_options
    from trainfn_gen.engine.pipeline import generate
    from trainfn_gen.errors import GeneratorError
    from trainfn_gen.knowledge.families import FAMILIES

    (folder / "spaces").mkdir()
    (folder / "out").mkdir()
    lines, skipped = ['[project]\nname = "bench"\nversion = "0"\n'], []
    count = 0
    for path in sorted(corpus.glob("*.json")):
        family = None
        for candidate in (None, *(f.name for f in FAMILIES)):
            try:
                generate(path, make_options(None, family=candidate))
            except GeneratorError:
                continue
            family = candidate or ""
            break
        if family is None:
            skipped.append(path.name)
            continue
        (folder / "spaces" / path.name).write_bytes(path.read_bytes())
        extra = f'family = "{family}"\n' if family else ""
        lines.append(f'[tool.trainfn-gen.targets.s{path.stem}]\nspace = "spaces/{path.name}"\noutput = "out/train_{path.stem}.py"\n{extra}')
        count += 1
    pyproject = folder / "pyproject.toml"
    pyproject.write_text("\n".join(lines))
    return pyproject, count, skipped


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "uptime unavailable"


def start_rows() -> list[tuple[str, str, str]]:
    """Issue 19: --help and --version import nothing heavy; generate's cold start vs the imports it needs."""
    rows = []
    for flag in ("--help", "--version"):
        cli, bare = alternate([*CLI, flag], [PY, "-c", "import click"])
        rows.append((f"CLI start: `trainfn-gen {flag}` vs `python -c \"import click\"` (alternated, median of {REPEATS})",
                     f"{cli:.3f} s vs {bare:.3f} s", f"{cli / bare:.2f}x (target <= 1.5x)"))
    space = ROOT / "golden" / "spaces" / "17.json"
    cli, deps = alternate([*CLI, "generate", str(space)], [PY, "-c", "import ConfigSpace, black, jinja2, click"])
    rows.append((f"CLI cold start: `trainfn-gen generate 17.json` vs `python -c \"import ConfigSpace, black, jinja2, click\"` (alternated, median of {REPEATS})",
                 f"{cli:.3f} s vs {deps:.3f} s", f"{cli / deps:.2f}x (target <= 1.2x)"))
    return rows


def corpus_rows(corpus: Path) -> list[tuple[str, str, str]]:
    """Generation of every corpus space, `sync --check` over them, and the peak memory of generation."""
    if not corpus.is_dir():
        line = f"skipped: no corpus at {corpus} (the rows of corpus generation, sync --check and generation memory need it; pass --corpus PATH)"
        print(line)
        return [("corpus rows", line, "-")]
    rows = []
    total, p50, count, refused, gen_rss = run(GENERATE_ALL.format(corpus=str(corpus)))
    rows.append(("generation, all corpus spaces, one process (black included)",
                 f"{float(total):.2f} s total for {count} spaces ({refused} refused); p50 {float(p50) * 1000:.1f} ms",
                 f"{float(total) / 3:.2f}x of the 3 s target; p50 {float(p50) / 0.03:.2f}x of 30 ms"))
    with tempfile.TemporaryDirectory() as folder:
        pyproject, targets, skipped = sync_project(Path(folder), corpus)
        subprocess.run([*CLI, "sync", "--config", str(pyproject)], capture_output=True, check=True, cwd=folder)
        seconds = []
        for _ in range(3):
            start = time.perf_counter()
            done = subprocess.run([*CLI, "sync", "--check", "--config", str(pyproject)], capture_output=True, text=True, check=False, cwd=folder)
            seconds.append(time.perf_counter() - start)
        if done.returncode:
            raise SystemExit(f"sync --check failed:\n{done.stdout}{done.stderr}")
        median = statistics.median(seconds)
        rows.append((f"`sync --check` over {targets} targets, all up to date (one per corpus space that generates; {len(skipped)} refused spaces skipped; median of 3, cold start included)",
                     f"{median:.2f} s ({median / targets * 1000:.0f} ms per target)", f"{median / 5:.2f}x of the 5 s target"))
    deps_peak = int(run("import resource, ConfigSpace, black, jinja2, click; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")[0])
    rows.append(("peak memory: generation of every corpus space vs importing its dependencies", f"{int(gen_rss) / 1024:.0f} MiB vs {deps_peak / 1024:.0f} MiB", f"{int(gen_rss) / deps_peak:.2f}x"))
    return rows


def train_rows() -> list[tuple[str, str, str]]:
    """A generated train() vs a hand-written fit-and-score of the same configuration: time and peak memory."""
    from trainfn_gen.engine.options import make_options
    from trainfn_gen.engine.pipeline import generate

    rows, peaks = [], []
    with tempfile.TemporaryDirectory() as folder:
        for label, space_name, config in (("RF", "17.json", {"n_estimators": 100, "max_depth": 10}), ("SVM", "05.json", {"C": 1.0, "kernel": "rbf", "gamma": 0.1})):
            file = Path(folder) / f"train_{label}.py"
            file.write_text(generate(ROOT / "golden" / "spaces" / space_name, make_options(task="classification")))
            hand_file = str(Path(folder) / f"hand_{label}.joblib")
            gen_time, hand_time, loss = run(TRAIN_VS_HAND.format(tests=str(ROOT / "tests"), file=str(file), config=config, repeats=REPEATS, hand_file=hand_file))
            rows.append((f"generated train() vs hand-written fit-and-score of the same configuration, {label} on digits ({space_name} {config}; alternated, median of {REPEATS}; same loss {float(loss):.4f})",
                         f"{float(gen_time) * 1000:.0f} ms vs {float(hand_time) * 1000:.0f} ms", f"{float(gen_time) / float(hand_time):.2f}x (target <= 1.05x)"))
            common = {"tests": str(ROOT / "tests"), "file": str(file), "config": config, "hand_file": hand_file}
            peaks.append((label, int(run(PEAK.format(which="generated", **common))[0]), int(run(PEAK.format(which="hand", **common))[0])))
    for label, gen_peak, hand_peak in peaks:
        rows.append((f"peak memory: generated train() vs hand-written, {label} (fresh process each)", f"{gen_peak / 1024:.0f} MiB vs {hand_peak / 1024:.0f} MiB", f"{gen_peak / hand_peak:.2f}x"))
    return rows


GROUPS = {"start": start_rows, "corpus": corpus_rows, "train": train_rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"the corpus of spaces (default: {CORPUS})")
    parser.add_argument("--only", choices=list(GROUPS), help="run one group of rows")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    load_before = uptime()
    # pip byte-compiles a package it installs; an editable checkout under PYTHONDONTWRITEBYTECODE=1 would
    # recompile every trainfn_gen module at each start instead. Measure what users run: compiled.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "generator")], check=True)
    rows = []
    for name, group in GROUPS.items():
        if args.only in (None, name):
            rows += group(args.corpus) if name == "corpus" else group()
    load_after = uptime()
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if os.getloadavg()[1] > 0.5:  # 5-minute load: something besides this script was running
        machine += (f"; shared: the 5-minute load average was {os.getloadavg()[1]:.1f} at the end, so other processes used CPU"
                    " during the run (ratios are within one run, both sides under the same load)")
    lines = ["# Benchmarks", "", "Written by `make bench` (scripts/bench.py); each ratio is measured within one run on one machine.", "",
             f"Machine: {machine}.", f"Load before: `{load_before}`.", f"Load after: `{load_after}`.",
             "trainfn_gen is byte-compiled first (as pip does on install); the dependencies' own .pyc files come from pip.", "",
             *([] if args.corpus.is_dir() else [f"Skipped: the corpus rows (generation, `sync --check`, generation's peak memory): {args.corpus} is not there.", ""]),
             "| measure | measured | ratio |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    args.output.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
