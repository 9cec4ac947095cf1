"""The trainfn-gen command line: parses, calls the api, prints one paragraph on error."""

from __future__ import annotations

import re
import sys

import click
from click.core import ParameterSource
from trainfn_gen import __version__
from trainfn_gen.engine.choices import FACADE_NAMES, METRICS, facade_name, family_name, family_names
from trainfn_gen.engine.cv import AUTO_FOLDS, AUTO_MAX_ROWS
from trainfn_gen.errors import GeneratorError
from trainfn_gen.space.formats import FORMATS, format_name

METRIC_CHOICES = list(METRICS)
# Where a value counts as the user's own word: it beats the scenario's.
_FROM_USER = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
# Commands whose flags [tool.trainfn-gen] sets (sync reads it itself, for its targets).
PROJECT_COMMANDS = ("generate", "explain", "run")
_MISSING_PATH = re.compile(r"^(?:File|Directory|Path) '(.*)' does not exist\.?$", re.DOTALL)


class NameChoice(click.ParamType):
    """A choice listed in --help by its names, that also accepts the other names users meet (display
    names in error messages, file suffixes); converts to the canonical name. The names are read
    lazily (`names`, `canonical`), so that building the command line imports nothing heavy."""

    name = "choice"

    def __init__(self, what: str, names, canonical) -> None:
        self.what, self.names, self.canonical = what, names, canonical

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.what.split()[-1].upper()

    def convert(self, value, param, ctx):
        found = self.canonical(value)
        if found is None:
            self.fail(f"'{value}' is not a {self.what}; use one of {', '.join(self.names())}.", param, ctx)
        return found

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(name) for name in self.names() if name.startswith(incomplete)]


class ChoiceOption(click.Option):
    """An option of a NameChoice: --help lists its names after the help text, wrapped (read when shown)."""

    def get_help_record(self, ctx: click.Context):
        record = super().get_help_record(ctx)
        if record is None or not isinstance(self.type, NameChoice):
            return record
        return record[0], f"{record[1]} Choices: {', '.join(self.type.names())}."


class FamilyChoice(NameChoice):
    """--family FAMILY, or VALUE=FAMILY for one value of the selector (repeatable); the family part is
    converted to its canonical name."""

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[VALUE=]FAMILY"

    def convert(self, value, param, ctx):
        key, equals, name = str(value).rpartition("=")
        found = super().convert(name, param, ctx)
        return f"{key}={found}" if equals else found


FAMILY = FamilyChoice("family", family_names, family_name)
FORMAT = NameChoice("search-space format", lambda: FORMATS, format_name)
FACADE = NameChoice("facade", lambda: FACADE_NAMES, facade_name)
FAMILY_HELP = ("Generate for this family of a space that mixes several: its name or the display name error messages use (e.g. 'neural network (MLP)'); "
               "VALUE=FAMILY (repeatable): the selector's value VALUE trains FAMILY.")
MAP_HELP = "Correct a reading (repeatable): hyperparameter HP feeds this estimator argument, e.g. --map lrate=MLPClassifier.learning_rate_init."
UNUSED_HELP = "Correct a reading (repeatable): generate hyperparameter HP as unused (never read)."


def corrections(command):
    """--map and --unused, the options that correct a reading (generate, explain, run)."""
    command = click.option("--unused", "unused", multiple=True, metavar="HP", help=UNUSED_HELP)(command)
    return click.option("--map", "map_", multiple=True, metavar="HP=Class.argument", help=MAP_HELP)(command)
FORMAT_HELP = "Force the space format (the suffixes yml and py are accepted too)."
FACADE_HELP = "The SMAC facade (SMAC's class names are accepted too)."
CV_HELP = f"K (>= 2): score each configuration as the mean over K folds; none: one 20% holdout; auto: {AUTO_FOLDS} folds when --dataset has under {AUTO_MAX_ROWS} rows, else the holdout."


