"""Issue 22: real auto-sklearn / mlr3 spaces read as their source system means them.

Each test generates a small space written in that system's convention, fits the generated train() on a
scikit-learn dataset and checks the trained model (what was fitted, not what the code looks like).
"""

from __future__ import annotations

import numpy as np
import pytest
from ConfigSpace import ConfigurationSpace
from harness import make_dataset
from test_faithful import _final, _fit, _train


def _accuracy(result) -> float:
    return -float(result)


# --- 1. BernoulliNB binarizes standardized numbers, never min-max scaled ones -------------------


@pytest.mark.parametrize("scaler", [True, False])
def test_bernoulli_nb_binarizes_standardized_numbers(tmp_path, scaler):
    """A min-max scaler in front of BernoulliNB put 99% of the cells above the 0.0 threshold: it predicted
    the majority class (0.63 on breast_cancer). Binarizing at the mean (the space's standardize, else the
    family's own StandardScaler) keeps it above 0.9."""
    space = {"classifier:__choice__": ["bernoulli_nb", "random_forest"], "classifier:bernoulli_nb:alpha": (0.01, 100.0), "classifier:random_forest:bootstrap": ["True", "False"]}
    config = {"classifier:__choice__": "bernoulli_nb", "classifier:bernoulli_nb:alpha": 1.0}
    if scaler:
        space["rescaling:__choice__"] = ["none", "standardize", "minmax"]
        config["rescaling:__choice__"] = "standardize"
    train = _train(tmp_path, ConfigurationSpace(space))
    result, model, _ = _fit(train, config, make_dataset("breast_cancer", pandas=False, given_test=False), tmp_path / "models")
    assert not any(type(step).__name__ == "MinMaxScaler" for step in _steps(model))
    assert _accuracy(result) > 0.9


def _steps(model):
    """Every step of the saved pipeline, nested pipelines and column transformers included."""
    found = [model]
    for _, step in getattr(model, "steps", ()):
        found += _steps(step)
    for _, step, _ in getattr(model, "transformers_", ()):
        found += _steps(step)
    return found


# --- 3. The family's scaler runs before the feature preprocessor ------------------------------------


def test_family_scaler_runs_before_the_feature_preprocessor(tmp_path):
    """PCA(0.95) on raw breast_cancer keeps 1 component (one column's variance dwarfs the others); auto-sklearn
    scales first (impute -> encode -> scale -> feature preprocessor -> estimator), which keeps 10."""
    space = ConfigurationSpace({"preprocessing": ["None", "pca"], "C": (0.1, 10.0), "kernel": ["rbf", "linear"]})
    train = _train(tmp_path, space, task="classification")
    result, model, _ = _fit(train, {"preprocessing": "pca", "C": 1.0, "kernel": "rbf"}, make_dataset("breast_cancer", pandas=False, given_test=False), tmp_path / "models")
    names = [type(step).__name__ for step in _steps(model)]
    assert names.index("StandardScaler") < names.index("PCA") < names.index("SVC")
    pca = next(step for step in _steps(model) if type(step).__name__ == "PCA")
    assert pca.n_components_ == 10
    assert _accuracy(result) > 0.9
