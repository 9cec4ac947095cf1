"""Shared helpers for executing generated train() functions on scikit-learn data."""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path

import numpy as np
from ConfigSpace import ConfigurationSpace
from sklearn import datasets as sk_datasets
from trainfn_gen.analyze.sweep import as_native, as_numpy, data_variant, load_train  # noqa: F401 - the tests import them from here

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
CORPUS = ROOT.parent / "shared" / "corpus" / "automl-agent"
WILD = ROOT.parent / "shared" / "wild"


def wild_expectations() -> dict[str, str]:
    """Real space file -> "generate" / "refuse", from the wild folder README's `| files | what | expected |` rows."""
    found = {}
    for line in (WILD / "README.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        names = [n.strip() for n in cells[0].split(",")] if len(cells) >= 3 else []
        for name in names:
            if name and (WILD / name).is_file():
                found[name] = "refuse" if cells[-1].startswith("refuse") else "generate"
    return found


def golden_cases() -> list[dict]:
    return json.loads((GOLDEN / "cases.json").read_text())


def first_case_per_space(spaces: str | None = None) -> dict[str, dict]:
    """space file -> the first golden case listed for it; `spaces`: comma-separated space files (default: all)."""
    wanted = set(spaces.split(",")) if spaces else None
    chosen: dict[str, dict] = {}
    for case in golden_cases():
        if wanted is None or case["space"] in wanted:
            chosen.setdefault(case["space"], case)
    return chosen


def case_options(args: list[str]):
    """A golden case's flags, parsed by the real `generate` command (every flag, --family and --framework included)."""
    from trainfn_gen.commands.cli import generate as generate_command
    from trainfn_gen.engine.options import make_options

    p = generate_command.make_context("generate", ["space.json", *args]).params
    return make_options(p["task"], p["contract"], p["facade"], p["min_budget"], p["max_budget"], p["family"], p["metric"], p["framework"], cv=p["cv"])


@cache
def dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    loader = {
        "iris": sk_datasets.load_iris,
        "wine": sk_datasets.load_wine,
        "breast_cancer": sk_datasets.load_breast_cancer,
        "digits": sk_datasets.load_digits,
        "diabetes": sk_datasets.load_diabetes,
    }[name]
    return loader(return_X_y=True)


def load_space(name: str) -> ConfigurationSpace:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ConfigurationSpace.from_json(GOLDEN / "spaces" / name)


def configurations(space: ConfigurationSpace, count: int, seed: int = 0) -> list[dict]:
    """The default configuration plus `count` sampled ones (seeded)."""
    space.seed(seed)
    configs = [dict(space.get_default_configuration())]
    configs += [dict(space.sample_configuration()) for _ in range(count)]
    return configs


def make_dataset(name: str, *, pandas: bool, given_test: bool) -> dict:
    X, y = dataset(name)
    return data_variant(X, y, pandas=pandas, given_test=given_test)
