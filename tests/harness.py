"""Shared helpers for executing generated train() functions on scikit-learn data."""

from __future__ import annotations

import importlib.util
import json
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from ConfigSpace import ConfigurationSpace
from sklearn import datasets as sk_datasets

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


def case_options(args: list[str]):
    """A golden case's flags, parsed by the real `generate` command (every flag, --family and --framework included)."""
    from trainfn_gen.cli import generate as generate_command
    from trainfn_gen.options import make_options

    p = generate_command.make_context("generate", ["space.json", *args]).params
    return make_options(p["task"], p["contract"], p["facade"], p["min_budget"], p["max_budget"], p["family"], p["metric"], p["framework"])


def load_train(path: Path):
    """Import a generated file from its path and return its train()."""
    spec = importlib.util.spec_from_file_location(f"generated_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.train


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


def as_numpy(value):
    """The numpy scalar SMAC may hand over (R07)."""
    if isinstance(value, bool):
        return np.bool_(value)
    if isinstance(value, int):
        return np.int64(value)
    if isinstance(value, float):
        return np.float64(value)
    if isinstance(value, str):
        return np.str_(value)
    return value


def as_native(value):
    return value.item() if hasattr(value, "item") else value


def configurations(space: ConfigurationSpace, count: int, seed: int = 0) -> list[dict]:
    """The default configuration plus `count` sampled ones (seeded)."""
    space.seed(seed)
    configs = [dict(space.get_default_configuration())]
    configs += [dict(space.sample_configuration()) for _ in range(count)]
    return configs


def make_dataset(name: str, *, pandas: bool, given_test: bool) -> dict:
    X, y = dataset(name)
    if given_test:
        rng = np.random.default_rng(0)
        order = rng.permutation(len(y))
        cut = int(0.75 * len(y))
        train, test = order[:cut], order[cut:]
        data = {"X": X[train], "y": y[train], "X_test": X[test], "y_test": y[test]}
    else:
        data = {"X": X, "y": y}
    if pandas:
        columns = [f"f{i}" for i in range(X.shape[1])]
        for key in ("X", "X_test"):
            if key in data:
                data[key] = pd.DataFrame(data[key], columns=columns)
        for key in ("y", "y_test"):
            if key in data:
                data[key] = pd.Series(data[key], name="target")
    return data
