"""Issue 15: spaces and data that used to break the generated train() (R24 R07 R09), pinned as plain tests.

Configurations come from ConfigSpace's own sampler (numpy values, as SMAC hands them over), never from
native values only, which hid the mixed int/float bug.
"""

from __future__ import annotations

import ast
import concurrent.futures
import contextlib
import errno
import io
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from ConfigSpace import Categorical, ConfigurationSpace, Integer
from harness import GOLDEN, configurations, load_train, make_dataset
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.space.load import load_space


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


def test_a_nan_choice_is_never_written_as_code_and_is_refused_when_strict(tmp_path):
    space = ConfigurationSpace()
    space.add([Categorical("max_depth", [5, float("nan")], default=5), Integer("n_estimators", (10, 20))])
    source = _source(tmp_path, space)  # by default: stated unused (with a warning), never a bare `nan`
    assert "#   max_depth is not used: its values (5, nan) are not accepted" in source
    assert "nan)" not in source.split('"""', 2)[2].split("# R06")[0] and "cfg.get(\"max_depth\")" not in source
    with pytest.raises(GeneratorError) as caught:
        _source(tmp_path, space, strict=True)
    assert caught.value.paragraph() == (
        "space.json: hyperparameter 'max_depth': its values (5, nan) are not accepted by the RandomForestClassifier "
        "argument 'max_depth' (--strict refuses what no rule understands)."
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


# --- model saving (R20) --------------------------------------------------------------------------------

FOREST = {"n_estimators": (10, 12), "max_depth": (2, 4)}


def test_threads_of_one_process_never_share_a_temporary_model_file(tmp_path):
    train = _train(tmp_path, ConfigurationSpace(FOREST))
    data = make_dataset("iris", pandas=False, given_test=False)
    folder = tmp_path / "models"

    def trial(_):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return train({"n_estimators": 10, "max_depth": 3}, data, seed=0, model_dir=str(folder))

    with contextlib.redirect_stdout(io.StringIO()), concurrent.futures.ThreadPoolExecutor(8) as pool:
        losses = list(pool.map(trial, range(16)))
    assert all(-1.0 <= loss <= 0.0 for loss in losses)
    assert sorted(p.suffix for p in folder.iterdir()) == [".joblib", ".json"]


def test_a_save_that_fails_midway_leaves_no_partial_file_and_the_result_is_printed_first(tmp_path, capsys):
    """R04 forbids try/except in train(): the error propagates (SMAC records it), after the metric line."""
    train = _train(tmp_path, ConfigurationSpace(FOREST))

    class FullDisk:
        @staticmethod
        def dump(model, path):
            Path(path).write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")

    train.__globals__["joblib"] = FullDisk
    folder = tmp_path / "models"
    with pytest.raises(OSError, match="No space left on device"):
        train({"n_estimators": 10, "max_depth": 3}, make_dataset("iris", pandas=False, given_test=False), seed=0, model_dir=str(folder))
    assert list(folder.iterdir()) == []
    assert "train: accuracy " in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["file", "empty"])
def test_a_model_dir_that_cannot_take_the_model_fails_before_training(tmp_path, kind, capsys):
    train = _train(tmp_path, ConfigurationSpace(FOREST))
    model_dir = ""
    if kind == "file":
        model_dir = str(tmp_path / "notes.txt")
        Path(model_dir).write_text("mine\n")
    with pytest.raises(ValueError) as caught:
        train({"n_estimators": 10, "max_depth": 3}, make_dataset("iris", pandas=False, given_test=False), seed=0, model_dir=model_dir)
    assert str(caught.value) == f"model_dir={model_dir!r} is not a folder"
    assert "fitting" not in capsys.readouterr().out


# --- data the generated code meets at run time (R13 R24) -----------------------------------------------


