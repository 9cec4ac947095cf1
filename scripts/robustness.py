"""R24 sweep (`make robustness`): every golden space, >= 50 configurations, each train() call in its own process.

Per space (one golden case each, the first listed for it): the default configuration, one configuration per
categorical value (every value forced at least once), the rest random; calls rotate over native and numpy
values, X/y as numpy and pandas, with and without a given test split, and (multi-fidelity cases) the low,
middle and high budget and none. Every call runs in a process of its own, forked from this one after everything the
generated file imports, the datasets and coverage.py are loaded, so a call costs its fit plus a few
milliseconds; it is killed after --timeout seconds. Each call records the branches (arcs) of the generated
file it took and sends them back through a pipe; the union gives the branch coverage of each train().
Prints one line per space and a total (configurations, calls, crashes, timeouts, branch coverage), then the
branches no configuration reached. Exit 1 on any crash or timeout.

The forking, the time limit, the call itself (parameters by name) and the configuration sampler are
trainfn_gen.analyze.sweep, the machinery `trainfn-gen audit` runs on too.

Threads: BLAS/OpenMP pools are limited to one thread per call (as SMAC's workers run trials), so --jobs
calls share the cores without oversubscription.

usage: python scripts/robustness.py [--configs 50] [--timeout 120] [--jobs N] [--spaces 02.json,17.json]
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before numpy, sklearn, xgboost or lightgbm start their pools

import argparse  # after the thread limits (E402 is not enabled)
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

from trainfn_gen.analyze import sweep

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def child(call: dict, cov) -> dict:
    """One train() call (in the forked process): status "ok" when it returns a finite loss, else "crash".

    The arcs of the generated file it took come back with the status.
    """
    import math

    from harness import make_dataset
    from trainfn_gen.analyze.sweep import invoke, load_train, quietly

    status = "ok"
    data = make_dataset(call["data"], pandas=call["pandas"], given_test=call["given_test"])
    budget = None if call["budget"] == "none" else call["budget"]
    cov.start()
    try:
        train = load_train(Path(call["file"]))
        result = quietly(invoke, train, call["config"], data, call["seed"], numpy=call["numpy"], budget=budget, model_dir=call["model_dir"])
        loss = result["loss"] if isinstance(result, dict) else result
        if not math.isfinite(loss):
            raise ValueError(f"loss {loss} is not finite")
    except Exception:  # noqa: BLE001 - a crash is what the sweep counts
        status = "crash"
        print(f"  crash: {Path(call['file']).name} {call['config']}\n{traceback.format_exc(limit=3)}", file=sys.stderr)
    finally:
        cov.stop()
    data = cov.get_data()
    arcs = [arc for measured in data.measured_files() for arc in data.arcs(measured) or ()]  # only the generated file
    return {"status": status, "arcs": arcs}


def task_of(case: dict, file: Path | None = None) -> str:
    """The case's --task, else the task the generated file states (a space can imply one: a classifier-only
    family), else "auto" (y decides at run time). A classifier is never given a regression target: since issue 27
    its split refuses the 214 one-row "classes" of diabetes with one clear error."""
    args = case["args"]
    if "--task" in args:
        return args[args.index("--task") + 1]
    stated = re.search(r"^Task: (classification|regression)", file.read_text(), re.MULTILINE) if file else None
    return stated.group(1) if stated else "auto"


def datasets(task: str) -> tuple[str, ...]:
    return {"classification": ("iris", "wine", "breast_cancer"), "regression": ("diabetes",), "auto": ("iris", "diabetes")}[task]


def plan_calls(case: dict, file: Path, count: int) -> list[dict]:
    """One call per configuration; the call's index rotates value types, data, containers, split and budget."""
    from harness import load_space

    task = task_of(case, file)
    names = datasets(task)
    budgets = ["none"]
    if any(f in case["args"] for f in ("multi-fidelity", "MultiFidelityFacade", "hyperband", "HyperbandFacade")):
        low, high = (float(v) for v in file.read_text().split("budget in [", 1)[1].split("]", 1)[0].split(", "))
        budgets = [low, (low + high) / 2, high, "none"]  # train() also runs without a budget (its default)
    calls = []
    for index, config in enumerate(sweep.sample(load_space(case["space"]), count, seed=len(case["name"]))):
        calls.append({
            "file": str(file), "config": config, "numpy": index % 2 == 1, "seed": index,
            "data": names[index % len(names)], "pandas": index // 2 % 2 == 1, "given_test": index % 3 == 2,
            "budget": "none" if "nobudget" in case["name"] else budgets[index % len(budgets)],
            "model_dir": str(file.parent / "models") if index % 5 == 0 else "",
        })
    return calls


