"""Issue 15: spaces and data that used to break the generated train() (R24 R07 R09), pinned as plain tests.

Configurations come from ConfigSpace's own sampler (numpy values, as SMAC hands them over), never from
native values only, which hid the mixed int/float bug.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import math
import warnings

import numpy as np
import pytest
from ConfigSpace import Categorical, ConfigurationSpace, Integer
from harness import GOLDEN, configurations, load_train, make_dataset
from trainfn_gen.api import generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.options import make_options


def _source(tmp_path, space: ConfigurationSpace, **options) -> str:
    path = tmp_path / "space.json"
    space.to_json(path)
    return generate(path, make_options(**{"task": "classification", **options}))


def _train(tmp_path, space: ConfigurationSpace, **options):
    target = tmp_path / "train_hardened.py"
    target.write_text(_source(tmp_path, space, **options))
    return load_train(target)


def _quiet(train, config, data, **kwargs):
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return train(config, data, seed=0, **kwargs)


def _every_configuration_runs(tmp_path, space: ConfigurationSpace, count: int = 4) -> None:
    train = _train(tmp_path, space)
    for config in configurations(space, count, seed=0):
        loss = _quiet(train, config, make_dataset("iris", pandas=False, given_test=False))
        assert math.isfinite(loss) and -1.0 <= loss <= 0.0


# --- choice values (as_choice, estimator_value, lit) ------------------------------------------------


@pytest.mark.parametrize(
    "choices",
    [
        {"max_features": [0.5, 1], "n_estimators": (10, 20)},  # ConfigSpace hands over np.float64(1.0)
        {"n_estimators": [10, 100.0], "max_depth": [3, 5.5]},  # float choices of int-only arguments
        {"max_depth": [float("inf"), 5], "n_estimators": (10, 20)},  # inf depth: no limit (None)
    ],
    ids=["mixed_int_float", "float_for_int", "inf"],
)
def test_numeric_choices_run_on_every_sampled_configuration(tmp_path, choices):
    _every_configuration_runs(tmp_path, ConfigurationSpace(choices))


def test_float_choices_of_an_int_argument_become_ints_and_inf_becomes_none(tmp_path):
    source = _source(tmp_path, ConfigurationSpace({"n_estimators": [10, 100.0], "max_depth": [3, 5.5, float("inf")]}))
    assert '{"10": 10, "100.0": 100}' in source
    assert '{"3": 3, "5.5": 6, "inf": None}' in source


def test_a_nan_choice_is_refused_in_one_paragraph(tmp_path):
    space = ConfigurationSpace()
    space.add([Categorical("max_depth", [5, float("nan")], default=5), Integer("n_estimators", (10, 20))])
    with pytest.raises(GeneratorError) as caught:
        _source(tmp_path, space)
    assert caught.value.paragraph() == (
        "space.json: hyperparameter 'max_depth': its values (5, nan) are not accepted by the RandomForestClassifier "
        "argument 'max_depth' (it accepts values of at least 1)."
    )


# --- selector names that shadow what the generated code binds or imports ----------------------------


def _bindings(source: str) -> list[str]:
    """Every name the module binds: imports, defs, arguments, assignment and loop targets (with repeats)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [alias.asname or alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.arg):
            names.append(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append(node.id)
    return names


def _selector_variable(source: str, selector: str) -> str:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == "as_choice":
            read = node.value.args[0]
            if isinstance(read, ast.Call) and read.args and getattr(read.args[0], "value", None) == selector:
                return node.targets[0].id
    raise AssertionError(f"no variable holds the selector {selector!r}")


SHADOWING = ["make_pipeline", "train_test_split", "SimpleImputer", "accuracy_score", "SVC", "RandomForestClassifier", "StandardScaler", "OneHotEncoder", "np", "joblib", "json"]


@pytest.mark.parametrize("selector", SHADOWING)
def test_a_selector_named_like_an_import_or_local_is_never_rebound(tmp_path, selector):
    space = ConfigurationSpace({selector: ["rf", "svm"], "C": (0.1, 1.0), "n_estimators": (10, 20)})
    source = _source(tmp_path, space)
    variable = _selector_variable(source, selector)
    assert variable == "algorithm"
    assert _bindings(source).count(variable) == 1


@pytest.mark.parametrize("selector", ["SVC", "make_pipeline", "accuracy_score"])
def test_a_selector_named_like_an_import_runs_on_every_branch(tmp_path, selector):
    space = ConfigurationSpace({selector: ["rf", "svm"], "C": (0.1, 1.0), "n_estimators": (10, 20)})
    train = _train(tmp_path, space)
    for value in ("rf", "svm"):
        loss = _quiet(train, {selector: np.str_(value), "C": 0.5, "n_estimators": 10}, make_dataset("iris", pandas=False, given_test=False))
        assert -1.0 <= loss <= 0.0


@pytest.mark.parametrize("framework", ["torch", "tensorflow"])
@pytest.mark.parametrize("selector", ["device", "optimizer", "network", "epochs", "torch", "keras", "history"])
def test_a_network_selector_named_like_a_network_local_is_never_rebound(tmp_path, framework, selector):
    data = json.loads((GOLDEN / "spaces" / "42.json").read_text())
    path = tmp_path / "space.json"
    path.write_text(json.dumps(data).replace('"model_type"', json.dumps(selector)))
    source = generate(path, make_options(task="classification", framework=framework))
    variable = _selector_variable(source, selector)
    assert variable == "algorithm"
    assert _bindings(source).count(variable) == 1
