"""`trainfn-gen demo`: generate from the bundled example space and run a few configurations."""

from __future__ import annotations

import importlib.util
import warnings
from importlib import resources
from pathlib import Path

import click
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate
from trainfn_gen.engine.write import write_if_changed

EXAMPLE = "mixed_classifier.json"


def run_demo(output: Path, dataset_name: str, count: int, force: bool = False) -> None:
    """Generate train() for the example space, then call it on a scikit-learn dataset."""
    from ConfigSpace import ConfigurationSpace
    from sklearn import datasets

    space_path = Path(str(resources.files("trainfn_gen.examples") / EXAMPLE))
    source = generate(space_path, make_options(task="classification"))
    status = write_if_changed(output, source, force=force)
    click.echo(f"generated {output} ({status}, {len(source.splitlines())} lines) from the bundled example {EXAMPLE}")
    spec = importlib.util.spec_from_file_location("trainfn_demo", output)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    X, y = getattr(datasets, f"load_{dataset_name}")(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        space = ConfigurationSpace.from_json(space_path)
    space.seed(0)
    configs = [("default", space.get_default_configuration())] + [(f"sample {i}", space.sample_configuration()) for i in range(1, count)]
    click.echo(f"loss (-accuracy, lower is better) on {dataset_name} of the space's default configuration and {count - 1} sampled ones:")
    for label, config in configs:
        loss = module.train(config, {"X": X, "y": y}, seed=0)
        click.echo(f"  {label:<9} classifier={config['classifier']:<18} loss={loss:.4f}")
    _print_next_steps(dataset_name)


def _print_next_steps(dataset_name: str) -> None:
    """Issue 24: end with the next command to try (in the environment the demo ran in) and where the docs are."""
    import sys

    repository_copy = Path("examples") / EXAMPLE
    space = repository_copy if repository_copy.is_file() else Path(str(resources.files("trainfn_gen.examples") / EXAMPLE))
    click.echo("")
    click.echo("next: a real SMAC optimization of the same space (10 trials; the best model lands in demo_run/best):")
    if sys.prefix != sys.base_prefix:  # a virtual environment, e.g. the .venv of `make demo`
        venv = Path(sys.prefix)
        try:
            venv = venv.relative_to(Path.cwd())
        except ValueError:
            pass
        click.echo(f"  . {venv / 'bin' / 'activate'}")
    click.echo(f"  trainfn-gen run {space} --dataset sklearn:{dataset_name} --trials 10 --output-dir demo_run")
    click.echo("then your own data: --dataset my.csv --target COLUMN. Quick start: README.md; every command and option: docs/ (mkdocs serve).")
