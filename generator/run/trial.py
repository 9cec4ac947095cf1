"""One trial of `trainfn-gen run`: the target function SMAC calls, its crash cost, and the import check.

SMAC 2's TargetFunctionRunner accepts a float, a list of floats (one per objective), a dict whose keys
are exactly the scenario's objectives, or a tuple (cost, additional_info); `Target` turns every
contract's return value into the last form, so the `metrics` contract's dict lands in the run
history's additional info instead of being rejected. A non-finite loss is an error: SMAC records the
trial as crashed with the scenario's (finite) crash cost instead of feeding NaN to its model.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import math
import types
from contextlib import redirect_stdout
from pathlib import Path

from trainfn_gen.errors import GeneratorError

# Where a pip package is not named as its import.
PIP_NAMES = {"sklearn": "scikit-learn", "yaml": "pyyaml", "ConfigSpace": "ConfigSpace", "tensorflow": "tensorflow-cpu", "xgboost": "xgboost-cpu"}
# The metric's worst value as a loss, where the metric has one (scores in [0, 1]: loss -0).
BOUNDED_WORST = {"accuracy": 0.0, "balanced_accuracy": 0.0, "f1": 0.0, "roc_auc": 0.0}


def adapt(result) -> tuple[float, dict]:
    """train()'s return value -> (cost, additional_info), a form SMAC 2's TargetFunctionRunner accepts.

    contract `loss` / `no-budget`: the float is the cost, no additional info.
    contract `metrics`: `loss` is the cost; the other metrics become the trial's additional info
    (SMAC raises on a returned dict whose keys are not exactly the scenario's objectives).
    A NaN or infinite loss raises ValueError (SMAC then records a crash with the crash cost).
    """
    if isinstance(result, dict):
        if "loss" not in result:
            raise ValueError(f"train() returned a dict without 'loss' (keys: {sorted(result)})")
        cost, info = float(result["loss"]), {key: float(value) for key, value in result.items() if key != "loss"}
    else:
        cost, info = float(result), {}
    if not math.isfinite(cost):
        raise ValueError(f"train() returned a non-finite loss ({cost})")
    return cost, info


class Target:
    """The target function handed to SMAC: calls train(cfg, dataset, seed[, budget], model_dir) and adapts its result.

    It carries the train() source, not the function, so that it pickles to Dask workers on any machine;
    each process compiles the source once. On a Dask cluster the dataset is not carried: SMAC scatters
    it once to every worker (`optimize(data_to_scatter={"dataset": ...})`) and passes it back as the
`data_to_scatter` keyword.
    train()'s progress prints (R22) are kept in the trial's additional info under "output" instead of
    interleaving with the progress bar. `threads` caps BLAS/OpenMP threads for the call (threadpoolctl).
    """

    def __init__(
        self, source: str, filename: str, dataset: dict | None, model_dir: str | None, contract: str, uses_budget: bool, threads: int | None = None, folds: bool = False
    ):
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
        if folds:
            # --folds-as-instances: SMAC passes the instance ("fold-K"), which travels as dataset["fold"].
            parameters.append(inspect.Parameter("instance", inspect.Parameter.KEYWORD_ONLY, default=None))
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

    def __call__(self, config, seed: int = 0, budget: float | None = None, instance: str | None = None, data_to_scatter: dict | None = None) -> tuple[float, dict]:
        kwargs = {"seed": seed, "model_dir": self.model_dir}
        if self.contract != "no-budget":
            kwargs["budget"] = budget
        data = self.dataset if data_to_scatter is None else data_to_scatter["dataset"]
        if instance is not None:
            # One fold per call; a shallow copy, so the shared (scattered) dataset is never changed.
            data = {**data, "fold": fold_of(instance)}
        output = io.StringIO()
        with redirect_stdout(output):
            if self.threads:
                from threadpoolctl import threadpool_limits

                with threadpool_limits(limits=self.threads):
                    result = self.train()(config, data, **kwargs)
            else:
                result = self.train()(config, data, **kwargs)
        cost, info = adapt(result)
        info["output"] = output.getvalue()[-2000:]
        return cost, info


def fold_instances(k: int) -> list[str]:
    """SMAC's instance names for K folds: "fold-0" ... "fold-{K-1}"."""
    return [f"fold-{index}" for index in range(k)]


def fold_of(instance: str) -> int:
    """The fold index of an instance name of fold_instances."""
    return int(str(instance).removeprefix("fold-"))


def crash_cost(metric: str, y) -> float:
    """The finite cost SMAC records for a crashed or timed-out trial (its default, inf, breaks its model).

    The metric's worst value as a loss where it has one (accuracy, balanced accuracy, F1, ROC AUC: 0);
    else the loss of a model that learned nothing, computed from y: predicting the mean (mse: var(y),
    rmse: std(y), r2: 0), the median (mae) or the class frequencies (log_loss: their entropy).
    """
    import numpy as np

    if metric in BOUNDED_WORST:
        return BOUNDED_WORST[metric]
    y = np.ravel(np.asarray(y))
    if metric == "log_loss":
        counts = np.unique(y, return_counts=True)[1] / len(y)
        return float(-(counts * np.log(counts)).sum())
    y = y.astype(float)
    value = {"mse": np.var(y), "rmse": np.std(y), "mae": np.mean(np.abs(y - np.median(y))), "r2": 0.0}[metric]
    return float(value) if math.isfinite(value) else 1e12


def imported_modules(source: str) -> list[str]:
    """The absolute modules a train() source imports, in order, skipping imports guarded by try/except."""
    tree = ast.parse(source)
    guarded = {id(node) for stmt in ast.walk(tree) if isinstance(stmt, ast.Try) for part in stmt.body for node in ast.walk(part)}
    names: list[str] = []
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            found = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found = [node.module]
        else:
            continue
        names += [name for name in found if name not in names]
    return names


def check_imports(source: str, filename: str) -> None:
    """Import every module train() imports, once, in this process; a missing one is one paragraph."""
    for name in imported_modules(source):
        try:
            importlib.import_module(name)
        except ImportError as error:
            top = name.partition(".")[0]
            missing = getattr(error, "name", None) or top
            package = PIP_NAMES.get(missing.partition(".")[0], missing.partition(".")[0])
            raise GeneratorError(
                f"train() imports {name}, but {missing} is not installed in this Python ({error}); every trial would crash. "
                f"Install it (pip install {package}), or generate for another family or --framework.",
                source=Path(filename).name,
            ) from None




# Names a budget expression of the plan may call (R12 mappings such as max(1, round(budget / 100 * 200))).
def _clipped(cast):
    """The generated code's as_int / as_float: the value (or its default when missing) within [low, high]."""
    return lambda value, default, low, high: default if value is None else min(max(cast(value), low), high)


# What a budget expression of the plan may call: builtins and the generated helpers that read cfg.
_BUDGET_NAMES = {"max": max, "min": min, "round": round, "int": int, "float": float, "as_int": _clipped(int), "as_float": _clipped(float)}


def budget_overrides(plan) -> dict[str, str]:
    """{hyperparameter: the expression of `budget` that replaces it} from the plan's R12 arguments.

    A multi-fidelity train() computes such an argument as `as_int(cfg.get("NAME"), ...) if budget is None
    else EXPR`: the sampled NAME is not what was trained when a budget is given.
    """
    found: dict[str, str] = {}
    for branch in getattr(plan, "branches", ()) or ():
        for arg in (*branch.assignments, *branch.args):
            try:
                node = ast.parse(arg.expr, mode="eval").body
            except SyntaxError:
                continue
            if not (isinstance(node, ast.IfExp) and "budget is None" in ast.unparse(node.test)):
                continue
            for call in ast.walk(node.body):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "get" and call.args and isinstance(call.args[0], ast.Constant):
                    found[str(call.args[0].value)] = ast.unparse(node.orelse)
    return found


def trained_values(overrides: dict[str, str], config: dict, budget: float | None) -> dict:
    """The values train() used instead of the sampled ones of `config` at this budget."""
    if budget is None:
        return {}
    values = {}
    for name, expr in overrides.items():
        if name in config:
            try:
                # The plan's own expression; a searched fidelity is scaled from the sampled value (issue 14).
                value = eval(compile(expr, "<budget>", "eval"), {"__builtins__": {}, **_BUDGET_NAMES}, {"budget": float(budget), "cfg": config})
            except Exception:  # noqa: BLE001, S112 - an expression we cannot evaluate here: show the sampled value
                continue
            if value != config[name]:
                values[name] = value
    return values


__all__ = ["Target", "adapt", "budget_overrides", "check_imports", "crash_cost", "fold_instances", "fold_of", "imported_modules", "trained_values"]