def checked_cv(ctx, param, value):
    """--cv's value, checked when the command line is read: a bad one is a usage error (exit 2), as --help says."""
    from trainfn_gen.engine.cv import parse_cv

    if value is None:
        return value
    try:
        parse_cv(value)
    except GeneratorError as error:
        raise click.BadParameter(error.message.removeprefix("--cv "), ctx=ctx, param=param) from None
    return value


def check_space_syntax(space, fmt: str | None) -> None:
    """A JSON space file's syntax, before the heavy imports: its error comes at once (issue 23)."""
    from trainfn_gen.space.syntax import check_syntax

    try:
        check_syntax(space, fmt)
    except GeneratorError as error:
        fail(error)


def fail(error: GeneratorError) -> None:
    """Every command's error exit: one paragraph on stderr, exit status 1."""
    click.echo(f"trainfn-gen: error: {error.paragraph()}", err=True)
    sys.exit(1)


class Main(click.Group):
    """The command group: a missing input file exits 1 with the one-paragraph error in every command
    (click's own check of an existing path is a usage error, status 2)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.BadParameter as error:
            kind = getattr(error.param, "type", None)
            missing = _MISSING_PATH.match(error.message) if isinstance(kind, click.Path) and kind.exists else None
            if missing is None:
                raise
            fail(GeneratorError("no such file.", source=missing[1]))

FACADE_CHOICES = ["blackbox", "hpo", "multi-fidelity", "hyperband", "BlackBoxFacade", "HyperparameterOptimizationFacade", "MultiFidelityFacade", "HyperbandFacade"]


@click.group(cls=Main)
@click.version_option(__version__, prog_name="trainfn-gen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Generate SMAC train() target functions from ConfigSpace search spaces, deterministically.

    Exit status: 0 success, 1 an error (bad or missing input, a refusal) or a failed check (stale
    files, violations), 2 a usage error (unknown flag, bad flag value).
    """
    if ctx.invoked_subcommand in PROJECT_COMMANDS and ctx.default_map is None:
        # [tool.trainfn-gen] of the user's pyproject.toml: defaults for the flags of every command
        # that takes them (flags win), so that explain and run see the file generate writes.
        from .project import project_defaults

        command = main.commands[ctx.invoked_subcommand]
        try:
            ctx.default_map = {ctx.invoked_subcommand: project_defaults(command, reference=generate)}
        except GeneratorError as error:
            fail(error)


