"""`trainfn_gen.load_model`: a saved network rebuilt from its JSON predicts as the trained network did (issue 17).

Each case trains a generated network on 225 rows and scores it on 75 given test rows (R14), saving
the model (R20); the loaded model's predictions on those 75 rows must reproduce train()'s own metrics:
accuracy exactly, log loss (from predict_proba) and mse to float32 rounding. Any difference in the
rebuilt architecture, the weights, the input preparation (column transformer, scaling, token ids,
channel axis, sequences) or the label / target mapping changes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from harness import CORPUS, configurations, dataset, load_space
from sklearn.metrics import log_loss, mean_squared_error
from trainfn_gen import load_model
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.run.best import refit
from trainfn_gen.run.trial import Target

torch = pytest.importorskip("torch")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
ROWS = 300


pytestmark = pytest.mark.usefixtures("torch_one_thread")


def split(kind: str, task: str = "classification") -> dict:
    X, y = dataset("digits" if task == "classification" else "diabetes")
    X, y = X[:ROWS], y[:ROWS]
    shapes = {"image": (-1, 1, 8, 8), "channels_last": (-1, 8, 8, 1), "sequence": (-1, 8, 8)}
    if kind in shapes:
        X = X.reshape(shapes[kind])
    elif kind == "tokens":
        X = (X.reshape(-1, 16, 4).sum(-1) // 8).astype(np.int64)
    return {"X": X[:225], "y": y[:225], "X_test": X[225:], "y_test": y[225:]}


def trained(tmp_path: Path, space: str, kind: str, task: str = "classification", framework: str = "torch", config_index: int = 0):
    """(the test split, train()'s metrics and loss, the Target, the configuration) for one configuration of a corpus space, saved under tmp_path/models."""
    metric = "log_loss" if task == "classification" else "mse"
    options = make_options(task=task, contract="metrics", facade="multi-fidelity", min_budget=1, max_budget=3, framework=framework, metric=metric)
    source = generate(CORPUS / f"{space}.json", options)
    target = Target(source, str(tmp_path / "train.py"), None, str(tmp_path / "models"), "metrics", uses_budget=True)
    config = configurations(load_space(CORPUS / f"{space}.json"), 3, seed=int(space))[config_index]
    data = split(kind, task)
    target.dataset = data
    loss, metrics = target(config, seed=0, budget=2)
    return data, {**metrics, "loss": loss}, target, config


def assert_reproduces(model, data: dict, metrics: dict, loss: float) -> None:
    """The loaded model's predictions on the test rows give train()'s metrics (and its loss: log loss or mse)."""
    if "mse" in metrics:
        assert mean_squared_error(data["y_test"], model.predict(data["X_test"])) == pytest.approx(metrics["mse"], rel=1e-5)
        return
    predicted = model.predict(data["X_test"])
    assert predicted.dtype == data["y_test"].dtype
    assert float(np.mean(predicted == data["y_test"])) == metrics["accuracy"]
    probabilities = model.predict_proba(data["X_test"])
    assert probabilities.shape == (len(data["y_test"]), len(model.classes))
    assert log_loss(data["y_test"], probabilities, labels=model.classes) == pytest.approx(loss, rel=1e-5)


@needs_corpus
@pytest.mark.parametrize(
    "space,kind,task",
    [("08", "tabular", "classification"), ("08", "tabular", "regression"), ("11", "image", "classification"), ("43", "channels_last", "classification"),
     ("06", "tabular", "classification"), ("42", "sequence", "classification"), ("18", "tokens", "classification")],
)
def test_loaded_torch_network_reproduces_the_trained_networks_predictions(tmp_path, space, kind, task):
    data, metrics, _, _ = trained(tmp_path, space, kind, task)
    (weights,) = sorted((tmp_path / "models").glob("*.pt"))
    model = load_model(weights)
    assert_reproduces(model, data, metrics, metrics["loss"])
    if task == "regression":
        with pytest.raises(GeneratorError, match="no predict_proba"):
            model.predict_proba(data["X_test"])


@needs_corpus
def test_refit_moves_the_network_into_best_and_load_model_reads_the_folder(tmp_path):
    data, _, target, config = trained(tmp_path, "08", "tabular")
    best = refit(target, config, data, seed=0, budget=2, output_dir=tmp_path, run_info={"facade": "test"})
    assert sorted(p.name for p in best.folder.iterdir()) == ["config.json", "metadata.json", "model.json", "model.preprocess.joblib", "model.pt"]
    metadata = json.loads((best.folder / "metadata.json").read_text())
    assert metadata["refit"]["measured_on"].startswith("the given test split (75 rows")
    assert torch.__version__.startswith(metadata["versions"]["torch"])
    assert_reproduces(load_model(best.folder), data, metadata["refit"]["metrics"], metadata["refit"]["loss"])
    assert not list(tmp_path.glob(".refit-*")), "the refit's scratch folder is removed"


@needs_corpus
@pytest.mark.parametrize("space,kind", [("43", "image"), ("18", "tokens"), ("08", "tabular")])
def test_loaded_keras_network_reproduces_the_trained_networks_predictions(tmp_path, space, kind):
    pytest.importorskip("tensorflow", reason="tensorflow is not installed: the Keras loader is not exercised here")
    data, metrics, _, _ = trained(tmp_path, space, kind, framework="tensorflow")
    (saved,) = sorted((tmp_path / "models").glob("*.keras"))
    assert_reproduces(load_model(saved), data, metrics, metrics["loss"])


def test_load_model_of_a_joblib_file_and_bad_paths(tmp_path):
    import joblib
    from sklearn.tree import DecisionTreeClassifier

    X, y = dataset("iris")
    joblib.dump(DecisionTreeClassifier(random_state=0).fit(X, y), tmp_path / "model.joblib")
    assert (load_model(tmp_path).predict(X) == y).all()
    with pytest.raises(GeneratorError, match="not a saved model"):
        load_model(tmp_path / "models")  # not there: neither a folder nor a model file
    (tmp_path / "empty").mkdir()
    with pytest.raises(GeneratorError, match="holds no model.joblib"):
        load_model(tmp_path / "empty")


def test_an_xgboost_classifier_fitted_on_encoded_labels_predicts_the_original_labels(tmp_path):
    """XGBoost wants classes 0..K-1: train() encodes the labels, its JSON keeps them, load_model decodes."""
    pytest.importorskip("xgboost")
    from ConfigSpace import ConfigurationSpace
    from harness import load_train

    space = tmp_path / "xgb.json"
    ConfigurationSpace({"n_estimators": (5, 10), "max_depth": (2, 4)}).to_json(space)
    (tmp_path / "train_xgb.py").write_text(generate(space, make_options(task="classification", family="xgboost")))
    train = load_train(tmp_path / "train_xgb.py")
    X, y = dataset("iris")
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    loss = train({"n_estimators": 8, "max_depth": 3}, {"X": X[::2], "y": names[::2], "X_test": X[1::2], "y_test": names[1::2]}, seed=0, model_dir=str(tmp_path / "models"))
    (saved,) = sorted((tmp_path / "models").glob("*.joblib"))
    assert json.loads(saved.with_suffix(".json").read_text())["classes"] == ["setosa", "versicolor", "virginica"]
    model = load_model(saved)
    predicted = model.predict(X[1::2])
    assert set(predicted) <= set(names) and -float(np.mean(predicted == names[1::2])) == pytest.approx(loss)
    assert model.predict_proba(X[1::2]).shape == (75, 3) and model.classes_ == ["setosa", "versicolor", "virginica"]
