"""`trainfn-gen run`: generate (or take) a train(), optimize it with a real SMAC 2 facade, report.

Needs the `run` extra (smac, which brings dask/distributed; matplotlib for the plot). SMAC's
TargetFunctionRunner accepts a float, a list of floats (one per objective), a dict whose keys are
exactly the scenario's objectives, or a tuple (cost, additional_info); `Target` turns every
contract's return value into the last form, so the `metrics` contract's dict lands in the run
history's additional info instead of being rejected.
"""

from __future__ import annotations

import inspect
import io
import json
import logging
import math
import re
import time
import types
import warnings
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GeneratorError
from .options import MULTI_FIDELITY, Options

FACADE_CLASSES = {
    "blackbox": "BlackBoxFacade",
    "hpo": "HyperparameterOptimizationFacade",
    "multi-fidelity": "MultiFidelityFacade",
    "hyperband": "HyperbandFacade",
}
# One thread per trial on Dask workers: BLAS, OpenMP (scikit-learn, torch) and numexpr read these at start-up.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
STATED_BUDGET = re.compile(r"budget in \[([0-9.eE+-]+), ([0-9.eE+-]+)\]")


def adapt(result) -> tuple[float, dict]:
    """train()'s return value -> (cost, additional_info), a form SMAC 2's TargetFunctionRunner accepts.

    contract `loss` / `no-budget`: the float is the cost, no additional info.
    contract `metrics`: `loss` is the cost; the other metrics become the trial's additional info
    (SMAC raises on a returned dict whose keys are not exactly the scenario's objectives).
    """
    if isinstance(result, dict):
        if "loss" not in result:
            raise ValueError(f"train() returned a dict without 'loss' (keys: {sorted(result)})")
        return float(result["loss"]), {key: float(value) for key, value in result.items() if key != "loss"}
    return float(result), {}


class Target:
    """The target function handed to SMAC: calls train(cfg, dataset, seed[, budget], model_dir) and adapts its result.

    It carries the train() source, not the function, so that it pickles to Dask workers on any machine;
    each process compiles the source once. train()'s progress prints (R22) are kept in the trial's
    additional info under "output" instead of interleaving with the progress bar.
    """

    def __init__(self, source: str, filename: str, dataset: dict, model_dir: str, contract: str, uses_budget: bool, threads: int | None = None):
        self.source = source
        self.filename = filename
        self.dataset = dataset
        self.model_dir = model_dir
        self.contract = contract
        self.threads = threads
        self._train = None
        # SMAC passes the arguments the signature names (seed; budget for multi-fidelity facades).
        parameters = [inspect.Parameter("config", inspect.Parameter.POSITIONAL_OR_KEYWORD), inspect.Parameter("seed", inspect.Parameter.KEYWORD_ONLY, default=0)]
        if uses_budget:
            parameters.append(inspect.Parameter("budget", inspect.Parameter.KEYWORD_ONLY, default=None))
        self.__signature__ = inspect.Signature(parameters)

    @property
    def __code__(self):
        """SMAC's runner meta data reads the target function's `__code__`."""
        return type(self).__call__.__code__

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_train": None}

    def train(self):
        if self._train is None:
            module = types.ModuleType(Path(self.filename).stem)
            module.__file__ = self.filename
            exec(compile(self.source, self.filename, "exec"), module.__dict__)  # noqa: S102 - the train() being optimized
            self._train = module.train
        return self._train

    def __call__(self, config, seed: int = 0, budget: float | None = None) -> tuple[float, dict]:
        kwargs = {"seed": seed, "model_dir": self.model_dir}
        if self.contract != "no-budget":
            kwargs["budget"] = budget
        output = io.StringIO()
        with redirect_stdout(output):
            if self.threads:
                from threadpoolctl import threadpool_limits

                with threadpool_limits(limits=self.threads):
                    result = self.train()(config, self.dataset, **kwargs)
            else:
                result = self.train()(config, self.dataset, **kwargs)
        cost, info = adapt(result)
        info["output"] = output.getvalue()[-2000:]
        return cost, info