@main.command()
@click.argument("space", type=click.Path(dir_okay=True, path_type=str))
@click.option("-o", "--output", type=click.Path(path_type=str), help="Write here (atomically) instead of stdout.")
@click.option("--task", type=click.Choice(["classification", "regression"]), help="Inferred from the space when it is unambiguous.")
@click.option("--contract", type=click.Choice(["loss", "metrics", "no-budget"]), default="loss", show_default=True)
@click.option("--facade", cls=ChoiceOption, type=FACADE, default="hpo", show_default=True, help=FACADE_HELP)
@click.option("--min-budget", type=float, help="Smallest budget of a multi-fidelity facade.")
@click.option("--max-budget", type=float, help="Largest budget of a multi-fidelity facade.")
@click.option("--family", cls=ChoiceOption, type=FAMILY, multiple=True, help=FAMILY_HELP)
@click.option("--format", "fmt", cls=ChoiceOption, type=FORMAT, help=FORMAT_HELP)
@click.option("--metric", type=click.Choice(METRIC_CHOICES), help="Default: accuracy / mse by task (balanced_accuracy for imbalanced profiled data).")
@click.option("--dataset", help="Profile this data (CSV, Parquet, .npz, .npy or sklearn:NAME) to choose code paths.")
@click.option("--target", help="Target column of a CSV/Parquet/.npy dataset (default: the last).")
@click.option("--scenario", help="SMAC scenario.json: facade, budgets, objective and trials (flags win).")
@click.option("--framework", type=click.Choice(["torch", "tensorflow", "sklearn"]), help="Neural networks in this framework (default: scikit-learn's MLP when the space fits it, else torch).")
@click.option("--strict", is_flag=True, help="Refuse a hyperparameter that no rule understands (default: generate it as unused, with a warning).")
@click.option("--cv", default="auto", show_default=True, help=CV_HELP, callback=checked_cv)
@corrections
@click.option("--force", is_flag=True, help="Overwrite an output that trainfn-gen did not write or that is an input of this command.")
@click.pass_context
def generate(ctx, space, output, task, contract, facade, min_budget, max_budget, family, fmt, metric, dataset, target, scenario, framework, strict, cv, map_, unused, force) -> None:
    """Generate train() for SPACE and print it (or write it with -o)."""
    check_space_syntax(space, fmt)
    from trainfn_gen.engine.pipeline import build, prepare
    from trainfn_gen.engine.write import write_if_changed

    settings = {"task": task, "contract": contract, "facade": facade, "min_budget": min_budget, "max_budget": max_budget, "family": family,
                "metric": metric, "framework": framework, "strict": strict, "cv": cv, "dataset": dataset, "target": target, "scenario": scenario,
                "map": map_, "unused": unused}
    try:
        options, profile, scenario_name = prepare(settings, {k for k in settings if ctx.get_parameter_source(k) in _FROM_USER})
        source, warnings = build(space, options, fmt, profile=profile, scenario=scenario_name)
        for warning, refused in warnings:
            click.echo(f"trainfn-gen: warning: {space}: {warning}{' (--strict refuses it)' if refused else ''}", err=True)
        if output:
            inputs = [p for p in (space, dataset, scenario) if p]
            status = write_if_changed(output, source, force=force, inputs=inputs)
            click.echo(f"{output}: {status}", err=True)
        else:
            click.echo(source, nl=False)
    except GeneratorError as error:
        fail(error)


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=str), default="train_demo.py", show_default=True)
@click.option("--dataset", "dataset_name", type=click.Choice(["iris", "wine", "breast_cancer", "digits"]), default="digits", show_default=True)
@click.option("--configs", "count", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT even when trainfn-gen did not write it.")
def demo(output, dataset_name, count, force) -> None:
    """Generate train() for the bundled example space and run a few configurations on a scikit-learn dataset."""
    from pathlib import Path

    from .demo import run_demo

    try:
        run_demo(Path(output), dataset_name, count, force)
    except GeneratorError as error:
        click.echo(f"trainfn-gen: error: {error.paragraph()}", err=True)
        sys.exit(1)


@main.command()
@click.argument("train_files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--space", type=click.Path(path_type=str), help="Also check R06 (every hyperparameter read or stated unused) and R08/R10 (inactive conditionals).")
@click.option("--contract", type=click.Choice(["loss", "metrics", "no-budget"]), help="Inferred from the signature when omitted.")
@click.option("--facade", type=click.Choice(FACADE_CHOICES, case_sensitive=False), help="A multi-fidelity facade (multi-fidelity, hyperband) needs a budget parameter (R12).")
@click.option("--select", help="Only these rules (comma-separated codes or prefixes: R02,R1).")
@click.option("--ignore", help="Not these rules (comma-separated codes or prefixes).")
@click.option("--output-format", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
def check(train_files, space, contract, facade, select, ignore, output_format) -> None:
    """Lint train() files against the statically checkable rules (R01-R08 R10-R13 R16 R20 R22 R24); exit 1 on a finding."""
    from pathlib import Path

    from trainfn_gen.analyze.check import check_file
    from trainfn_gen.analyze.check_output import FORMATS, selected
    from trainfn_gen.space.load import load_space

    failed = False
    try:
        loaded = load_space(space) if space else None
    except GeneratorError as error:
        click.echo(f"trainfn-gen: error: {error.paragraph()}", err=True)
        sys.exit(1)
    multi_fidelity = (facade or "").lower() in ("multi-fidelity", "hyperband", "multifidelityfacade", "hyperbandfacade")
    found = {}
    for name in train_files:
        if not Path(name).is_file():
            click.echo(f"trainfn-gen: error: {name}: no such file; check reads Python files that define train().", err=True)
            failed = True
            continue
        try:
            violations = check_file(name, space=loaded, contract=contract, multi_fidelity=multi_fidelity)
        except (OSError, UnicodeDecodeError) as error:
            click.echo(f"trainfn-gen: error: {name}: cannot be read ({error}).", err=True)
            failed = True
            continue
        found[name] = selected(violations, select, ignore)
    text = FORMATS[output_format](found)
    if text:
        click.echo(text)
    sys.exit(1 if failed or any(found.values()) else 0)


@main.command()
@click.argument("train_file", type=click.Path(path_type=str))
@click.option("--space", required=True, type=click.Path(path_type=str), help="The search space train() is written for (json, yaml, pcs, or a .py with get_configspace()).")
@click.option("--dataset", "dataset_spec", required=True, help="sklearn:NAME (iris, wine, breast_cancer, digits, diabetes) or a .csv (target: --target, default the last column) / .npz (X, y[, X_test, y_test]) path.")
@click.option("--target", help="Target column of a CSV/Parquet dataset (default: the last); train() gets the table as pandas.read_csv gives it.")
@click.option("--configs", type=click.IntRange(0), default=10, show_default=True, help="Random configurations besides the default.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True, help="Seconds before a call is killed.")
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True, help="Calls run at the same time.")
@click.option("--max-time", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True, help="Seconds for the whole audit; calls not started by then are skipped (and counted).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sampled configurations.")
@click.option("--min-budget", type=float, help="Lowest budget tried (default: the file's 'budget in [a, b]'; no budget check without either).")
@click.option("--max-budget", type=float, help="Highest budget tried (default: the file's 'budget in [a, b]', else 10 x the lowest).")
@click.option("--format", "fmt", help="Force the space format (json, yaml, pcs, pcs_new, python).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools (findings, summary, every call).")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def audit(train_file, space, dataset_spec, target, configs, timeout, jobs, max_time, seed, min_budget, max_budget, fmt, as_json, quiet) -> None:
    """Run TRAIN_FILE's train() on sampled configurations of --space, each call in its own process; exit 1 on a finding."""
    from pathlib import Path

    from trainfn_gen.analyze.audit import run_audit
    from trainfn_gen.analyze.audit_report import progress_line, to_json, to_text
    from trainfn_gen.data.datasets import load_dataset
    from trainfn_gen.space.load import load_space

    try:
        if not Path(train_file).is_file():
            raise GeneratorError("no such file; audit needs the path of a Python file that defines train().", source=train_file)
        loaded = load_space(space, fmt)
        if dataset_spec.startswith("sklearn:") or dataset_spec.lower().endswith(".npz"):
            data = load_dataset(dataset_spec)
        else:  # a table as the user's own loading gives it: pandas.read_csv names and dtypes, the target by --target
            from trainfn_gen.data.profile import load_dataset as load_table

            data, _, column = load_table(dataset_spec, target)
            data["y_name"] = column
        def shown(done, total, call, result):
            click.echo(f"audit: {progress_line(done, total, call, result)}", err=True)

        def planned(total):
            click.echo(f"audit: {total} calls planned, at most {timeout:g} s each, {max_time:g} s in all (--max-time)", err=True)

        found = run_audit(train_file, loaded, data, configs=configs, timeout=timeout, jobs=jobs, seed=seed, budgets=(min_budget, max_budget),
                          progress=None if quiet else shown, max_time=max_time, planned=None if quiet else planned)
    except GeneratorError as error:
        click.echo(f"trainfn-gen: error: {error.paragraph()}", err=True)
        sys.exit(1)
    click.echo(to_json(found, dataset_spec) if as_json else to_text(found, dataset_spec), nl=False)
    sys.exit(1 if found.findings else 0)


def scenario_settings(ctx: click.Context, scenario: str | None, **given) -> tuple[dict, tuple[str, ...]]:
    """--scenario's facade, budgets and metric where the user did not give them; plus its docstring note."""
    if not scenario:
        return given, ()
    from trainfn_gen.engine.scenario import read_scenario

    found = read_scenario(scenario)
    note = found.pop("note")
    given.update({k: v for k, v in found.items() if k in given and ctx.get_parameter_source(k) not in _FROM_USER})
    return given, (note,)


@main.command()
@click.argument("space", type=click.Path(dir_okay=True, path_type=str))
@click.option("--dataset", required=True, help="sklearn:NAME, a CSV/Parquet table (--target: its target column, default the last), .npz (X, y[, X_test, y_test]) or .npy; profiled as generate --dataset does.")
@click.option("--target", help="Target column of a CSV/Parquet/.npy dataset (default: the last).")
@click.option("--facade", cls=ChoiceOption, type=FACADE, default="hpo", show_default=True, help=FACADE_HELP)
@click.option("--trials", type=click.IntRange(1), default=20, show_default=True, help="SMAC's n_trials.")
@click.option("--walltime", type=click.FloatRange(min=0, min_open=True), help="SMAC's walltime_limit in seconds (default: none).")
@click.option("--trial-walltime", type=click.FloatRange(min=0, min_open=True), help="SMAC's trial_walltime_limit: seconds one trial may take before it is stopped and counted as timed out.")
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=str), default="trainfn_run", show_default=True)
@click.option("--overwrite", is_flag=True, help="Replace a previous run in --output-dir.")
@click.option("--resume", is_flag=True, help="Continue a previous run in --output-dir (SMAC's continuation; same options).")
@click.option("--train", "train_file", type=click.Path(exists=True, dir_okay=False, path_type=str), help="Optimize this train() instead of generating one.")
@click.option("--task", type=click.Choice(["classification", "regression"]), help="Inferred from the space, the metric or the data.")
@click.option("--contract", type=click.Choice(["loss", "metrics", "no-budget"]), default="loss", show_default=True)
@click.option("--metric", type=click.Choice(METRIC_CHOICES), help="Default: accuracy / mse by task (balanced_accuracy for imbalanced data).")
@click.option("--min-budget", type=float, help="Smallest budget of a multi-fidelity facade.")
@click.option("--max-budget", type=float, help="Largest budget of a multi-fidelity facade.")
@click.option("--family", cls=ChoiceOption, type=FAMILY, multiple=True, help=FAMILY_HELP)
@click.option("--framework", type=click.Choice(["torch", "tensorflow", "sklearn"]), help="Neural networks in this framework (as generate).")
@click.option("--scenario", help="SMAC scenario.json: facade, budgets and objective (flags win).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--workers", type=click.IntRange(1), help="Run trials on a local Dask cluster of N one-thread worker processes (the cores shared out as BLAS threads).")
@click.option("--scheduler", help="Run trials on an existing Dask cluster (scheduler address, e.g. tcp://host:8786).")
@click.option("--format", "fmt", cls=ChoiceOption, type=FORMAT, help=FORMAT_HELP)
@click.option("--strict", is_flag=True, help="Refuse a hyperparameter that no rule understands (as generate).")
@click.option("--cv", default="auto", show_default=True, help=CV_HELP, callback=checked_cv)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT_DIR/train.py even when trainfn-gen did not write it.")
@click.option(
    "--save-models", type=click.Choice(["all", "incumbent", "none"]), default="incumbent", show_default=True,
    help="all: every trial's model in OUTPUT_DIR/models plus OUTPUT_DIR/best; incumbent: only OUTPUT_DIR/best (the incumbent refit on all rows); none: no model files, no refit.",
)
@click.option("--folds-as-instances", is_flag=True, help="With --cv K: the K folds are SMAC instances, one fold per trial, so SMAC drops poor configurations after a few folds.")
@corrections
@click.pass_context
def run(
    ctx, space, dataset, target, facade, trials, walltime, trial_walltime, output_dir, overwrite, resume, train_file, task, contract, metric, min_budget, max_budget,
    family, framework, scenario, seed, workers, scheduler, fmt, strict, force, save_models, cv, folds_as_instances, map_, unused,
) -> None:
    """Generate train() for SPACE (or take --train FILE) and optimize it with SMAC on a dataset."""
    import math
    from dataclasses import replace
    from pathlib import Path

    if workers and scheduler:
        raise click.UsageError("--workers and --scheduler exclude each other.")
    if overwrite and resume:
        raise click.UsageError("--overwrite and --resume exclude each other.")
    check_space_syntax(space, fmt)
    from trainfn_gen.engine.options import make_options

    try:
        from trainfn_gen.run.optimize import format_result, optimize
    except ImportError as error:
        click.echo(f"trainfn-gen: error: `run` needs the run extra ({error}); install it with pip install 'trainfn-gen[run]'.", err=True)
        sys.exit(1)
    try:
        settings, notes = scenario_settings(ctx, scenario, facade=facade, min_budget=min_budget, max_budget=max_budget, metric=metric)
        options = make_options(task, contract, settings["facade"], settings["min_budget"], settings["max_budget"], family or None, settings["metric"], framework, strict, cv, map=map_, unused=unused)
        options = replace(options, notes=notes) if notes else options
        result = optimize(
            space, dataset, options, trials=trials, walltime=walltime or math.inf, trial_walltime=trial_walltime, output_dir=Path(output_dir),
            train_file=Path(train_file) if train_file else None, seed=seed, workers=workers, scheduler=scheduler, fmt=fmt, target=target,
            overwrite=overwrite, resume=resume, echo=click.echo, force=force, save_models=save_models, folds_as_instances=folds_as_instances,
        )
    except GeneratorError as error:
        click.echo(f"trainfn-gen: error: {error.paragraph()}", err=True)
        sys.exit(1)
    click.echo(format_result(result))
    if result.interrupted:
        click.echo(f"Interrupted. To continue this run: {resume_command(sys.argv)}", err=True)
        sys.exit(130)


