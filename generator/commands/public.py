"""The public Python API (`import trainfn_gen`): generate, explain, load_train, optimize.

Every function takes the search space as a ConfigurationSpace, a dict in ConfigSpace's dictionary
format (what `space.to_json()` writes, parsed) or a path to a file in any format the CLI reads;
nothing is written to disk to read it. Bad input and refusals raise GeneratorError, the same
one-paragraph error the command line prints.
"""

from __future__ import annotations

import itertools
import linecache
import os
import re
import types
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainfn_gen.errors import GeneratorError

if TYPE_CHECKING:
    from ConfigSpace import ConfigurationSpace

    SpaceLike = ConfigurationSpace | Mapping[str, Any] | str | os.PathLike

_loaded = itertools.count()


class GeneratorWarning(UserWarning):
    """A hyperparameter that train() does not use: one no rule understands (strict=True refuses it instead),
    or one unused for a stated reason (the user's `unused`, a setting the family ignores, ...). Constants
    and SMAC's own seed, instance and replication parameters are not warned about."""


def generate(
    space: SpaceLike,
    *,
    task: str | None = None,
    contract: str = "loss",
    facade: str = "hpo",
    min_budget: float | None = None,
    max_budget: float | None = None,
    family: str | Mapping[str, str] | None = None,
    metric: str | None = None,
    framework: str | None = None,
    strict: bool = False,
    cv: str | int = "auto",
    dataset: str | os.PathLike | None = None,
    target: str | None = None,
    fmt: str | None = None,
    map: Mapping[str, str] | None = None,
    unused: list[str] | tuple[str, ...] | None = None,
) -> str:
    """The source text of a SMAC train() for `space`, exactly what `trainfn-gen generate` prints.

    The keywords are generate's flags: `task` ("classification" / "regression", else inferred),
    `contract` ("loss", "metrics", "no-budget"), `facade` ("blackbox", "hpo", "multi-fidelity",
    "hyperband" or SMAC's class names), `min_budget`/`max_budget` (multi-fidelity facades),
    `family` (a family name or its display name), `metric`, `framework` ("torch", "tensorflow",
    "sklearn"), `cv` (K >= 2 folds, "none" for the 20% holdout, "auto": 5 folds for a profiled
    dataset under 2000 rows), `strict` (refuse hyperparameters no rule understands; otherwise each becomes a
    GeneratorWarning), `dataset` (a CSV, Parquet, .npz or .npy path, or "sklearn:NAME", profiled to
    choose code paths) with its `target` column, and `fmt` (force the format of a space file).
    The corrections of a reading, as the CLI's: `map` ({HP: "Class.argument"}: HP feeds that estimator
    argument), `unused` (HPs generated as unused) and `family` as {VALUE: FAMILY} (the selector's value
    VALUE trains FAMILY). Every hyperparameter train() does not use, other than a constant or a seed,
    instance or replication parameter, is a GeneratorWarning naming it and the reason.
    """
    from trainfn_gen.engine.pipeline import build

    options, profile = _options(task, contract, facade, min_budget, max_budget, family, metric, framework, strict, dataset, target, cv, map, unused)
    source, notes = build(space, options, fmt, profile)
    for note, refused in notes:
        warnings.warn(f"{note}{' (strict=True refuses it)' if refused else ''}", GeneratorWarning, stacklevel=2)
    return source


