"""`make bench`: speed and memory, each figure a ratio measured in one run, written to BENCHMARKS.md (R23).

Never asserted in tests: timings depend on the machine. Rows:
generation of all corpus spaces in one process; CLI cold start vs importing its four dependencies;
`sync --check` over the corpus (skipped with a note while the command does not exist); generated
scikit-learn train() vs a hand-written fit-and-score (RF and SVM on digits); peak memory.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "automl-agent"
PY = sys.executable
REPEATS = 5

HAND = {
    "RF": "from sklearn.ensemble import RandomForestClassifier as E; kwargs = dict(n_estimators=100, max_depth=10, random_state=0)",
    "SVM": "from sklearn.svm import SVC as E; from sklearn.pipeline import make_pipeline; from sklearn.preprocessing import StandardScaler; kwargs = dict(C=1.0, gamma='scale')",
}
HAND_RUN = """
import time, resource
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score
{setup}
X, y = load_digits(return_X_y=True)
times = []
for _ in range({repeats}):
    t = time.perf_counter()
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
    model = E(**kwargs) if 'SVC' not in E.__name__ else make_pipeline(StandardScaler(), E(**kwargs))
    model.fit(Xtr, ytr)
    accuracy_score(yva, model.predict(Xva))
    times.append(time.perf_counter() - t)
print(sorted(times)[len(times) // 2], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
GEN_RUN = """
import sys, time, resource, contextlib, io
sys.path.insert(0, {tests!r})
from harness import load_train
from sklearn.datasets import load_digits
train = load_train(__import__('pathlib').Path({file!r}))
X, y = load_digits(return_X_y=True)
times = []
for _ in range({repeats}):
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        train({config!r}, {{'X': X, 'y': y}}, seed=0)
    times.append(time.perf_counter() - t)
print(sorted(times)[len(times) // 2], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
GENERATE_ALL = """
import sys, time, resource, statistics
from trainfn_gen.api import generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.options import make_options
times, refused = [], 0
for path in sorted(__import__('pathlib').Path({corpus!r}).glob('*.json')):
    t = time.perf_counter()
    try:
        generate(path, make_options(task='classification'))
    except GeneratorError:
        refused += 1
    times.append(time.perf_counter() - t)
print(sum(times), statistics.median(times), len(times), refused, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(code: str) -> list[str]:
    return subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()


def wall(command: list[str]) -> float:
    """Median wall time of a command over REPEATS cold starts."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    rows = []
    total, p50, count, refused, gen_rss = run(GENERATE_ALL.format(corpus=str(CORPUS)))
    rows.append(("generation, all corpus spaces, one process", f"{float(total):.2f} s total for {count} spaces ({refused} refused); p50 {float(p50) * 1000:.1f} ms", f"{float(total) / 3:.2f}x of the 3 s target; p50 {float(p50) / 0.03:.2f}x of 30 ms"))
    space = ROOT / "golden" / "spaces" / "17.json"
    cli = wall([PY, "-m", "trainfn_gen", "generate", str(space)])
    deps = wall([PY, "-c", "import ConfigSpace, black, jinja2, click"])
    rows.append(("CLI cold start: `trainfn-gen generate` vs importing ConfigSpace, black, jinja2, click", f"{cli:.2f} s vs {deps:.2f} s", f"{cli / deps:.2f}x (target <= 1.2x)"))
    has_sync = subprocess.run([PY, "-m", "trainfn_gen", "sync", "--help"], capture_output=True, check=False, cwd=ROOT).returncode == 0
    if has_sync:
        start = time.perf_counter()
        subprocess.run([PY, "-m", "trainfn_gen", "sync", "--check", *map(str, sorted(CORPUS.glob("*.json")))], capture_output=True, check=False, cwd=ROOT)
        seconds = time.perf_counter() - start
        rows.append(("`sync --check` over the corpus", f"{seconds:.2f} s", f"{seconds / 5:.2f}x of the 5 s target"))
    else:
        rows.append(("`sync --check` over the corpus", "skipped: `trainfn-gen sync` does not exist in this checkout yet", "-"))
    from trainfn_gen.api import generate
    from trainfn_gen.options import make_options

    peak_train = []
    with tempfile.TemporaryDirectory() as folder:
        for label, space_name, config in (("RF", "17.json", {"n_estimators": 100, "max_depth": 10}), ("SVM", "05.json", {"C": 1.0, "kernel": "rbf"})):
            file = Path(folder) / f"train_{label}.py"
            file.write_text(generate(ROOT / "golden" / "spaces" / space_name, make_options(task="classification")))
            gen_time, gen_peak = run(GEN_RUN.format(tests=str(ROOT / "tests"), file=str(file), config=config, repeats=REPEATS))
            hand_time, hand_peak = run(HAND_RUN.format(setup=HAND[label], repeats=REPEATS))
            rows.append((f"generated train() vs hand-written fit-and-score, {label} on digits (median of {REPEATS})", f"{float(gen_time) * 1000:.0f} ms vs {float(hand_time) * 1000:.0f} ms", f"{float(gen_time) / float(hand_time):.2f}x (target <= 1.05x)"))
            peak_train.append((label, int(gen_peak), int(hand_peak)))
    deps_peak = int(run("import resource, ConfigSpace, black, jinja2, click; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")[0])
    rows.append(("peak memory: generation of every corpus space vs importing its dependencies", f"{int(gen_rss) / 1024:.0f} MiB vs {deps_peak / 1024:.0f} MiB", f"{int(gen_rss) / deps_peak:.2f}x"))
    for label, gen_peak, hand_peak in peak_train:
        rows.append((f"peak memory: generated train() vs hand-written, {label}", f"{gen_peak / 1024:.0f} MiB vs {hand_peak / 1024:.0f} MiB", f"{gen_peak / hand_peak:.2f}x"))
    lines = ["# Benchmarks", "", "Written by `make bench` (scripts/bench.py); each ratio is measured within one run on one machine.", "",
             f"Machine: {sys.platform}, Python {sys.version.split()[0]}.", "", "| measure | measured | ratio |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
