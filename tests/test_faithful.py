"""Issue 14: every searched hyperparameter does what it means (no silently inert or wrong setting).

Each test generates a small space, runs train() on a small scikit-learn dataset and reads the fitted
model back from model_dir, so it checks what was trained, not what the code looks like.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from ConfigSpace import ConfigurationSpace
from harness import load_train, make_dataset
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate


def _train(tmp_path: Path, space: ConfigurationSpace, name: str = "train_faithful", **options):
    """Generate train() for `space` (options as make_options takes them) and import it."""
    space_path = tmp_path / f"{name}.json"
    space.to_json(space_path)
    target = tmp_path / f"{name}.py"
    target.write_text(generate(space_path, make_options(**options)))
    return load_train(target)


def _fit(train, config: dict, data: dict, model_dir: Path, **kwargs):
    """Run train() quietly and return (its result, the saved model, stdout)."""
    out = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(out):
        warnings.simplefilter("ignore")
        result = train(config, data, seed=0, model_dir=str(model_dir), **kwargs)
    (saved,) = sorted(model_dir.glob("*.joblib"))
    model = joblib.load(saved)
    saved.unlink()
    return result, model, out.getvalue()


def _final(model):
    """The fitted estimator at the end of the saved pipeline (inside any scaler pipeline)."""
    step = model
    while hasattr(step, "steps"):
        step = step.steps[-1][1]
    return step


# --- Logistic regression's penalty on every supported scikit-learn ------------------------------


@pytest.mark.parametrize("version, passed", [("1.7.2", True), (None, False)])
def test_logistic_penalty_reaches_every_scikit_learn_version(tmp_path, monkeypatch, version, passed):
    """scikit-learn 1.5-1.7 read `penalty` and ignore l1_ratio unless it is "elasticnet": the l1
    penalty must be passed to them, and expressed as l1_ratio=1 alone on 1.8 and later."""
    import sklearn

    if version:
        monkeypatch.setattr(sklearn, "__version__", version)
    space = ConfigurationSpace({"penalty": ["l1", "l2"], "C": (0.01, 10.0)})
    train = _train(tmp_path, space, task="classification")
    _, model, _ = _fit(train, {"penalty": "l1", "C": 0.05}, make_dataset("breast_cancer", pandas=False, given_test=False), tmp_path / "models")
    params = _final(model).get_params()
    assert params["l1_ratio"] == 1.0
    assert (params["penalty"] == "l1") is passed


# --- Scale-sensitive regressors learn the standardized target -----------------------------------


@pytest.mark.parametrize(
    "family, space, config",
    [
        ("sgd", {"loss": ["epsilon_insensitive", "huber"], "alpha": (1e-6, 1e-2)}, {"loss": "epsilon_insensitive", "alpha": 1e-4}),
        ("linear_svm", {"C": (0.01, 10.0), "epsilon": (0.0, 1.0)}, {"C": 1.0, "epsilon": 0.1}),
        ("svm", {"C": (0.01, 10.0), "epsilon": (0.01, 1.0)}, {"C": 1.0, "epsilon": 0.1}),
    ],
)
def test_scale_sensitive_regressors_beat_the_mean_on_a_target_in_the_hundreds(tmp_path, family, space, config):
    """On diabetes (target ~150) SGDRegressor, LinearSVR and SVR on the raw target did worse than
    predicting the mean (MSE 18,000-28,000 against ~5,100): epsilon and the SGD steps are in y's units."""
    train = _train(tmp_path, ConfigurationSpace(space), task="regression", family=family)
    data = make_dataset("diabetes", pandas=False, given_test=True)
    mse, model, _ = _fit(train, config, data, tmp_path / "models")
    assert mse < 0.8 * float(np.var(data["y_test"])), mse
    assert type(model.steps[-1][1]).__name__ == "TransformedTargetRegressor"


# --- Budget against a searched fidelity hyperparameter ------------------------------------------