def progress_callback(total: int, echo):
    """A SMAC callback printing one line per finished trial: a bar, trials done / N, this loss, best so far."""
    from smac.callback import Callback
    from smac.runhistory import StatusType

    class Progress(Callback):
        def __init__(self):
            super().__init__()
            self.costs: list[float] = []
            self.best = math.inf

        def on_tell_end(self, smbo, info, value):
            cost = float(value.cost) if value.status == StatusType.SUCCESS else math.inf
            self.costs.append(cost)
            self.best = min(self.best, cost)
            done = len(self.costs)
            filled = min(20, round(20 * done / total))
            budget = f"  budget {info.budget:g}" if info.budget is not None else ""
            this = f"{cost:.4f}" if math.isfinite(cost) else value.status.name.lower()
            best = f"{self.best:.4f}" if math.isfinite(self.best) else "-"
            echo(f"[{'#' * filled}{'.' * (20 - filled)}] {done:>3}/{total}  loss {this:>8}  best {best:>8}{budget}")

    return Progress()


@dataclass
class RunResult:
    facade: str
    dataset: str
    trials: int
    crashed: int
    seconds: float
    incumbent: dict
    loss: float
    budget: float | None
    metrics: dict
    model_path: Path | None
    plot: Path
    smac_dir: Path
    train_file: Path
    errors: list[str] = field(default_factory=list)


def _source(space: Path, options: Options, train_file: Path | None, output_dir: Path, fmt: str | None, force: bool = False, inputs: tuple = ()) -> tuple[str, Path, tuple[float, float] | None]:
    """The train() source, where it lives, and the budget range it states (multi-fidelity facades)."""
    if train_file is not None:
        source = train_file.read_text(encoding="utf-8")
        stated = STATED_BUDGET.search(source)
        budget = (float(stated.group(1)), float(stated.group(2))) if stated else None
        if options.min_budget is not None and options.max_budget is not None:
            budget = (options.min_budget, options.max_budget)
        return source, train_file, budget
    from .api import analyze, generate
    from .write import write_if_changed

    _, plan = analyze(space, options, fmt)
    source = generate(space, options, fmt)
    path = output_dir / "train.py"
    write_if_changed(path, source, force=force, inputs=inputs)  # never over a hand-written train.py (issue 15)
    return source, path, (plan.budget.low, plan.budget.high) if plan.budget else None


def _client(workers: int | None, scheduler: str | None, output_dir: Path):
    """A Dask client for SMAC's `dask_client` argument: a local cluster of single-threaded workers, or an existing scheduler."""
    if scheduler:
        from distributed import Client

        return Client(scheduler), None
    if workers and workers > 1:
        from distributed import Client, LocalCluster

        env = {name: "1" for name in THREAD_VARIABLES}
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, env=env, dashboard_address=None,
            local_directory=str(output_dir / "dask"), silence_logs=logging.ERROR,
        )
        return Client(cluster), cluster
    return None, None


def optimize(
    space: Path,
    dataset_spec: str,
    options: Options,
    *,
    trials: int = 20,
    walltime: float = math.inf,
    output_dir: Path = Path("trainfn_run"),
    train_file: Path | None = None,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    fmt: str | None = None,
    echo=print,
    force: bool = False,
) -> RunResult:
    """Run SMAC with the chosen facade on the dataset; raise GeneratorError on bad input."""
    from .datasets import load_dataset
    from .load import load_space

    dataset = load_dataset(dataset_spec)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    source, train_path, budget = _source(Path(space), options, train_file, output_dir, fmt, force, (space, dataset_spec))
    uses_budget = options.facade in MULTI_FIDELITY
    if uses_budget and budget is None:
        raise GeneratorError(f"the {options.facade} facade needs a budget range: pass --min-budget and --max-budget (the train file states none).", source=train_path.name)
    configspace = load_space(space, fmt)
    import smac
    from smac import Scenario

    model_dir = output_dir / "models"
    scenario = Scenario(
        configspace,
        name=f"{Path(space).stem}-{options.facade}",
        output_directory=output_dir / "smac",
        deterministic=True,
        n_trials=trials,
        walltime_limit=walltime,
        seed=seed,
        min_budget=budget[0] if uses_budget else None,
        max_budget=budget[1] if uses_budget else None,
    )
    client, cluster = _client(workers, scheduler, output_dir)
    target = Target(source, str(train_path), dataset, str(model_dir), options.contract, uses_budget, threads=1 if workers and workers > 1 else None)
    progress = progress_callback(trials, echo)
    facade_class = getattr(smac, FACADE_CLASSES[options.facade])
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            # SMAC's local search averages an empty list of timings on small runs.
            warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
            warnings.filterwarnings("ignore", "invalid value encountered in scalar divide", RuntimeWarning)
            facade = facade_class(scenario, target, callbacks=[progress], overwrite=True, logging_level=40, dask_client=client)
            incumbent = facade.optimize()
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    seconds = time.perf_counter() - start
    return _result(facade, incumbent, options, dataset_spec, progress.costs, seconds, model_dir, output_dir, train_path)


