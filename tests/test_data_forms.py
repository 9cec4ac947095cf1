"""Issue 27 (R13 R14 R24): the data forms users pass, drawn by hypothesis, on one golden train() per family.

X: numpy 2-D to 4-D in float64 / float32 / int64 / uint8, a list of rows, a DataFrame (numeric, categorical,
bool, datetime and object columns) or a sparse matrix; y: int, str, bool or float labels, flat or (N, 1);
missing and infinite values in X, missing labels, 2 to 2,000 rows, imbalanced classes. Every call either
fits (a finite loss) or raises one ValueError from the generated file's own code that names dataset['X'] or
dataset['y']; a library's traceback fails the test.

Profiles: "ci" (the default, in `make test`): a few derandomized examples per family; "data-forms"
(`make data-forms`, HYPOTHESIS_PROFILE=data-forms): 60 random examples per family. Failing examples found
are pinned below as plain regression cases (test_found_forms).
"""

from __future__ import annotations

import contextlib
import io
import os
import traceback
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from harness import GOLDEN, load_space, load_train
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Own settings objects (not global profiles, which tests/test_fuzz.py registers and loads).
if os.environ.get("HYPOTHESIS_PROFILE") == "data-forms":
    PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
else:
    PROFILE = settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# family -> (golden file, its space): the default configuration of each.
FAMILIES = {
    "random forest": ("25_loss_hpo", "25.json"),
    "gradient boosting": ("46_loss_hpo", "46.json"),
    "SVM": ("05_loss_hpo", "05.json"),
    "linear": ("logreg_loss_hpo", "logreg.json"),
    "kNN": ("knn_loss_hpo", "knn.json"),
    "sklearn MLP": ("07_loss_hpo", "07.json"),
    "XGBoost": ("xgboost_loss_hpo", "xgboost.json"),
    "LightGBM": ("lightgbm_loss_hpo", "lightgbm.json"),
    "PyTorch": ("11_torch_loss_hpo", "11.json"),
    "TensorFlow": ("11_tensorflow_metrics_hpo", "11.json"),
}
NETWORKS = {"PyTorch": "torch", "TensorFlow": "tensorflow"}