def test_budget_scales_a_searched_fidelity_instead_of_replacing_it(tmp_path):
    """The budget replaced a searched n_estimators, so SMAC searched a dimension without effect: the
    searched value is the full-budget value, a lower budget scales it, never below its lower bound."""
    space = ConfigurationSpace({"n_estimators": (10, 100), "learning_rate": (0.01, 1.0)})
    train = _train(tmp_path, space, task="classification", family="gradient_boosting", facade="multi-fidelity", min_budget=10, max_budget=100)
    data = make_dataset("breast_cancer", pandas=False, given_test=False)
    fitted = {}
    for n_estimators, budget in ((100, 50), (40, 50), (40, 100), (40, 10)):
        _, model, _ = _fit(train, {"n_estimators": n_estimators, "learning_rate": 0.1}, data, tmp_path / "models", budget=budget)
        fitted[n_estimators, budget] = _final(model).n_estimators_
    assert fitted == {(100, 50): 50, (40, 50): 20, (40, 100): 40, (40, 10): 10}


def test_budget_scales_searched_network_epochs(tmp_path):
    """The same for a network's searched epochs (the generated code only: torch may be absent)."""
    space_path = tmp_path / "net.json"
    ConfigurationSpace({"epochs": (5, 50), "lr": (1e-4, 1e-1), "hidden_units": (16, 64)}).to_json(space_path)
    source = generate(space_path, make_options(task="classification", framework="torch", facade="multi-fidelity"))
    assert 'max(5, round(as_int(cfg.get("epochs"), 28, 5, 50) * budget / 50))' in source


# --- The task decided at run time ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name, cast, task",
    [("diabetes", np.int64, "regression"), ("iris", np.float64, "classification"), ("iris", np.int64, "classification"), ("diabetes", np.float64, "regression")],
)
def test_task_decided_at_run_time_survives_integer_targets_and_float_labels(tmp_path, name, cast, task):
    """A CSV's integer regression target became classification (accuracy ~0 for every
    configuration) and float class labels became regression: the number of distinct values
    decides, with one warning line when the dtype suggests the other task."""
    train = _train(tmp_path, ConfigurationSpace({"n_estimators": (5, 20), "max_depth": (2, 8)}), family="random_forest")
    data = make_dataset(name, pandas=False, given_test=False)
    data["y"] = data["y"].astype(cast)
    loss, model, out = _fit(train, {"n_estimators": 10, "max_depth": 4}, data, tmp_path / "models")
    assert type(_final(model)).__name__ == ("RandomForestClassifier" if task == "classification" else "RandomForestRegressor")
    assert (-1.0 <= loss < -0.8) if task == "classification" else loss > 100.0
    surprising = (cast is np.int64) != (task == "classification")
    assert out.count("train: warning:") == surprising, out


# --- XGBoost's labels ---------------------------------------------------------------------------


@pytest.mark.parametrize("labels", ["text", "one_based"])
def test_xgboost_labels_are_encoded_when_the_task_is_decided_at_run_time(tmp_path, labels):
    """Without --task (or --dataset) text labels or labels 1..K crashed XGBClassifier, which wants 0..K-1."""
    train = _train(tmp_path, ConfigurationSpace({"n_estimators": (5, 20), "max_depth": (2, 6)}), family="xgboost")
    data = make_dataset("iris", pandas=False, given_test=False)
    data["y"] = np.array(["setosa", "versicolor", "virginica"])[data["y"]] if labels == "text" else data["y"] + 1
    loss, _, _ = _fit(train, {"n_estimators": 10, "max_depth": 3}, data, tmp_path / "models")
    assert -1.0 <= loss < -0.8
    # The same train() still fits a regression target unencoded.
    mse, _, _ = _fit(train, {"n_estimators": 10, "max_depth": 3}, make_dataset("diabetes", pandas=False, given_test=False), tmp_path / "models")
    assert 100.0 < mse < 10_000.0


# --- ROC AUC with SVC -----------------------------------------------------------------------------


def test_svc_roc_auc_ranks_by_decision_function_without_calibration(tmp_path):
    """AUC needs only a ranking: SVC was wrapped in CalibratedClassifierCV (about six fits a trial)."""
    space = ConfigurationSpace({"C": (0.1, 10.0), "decision_function_shape": ["ovr", "ovo"]})
    train = _train(tmp_path, space, task="classification", family="svm", metric="roc_auc")
    loss, model, _ = _fit(train, {"C": 1.0, "decision_function_shape": "ovo"}, make_dataset("iris", pandas=False, given_test=False), tmp_path / "models")
    assert type(_final(model)).__name__ == "SVC"
    assert -1.0 <= loss < -0.9