@main.command()
@click.argument("model", type=click.Path(exists=True, path_type=str))
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="Write the predictions here (CSV, atomically) instead of stdout.")
def predict(model, data, output) -> None:
    """Predict the rows of DATA (CSV, TSV or Parquet) with the model of MODEL, a `run` best/ folder.

    DATA is checked against the columns best/metadata.json records: a missing or extra column, or a value
    that does not fit a column's dtype, is an error (exit 1, nothing written); columns in another order are
    reordered, a target column is dropped and unseen category values are named, each with a note on stderr.
    The predictions (a classifier's: the original class labels) are one CSV column named after the target.
    """
    from pathlib import Path

    from trainfn_gen.run.predict import predict_table, write_atomically

    try:
        if output is not None:
            folder = Path(output).resolve().parent
            if Path(output).resolve() == Path(data).resolve():
                raise GeneratorError("-o names the input table; write the predictions to another file.", source=output)
            if not folder.is_dir():
                raise GeneratorError(f"no folder {folder} to write the predictions into.", source=output)
        predictions, notes = predict_table(model, data)
    except GeneratorError as error:
        fail(error)
    for note in notes:
        click.echo(f"trainfn-gen: note: {Path(data).name}: {note}", err=True)
    if output is None:
        click.echo(predictions.to_csv(index=False), nl=False)
        return
    write_atomically(predictions, Path(output))
    click.echo(f"predict: {len(predictions)} prediction(s) of '{predictions.columns[0]}' written to {output}", err=True)


