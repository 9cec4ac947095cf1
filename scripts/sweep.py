"""Run generated train() functions over many sampled configurations and count crashes (R24).

usage: python scripts/sweep.py [--configs N] SPACE.json[:task] ...
Each space: generate (loss contract, hpo facade), then call train() on the default and N sampled
configurations, each once with native and once with numpy values, rotating over scikit-learn datasets.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from harness import as_native, as_numpy, configurations, load_train, make_dataset
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate
from trainfn_gen.space.load import load_space

DATA = {"classification": ("iris", "wine", "breast_cancer", "digits"), "regression": ("diabetes",)}


def sweep(path: Path, task: str, count: int) -> tuple[int, int, float]:
    source = generate(path, make_options(task=task))
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"train_{path.stem}.py"
        target.write_text(source)
        train = load_train(target)
        calls = crashes = 0
        start = time.perf_counter()
        for index, config in enumerate(configurations(load_space(path), count, seed=1)):
            for cast in (as_native, as_numpy):
                data = make_dataset(DATA[task][index % len(DATA[task])], pandas=index % 3 == 1, given_test=index % 4 == 2)
                calls += 1
                with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                    warnings.simplefilter("ignore")
                    try:
                        train({k: cast(v) for k, v in config.items()}, data, seed=index)
                    except Exception:  # noqa: BLE001 - counting crashes is the point of the sweep
                        crashes += 1
                        print(f"  crash: {path.name} {config}\n{traceback.format_exc(limit=2)}", file=sys.stderr)
        return calls, crashes, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", type=int, default=50)
    parser.add_argument("spaces", nargs="+")
    args = parser.parse_args()
    total_calls = total_crashes = 0
    print(f"{'space':<10} {'task':<15} {'calls':>6} {'crashes':>8} {'seconds':>8}")
    for item in args.spaces:
        path, _, task = item.partition(":")
        calls, crashes, seconds = sweep(Path(path), task or "classification", args.configs)
        total_calls += calls
        total_crashes += crashes
        print(f"{Path(path).name:<10} {task or 'classification':<15} {calls:>6} {crashes:>8} {seconds:>8.1f}", flush=True)
    print(f"{'total':<10} {'':<15} {total_calls:>6} {total_crashes:>8}")
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
