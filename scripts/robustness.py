"""R24 sweep (`make robustness`): every golden space, >= 50 configurations, each train() call in its own process.

Per space (one golden case each, the first listed for it): the default configuration, one configuration per
categorical value (every value forced at least once), the rest random; each called with native and numpy
values, X/y as numpy and pandas, with and without a given test split (rotating). Every call runs in a fresh
process with a time limit, under coverage.py's branch measurement of the generated file. Prints one line per
space and a total (calls, crashes, timeouts, branch coverage), then the branches no configuration reached.

usage: python scripts/robustness.py [--configs 50] [--timeout 120] [--jobs N] [--spaces 02.json,17.json]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

def child(call: dict, data_file: str) -> None:
    """One train() call in a forked process, under branch coverage of the generated file; exit 1 on a crash."""
    import contextlib
    import io
    import math
    import traceback
    import warnings

    import coverage
    from harness import as_native, as_numpy, load_train, make_dataset

    cov = coverage.Coverage(data_file=data_file, data_suffix=True, branch=True, include=[call["file"]])
    status = 0
    cast = as_numpy if call["numpy"] else as_native
    data = make_dataset(call["data"], pandas=call["pandas"], given_test=call["given_test"])
    kwargs = {} if call["budget"] == "none" else {"budget": call["budget"]}
    if call["model_dir"]:
        kwargs["model_dir"] = call["model_dir"]
    cov.start()
    try:
        train = load_train(Path(call["file"]))
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            result = train({k: cast(v) for k, v in call["config"].items()}, data, seed=call["seed"], **kwargs)
        loss = result["loss"] if isinstance(result, dict) else result
        if not math.isfinite(loss):
            raise ValueError(f"loss {loss} is not finite")
    except Exception:  # noqa: BLE001 - a crash is what the sweep counts
        status = 1
        print(f"  crash: {Path(call['file']).name} {call['config']}\n{traceback.format_exc(limit=3)}", file=sys.stderr)
    finally:
        cov.stop()
        cov.save()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def task_of(case: dict) -> str:
    args = case["args"]
    return args[args.index("--task") + 1] if "--task" in args else "auto"


def datasets(task: str) -> tuple[str, ...]:
    return {"classification": ("iris", "wine", "breast_cancer"), "regression": ("diabetes",), "auto": ("iris", "diabetes")}[task]


def sample(space, count: int, seed: int) -> list[dict]:
    """The default, every categorical value at least once, then random configurations up to `count`."""
    from ConfigSpace import Configuration
    from trainfn_gen.hyperparameters import choice_values, is_categorical

    space.seed(seed)
    configs = [dict(space.get_default_configuration())]
    for hp in space.values():
        if not is_categorical(hp):
            continue
        for value in choice_values(hp):
            for _ in range(200):  # a random configuration with the value, when conditions and forbiddens allow
                candidate = dict(space.sample_configuration())
                candidate[hp.name] = value
                try:
                    configs.append(dict(Configuration(space, values=candidate)))
                    break
                except Exception:  # noqa: BLE001, S112 - inactive or forbidden here: draw another
                    continue
    while len(configs) < count:
        configs.append(dict(space.sample_configuration()))
    return [{k: v.item() if hasattr(v, "item") else v for k, v in c.items()} for c in configs]


def plan_calls(case: dict, file: Path, count: int) -> list[dict]:
    from harness import load_space

    task = task_of(case)
    names = datasets(task)
    budgets = ["none"]
    if any(f in case["args"] for f in ("multi-fidelity", "MultiFidelityFacade", "hyperband", "HyperbandFacade")):
        low, high = (float(v) for v in file.read_text().split("budget in [", 1)[1].split("]", 1)[0].split(", "))
        budgets = [low, (low + high) / 2, high]
    calls = []
    for index, config in enumerate(sample(load_space(case["space"]), count, seed=len(case["name"]))):
        for numpy in (False, True):
            calls.append({
                "file": str(file), "config": config, "numpy": numpy, "seed": index,
                "data": names[index % len(names)], "pandas": (index + numpy) % 2 == 1, "given_test": index % 3 == 2,
                "budget": "none" if "nobudget" in case["name"] else budgets[index % len(budgets)],
                "model_dir": str(file.parent / "models") if index % 5 == 0 and not numpy else "",
            })
    return calls


def run_all(calls: list[dict], data_file: Path, jobs: int, timeout: float) -> list[str]:
    """Each call in its own forked process (imports already loaded), `jobs` at a time, killed after `timeout` s."""
    context = multiprocessing.get_context("fork")
    outcomes: list[str] = [""] * len(calls)
    running: dict[int, tuple] = {}
    pending = list(enumerate(calls))
    while pending or running:
        while pending and len(running) < jobs:
            index, call = pending.pop(0)
            process = context.Process(target=child, args=(call, str(data_file)))
            process.start()
            running[index] = (process, time.monotonic())
        for index, (process, started) in list(running.items()):
            if process.exitcode is not None:
                outcomes[index] = "ok" if process.exitcode == 0 else "crash"
            elif time.monotonic() - started > timeout:
                process.kill()
                process.join()
                outcomes[index] = "timeout"
            else:
                continue
            del running[index]
        time.sleep(0.02)
    return outcomes


def branch_report(folder: Path, file: Path) -> tuple[int, int, list[str]]:
    """(reached, total, unreached) branches of one generated file, from the combined coverage data."""
    import coverage

    data_file = folder / ".coverage"
    cov = coverage.Coverage(data_file=str(data_file), branch=True)
    cov.combine([str(folder)], keep=False)
    cov.save()
    cov.load()
    analysis = cov._analyze(str(file))
    numbers = analysis.numbers
    missing = analysis.missing_branch_arcs()
    unreached = [f"{file.name}:{line}->{'exit' if target < 0 else target}" for line, targets in sorted(missing.items()) for target in targets]
    return numbers.n_branches - numbers.n_missing_branches, numbers.n_branches, unreached


def main() -> int:
    from harness import golden_cases
    from trainfn_gen.api import generate
    from trainfn_gen.options import make_options

    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--spaces", help="comma-separated golden space files (default: all)")
    args = parser.parse_args()
    wanted = set(args.spaces.split(",")) if args.spaces else None
    chosen: dict[str, dict] = {}
    for case in golden_cases():
        if wanted is None or case["space"] in wanted:
            chosen.setdefault(case["space"], case)
    totals = {"calls": 0, "crash": 0, "timeout": 0, "reached": 0, "branches": 0}
    unreached_all: list[str] = []
    print(f"{'space':<24} {'case':<34} {'calls':>6} {'crashes':>8} {'timeouts':>9} {'branches':>10}", flush=True)
    import harness  # noqa: F401 - loaded once here, inherited by every forked call
    import sklearn.ensemble  # noqa: F401
    with tempfile.TemporaryDirectory() as root:
        for space, case in chosen.items():
            folder = Path(root) / case["name"]
            folder.mkdir()
            file = folder / f"train_{case['name']}.py"
            options = dict(zip(case["args"][::2], case["args"][1::2], strict=False))
            opts = make_options(options.get("--task"), options.get("--contract", "loss"), options.get("--facade", "hpo"),
                                float(options["--min-budget"]) if "--min-budget" in options else None,
                                float(options["--max-budget"]) if "--max-budget" in options else None)
            file.write_text(generate(ROOT / "golden" / "spaces" / space, opts))
            calls = plan_calls(case, file, args.configs)
            outcomes = run_all(calls, folder / ".coverage", args.jobs, args.timeout)
            reached, branches, unreached = branch_report(folder, file)
            crashes, timeouts = outcomes.count("crash"), outcomes.count("timeout")
            for key, value in (("calls", len(calls)), ("crash", crashes), ("timeout", timeouts), ("reached", reached), ("branches", branches)):
                totals[key] += value
            unreached_all += [f"{case['name']}: {u}" for u in unreached]
            share = f"{reached}/{branches}"
            print(f"{space:<24} {case['name']:<34} {len(calls):>6} {crashes:>8} {timeouts:>9} {share:>10}", flush=True)
    percent = 100.0 * totals["reached"] / max(totals["branches"], 1)
    print(f"{'total':<24} {len(chosen):<34} {totals['calls']:>6} {totals['crash']:>8} {totals['timeout']:>9} {totals['reached']}/{totals['branches']} ({percent:.1f}%)")
    if unreached_all:
        print("unreached branches of the generated train() functions:")
        for line in unreached_all:
            print(f"  {line}")
    return 1 if totals["crash"] or totals["timeout"] else 0


if __name__ == "__main__":
    sys.exit(main())