# --- scikit-learn MLP: settings only one solver reads -------------------------------------------


@pytest.mark.parametrize(
    "space, config, solver, ignored",
    [
        ({"learning_rate": ["constant", "invscaling"], "momentum": (0.5, 0.95), "eta0": (0.001, 0.1), "epsilon": (1e-9, 1e-6)}, {"learning_rate": "invscaling", "momentum": 0.8, "eta0": 0.01, "epsilon": 1e-7}, "sgd", "epsilon"),
        ({"max_fun": (100, 2000), "alpha": (1e-5, 1e-1)}, {"max_fun": 500, "alpha": 1e-3}, "lbfgs", None),
        ({"beta_1": (0.8, 0.95), "alpha": (1e-5, 1e-1)}, {"beta_1": 0.85, "alpha": 1e-3}, "adam", None),
        # eta0 is SGD's step size: with Adam (nothing else picks sgd) it is stated unused, not Adam's step.
        ({"eta0": (0.01, 1.0), "alpha": (1e-5, 1e-1)}, {"eta0": 0.5, "alpha": 1e-3}, "adam", "eta0"),
    ],
)
def test_mlp_solver_reads_the_settings_the_space_searches(tmp_path, space, config, solver, ignored):
    """With the solver fixed to adam, a space's learning-rate schedule and max_fun did nothing and
    eta0 became Adam's step size: the solver that reads them is picked, the others stated unused."""
    space_path = tmp_path / "mlp.json"
    ConfigurationSpace({**space, "n_units": (4, 16)}).to_json(space_path)
    source = generate(space_path, make_options(task="classification", family="mlp"))
    if ignored:
        reason = "it names the step size of solver='sgd' only" if ignored == "eta0" else "only solver='adam' reads it"
        assert f"#   {ignored} is not used: {reason}" in source
    (tmp_path / "mlp.py").write_text(source)
    train = load_train(tmp_path / "mlp.py")
    _, model, _ = _fit(train, {**config, "n_units": 8}, make_dataset("iris", pandas=False, given_test=False), tmp_path / "models")
    params = _final(model).get_params()
    assert params["solver"] == solver
    for name, value in config.items():
        if name != ignored:
            assert params["learning_rate_init" if name == "eta0" else name] == value
    if ignored == "eta0":
        assert params["learning_rate_init"] == 0.001  # Adam's own default


def test_mlp_eta0_with_a_searched_solver_is_the_sgd_step_size_only(tmp_path):
    """With the solver searched, eta0 (SGD's step size) became Adam's learning_rate_init too: it is
    passed under solver='sgd' only, and Adam keeps scikit-learn's default."""
    space = ConfigurationSpace({"n_units": (4, 16), "solver": ["adam", "sgd"], "eta0": (0.01, 0.5)})
    train = _train(tmp_path, space, task="classification", family="mlp")
    data = make_dataset("iris", pandas=False, given_test=False)
    rates = {}
    for solver in ("adam", "sgd"):
        _, model, _ = _fit(train, {"n_units": 8, "solver": solver, "eta0": 0.05}, data, tmp_path / "models")
        rates[solver] = _final(model).get_params()["learning_rate_init"]
    assert rates == {"adam": 0.001, "sgd": 0.05}


# --- Warning floods -------------------------------------------------------------------------------


def test_fit_warnings_are_counted_into_a_progress_line_not_repeated(tmp_path):
    """ConvergenceWarnings repeated on every call (52 stderr lines for 30 calls of one space)."""
    train = _train(tmp_path, ConfigurationSpace({"max_iter": (1, 5), "alpha": (1e-5, 1e-1)}), task="classification", family="sgd")
    data = make_dataset("iris", pandas=False, given_test=False)
    for seed in (0, 1):
        out = io.StringIO()
        with warnings.catch_warnings(record=True) as escaped, contextlib.redirect_stdout(out):
            warnings.simplefilter("always")
            train({"max_iter": 1, "alpha": 1e-4}, data, seed=seed)
        assert [str(w.message) for w in escaped] == []
        assert "train: 1 warning(s) while fitting, the first: ConvergenceWarning" in out.getvalue()