def _result(facade, incumbent, options, dataset_spec, costs, seconds, model_dir: Path, output_dir: Path, train_path: Path) -> RunResult:
    from smac.runhistory import StatusType

    history = facade.runhistory
    crashed = [value for value in history.values() if value.status == StatusType.CRASHED]
    if isinstance(incumbent, list):
        incumbent = incumbent[0] if incumbent else None
    best_key, best_value = None, None
    for key, value in history.items():
        if incumbent is None or value.status != StatusType.SUCCESS or history.get_config(key.config_id) != incumbent:
            continue
        rank = (-(key.budget or 0), value.cost)
        if best_key is None or rank < (-(best_key.budget or 0), best_value.cost):
            best_key, best_value = key, value
    config = _native(dict(incumbent)) if incumbent is not None else {}
    metrics = {k: v for k, v in best_value.additional_info.items() if k != "output"} if best_value else {}
    budget = best_key.budget if best_key else None
    return RunResult(
        facade=FACADE_CLASSES[options.facade],
        dataset=dataset_spec,
        trials=len(history),
        crashed=len(crashed),
        seconds=seconds,
        incumbent=config,
        loss=float(best_value.cost) if best_value else math.inf,
        budget=budget,
        metrics=metrics,
        model_path=find_model(model_dir, config, budget) if best_value else None,
        plot=plot_best_loss(costs, output_dir / "best_loss.png", f"{FACADE_CLASSES[options.facade]} on {dataset_spec}"),
        smac_dir=Path(facade.scenario.output_directory),
        train_file=train_path,
        errors=[value.additional_info.get("error", "") for value in crashed[:3]],
    )


def _native(config: dict) -> dict:
    return {name: value.item() if hasattr(value, "item") else value for name, value in config.items()}


def find_model(model_dir: Path, config: dict, budget: float | None) -> Path | None:
    """The model file train() saved for this configuration (R20 metadata: config, seed, budget), if any."""
    for meta in sorted(model_dir.glob("*.json")):
        saved = json.loads(meta.read_text(encoding="utf-8"))
        same_budget = saved.get("budget") == budget or (saved.get("budget") is not None and budget is not None and math.isclose(saved["budget"], budget))
        if saved.get("config") == config and same_budget:
            models = [p for p in meta.parent.glob(meta.stem + ".*") if p.suffix != ".json" and not p.name.endswith(".tmp")]
            if models:
                return models[0]
    return None


def plot_best_loss(costs: list[float], path: Path, title: str) -> Path:
    """Each trial's loss (dots) and the best loss so far (steps), in the order the trials finished."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 4))
    finite = [(i + 1, c) for i, c in enumerate(costs) if math.isfinite(c)]
    if finite:
        xs, ys = zip(*finite)
        axis.scatter(xs, ys, s=14, alpha=0.5, label="trial loss")
        best, running = math.inf, []
        for _, cost in finite:
            best = min(best, cost)
            running.append(best)
        axis.step(xs, running, where="post", label="best loss so far")
        axis.legend()
    axis.set_xlabel("trial")
    axis.set_ylabel("loss")
    axis.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def format_result(result: RunResult) -> str:
    """The results table printed at the end of `trainfn-gen run`."""
    rows = [
        ("facade", result.facade),
        ("dataset", result.dataset),
        ("trials", str(result.trials)),
        ("crashed trials", str(result.crashed)),
        ("time", f"{result.seconds:.1f} s"),
        ("incumbent loss", f"{result.loss:.4f}" + (f" (budget {result.budget:g})" if result.budget is not None else "")),
    ]
    if result.metrics:
        rows += [("incumbent metrics", "")] + [(f"  {name}", f"{value:.4f}") for name, value in result.metrics.items()]
    rows += [("incumbent configuration", "")] + [(f"  {name}", repr(value)) for name, value in sorted(result.incumbent.items())]
    rows += [
        ("model", str(result.model_path) if result.model_path else "(none saved)"),
        ("train()", str(result.train_file)),
        ("plot", str(result.plot)),
        ("SMAC output", str(result.smac_dir)),
    ]
    rows += [("crash", error) for error in result.errors]
    width = max(len(name) for name, _ in rows)
    rule = "-" * (width + 2 + max(len(value) for _, value in rows))
    lines = [rule] + [f"{name:<{width}}  {value}" for name, value in rows] + [rule]
    return "\n".join(lines)


__all__ = ["THREAD_VARIABLES", "RunResult", "Target", "adapt", "find_model", "format_result", "optimize", "plot_best_loss"]