def resume_command(argv: list[str]) -> str:
    """The command line that continues an interrupted run: the same one, with --resume instead of --overwrite."""
    import shlex

    words = ["trainfn-gen", *[word for word in argv[1:] if word not in ("--overwrite", "--resume")], "--resume"]
    return shlex.join(words)


@main.command()
@click.argument("space", type=click.Path(dir_okay=True, path_type=str))
@click.option("--task", type=click.Choice(["classification", "regression"]), help="Inferred from the space when it is unambiguous.")
@click.option("--family", cls=ChoiceOption, type=FAMILY, multiple=True, help=FAMILY_HELP)
@click.option("--facade", cls=ChoiceOption, type=FACADE, default="hpo", show_default=True, help=FACADE_HELP)
@click.option("--contract", type=click.Choice(["loss", "metrics", "no-budget"]), default="loss", show_default=True)
@click.option("--min-budget", type=float, help="Smallest budget of a multi-fidelity facade.")
@click.option("--max-budget", type=float, help="Largest budget of a multi-fidelity facade.")
@click.option("--format", "fmt", cls=ChoiceOption, type=FORMAT, help=FORMAT_HELP)
@click.option("--metric", type=click.Choice(METRIC_CHOICES), help="As for generate: the metric can decide the task.")
@click.option("--framework", type=click.Choice(["torch", "tensorflow", "sklearn"]), help="As for generate: the framework of the neural networks.")
@click.option("--strict", is_flag=True, help="As for generate: refuse a hyperparameter that no rule understands.")
@click.option("--dataset", help="As for generate: profile this data (it can decide the task).")
@click.option("--target", help="Target column of --dataset (default: the last).")
@click.option("--cv", default="auto", show_default=True, help=CV_HELP, callback=checked_cv)
@corrections
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable key order) for tools.")
def explain(space, task, family, facade, contract, min_budget, max_budget, fmt, metric, framework, strict, dataset, target, cv, map_, unused, as_json) -> None:
    """Show how each hyperparameter of SPACE maps onto a family and estimator argument."""
    check_space_syntax(space, fmt)
    from trainfn_gen.engine.pipeline import prepare

    from .explanation import explain as explain_space
    from .explanation import to_json, to_text

    settings = {"task": task, "contract": contract, "facade": facade, "min_budget": min_budget, "max_budget": max_budget, "family": family,
                "metric": metric, "framework": framework, "strict": strict, "cv": cv, "dataset": dataset, "target": target, "map": map_, "unused": unused}
    try:
        options, profile, _ = prepare(settings)
        explanation = explain_space(space, options, fmt, profile)
    except GeneratorError as error:
        fail(error)
    click.echo(to_json(explanation) if as_json else to_text(explanation), nl=False)