# --- Process state --------------------------------------------------------------------------------


def test_torch_train_restores_the_callers_deterministic_mode(tmp_path):
    """torch.use_deterministic_algorithms(True) stayed on in the caller's process after train()."""
    torch = pytest.importorskip("torch")
    space = ConfigurationSpace({"epochs": (1, 3), "lr": (1e-3, 1e-1), "hidden_units": (4, 16)})
    train = _train(tmp_path, space, task="classification", framework="torch")
    data = make_dataset("iris", pandas=False, given_test=False)
    before = (torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled())
    try:
        for mode in ((False, False), (True, False)):
            torch.use_deterministic_algorithms(mode[0], warn_only=mode[1])
            expected = torch.random.get_rng_state()
            with contextlib.redirect_stdout(io.StringIO()):
                train({"epochs": 1, "lr": 0.01, "hidden_units": 8}, data, seed=0)
            assert (torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()) == mode
            assert torch.equal(torch.random.get_rng_state(), expected)
    finally:
        torch.use_deterministic_algorithms(before[0], warn_only=before[1])


def test_torch_train_saves_every_generator_manual_seed_touches():
    """torch.manual_seed also seeds every CUDA and MPS device; the generated code saves and restores their
    states when the device exists. Faking torch.cuda.is_available() would send the network to a device this
    machine lacks, so the CUDA path runs in `make gpu-check` (which compares the CUDA states around train())."""
    source = (Path(__file__).resolve().parent.parent / "golden" / "08_torch_loss_hpo.py").read_text()
    assert "torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None" in source
    assert "torch.cuda.set_rng_state_all(torch_generators[1])" in source
    assert source.index("torch_generators = (") < source.index("torch.manual_seed(seed)")


def test_tensorflow_train_restores_the_keras_settings_clear_session_resets(tmp_path):
    """keras.backend.clear_session() reset the caller's dtype policy, traceback filtering and interactive logging."""
    keras = pytest.importorskip("keras")
    space = ConfigurationSpace({"epochs": (1, 3), "lr": (1e-3, 1e-1), "hidden_units": (4, 16)})
    train = _train(tmp_path, space, task="classification", framework="tensorflow")
    data = make_dataset("iris", pandas=False, given_test=False)
    try:
        keras.config.set_dtype_policy("mixed_bfloat16")
        keras.config.disable_traceback_filtering()
        keras.config.disable_interactive_logging()
        with contextlib.redirect_stdout(io.StringIO()):
            loss = train({"epochs": 1, "lr": 0.01, "hidden_units": 8}, data, seed=0)
        assert np.isfinite(loss)
        assert keras.config.dtype_policy().name == "mixed_bfloat16"
        assert not keras.config.is_traceback_filtering_enabled()
        assert not keras.config.is_interactive_logging_enabled()
    finally:
        keras.config.set_dtype_policy("float32")
        keras.config.enable_traceback_filtering()
        keras.config.enable_interactive_logging()


def test_train_restores_the_callers_random_generators(tmp_path):
    """R21 seeds Python's and NumPy's process-wide generators: the caller's states come back."""
    import random

    train = _train(tmp_path, ConfigurationSpace({"n_estimators": (5, 20)}), task="classification", family="random_forest")
    random.seed(123)
    np.random.seed(456)
    expected = (random.random(), np.random.random())
    random.seed(123)
    np.random.seed(456)
    with contextlib.redirect_stdout(io.StringIO()):
        train({"n_estimators": 5}, make_dataset("iris", pandas=False, given_test=False), seed=0)
    assert (random.random(), np.random.random()) == expected


# --- Per-call overhead --------------------------------------------------------------------------