def preload(file: Path, calls: list[dict]) -> None:
    """Import what the generated file imports and load its datasets here, once, so every fork inherits them."""
    from harness import dataset

    sweep.preload(file)
    for name in {call["data"] for call in calls}:
        dataset(name)


def run_all(calls: list[dict], cov, jobs: int, timeout: float) -> tuple[list[str], set]:
    """Each call in its own forked process (trainfn_gen.analyze.sweep.run_all); (outcomes "ok"/"crash"/"timeout", arcs taken)."""
    results = sweep.run_all(calls, lambda call: child(call, cov), jobs, timeout)
    arcs = {tuple(arc) for result in results for arc in result.get("arcs", ())}  # a crash's arcs count too
    return [result["status"] for result in results], arcs


def branch_report(file: Path, arcs: set) -> tuple[int, int, list[str]]:
    """(reached, total, unreached) branches of one generated file, from the arcs the calls took."""
    import coverage

    cov = coverage.Coverage(data_file=None, branch=True)
    where = os.path.realpath(file)  # coverage.py keys its data by the real path
    cov.get_data().add_arcs({where: sorted(arcs)})
    analysis = cov._analyze(where)
    numbers = analysis.numbers
    missing = analysis.missing_branch_arcs()
    unreached = [f"{file.name}:{line}->{'exit' if target < 0 else target}" for line, targets in sorted(missing.items()) for target in targets]
    return numbers.n_branches - numbers.n_missing_branches, numbers.n_branches, unreached


def main() -> int:
    import coverage
    import harness  # noqa: F401 - loaded once here, inherited by every forked call
    from harness import case_options, first_case_per_space
    from trainfn_gen.engine.pipeline import generate

    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--spaces", help="comma-separated golden space files (default: all)")
    args = parser.parse_args()
    chosen = first_case_per_space(args.spaces)
    totals = {"configs": 0, "calls": 0, "crash": 0, "timeout": 0, "reached": 0, "branches": 0}
    unreached_all: list[str] = []
    started = time.monotonic()
    print(f"{'space':<24} {'case':<34} {'configs':>7} {'calls':>6} {'crashes':>8} {'timeouts':>9} {'branches':>10} {'seconds':>8}", flush=True)
    with tempfile.TemporaryDirectory() as root:
        for space, case in chosen.items():
            space_started = time.monotonic()
            folder = Path(root) / case["name"]
            folder.mkdir()
            file = folder / f"train_{case['name']}.py"
            file.write_text(generate(ROOT / "golden" / "spaces" / space, case_options(case["args"])))
            calls = plan_calls(case, file, args.configs)
            preload(file, calls)
            # Made once here, started in each fork: only the generated file is measured, nothing is written to disk.
            cov = coverage.Coverage(data_file=None, branch=True, include=[os.path.realpath(file)])
            outcomes, arcs = run_all(calls, cov, args.jobs, args.timeout)
            reached, branches, unreached = branch_report(file, arcs)
            crashes, timeouts = outcomes.count("crash"), outcomes.count("timeout")
            configs = len(calls)  # one call per sampled configuration
            for key, value in (("configs", configs), ("calls", len(calls)), ("crash", crashes), ("timeout", timeouts), ("reached", reached), ("branches", branches)):
                totals[key] += value
            unreached_all += [f"{case['name']}: {u}" for u in unreached]
            share = f"{reached}/{branches}"
            seconds = time.monotonic() - space_started
            print(f"{space:<24} {case['name']:<34} {configs:>7} {len(calls):>6} {crashes:>8} {timeouts:>9} {share:>10} {seconds:>8.1f}", flush=True)
    percent = 100.0 * totals["reached"] / max(totals["branches"], 1)
    seconds = time.monotonic() - started
    print(f"{'total':<24} {len(chosen):<34} {totals['configs']:>7} {totals['calls']:>6} {totals['crash']:>8} {totals['timeout']:>9} "
          f"{totals['reached']}/{totals['branches']} ({percent:.1f}%) {seconds:.0f} s")
    if unreached_all:
        print("unreached branches of the generated train() functions:")
        for line in unreached_all:
            print(f"  {line}")
    return 1 if totals["crash"] or totals["timeout"] else 0


if __name__ == "__main__":
    sys.exit(main())