BAD_DATA = {
    "one_dimensional_x": (lambda d: {**d, "X": d["X"][:, 0]}, "dataset['X'] has shape (150,); give one row per sample (for one feature: X.reshape(-1, 1))"),
    "no_rows": (lambda d: {**d, "X": d["X"][:0], "y": d["y"][:0]}, "dataset['X'] has 0 rows and dataset['y'] 0 labels; give as many, at least one"),
    "fewer_labels": (lambda d: {**d, "y": d["y"][:100]}, "dataset['X'] has 150 rows and dataset['y'] 100 labels; give as many, at least one"),
    "one_hot_y": (lambda d: {**d, "y": np.eye(3)[d["y"]]}, "dataset['y'] has shape (150, 3); give one label per row (for one-hot labels: y.argmax(axis=1))"),
    "x_test_without_y_test": (lambda d: {**d, "X_test": d["X"][:10]}, "the dataset has only one of X_test and y_test; give both (a test split) or neither"),
    "one_class": (lambda d: {"X": d["X"][:50], "y": d["y"][:50]}, "dataset['y'] holds one class only ([0]); a classifier needs at least two"),
    "one_hot_y_test": (lambda d: {"X": d["X"], "y": d["y"], "X_test": d["X"][:9], "y_test": np.eye(3)[d["y"][:9]]}, "dataset['y_test'] has shape (9, 3); give one label per row (for one-hot labels: y.argmax(axis=1))"),
}


@pytest.mark.parametrize("case", BAD_DATA)
def test_data_train_cannot_use_is_one_clear_value_error(tmp_path, case, capsys):
    change, message = BAD_DATA[case]
    train = _train(tmp_path, ConfigurationSpace(FOREST))
    with pytest.raises(ValueError) as caught:
        train({"n_estimators": 10, "max_depth": 3}, change(make_dataset("iris", pandas=False, given_test=False)), seed=0)
    assert str(caught.value) == message
    assert "fitting" not in capsys.readouterr().out


PREPROCESSED = {"one_hot_encoding": [True, False], "rescaling": ["standardize", "minmax", "robust", "none"], "C": (0.1, 10.0), "gamma": (0.01, 1.0)}  # SVC: no NaN


@pytest.mark.parametrize("kind", ["python_list", "sparse", "text_with_missing"])
def test_data_in_other_shapes_runs_on_every_configuration(tmp_path, kind):
    train = _train(tmp_path, ConfigurationSpace(PREPROCESSED))
    data = make_dataset("iris", pandas=kind == "text_with_missing", given_test=False)
    if kind == "python_list":
        data = {"X": data["X"].tolist(), "y": data["y"].tolist()}
    elif kind == "sparse":
        data = {"X": scipy.sparse.csr_matrix(data["X"]), "y": data["y"]}
    else:
        colour = np.array(["red", "green", None], dtype=object)[np.arange(len(data["y"])) % 3]
        data = {"X": data["X"].assign(colour=colour), "y": data["y"]}
    space = ConfigurationSpace(PREPROCESSED)
    for config in configurations(space, 5, seed=1) + [{"one_hot_encoding": False, "rescaling": "robust", "C": 1.0, "gamma": 0.1}]:
        loss = _quiet(train, config, data)
        assert -1.0 <= loss <= 0.0


def _chain_json(depth: int) -> dict:
    """A forest space whose extra categoricals form one chain of equality conditions, `depth` long."""
    hyperparameters = [{"name": "n_estimators", "type": "uniform_int", "lower": 10, "upper": 20, "default_value": 10, "log": False}]
    hyperparameters += [{"name": f"criterion_{i}", "type": "categorical", "choices": ["gini", "entropy"], "default_value": "gini"} for i in range(depth)]
    conditions = [{"child": f"criterion_{i}", "parent": f"criterion_{i - 1}", "type": "EQ", "value": "gini"} for i in range(1, depth)]
    return {"hyperparameters": hyperparameters, "conditions": conditions, "forbiddens": []}


