"""Every golden train() runs: default + 20 sampled configurations, native and numpy values, pandas and
numpy data, with and without a given test split (R02 R05 R07 R08 R10 R12 R13 R14 R20 R21 R24)."""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path

import joblib
import numpy as np
import pytest
from harness import (
    GOLDEN,
    as_native,
    as_numpy,
    configurations,
    golden_cases,
    load_space,
    load_train,
    make_dataset,
)

CASES = golden_cases()
# Network goldens (PyTorch / Keras) are executed by test_network.py with small epoch budgets.
SKLEARN_CASES = [c for c in CASES if "_torch_" not in c["name"] and "_tensorflow_" not in c["name"]]
SAMPLED = 20
CLASSIFICATION_DATA = ("iris", "wine", "breast_cancer", "digits")
CLASSIFICATION_KEYS = {"loss", "accuracy", "balanced_accuracy", "precision", "recall", "f1"}
REGRESSION_KEYS = {"loss", "mse", "mae", "r2"}


def _task(case) -> str:
    """The task a case was generated for; "auto" cases decide at run time and run on both kinds of data."""
    if "_auto" in case["name"]:
        return "auto"
    return "regression" if "regression" in case["name"] else "classification"


def _data_task(name: str) -> str:
    return "regression" if name == "diabetes" else "classification"


def _budgets(case) -> list | None:
    args = case["args"]
    if not any(f in args for f in ("multi-fidelity", "MultiFidelityFacade", "hyperband", "HyperbandFacade")):
        return None
    source = (GOLDEN / f"{case['name']}.py").read_text()
    low, high = (float(v) for v in source.split("budget in [", 1)[1].split("]", 1)[0].split(", "))
    return [low, (low + high) / 2, high]


def _datasets(case) -> tuple[str, ...]:
    if _task(case) == "regression":
        return ("diabetes",)
    if _task(case) == "auto":
        return ("iris", "diabetes", "breast_cancer", "diabetes")
    source = (GOLDEN / f"{case['name']}.py").read_text()
    # Boosting and MLP fits grow with classes x iterations: keep them on the small sets.
    heavy = any(name in source for name in ("GradientBoosting", "MLP", "PolynomialFeatures"))
    return ("iris", "wine", "breast_cancer") if heavy else CLASSIFICATION_DATA


def _folds(case) -> int:
    """Cross-validated goldens (`--cv K`, or `--cv auto` on a small profiled dataset) run K fits per call."""
    source = (GOLDEN / f"{case['name']}.py").read_text()
    stated = re.search(r"(\d+)-fold cross-validation \(", source)
    return int(stated.group(1)) if stated else 1


def _check_result(case, result, task):
    contract_metrics = "metrics" in case["name"]
    if contract_metrics:
        assert isinstance(result, dict)
        keys = CLASSIFICATION_KEYS if task == "classification" else REGRESSION_KEYS
        # Cross-validation adds each metric's standard deviation over the folds.
        assert set(result) == (keys | {f"{key}_std" for key in keys - {"loss"}} if _folds(case) > 1 else keys)
        assert all(isinstance(v, float) and math.isfinite(v) for v in result.values())
        loss = result["loss"]
    else:
        assert isinstance(result, float)
        loss = result
    assert math.isfinite(loss)
    if task == "classification":
        assert -1.0 <= loss <= 0.0, "R02: loss is -accuracy"
    else:
        assert loss >= 0.0, "R02: loss is the mse"


@pytest.mark.parametrize("case", SKLEARN_CASES, ids=lambda c: c["name"])
def test_golden_train_runs_on_sampled_configurations(case, tmp_path, capsys):
    train = load_train(GOLDEN / f"{case['name']}.py")
    space = load_space(case["space"])
    budgets = _budgets(case)
    names = _datasets(case)
    no_budget = "nobudget" in case["name"]
    for index, config in enumerate(configurations(space, SAMPLED, seed=len(case["name"]))):
        cast = as_numpy if index % 2 else as_native
        cfg = {name: cast(value) for name, value in config.items()}
        name = names[index % len(names)]
        data = make_dataset(name, pandas=index % 3 == 1, given_test=index % 4 == 2)
        kwargs = {"model_dir": str(tmp_path)} if index % 5 == 0 else {}
        if not no_budget:
            kwargs["budget"] = None if budgets is None else budgets[index % len(budgets)]
        result = train(cfg, data, seed=index, **kwargs)
        _check_result(case, result, _data_task(name))
    printed = capsys.readouterr().out.count("\n")
    assert printed <= (SAMPLED + 1) * (3 + _folds(case)) + 10, "R22: a few progress lines per call (one per fold)"


