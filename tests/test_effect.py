"""Issue 14: every hyperparameter of every scikit-learn golden does something.

For each hyperparameter, two configurations that differ only in it (both valid, the hyperparameter
active) must give different fitted models, compared through the saved model's parameters
(get_params(deep=True): the estimator's arguments, nested estimators and preprocessing steps
included), or the golden must state the hyperparameter unused with its reason (R06 comment).
Network goldens save PyTorch / Keras weights and are left to test_network.py.

Fast: small datasets (iris with a missing value, so that imputers stay in the pipeline; diabetes
for regression), the default configuration as the base, count-like settings at their lower bound.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from ConfigSpace import Configuration
from ConfigSpace.hyperparameters import (
    CategoricalHyperparameter,
    NumericalHyperparameter,
    OrdinalHyperparameter,
)
from harness import GOLDEN, dataset, golden_cases, load_space, load_train

CASES = [c for c in golden_cases() if "_torch_" not in c["name"] and "_tensorflow_" not in c["name"]]
# Names of count-like settings: the base configuration takes their lower bound, so fits stay cheap.
CHEAP = re.compile(r"n_estimators|iter|round|epoch|trees", re.IGNORECASE)
# Hyperparameters whose effect the test data or the saved parameters cannot show, with the reason.
NOT_IN_THE_MODEL: dict[tuple[str, str], str] = {
    ("09_loss_hpo", "logistic_regression__solver"): "liblinear fits binary problems only: on iris (3 classes) it becomes saga, on binary data it is fitted",
}
# A share of the training rows (R12 comment) changes the rows a model sees, not its parameters.
ROWS = re.compile(r"# R12: (.+?) is the fraction of the training rows this trial sees")


def _data(case) -> dict:
    name = "diabetes" if "regression" in case["name"] else "iris"
    X, y = dataset(name)
    X = X.astype(float).copy()
    X[0, 0] = np.nan  # keeps the imputer (a space's imputation strategy) in the pipeline
    return {"X": X, "y": y}


def _other_value(hp, current):
    """A valid value of `hp` other than `current` (None when it has one value)."""
    if isinstance(hp, (CategoricalHyperparameter, OrdinalHyperparameter)):
        values = hp.choices if isinstance(hp, CategoricalHyperparameter) else hp.sequence
        return next((v for v in values if v != current), None)
    if isinstance(hp, NumericalHyperparameter):
        return hp.upper if current != hp.upper else hp.lower
    return None


def _base(space) -> dict:
    config = dict(space.get_default_configuration())
    for name in list(config):
        hp = space[name]
        if CHEAP.search(name) and isinstance(hp, NumericalHyperparameter):
            candidate = {**config, name: hp.lower}
            if _valid(space, candidate):
                config = candidate
    return config


def _valid(space, values: dict) -> bool:
    try:
        Configuration(space, values=values).check_valid_configuration()
    except (ValueError, KeyError):  # ConfigSpace: an illegal, inactive or forbidden value
        return False
    return True


def _starts(space, base: dict) -> list[dict]:
    """The base configuration, then the base with one categorical setting changed (a selector's other
    models, where a space without conditions leaves the other models' settings active but unread)."""
    starts = [base]
    for hp in space.values():
        if isinstance(hp, CategoricalHyperparameter) and hp.name in base:
            starts += [{**base, hp.name: value} for value in hp.choices if value != base[hp.name]]
    starts += [dict(c) for c in space.sample_configuration(10)]  # conditional settings inactive at the base
    return [start for start in starts if _valid(space, start)]


def _pairs(space, hp, starts: list[dict]):
    """(base, varied) configurations that differ only in `hp`, both valid, hp active in both."""
    for start in starts:
        if hp.name not in start:
            continue
        other = _other_value(hp, start[hp.name])
        varied = {**start, hp.name: other}
        if other is not None and _valid(space, varied):
            yield start, varied


def _fitted(train, config: dict, data: dict, folder: Path) -> str:
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        train(config, data, seed=0, model_dir=str(folder))
    (saved,) = folder.glob("*.joblib")
    model = joblib.load(saved)
    saved.unlink()
    return repr(sorted((key, repr(value)) for key, value in model.get_params(deep=True).items()))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_every_hyperparameter_changes_the_fitted_model_or_is_stated_unused(tmp_path, case):
    path = GOLDEN / f"{case['name']}.py"
    source = path.read_text()
    stated = set(re.findall(r"^ {4}# {3}(.+?) is not used: ", source, re.MULTILINE)) | set(ROWS.findall(source))
    space = load_space(case["space"])
    space.seed(0)
    train = load_train(path)
    data = _data(case)
    inert = []
    starts = _starts(space, _base(space))
    for hp in space.values():
        if hp.name in stated or (case["name"], hp.name) in NOT_IN_THE_MODEL:
            continue
        tried = []
        for base, varied in _pairs(space, hp, starts):
            tried.append(f"{base[hp.name]!r} -> {varied[hp.name]!r}")
            if _fitted(train, base, data, tmp_path) != _fitted(train, varied, data, tmp_path):
                break
        else:
            if tried:
                inert.append(f"{hp.name}: {tried[:2]}")
    assert not inert, f"{case['name']}: hyperparameters without effect on the fitted model and not stated unused: {inert}"