def _chain_pcs(depth: int) -> str:
    lines = ["n_estimators integer [10, 20] [10]", *(f"criterion_{i} categorical {{gini, entropy}} [gini]" for i in range(depth))]
    lines += [f"criterion_{i} | criterion_{i - 1} == gini && n_estimators > 10" for i in range(1, depth)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("fmt", ["json", "yaml", "pcs_new"])
def test_a_chain_of_conditions_too_deep_for_configspace_is_refused_before_reading(tmp_path, fmt):
    """ConfigSpace reads a 20-deep chain in hours (4x per link); it used to hang generate and a pre-commit hook."""
    import yaml

    path = tmp_path / f"deep.{'pcs' if fmt == 'pcs_new' else fmt}"
    path.write_text({"json": json.dumps, "yaml": yaml.safe_dump}[fmt](_chain_json(20)) if fmt != "pcs_new" else _chain_pcs(20))
    with pytest.raises(GeneratorError) as refused:
        generate(path, make_options(task="classification"))
    message = str(refused.value)
    assert message.startswith(f"{path.name}: hyperparameter 'criterion_19': its conditions chain 20 hyperparameters")
    assert "'criterion_19' -> 'criterion_18' -> 'criterion_17'" in message and "at most 13" in message


def test_a_chain_of_conditions_as_deep_as_allowed_still_generates(tmp_path):
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(_chain_json(13)))
    space = load_space(path)
    assert len(space) == 14 and len(space.conditions) == 12


POLY_SVM = {"kernel": ["poly", "rbf"], "degree": (1, 128), "gamma": (1e-3, 10.0), "coef0": (0.0, 1.0), "C": (0.01, 100.0)}


@pytest.mark.parametrize("task, metric", [("classification", None), ("classification", "log_loss"), ("regression", None)])
def test_a_polynomial_kernel_of_high_degree_fits_finite(tmp_path, task, metric):
    """libsvm's single-precision kernel cache overflowed: 'The dual coefficients or intercepts are not finite'.

    The SVC sits in a pipeline with its scaler, in a calibration (log loss), or the SVR in a target scaler.
    """
    from sklearn.datasets import load_breast_cancer, load_diabetes

    X, y = (load_breast_cancer if task == "classification" else load_diabetes)(return_X_y=True)
    train = _train(tmp_path, ConfigurationSpace(POLY_SVM), task=task, family="svm", metric=metric)
    for degree, gamma in ((128, 8.0), (40, 0.01)):
        loss = train({"kernel": "poly", "degree": degree, "gamma": gamma, "coef0": 0.5, "C": 1.0}, {"X": X[:300], "y": y[:300]}, seed=0)
        assert math.isfinite(loss)


def test_the_rescaled_polynomial_kernel_is_the_same_model(tmp_path, capsys):
    """Where libsvm still fits the raw parameters (kernel values up to 1e32), the rescaled fit predicts the same."""
    import joblib
    from sklearn.datasets import load_breast_cancer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    X, y = load_breast_cancer(return_X_y=True)
    train = _train(tmp_path, ConfigurationSpace(POLY_SVM), family="svm")
    cfg = {"kernel": "poly", "degree": 10, "gamma": 4.0, "coef0": 0.0, "C": 1.0}
    train(cfg, {"X": X[:400], "y": y[:400], "X_test": X[400:], "y_test": y[400:]}, seed=0, model_dir=str(tmp_path / "models"))
    assert "gamma, coef0 and C rescaled to the same model" in capsys.readouterr().out
    saved = joblib.load(next((tmp_path / "models").glob("*.joblib")))
    assert saved[-1][-1].gamma < 4.0 and saved[-1][-1].C > 1e30
    raw = make_pipeline(StandardScaler(), SVC(kernel="poly", degree=10, gamma=4.0, coef0=0.0, C=1.0, max_iter=1_000_000)).fit(X[:400], y[:400])
    assert (raw.predict(X[400:]) == saved.predict(X[400:])).all()