@pytest.mark.parametrize("case", [c for c in CASES if c["name"].endswith("_loss_hpo")][:4], ids=lambda c: c["name"])
def test_same_inputs_give_the_same_loss(case):
    """R21: the same (configuration, seed, budget, data) gives the same loss."""
    train = load_train(GOLDEN / f"{case['name']}.py")
    config = configurations(load_space(case["space"]), 1, seed=3)[1]
    data = make_dataset(_datasets(case)[0], pandas=False, given_test=False)
    assert train(config, data, seed=7) == train(config, data, seed=7)


@pytest.mark.parametrize("case", [c for c in CASES if c["name"] in ("02_loss_multifidelity", "16_metrics_multifidelity")], ids=lambda c: c["name"])
def test_saved_model_loads_back_and_predicts(case, tmp_path):
    """R20: joblib file plus metadata JSON, unique per configuration/seed/budget, loads and predicts."""
    train = load_train(GOLDEN / f"{case['name']}.py")
    space = load_space(case["space"])
    data = make_dataset("iris", pandas=False, given_test=False)
    budgets = _budgets(case)
    for seed, config in enumerate(configurations(space, 3, seed=1)):
        train(config, data, seed=seed, budget=budgets[-1], model_dir=str(tmp_path))
    models = sorted(tmp_path.glob("*.joblib"))
    assert len(models) == 4
    assert not list(tmp_path.glob("*.tmp"))
    for path in models:
        model = joblib.load(path)
        assert model.predict(data["X"][:5]).shape == (5,)
        metadata = json.loads(path.with_suffix(".json").read_text())
        assert set(metadata) == {"config", "seed", "budget", "metrics", "input"}
        assert metadata["input"] == {"shape": [4], "dtype": "float64"}  # issue 27: iris rows, checked by load_model


def test_budget_outside_the_generated_range_is_an_error():
    """R12: budgets are range-checked, not silently used."""
    train = load_train(GOLDEN / "17_loss_multifidelity.py")
    data = make_dataset("iris", pandas=False, given_test=False)
    with pytest.raises(ValueError, match="outside"):
        train({}, data, seed=0, budget=10_000)


def test_budget_sets_the_number_of_trees():
    """R12: for a forest the budget is the number of trees, overriding n_estimators."""
    train = load_train(GOLDEN / "17_loss_multifidelity.py")
    data = make_dataset("iris", pandas=False, given_test=False)
    with tempfile.TemporaryDirectory() as folder:
        train({"n_estimators": 200}, data, seed=0, budget=60, model_dir=folder)
        model = joblib.load(next(Path(folder).glob("*.joblib")))
    assert model[-1].n_estimators == 60


def test_inactive_conditional_values_are_not_passed_as_none():
    """R10: bootstrap False deactivates max_samples; the forest must not receive it."""
    train = load_train(GOLDEN / "39_loss_hpo.py")
    data = make_dataset("iris", pandas=False, given_test=False)
    loss = train({"bootstrap": np.False_, "criterion": np.str_("entropy"), "n_estimators": np.int64(20)}, data, seed=0)
    assert -1.0 <= loss <= 0.0


def test_unknown_categorical_value_raises():
    """R09: a value outside the space's choices is an error, not a silent default."""
    train = load_train(GOLDEN / "17_loss_hpo.py")
    data = make_dataset("iris", pandas=False, given_test=False)
    with pytest.raises(ValueError, match="not one of"):
        train({"criterion": "mse"}, data, seed=0)
