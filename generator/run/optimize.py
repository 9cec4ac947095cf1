"""`trainfn-gen run`: generate (or take) a train(), optimize it with a real SMAC 2 facade, report.

Needs the `run` extra (smac, which brings dask/distributed; matplotlib for the plot, optional). The
order is the pipeline's: read and profile the data, settle the train() source (generated with the
profile, as `generate --dataset` does), check everything that can fail before SMAC starts (the
train file's imports, the run folder, the scheduler), then optimize and report. The parts live in
trial.py (the target function, crash cost, import check), cluster.py (Dask), report.py (progress,
table, plot) and runfolder.py (rerun, --overwrite, --resume).
"""

from __future__ import annotations

import importlib.util
import math
import re
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from trainfn_gen.engine.options import MULTI_FIDELITY, Options
from trainfn_gen.errors import GeneratorError

from .cluster import THREAD_VARIABLES
from .report import RunResult, find_model, format_result, plot_best_loss
from .trial import Target, adapt, budget_overrides, fold_instances

FACADE_CLASSES = {
    "blackbox": "BlackBoxFacade",
    "hpo": "HyperparameterOptimizationFacade",
    "multi-fidelity": "MultiFidelityFacade",
    "hyperband": "HyperbandFacade",
}
STATED_BUDGET = re.compile(r"budget in \[([0-9.eE+-]+), ([0-9.eE+-]+)\]")
STATED_METRIC = re.compile(r"^Task: (classification|regression); metric: (.+?)\. Contract", re.MULTILINE)
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq")


@dataclass(frozen=True)
class Source:
    """The train() being optimized: its text, its file, the budget range it states, its task and metric."""

    text: str
    path: Path
    budget: tuple[float, float] | None
    task: str | None
    metric: str | None
    plan: object = None


def read_data(spec: str, target: str | None, notes: list[str]):
    """(dataset dict, Profile or None): `generate --dataset`'s reader and profile; without pandas, .npz and
    sklearn: data are still read (numpy only), unprofiled, with a note."""
    from trainfn_gen.data.profile import load_dataset, profile_data

    if importlib.util.find_spec("pandas") is None and not spec.lower().endswith(TABLE_SUFFIXES):
        from trainfn_gen.data.datasets import load_dataset as load_plain

        if target is not None:
            raise GeneratorError("--target needs pandas to read the table (pip install 'trainfn-gen[data]').", source=spec)
        notes.append("data not profiled: pandas is not installed (pip install 'trainfn-gen[data]'); task and metric from the space")
        return load_plain(spec), None
    data, name, column = load_dataset(spec, target)
    return data, profile_data(data, name, column)


def metric_named(title: str) -> str | None:
    """The metric a generated docstring names by its title ("macro F1" -> f1), None for a title we do not know."""
    from trainfn_gen.engine.scoring import _TABLE  # name: (function, call, is a score, title)

    return next((name for name, row in _TABLE.items() if row[3] == title), None)


def settle_source(space, options: Options, train_file: Path | None, output_dir: Path, fmt: str | None, profile) -> Source:
    """The train() source: generated into output_dir/train.py with the profile, or read from --train."""
    from trainfn_gen.engine.format import format_source
    from trainfn_gen.engine.pipeline import analyze, resolve_task
    from trainfn_gen.engine.render import render
    from trainfn_gen.space.load import read_model

    if train_file is not None:
        text = train_file.read_text(encoding="utf-8")
        stated = STATED_BUDGET.search(text)
        budget = (float(stated.group(1)), float(stated.group(2))) if stated else None
        if options.min_budget is not None and options.max_budget is not None:
            budget = (options.min_budget, options.max_budget)
        said = STATED_METRIC.search(text)
        model = read_model(space, fmt)
        task = resolve_task(model, model.source, options, profile) or (said.group(1) if said else None)
        metric = options.metric or (metric_named(said.group(2)) if said else None)
        return Source(text, train_file, budget, task or (profile.task if profile else None), metric)
    _, plan = analyze(space, options, fmt, profile)
    text = format_source(render(plan))
    task = plan.task if plan.task in ("classification", "regression") else (profile.task if profile else "classification")
    scoring = plan.classification_scoring if task == "classification" else plan.regression_scoring
    return Source(text, output_dir / "train.py", (plan.budget.low, plan.budget.high) if plan.budget else None, task, scoring.name if scoring else None, plan)