def test_plain_numeric_tables_skip_the_column_transformer_others_keep_it(tmp_path):
    """ColumnTransformer(OneHotEncoder on [], median SimpleImputer) cost 25 ms a call on digits and
    grew faster than the data: a numeric table without missing values skips it, a DataFrame with text
    or missing values keeps it, and each saved model predicts on new rows of its kind."""
    import pandas as pd

    train = _train(tmp_path, ConfigurationSpace({"max_depth": (2, 8)}), task="classification", family="random_forest")
    X, y = make_dataset("iris", pandas=False, given_test=False).values()
    _, plain, _ = _fit(train, {"max_depth": 4}, {"X": X, "y": y}, tmp_path / "models")
    assert [name for name, _ in plain.steps] == ["simpleimputer", "randomforestclassifier"]
    assert (plain.predict(X[:10]) == y[:10]).mean() >= 0.8

    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["colour"] = np.where(y == 0, "red", "blue")
    frame.loc[::7, "a"] = np.nan
    loss, mixed, _ = _fit(train, {"max_depth": 4}, {"X": frame, "y": y}, tmp_path / "models")
    assert type(mixed.steps[0][1]).__name__ == "ColumnTransformer"
    assert -1.0 <= loss < -0.8
    assert (mixed.predict(frame.iloc[:10]) == y[:10]).mean() >= 0.8


@pytest.mark.parametrize("pandas", [False, True])
def test_a_model_saved_from_a_clean_table_predicts_new_rows_with_missing_values(tmp_path, pandas):
    """A clean numeric table skips the imputer, so the saved model failed on new data with NaN: the saved
    model imputes with the training rows' medians, and the validation score is the one without saving."""
    train = _train(tmp_path, ConfigurationSpace({"n_neighbors": (1, 10)}), task="classification", family="knn")
    data = make_dataset("iris", pandas=pandas, given_test=False)
    loss, model, _ = _fit(train, {"n_neighbors": 5}, data, tmp_path / "models")
    with contextlib.redirect_stdout(io.StringIO()):
        assert train({"n_neighbors": 5}, data, seed=0) == loss
    new = np.array(data["X"], dtype=float)[:20]
    new[::3, 1] = np.nan
    new = data["X"].iloc[:20].assign(**{data["X"].columns[1]: new[:, 1]}) if pandas else new
    predicted = model.predict(new)
    assert (predicted == np.asarray(data["y"])[:20]).mean() >= 0.8


# --- Multi-fidelity that pays -------------------------------------------------------------------


def test_knn_budget_shares_out_the_validation_rows_too(tmp_path):
    """Prediction is most of a k-NN trial (training rows x validation rows): with every validation row
    scored the cost ratio was 0.42 for a budget ratio 0.1. A budget also scores a seeded share of the
    validation rows (at least 1000), the same for every configuration; all of them at the full budget."""
    from sklearn.datasets import make_classification

    train = _train(tmp_path, ConfigurationSpace({"n_neighbors": (1, 30)}), task="classification", family="knn", facade="multi-fidelity")
    X, y = make_classification(n_samples=10_000, n_features=8, n_informative=5, n_classes=3, random_state=0)
    scored, fitted = {}, {}
    for budget in (0.1, 0.55, 1.0):
        _, model, out = _fit(train, {"n_neighbors": 10}, {"X": X, "y": y}, tmp_path / "models", budget=budget)
        scored[budget] = int(out.split(" validation rows")[0].rsplit(" ", 1)[1])
        fitted[budget] = _final(model).n_samples_fit_
    assert scored == {0.1: 1000, 0.55: 1100, 1.0: 2000}
    assert fitted == {0.1: 800, 0.55: 4400, 1.0: 8000}
    # The share is seeded: another configuration at the same budget is scored on the same rows.
    _, _, again = _fit(train, {"n_neighbors": 3}, {"X": X, "y": y}, tmp_path / "models", budget=0.1)
    assert " 1000 validation rows" in again