@st.composite
def datasets(draw) -> dict:
    """One dataset as a user might pass it; the values come from a drawn numpy seed (fast, and shrinkable)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    rows = draw(st.one_of(st.integers(2, 40), st.integers(41, 2000)))
    classes = draw(st.integers(2, 5))
    weights = rng.dirichlet(np.full(classes, draw(st.sampled_from([0.3, 1.0, 10.0]))))
    labels = rng.choice(classes, size=rows, p=weights)
    form = draw(st.sampled_from(["2d", "3d", "4d-first", "4d-last", "list", "frame", "sparse"]))
    dtype = draw(st.sampled_from(["float64", "float32", "int64", "uint8"]))
    width = draw(st.integers(1, 6))
    shape = {"2d": (width * 2,), "3d": (width, 3), "4d-first": (1, width, 3), "4d-last": (width, 3, 1), "list": (width,), "sparse": (width * 2,)}.get(form, (width,))
    X = rng.normal(size=(rows, *shape)) * 40 + 100 + labels.reshape(-1, *[1] * len(shape)) * 20
    X = X.astype(dtype) if dtype == "float32" or dtype == "float64" else np.clip(X, 0, 255).astype(dtype)
    if X.dtype.kind == "f" and draw(st.booleans()):
        cells = rng.random(X.shape)
        X[cells < draw(st.sampled_from([0.0, 0.02, 0.3]))] = np.nan
        X[cells > 1 - draw(st.sampled_from([0.0, 0.02]))] = draw(st.sampled_from([np.inf, -np.inf]))
    if form == "list":
        X = X.tolist()
    elif form == "sparse":
        X = scipy.sparse.csr_matrix(np.where(rng.random(X.shape) < 0.5, 0, X))
    elif form == "frame":
        X = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
        extras = draw(st.sets(st.sampled_from(["category", "bool", "datetime", "object"])))
        for extra in sorted(extras):
            X[extra] = {
                "category": pd.Categorical(rng.choice(["red", "green", "blue"], size=rows)),
                "bool": rng.random(rows) < 0.5,
                "datetime": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 1000, rows), unit="D"),
                "object": rng.choice(["a", "b", None], size=rows).astype(object),
            }[extra]
    kind = draw(st.sampled_from(["int", "str", "bool", "float"]))
    if kind == "bool":
        labels = labels % 2 == 0
    y = {"int": labels, "str": np.array(["cat", "dog", "owl", "emu", "yak"])[np.asarray(labels, dtype=int)], "bool": labels, "float": np.asarray(labels, dtype=float)}[kind]
    if draw(st.booleans()):
        y = y.astype(object) if kind != "float" else y.copy()
        y[rng.random(rows) < draw(st.sampled_from([0.05, 0.5]))] = None if kind != "float" else np.nan
    if draw(st.booleans()):
        y = y.reshape(-1, 1)
    return {"X": X, "y": y}


def outcome(family: str, data: dict, tmp_path: Path) -> str:
    """Run the family's golden train(): "fits", or "clear error" (a ValueError of the file's own code naming the
    dataset); any other exception propagates with the data form in its message."""
    if family in NETWORKS:
        pytest.importorskip(NETWORKS[family])
    name, space = FAMILIES[family]
    path = GOLDEN / f"{name}.py"
    train = load_train(path)
    config = dict(load_space(space).get_default_configuration())
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loss = train(config, data, seed=0, model_dir=str(tmp_path))
    except ValueError as error:
        last = traceback.extract_tb(error.__traceback__)[-1]
        if Path(last.filename).resolve() == path.resolve() and "dataset[" in str(error):
            return "clear error"
        raise
    value = loss["loss"] if isinstance(loss, dict) else loss
    assert np.isfinite(value), f"{family}: loss {value}"
    return "fits"


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_form_fits_or_is_one_clear_error(family, tmp_path_factory):
    @settings(PROFILE)
    @given(data=datasets())
    def check(data):
        assert outcome(family, data, tmp_path_factory.mktemp("models")) in ("fits", "clear error")

    check()


def _images(rows, dtype=np.uint8):
    rng = np.random.default_rng(0)
    labels = np.arange(rows) % 3
    return np.clip(rng.normal(size=(rows, 8, 8)) * 40 + 100 + labels[:, None, None] * 20, 0, 255).astype(dtype), labels


# Cases the property found or the issue names, pinned (each one fits or is a clear error, as stated).
FOUND = {
    "images (N, 1, 8, 8) uint8": (lambda: {"X": _images(60)[0][:, None], "y": _images(60)[1]}, "fits"),
    "images (N, 8, 8, 1) float32": (lambda: {"X": _images(60, np.float32)[0][..., None], "y": _images(60)[1]}, "fits"),
    "infinities in X": (lambda: {"X": np.where(np.eye(60, 6) > 0, np.inf, 1.0 + np.arange(60)[:, None] % 3), "y": np.arange(60) % 3}, "fits"),
    "a missing label": (lambda: {"X": np.arange(120.0).reshape(60, 2), "y": np.where(np.arange(60) == 5, np.nan, np.arange(60) % 2)}, "fits"),
    "None labels in an object array": (lambda: {"X": np.arange(120.0).reshape(60, 2), "y": np.array(["a", "b", None] * 20, dtype=object)}, "fits"),
    "a class of one row": (lambda: {"X": np.arange(40.0).reshape(20, 2), "y": np.array([0] * 19 + [1])}, "clear error"),
    "every label missing": (lambda: {"X": np.ones((10, 2)), "y": np.full(10, np.nan)}, "clear error"),
    "infinite labels": (lambda: {"X": np.ones((10, 2)), "y": np.array([0.0, np.inf] * 5)}, "clear error"),
}


@pytest.mark.parametrize("family", ["random forest", "SVM", "XGBoost", "PyTorch"])
@pytest.mark.parametrize("case", list(FOUND))
def test_found_forms(family, case, tmp_path):
    make, expected = FOUND[case]
    assert outcome(family, make(), tmp_path) == expected


@pytest.mark.parametrize("family", ["random forest", "XGBoost"])
def test_the_saved_model_takes_what_train_took(family, tmp_path):
    """Issue 27.2: images in, a saved pipeline that flattens them itself; model.json records the row shape and dtype,
    and load_model refuses rows of another shape with one clear error."""
    import json

    import joblib
    from trainfn_gen import load_model
    from trainfn_gen.errors import GeneratorError

    X, y = _images(90)
    X = X[:, None]
    assert outcome(family, {"X": X, "y": y}, tmp_path) == "fits"
    (saved,) = tmp_path.glob("*.joblib")
    assert json.loads(saved.with_suffix(".json").read_text())["input"] == {"shape": [1, 8, 8], "dtype": "uint8"}
    model = joblib.load(saved)
    flat = model[1:].predict(X.reshape(90, -1))  # the steps after the saved flatten step, on rows flattened here
    assert np.array_equal(model.predict(X), flat) and np.array_equal(model.predict(X[:, 0]), flat)
    loaded = load_model(saved)
    assert np.array_equal(loaded.predict(X[:, 0, :, :, None]), flat)
    with pytest.raises(GeneratorError, match=r"rows of shape \(1, 8, 8\)"):
        loaded.predict(X.reshape(90, 4, 16)[:, :, :8])


@pytest.mark.parametrize(
    ("name", "space", "y", "expected"),
    [
        # 5 folds: every class needs two rows (a class of one row would miss a fold's training part).
        ("02_cv5_loss_hpo", "02.json", np.array([0] * 11 + [1] * 8 + [2]), r"class counts \{0: 11, 1: 8, 2: 1\}"),
        # Two rows per class are enough: stratified, each fold's training part keeps one of them.
        ("02_cv5_loss_hpo", "02.json", np.array([0] * 10 + [1] * 8 + [2] * 2), None),
        ("46_regression_cv5_loss_multifidelity", "46.json", np.arange(4.0), r"has 4 rows for 5 folds"),
    ],
)
def test_folds_keep_every_class_or_say_why_not(name, space, y, expected, tmp_path):
    """Issue 27.4 for K-fold: the folds are stratified; what cannot be is one ValueError with the counts."""
    train = load_train(GOLDEN / f"{name}.py")
    config = dict(load_space(space).get_default_configuration())
    data = {"X": np.random.default_rng(0).normal(size=(len(y), 3)) + y[:, None], "y": y}
    with contextlib.redirect_stdout(io.StringIO()):
        if expected is None:
            assert np.isfinite(train(config, data, seed=0, budget=None))
        else:
            with pytest.raises(ValueError, match=expected):
                train(config, data, seed=0, budget=None)