def objective_of(metric: str | None) -> str:
    """The loss SMAC minimizes, named: "-accuracy" for a score train() negates, "mse" for a loss."""
    from trainfn_gen.engine.scoring import _TABLE  # name: (function, call, is a score, title)

    if metric is None:
        return "the loss train() returns (its metric is not stated)"
    return f"-{metric}" if metric in _TABLE and _TABLE[metric][2] else metric


def protocol_of(source: Source, dataset: dict, folds_as_instances: bool, budget: tuple[float, float] | None) -> str:
    """How the trials validated, as the train() does it: the generator's plan (its --cv decision) for a generated
    train(), the docstring's "K-fold cross-validation" for a --train file; a given test split replaces both (R14)."""
    from .best import cv_folds

    if "X_test" in dataset:
        found = f"the given test split ({len(dataset['y_test'])} rows)"
    else:
        folds = source.plan.cv if source.plan is not None else cv_folds(source.text)
        if folds:
            found = f"{folds}-fold CV" + (", one fold per trial (folds as SMAC instances)" if folds_as_instances else "")
        elif source.plan is not None:
            found = "one 20% holdout"
        else:
            found = "as the --train file validates (its docstring states no K-fold cross-validation)"
    if budget is not None:
        found += f", budget {budget[0]:g} to {budget[1]:g} per trial"
        if source.plan is not None and any(branch.valid_budget for branch in source.plan.branches) and "X_test" not in dataset:
            found += " (below the largest budget a trial scores only a share of the validation rows)"
    return found


def target_name(dataset: dict, profile) -> str | None:
    """The target column's name: the table's --target (or last) column, or a pandas y's name."""
    if profile is not None and profile.target is not None:
        return str(profile.target)
    name = getattr(dataset["y"], "name", None)
    return str(name) if name is not None else None


def stopped_note(error: Exception, history) -> str:
    """Why SMAC's loop ended before its budget, for the table (the trials still running did not finish)."""
    first = (str(error).splitlines() or [""])[0].strip()
    running = history.submitted - history.finished
    if type(error).__name__ in ("KilledWorker", "FuturesCancelledError", "CancelledError"):
        return (
            f"SMAC stopped early: a Dask worker process died running a trial ({type(error).__name__}; train() ended the process, "
            f"e.g. out of memory or a crash in a C extension); {running} trial(s) did not finish"
        )
    return f"SMAC stopped early: {type(error).__name__}: {first}; {running} trial(s) did not finish"