def test_histogram_boosting_budget_is_not_cut_short_by_automatic_early_stopping(tmp_path):
    """Above 10,000 training rows scikit-learn's early_stopping='auto' ended training at a data-dependent
    iteration, so budgets above it bought nothing (cost ratio 0.26 for a budget ratio 0.1): under a budget
    the budget is the number of iterations; without one the estimator's default stands."""
    from sklearn.datasets import make_classification

    train = _train(tmp_path, ConfigurationSpace({"learning_rate": (0.3, 0.5)}), task="classification", family="hist_gradient_boosting", facade="multi-fidelity", min_budget=5, max_budget=60)
    X, y = make_classification(n_samples=13_000, n_features=8, n_informative=5, random_state=0)
    _, model, _ = _fit(train, {"learning_rate": 0.5}, {"X": X, "y": y}, tmp_path / "models", budget=60)
    assert _final(model).n_iter_ == 60
    _, model, _ = _fit(train, {"learning_rate": 0.5}, {"X": X, "y": y}, tmp_path / "models")
    assert _final(model).get_params()["early_stopping"] == "auto"


@pytest.mark.parametrize("early_stop, expected", [("train", (True, None)), ("valid", (True, 0.2)), ("off", (False, 0.2))])
def test_histogram_boosting_early_stop_train_stops_on_the_training_loss(tmp_path, early_stop, expected):
    """auto-sklearn's early_stop=train means early stopping on the training loss (validation_fraction=None);
    it became early_stopping=True with a held-out 10%, the same model as early_stop=valid."""
    space = ConfigurationSpace({"learning_rate": (0.01, 0.5), "early_stop": ["off", "valid", "train"], "validation_fraction": (0.05, 0.4)})
    train = _train(tmp_path, space, task="classification", family="hist_gradient_boosting")
    config = {"learning_rate": 0.1, "early_stop": early_stop, "validation_fraction": 0.2}
    _, model, _ = _fit(train, config, make_dataset("breast_cancer", pandas=False, given_test=False), tmp_path / "models")
    params = _final(model).get_params()
    assert (params["early_stopping"], params["validation_fraction"]) == expected


def test_svc_decision_function_shape_is_stated_unused(tmp_path):
    """decision_function_shape changes neither SVC's fit nor its predictions (libsvm trains one-vs-one);
    only roc_auc reads decision_function, and it needs one column per class: never a searched dimension."""
    space_path = tmp_path / "svc.json"
    ConfigurationSpace({"C": (0.1, 10.0), "decision_function_shape": ["ovr", "ovo"]}).to_json(space_path)
    data = make_dataset("iris", pandas=False, given_test=False)
    for metric in ("accuracy", "roc_auc"):
        source = generate(space_path, make_options(task="classification", family="svm", metric=metric))
        assert "#   decision_function_shape is not used: it changes neither the fit nor the predictions" in source
        (tmp_path / f"svc_{metric}.py").write_text(source)
        train = load_train(tmp_path / f"svc_{metric}.py")
        _, model, _ = _fit(train, {"C": 1.0, "decision_function_shape": "ovo"}, data, tmp_path / "models")
        assert _final(model).get_params()["decision_function_shape"] == "ovr"


def test_mlp_budget_is_its_number_of_epochs(tmp_path):
    """Issue 22: the scikit-learn MLP's budget is max_iter (its epochs), as for every network and in
    SMAC3's own MLP example; every budget trains on all the training rows."""
    train = _train(tmp_path, ConfigurationSpace({"alpha": (1e-5, 1e-1)}), task="classification", family="mlp", facade="multi-fidelity", min_budget=2, max_budget=50)
    data = make_dataset("breast_cancer", pandas=False, given_test=False)
    training_rows = len(data["y"]) - round(0.2 * len(data["y"]))
    for budget, epochs in ((2, 2), (5, 5)):
        _, model, _ = _fit(train, {"alpha": 1e-3}, data, tmp_path / "models", budget=budget)
        mlp = _final(model)
        assert (mlp.max_iter, mlp.n_iter_, mlp.t_) == (epochs, epochs, epochs * training_rows)


def test_a_budget_below_one_never_asks_for_zero_trees(tmp_path):
    """int(budget) gave n_estimators=0 (a crash) for budgets below 1; the count is at least 1."""
    train = _train(tmp_path, ConfigurationSpace({"max_depth": (2, 8)}), task="classification", family="random_forest", facade="multi-fidelity", min_budget=0.5, max_budget=4)
    _, model, _ = _fit(train, {"max_depth": 3}, make_dataset("iris", pandas=False, given_test=False), tmp_path / "models", budget=0.5)
    assert len(_final(model).estimators_) == 1
