"""The trainfn-gen command line: parses, calls the api, prints one paragraph on error."""

from __future__ import annotations

import sys
from dataclasses import replace

import click
from click.core import ParameterSource

from . import __version__
from .errors import GeneratorError
from .scoring import METRICS

METRIC_CHOICES = list(METRICS)
# Where a value counts as the user's own word: it beats the scenario's.
_FROM_USER = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)

FACADE_CHOICES = ["blackbox", "hpo", "multi-fidelity", "hyperband", "BlackBoxFacade", "HyperparameterOptimizationFacade", "MultiFidelityFacade", "HyperbandFacade"]


@click.group()
@click.version_option(__version__, prog_name="trainfn-gen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Generate SMAC train() target functions from ConfigSpace search spaces, deterministically."""
    if ctx.invoked_subcommand == "generate" and ctx.default_map is None:
        # [tool.trainfn-gen] of the user's pyproject.toml: defaults for generate's flags (flags win).
        from .project import project_defaults

        try:
            ctx.default_map = {"generate": project_defaults(generate)}
        except GeneratorError as error:
            click.echo(f"trainfn-gen: error: {error.paragraph()}", err=True)
            sys.exit(1)


@main.command()
@click.argument("space", type=click.Path(dir_okay=True, path_type=str))
@click.option("-o", "--output", type=click.Path(path_type=str), help="Write here (atomically) instead of stdout.")
@click.option("--task", type=click.Choice(["classification", "regression"]), help="Inferred from the space when it is unambiguous.")
@click.option("--contract", type=click.Choice(["loss", "metrics", "no-budget"]), default="loss", show_default=True)
@click.option("--facade", type=click.Choice(FACADE_CHOICES, case_sensitive=False), default="hpo", show_default=True)
@click.option("--min-budget", type=float, help="Smallest budget of a multi-fidelity facade.")
@click.option("--max-budget", type=float, help="Largest budget of a multi-fidelity facade.")
@click.option("--family", help="Generate for one family of a space that mixes several without a selector.")
@click.option("--format", "fmt", help="Force the space format (json, yaml, pcs, pcs_new, python).")
@click.option("--metric", type=click.Choice(METRIC_CHOICES), help="Default: accuracy / mse by task (balanced_accuracy for imbalanced profiled data).")
@click.option("--dataset", help="Profile this data (CSV, Parquet, .npz, .npy or sklearn:NAME) to choose code paths.")
@click.option("--target", help="Target column of a CSV/Parquet/.npy dataset (default: the last).")
@click.option("--scenario", help="SMAC scenario.json: facade, budgets, objective and trials (flags win).")
@click.pass_context
def generate(ctx, space, output, task, contract, facade, min_budget, max_budget, family, fmt, metric, dataset, target, scenario) -> None:
    """Generate train() for SPACE and print it (or write it with -o)."""
    from .api import generate as generate_source
    from .options import make_options
    from .write import write_if_changed

    try:
        settings = {"facade": facade, "min_budget": min_budget, "max_budget": max_budget, "metric": metric}
        notes = ()
        if scenario:
            from .scenario import read_scenario

            found = read_scenario(scenario)
            notes = (found.pop("note"),)
            settings.update({k: v for k, v in found.items() if ctx.get_parameter_source(k) not in _FROM_USER})
        options = make_options(task, contract, settings["facade"], settings["min_budget"], settings["max_budget"], family, settings["metric"])
        options = replace(options, notes=notes) if notes else options
        profile = None
        if dataset:
            from .profile import profile_dataset

            profile = profile_dataset(dataset, target)
        elif target:
            raise GeneratorError("--target names a column of --dataset; give --dataset too.")
        source = generate_source(space, options, fmt, profile=profile)
        if output:
            status = write_if_changed(output, source)
            click.echo(f"{output}: {status}", err=True)
        else:
            click.echo(source, nl=False)
    except GeneratorError as error:
        click.echo(f"trainfn-gen: error: {error.paragraph()}", err=True)
        sys.exit(1)


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=str), default="train_demo.py", show_default=True)
@click.option("--dataset", "dataset_name", type=click.Choice(["iris", "wine", "breast_cancer", "digits"]), default="digits", show_default=True)
@click.option("--configs", "count", type=click.IntRange(1, 100), default=5, show_default=True)
def demo(output, dataset_name, count) -> None:
    """Generate train() for the bundled example space and run a few configurations on a scikit-learn dataset."""
    from pathlib import Path

    from .demo import run_demo

    try:
        run_demo(Path(output), dataset_name, count)
    except GeneratorError as error:
        click.echo(f"trainfn-gen: error: {error.paragraph()}", err=True)
        sys.exit(1)


@main.command()
@click.argument("train_file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--space", type=click.Path(exists=True, dir_okay=False, path_type=str), help="Also check R06: every hyperparameter read or stated unused.")
@click.option("--contract", type=click.Choice(["loss", "metrics", "no-budget"]), help="Inferred from the signature when omitted.")
def check(train_file, space, contract) -> None:
    """Lint any train() file against the statically checkable rules (R01 R03 R04 R05 R06 R12 R16 R20 R22)."""
    from pathlib import Path

    from .check import check_file, format_report
    from .load import load_space

    try:
        loaded = load_space(space) if space else None
    except GeneratorError as error:
        click.echo(f"trainfn-gen: error: {error.paragraph()}", err=True)
        sys.exit(1)
    violations = check_file(train_file, space=loaded, contract=contract)
    click.echo(format_report(Path(train_file).name, violations))
    sys.exit(1 if violations else 0)