def optimize(
    space,
    dataset_spec,
    options: Options,
    *,
    trials: int = 20,
    walltime: float = math.inf,
    trial_walltime: float | None = None,
    output_dir: Path = Path("trainfn_run"),
    train_file: Path | None = None,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    fmt: str | None = None,
    target: str | None = None,
    overwrite: bool = False,
    resume: bool = False,
    echo=print,
    force: bool = False,
    save_models: str = "incumbent",
    folds_as_instances: bool = False,
) -> RunResult:
    """Run SMAC with the chosen facade on the dataset; raise GeneratorError on bad input (before writing anything).

    `space`: a path, a ConfigurationSpace or a dict; `dataset_spec`: a spec (sklearn:NAME, .csv, .npz) or,
    from the Python API, the dataset dict itself (read as it is, unprofiled). `save_models`: "all" (every
    trial saves to DIR/models, plus DIR/best), "incumbent" (only DIR/best: the incumbent refit on all rows)
    or "none". `folds_as_instances`: SMAC races configurations over the folds of the K-fold cross-validation
    train() (options.cv) as instances.
    """
    from trainfn_gen.engine.pipeline import resolve_space
    from trainfn_gen.engine.scoring import DEFAULT
    from trainfn_gen.engine.write import write_if_changed
    from trainfn_gen.run import cluster, runfolder
    from trainfn_gen.space.syntax import check_syntax

    from .best import SAVE_MODELS, cv_folds, load_lines, refit
    from .columns import describe
    from .report import progress_callback, summarize
    from .trial import check_imports, crash_cost

    check_syntax(space, fmt)  # a JSON syntax error before the data is read (issue 23)
    missing = [name for name in ("smac", "distributed") if importlib.util.find_spec(name) is None]
    if missing:
        raise GeneratorError(f"`run` needs the run extra ({' and '.join(missing)} not installed); install it with pip install 'trainfn-gen[run]'.")
    if save_models not in SAVE_MODELS:
        raise GeneratorError(f"--save-models {save_models!r}: choose all, incumbent or none.")
    check_folds(options.facade, folds_as_instances)
    output_dir = Path(output_dir)
    notes: list[str] = []
    if isinstance(dataset_spec, dict):
        dataset, profile, dataset_spec = dict(dataset_spec), None, "<X, y>"
        if importlib.util.find_spec("pandas") is not None:
            from trainfn_gen.data.profile import profile_data

            # Profiled as the CLI profiles a --dataset: the same cv="auto" rule, task and metric checks (issue 23).
            profile = profile_data(dataset, dataset_spec)
        else:
            notes.append("data not profiled: pandas is not installed (pip install 'trainfn-gen[data]'); task and metric from the space")
    else:
        dataset, profile = read_data(dataset_spec, target, notes)
    source = settle_source(space, options, train_file, output_dir, fmt, profile)
    uses_budget = options.facade in MULTI_FIDELITY
    if uses_budget and source.budget is None:
        raise GeneratorError(f"the {options.facade} facade needs a budget range: pass --min-budget and --max-budget (the train file states none).", source=source.path.name)
    configspace, where = resolve_space(space, fmt)
    folds = cv_folds(source.text)
    asked = options.cv if isinstance(options.cv, int) else None
    if folds_as_instances and (folds is None or asked not in (None, folds)):
        said = f"states {folds}-fold cross-validation" if folds else "states no 'K-fold cross-validation' in its docstring"
        raise GeneratorError(
            f"--folds-as-instances needs a train() that evaluates dataset['fold'] of its K folds{f' (--cv {asked})' if asked else ''}, "
            f"but this train() {said}; generate it with --cv K (K >= 2), or pass a --train that does K-fold cross-validation.",
            source=source.path.name,
        )
    check_imports(source.text, str(source.path))
    plot = importlib.util.find_spec("matplotlib") is not None
    if not plot:
        notes.append("no plot: matplotlib is not installed (pip install matplotlib)")
    metric = source.metric or DEFAULT[source.task or "classification"]
    cost_on_crash = crash_cost(metric, dataset["y"])
    # What the summary and best/ name (issue 23): the loss minimized and how the trials validated.
    objective = objective_of(source.metric if train_file is not None else metric)
    protocol = protocol_of(source, dataset, folds_as_instances, source.budget if uses_budget else None)

    import smac
    from smac import Scenario

    name = f"{Path(where).stem if isinstance(space, (str, Path)) else 'space'}-{options.facade}"
    scenario = Scenario(
        configspace,
        name=name,
        output_directory=output_dir / "smac",
        deterministic=True,
        n_trials=trials,
        walltime_limit=walltime,
        seed=seed,
        crash_cost=cost_on_crash,
        trial_walltime_limit=trial_walltime,
        min_budget=source.budget[0] if uses_budget else None,
        max_budget=source.budget[1] if uses_budget else None,
        # SMAC3's cross-validation example: the folds are the instances (no instance features needed).
        instances=fold_instances(folds) if folds_as_instances else None,
    )
    previous = runfolder.check(output_dir, scenario, overwrite=overwrite, resume=resume)
    # The initial design's size depends on n_trials: an extended run keeps the saved run's (SMAC compares them).
    design_scenario = runfolder.saved_scenario(scenario) if resume else None
    if resume:
        raised = runfolder.extend(scenario)  # a raised --trials / --walltime extends the saved run
        if raised:
            notes.append(f"--resume extended the run: {', '.join(raised)}")
    runs = cluster.start(workers, scheduler, str(output_dir / "dask"))
    try:
        if previous and overwrite:
            runfolder.clear(output_dir)
        output_dir.mkdir(parents=True, exist_ok=True)
        if train_file is None:
            inputs = [p for p in (space, dataset_spec) if isinstance(p, (str, Path))]
            write_if_changed(source.path, source.text, force=force, inputs=inputs)  # never over a hand-written train.py
    except BaseException:
        runs.close()
        raise
    model_dir = output_dir / "models"
    try:
        on_cluster = runs.client is not None
        trial_dir = str(model_dir) if save_models == "all" else None  # "incumbent"/"none": no per-trial files
        target_function = Target(
            source.text, str(source.path), None if on_cluster else dataset, trial_dir, options.contract, uses_budget, threads=runs.threads, folds=folds_as_instances
        )
        progress = progress_callback(trials, echo, walltime, trial_walltime)
        facade_class = getattr(smac, FACADE_CLASSES[options.facade])
        start = time.perf_counter()
        with warnings.catch_warnings():
            # SMAC's local search averages an empty list of timings on small runs.
            warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
            warnings.filterwarnings("ignore", "invalid value encountered in scalar divide", RuntimeWarning)
            # With folds as instances the incumbent is evaluated on every fold (SMAC's default stops at 3 calls).
            intensifier = facade_class.get_intensifier(scenario, max_config_calls=folds) if folds_as_instances else facade_class.get_intensifier(scenario)
            # On Dask, our runner: it tells each result with the trial SMAC asked for (issue 23, runner.py).
            runner = dask_runner(scenario, target_function, intensifier, runs.client, dataset) if on_cluster else target_function
            design = facade_class.get_initial_design(design_scenario or scenario)
            facade = facade_class(
                scenario, runner, intensifier=intensifier, initial_design=design, callbacks=[progress], overwrite=overwrite or not resume, logging_level=40
            )
            interrupted = False
            try:
                if resume:
                    progress.before = facade.runhistory.finished  # its lines count on from the saved trials
                    retell_unfinished(facade, scenario, target_function, intensifier, dataset, notes)
                incumbent = facade.optimize()  # on Dask the runner scatters the dataset once
            except KeyboardInterrupt:
                # Ctrl-C: what finished is in the run history; the trials still running are saved as RUNNING
                # and evaluated first by --resume.
                interrupted = True
                if on_cluster:
                    runner.cancel()
                facade.optimizer.save()
                incumbent = facade.intensifier.get_incumbent() if facade.runhistory.finished else None
                running = facade.runhistory.submitted - facade.runhistory.finished
                notes.append(f"interrupted (Ctrl-C): {facade.runhistory.finished} finished trial(s) saved; {running} running trial(s) will be evaluated first by --resume")
            except Exception as error:  # noqa: BLE001 - a lost worker must not cost the trials that finished
                incumbent = facade.intensifier.get_incumbent() if facade.runhistory.finished else None
                notes.append(stopped_note(error, facade.runhistory))
        seconds = time.perf_counter() - start
    finally:
        runs.close()
    result = summarize(
        facade, incumbent, FACADE_CLASSES[options.facade], dataset_spec, progress.costs, seconds, model_dir, output_dir,
        source.path, cost_on_crash, trial_walltime, notes, plot, budget_overrides(source.plan),
    )
    result.save_models = save_models
    result.interrupted = interrupted
    result.objective, result.protocol = objective, protocol
    if save_models != "none" and result.incumbent and not interrupted:
        # The incumbent refit on all rows, locally (a Dask cluster is closed by now); a plain call: all folds.
        run_info = {"facade": FACADE_CLASSES[options.facade], "dataset": str(dataset_spec), "validated_cost": result.loss,
                    "validated_on": "SMAC's run history: the incumbent's cost" + (f" over {folds} folds" if folds_as_instances else ""),
                    "metric": metric, "trials": result.finished, "objective": objective, "protocol": protocol,
                    **describe(dataset, target_name(dataset, profile), source.task)}
        refit_budget = source.budget[1] if uses_budget else None
        config = incumbent[0] if isinstance(incumbent, list) else incumbent
        # The seed SMAC gave the incumbent's trials (deterministic runs: one seed drawn from --seed), so that
        # the refit trains as they did (a CV train() splits the same folds); --seed is recorded beside it.
        trial_seed = next((key.seed for key in facade.runhistory if facade.runhistory.get_config(key.config_id) == config and key.seed is not None), seed)
        run_info["run_seed"] = seed
        try:
            best = refit(target_function, config, dataset, seed=trial_seed, budget=refit_budget, output_dir=output_dir, run_info=run_info)
        except Exception as error:  # noqa: BLE001 - a failed refit never costs the run's summary
            result.notes.append(f"no best/: the incumbent's refit on all rows failed: {type(error).__name__}: {(str(error).splitlines() or [''])[0]}")
        else:
            result.best, result.load = best.folder, load_lines(best)
            result.model_path = best.model if save_models == "incumbent" or result.model_path is None else result.model_path
    return result