@main.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a target's file is missing or stale.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of each missing or stale target (exit 0 unless --check).")
@click.option("--config", "pyproject", type=click.Path(exists=True, dir_okay=False, path_type=str), help="The pyproject.toml to read (default: the first one from the current folder upwards).")
@click.option("--fail-on-change", is_flag=True, help="Exit 1 when a file was created or updated (what a pre-commit hook needs).")
@click.option("--force", is_flag=True, help="Overwrite outputs that trainfn-gen did not write or that are inputs of this sync.")
def sync(check, diff, pyproject, fail_on_change, force) -> None:
    """Regenerate every [tool.trainfn-gen.targets.NAME] of pyproject.toml; rewrite only changed files."""
    from .sync import sync as sync_targets

    try:
        results = sync_targets(generate, pyproject, check=check or diff, diff=diff, force=force)
    except GeneratorError as error:
        fail(error)
    failed = changed = 0
    for result in results:
        if result.status == "error":
            failed += 1
            click.echo(f"trainfn-gen: error: target '{result.target}': {result.detail}", err=True)
            continue
        click.echo(f"{result.target}: {result.output}: {result.status}")
        if result.status in ("created", "updated", "missing", "stale"):
            changed += 1
        if result.detail:
            click.echo(result.detail, nl=False)
    if check and changed:
        click.echo(f"trainfn-gen: {changed} target(s) missing or stale; run `trainfn-gen sync`.", err=True)
    sys.exit(1 if failed or (changed and (check or fail_on_change)) else 0)