def explain(
    space: SpaceLike,
    *,
    task: str | None = None,
    contract: str = "loss",
    facade: str = "hpo",
    min_budget: float | None = None,
    max_budget: float | None = None,
    family: str | Mapping[str, str] | None = None,
    metric: str | None = None,
    framework: str | None = None,
    strict: bool = False,
    cv: str | int = "auto",
    dataset: str | os.PathLike | None = None,
    target: str | None = None,
    fmt: str | None = None,
    map: Mapping[str, str] | None = None,
    unused: list[str] | tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """How each hyperparameter maps onto a family and an estimator argument, as plain data.

    The same dict `trainfn-gen explain --json` prints: source, task, contract, facade, selector,
    budget, fidelities and one row per hyperparameter (name, space, status, uses or role, reason).
    Takes the keywords of generate(), so it describes the file generate() returns.
    """
    from .explanation import explain as explain_space

    options, profile = _options(task, contract, facade, min_budget, max_budget, family, metric, framework, strict, dataset, target, cv, map, unused)
    return explain_space(space, options, fmt, profile)


def load_train(source: str | os.PathLike) -> Callable[..., Any]:
    """The train() function of generated source text, or of a train file given by path.

    Compiled in memory: nothing is written (no file, no __pycache__); tracebacks still show the
    source lines. A str holding a newline is source text, any other str or path names a file.
    """
    if isinstance(source, str) and "\n" in source:
        text, filename = source, f"<trainfn-gen train {next(_loaded)}>"
    else:
        path = Path(source)
        if not path.is_file():
            raise GeneratorError("no such train file (load_train takes source text or the path of a file).", source=str(path))
        text, filename = path.read_text(encoding="utf-8"), str(path.resolve())
    module = types.ModuleType("trainfn_gen_train")
    module.__file__ = filename
    try:
        code = compile(text, filename, "exec")
    except SyntaxError as exc:
        raise GeneratorError(f"line {exc.lineno}: not valid Python: {exc.msg}.", source=Path(filename).name) from None
    if filename.startswith("<"):
        linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
    exec(code, module.__dict__)  # noqa: S102 - the caller's own train()
    train = module.__dict__.get("train")
    if not callable(train):
        raise GeneratorError("defines no train() function.", source=Path(filename).name)
    return train


@dataclass
class OptimizeResult:
    """What optimize() found: the incumbent, its loss, the best model's file and the run history.

    `history` is a pandas DataFrame (one row per trial: config_id, seed, budget, loss, status,
    seconds and one column per hyperparameter) when pandas is installed, else a list of dicts.
    """

    incumbent: dict[str, Any]
    loss: float
    model_path: Path | None
    history: Any
    metrics: dict[str, float] = field(default_factory=dict)
    budget: float | None = None
    train_file: Path | None = None
    smac_dir: Path | None = None
    plot: Path | None = None
    trials: int = 0
    crashed: int = 0
    seconds: float = 0.0
    best: Path | None = None  # output_dir/best: the incumbent refit on all rows (None with save_models="none")
    interrupted: bool = False  # KeyboardInterrupt: the finished trials are saved; resume=True continues the run
    objective: str = ""  # the loss SMAC minimized, e.g. "-accuracy" (a score negated) or "mse"
    protocol: str = ""  # how the trials validated, as the generated train() does: "5-fold CV", "one 20% holdout", ...


def optimize(
    space: SpaceLike,
    X: Any,
    y: Any,
    *,
    X_test: Any = None,
    y_test: Any = None,
    task: str | None = None,
    contract: str = "loss",
    facade: str = "hpo",
    min_budget: float | None = None,
    max_budget: float | None = None,
    family: str | None = None,
    metric: str | None = None,
    cv: str | int = "auto",
    trials: int = 20,
    walltime: float | None = None,
    trial_walltime: float | None = None,
    output_dir: str | os.PathLike = "trainfn_run",
    seed: int = 0,
    workers: int | None = None,
    fmt: str | None = None,
    overwrite: bool = False,
    resume: bool = False,
    verbose: bool | None = None,
    save_models: str = "incumbent",
) -> OptimizeResult:
    """Generate train() for `space` and optimize it with SMAC on (X, y): what `trainfn-gen run` does.

    (X, y) are profiled as `run --dataset` profiles a dataset: `cv="auto"` is decided from the rows of X
    by the same rule (K folds under the row threshold, else a 20% holdout), and the task and `metric` are
    checked against y. `trial_walltime`: SMAC's limit of one trial in seconds (a trial over it is a
    timeout). `resume=True` continues the run in `output_dir` (a larger `trials` or `walltime` extends it).
    Needs the `run` extra. Writes what `run` writes under `output_dir` (train.py, best/, smac/,
    best_loss.png; models/ with save_models="all"); a folder holding an earlier run is refused unless
    `overwrite=True` or `resume=True`; `verbose=True` prints one progress line per trial (the default, None: in
    an interactive session, a notebook or the Python prompt, and not in a script). Errors name
    these keywords, not the command line's flags. `metrics` of the result: the incumbent's metrics from the
    run history, else (a train() returning a loss) those of best/metadata.json (its refit's "metrics").
    `objective` and `protocol` name the loss minimized and how the trials validated ("-accuracy", "5-fold CV"),
    as the run summary does.
    """
    import math

    from trainfn_gen.engine.options import make_options

    try:
        from trainfn_gen.run.optimize import optimize as run_optimize
    except ImportError as error:
        raise GeneratorError(f"optimize needs the run extra ({error}); install it with pip install 'trainfn-gen[run]'.") from None
    if (X_test is None) != (y_test is None):
        raise GeneratorError("give both X_test and y_test, or neither.")
    dataset = {"X": X, "y": y, **({"X_test": X_test, "y_test": y_test} if X_test is not None else {})}
    try:
        options = make_options(task, contract, facade, min_budget, max_budget, family, metric, cv=cv)
        result = run_optimize(
            space, dataset, options, trials=trials, walltime=walltime or math.inf, trial_walltime=trial_walltime, output_dir=Path(output_dir),
            seed=seed, workers=workers, fmt=fmt, overwrite=overwrite, resume=resume, echo=print if _shows_progress(verbose) else (lambda line: None), save_models=save_models,
        )
        if result.interrupted:
            print(f"Interrupted: {result.finished} finished trial(s) saved in {output_dir}; call optimize(..., resume=True) with the same arguments to continue.")
    except GeneratorError as error:
        raise _keyword_error(error) from None
    metrics = dict(result.metrics)
    if not metrics and result.best is not None and (result.best / "metadata.json").is_file():
        import json

        metrics = dict(json.loads((result.best / "metadata.json").read_text(encoding="utf-8")).get("refit", {}).get("metrics") or {})
    return OptimizeResult(
        incumbent=result.incumbent, loss=result.loss, model_path=result.model_path, history=_history(result.history),
        metrics=metrics, budget=result.budget, train_file=result.train_file, smac_dir=result.smac_dir,
        plot=result.plot, trials=result.finished, crashed=result.crashed, seconds=result.seconds, best=result.best, interrupted=result.interrupted,
        objective=result.objective, protocol=result.protocol,
    )


def _shows_progress(verbose: bool | None) -> bool:
    """verbose, or when not given: a notebook (an IPython kernel) or Python's interactive prompt shows progress."""
    import sys

    if verbose is not None:
        return bool(verbose)
    return "ipykernel" in sys.modules or hasattr(sys, "ps1")


# A flag of `trainfn-gen run` -> optimize()'s keyword (flags that switch something on: `keyword=True`).
_SWITCHES = ("overwrite", "resume")
_FLAG = re.compile(r"--([a-z][a-z-]*)")


def _keyword_error(error: GeneratorError) -> GeneratorError:
    """The same error, naming optimize()'s keywords where it names run's flags (--overwrite -> overwrite=True)."""
    import inspect

    keywords = set(inspect.signature(optimize).parameters)

    def keyword(match: re.Match) -> str:
        name = match.group(1).replace("-", "_")
        if name in _SWITCHES:
            return f"{name}=True"
        return name if name in keywords else match.group(0)

    return GeneratorError(_FLAG.sub(keyword, error.message), source=error.source, hyperparameter=error.hyperparameter)


def _history(rows: list[dict]) -> Any:
    """The run history as a DataFrame (hyperparameters as columns) when pandas is installed."""
    flat = [{**{k: v for k, v in row.items() if k != "config"}, **row["config"]} for row in rows]
    try:
        import pandas as pd
    except ImportError:
        return flat
    return pd.DataFrame(flat)


def _options(task, contract, facade, min_budget, max_budget, family, metric, framework, strict, dataset, target, cv, map=None, unused=None):
    from trainfn_gen.engine.pipeline import prepare

    settings = {"task": task, "contract": contract, "facade": facade, "min_budget": min_budget, "max_budget": max_budget, "family": family,
                "metric": metric, "framework": framework, "strict": strict, "cv": cv, "dataset": dataset, "target": target, "map": map, "unused": unused}
    options, profile, _ = prepare(settings)
    return options, profile


__all__ = ["GeneratorError", "GeneratorWarning", "OptimizeResult", "explain", "generate", "load_train", "optimize"]