def dask_runner(scenario, target_function, intensifier, client, dataset):
    """Our runner of target_function on the client's workers (runner.py), given the arguments the intensifier
    passes (the facade's own choice: seed, budget, instance); it scatters the dataset once."""
    from .runner import AskedTrialRunner

    used = {"seed": intensifier.uses_seeds, "budget": intensifier.uses_budgets, "instance": intensifier.uses_instances}
    return AskedTrialRunner(scenario, target_function, [name for name, uses in used.items() if uses], client, dataset)


def retell_unfinished(facade, scenario, target_function, intensifier, dataset, notes: list[str]) -> None:
    """--resume: evaluate (here, in this process) the trials an interrupted run left RUNNING and tell SMAC
    their results under their own configuration ids, so no trial stays RUNNING with SMAC's running cost."""
    from smac.runhistory import StatusType, TrialInfo
    from smac.runner.target_function_runner import TargetFunctionRunner

    history = facade.runhistory
    left = [key for key, value in history.items() if value.status == StatusType.RUNNING]
    if not left:
        return
    used = {"seed": intensifier.uses_seeds, "budget": intensifier.uses_budgets, "instance": intensifier.uses_instances}
    single = TargetFunctionRunner(scenario, target_function, required_arguments=[name for name, uses in used.items() if uses])
    for key in left:
        info = TrialInfo(config=history.get_config(key.config_id), instance=key.instance, seed=key.seed, budget=key.budget)
        _, value = single.run_wrapper(info, data_to_scatter={"dataset": dataset})
        facade.tell(info, value)
    notes.append(f"--resume evaluated {len(left)} trial(s) the interrupted run left running")


def check_folds(facade: str, folds_as_instances: bool) -> None:
    """--folds-as-instances needs a facade whose budget is not the instance count."""
    if folds_as_instances and facade in MULTI_FIDELITY:
        raise GeneratorError(
            f"--folds-as-instances does not combine with the {facade} facade: with instances, SMAC's successive halving "
            "uses the number of folds as the budget. Use --facade hpo or blackbox."
        )


__all__ = ["THREAD_VARIABLES", "RunResult", "Target", "adapt", "find_model", "format_result", "optimize", "plot_best_loss", "read_data", "settle_source"]
