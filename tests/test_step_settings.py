"""Issue 22: settings of the space's own preprocessing steps named in plain words (a robust scaler's quantiles,
a quantile transformer's settings, a kernel approximation's kernel/gamma/components, an imputer's strategy,
one-hot minimum fractions) reach the step they name: each is shown on the fitted pipeline, none is stated
unused, and the space is not refused."""

from __future__ import annotations

import joblib
import numpy as np
import pandas as pd
import trainfn_gen
from ConfigSpace import Categorical, ConfigurationSpace, EqualsCondition, Float, Integer
from harness import load_train
from test_corrections import cli, write


def plain_words_space() -> ConfigurationSpace:
    cs = ConfigurationSpace(seed=0)
    model = Categorical("classifier", ["random_forest", "svm"], default="svm")
    n_estimators = Integer("n_estimators", (10, 50), default=10)
    C = Float("C", (0.01, 100), log=True, default=1.0)
    scaler = Categorical("scaler", ["standard", "robust", "quantile"], default="standard")
    q_min = Float("robust_scaler_q_min", (0.001, 0.3), default=0.25)
    q_max = Float("robust_scaler_q_max", (0.7, 0.999), default=0.75)
    n_quantiles = Integer("quantile_transformer_n_quantiles", (10, 2000), default=1000)
    output = Categorical("quantile_transformer_output_distribution", ["uniform", "normal"], default="uniform")
    features = Categorical("feature_preprocessor", ["none", "nystroem"], default="none")
    kernel = Categorical("nystroem_kernel", ["rbf", "poly"], default="rbf")
    gamma = Float("nystroem_gamma", (1e-4, 8.0), log=True, default=0.1)
    components = Integer("nystroem_n_components", (10, 50), default=20)
    cs.add([model, n_estimators, C, scaler, q_min, q_max, n_quantiles, output, features, kernel, gamma, components,
            Categorical("imputer_strategy", ["mean", "median", "most_frequent"], default="mean"),
            Float("one_hot_minimum_fraction", (1e-4, 0.5), log=True, default=0.01)])
    cs.add([EqualsCondition(n_estimators, model, "random_forest"), EqualsCondition(C, model, "svm"),
            EqualsCondition(q_min, scaler, "robust"), EqualsCondition(q_max, scaler, "robust"),
            EqualsCondition(n_quantiles, scaler, "quantile"), EqualsCondition(output, scaler, "quantile"),
            *(EqualsCondition(hp, features, "nystroem") for hp in (kernel, gamma, components))])
    return cs


def frame() -> tuple[pd.DataFrame, np.ndarray]:
    """Numbers with missing values and a categorical column with rare categories."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(120, 4)), columns=list("abcd"))
    X.iloc[::7, 0] = np.nan
    X["colour"] = rng.choice(["red", "green", "blue", "ochre"], p=[0.45, 0.45, 0.07, 0.03], size=120)
    y = (X["b"] + (X["colour"] == "red") > 0.3).astype(int).to_numpy()
    return X, y


def pipeline(tmp_path, source: str, config: dict):
    (tmp_path / "train_steps.py").write_text(source)
    train = load_train(tmp_path / "train_steps.py")
    X, y = frame()
    models = tmp_path / f"models{len(list(tmp_path.glob('models*')))}"
    train(config, {"X": X, "y": y}, seed=0, model_dir=str(models))
    (saved,) = sorted(models.glob("*.joblib"))
    return joblib.load(saved)


def step(model, cls: str):
    """The fitted step of class `cls` anywhere in the (nested) pipeline."""
    stack = [model]
    while stack:
        part = stack.pop()
        if type(part).__name__ == cls:
            return part
        stack.extend(getattr(part, "steps", ()) and [s for _, s in part.steps])
        stack.extend([t for _, t, _ in getattr(part, "transformers_", ())])
    raise AssertionError(f"no {cls} in {model}")


def test_plain_word_step_settings_are_read_and_reach_the_fitted_steps(tmp_path):
    path = tmp_path / "steps.json"
    plain_words_space().to_json(path)
    result = cli("generate", path, "--task", "classification")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr  # nothing stated unused, nothing refused
    source = result.stdout
    base = {"classifier": "svm", "C": 1.0, "imputer_strategy": "median", "one_hot_minimum_fraction": 0.05, "feature_preprocessor": "none"}

    robust = pipeline(tmp_path, source, {**base, "scaler": "robust", "robust_scaler_q_min": 0.1, "robust_scaler_q_max": 0.9})
    assert step(robust, "RobustScaler").quantile_range == (10.0, 90.0)  # fractions in percent
    assert step(robust, "SimpleImputer").strategy == "median"
    encoder = step(robust, "OneHotEncoder")
    assert encoder.min_frequency == 0.05 and encoder.infrequent_categories_[0] is not None  # the rare colours merged

    quantile = pipeline(tmp_path, source, {**base, "scaler": "quantile", "quantile_transformer_n_quantiles": 37,
                                           "quantile_transformer_output_distribution": "normal"})
    transformer = step(quantile, "QuantileTransformer")
    assert (transformer.n_quantiles, transformer.output_distribution) == (37, "normal")

    nystroem = pipeline(tmp_path, source, {**base, "scaler": "standard", "feature_preprocessor": "nystroem",
                                           "nystroem_kernel": "poly", "nystroem_gamma": 0.5, "nystroem_n_components": 17})
    kernel = step(nystroem, "Nystroem")
    assert (kernel.kernel, kernel.gamma, kernel.n_components) == ("poly", 0.5, 17)

    rows = {row["name"]: row for row in trainfn_gen.explain(str(path), task="classification")["hyperparameters"]}
    assert rows["robust_scaler_q_min"]["argument"] == "RobustScaler.quantile_range[0]"
    assert rows["one_hot_minimum_fraction"]["argument"] == "OneHotEncoder.min_frequency"


def test_a_use_switch_turns_its_setting_off_to_the_library_default(tmp_path):
    """auto-sklearn's `one_hot_encoding:use_minimum_fraction` False: no merging (min_frequency None), not the
    fraction's default; the switch is read by the code, not stated unused."""
    space = write(tmp_path, "switch.json", {"hyperparameters": [
        {"name": "C", "type": "uniform_float", "lower": 0.1, "upper": 10.0, "default_value": 1.0},
        {"name": "one_hot_encoding:use_minimum_fraction", "type": "categorical", "choices": ["True", "False"], "default_value": "True"},
        {"name": "one_hot_encoding:minimum_fraction", "type": "uniform_float", "lower": 0.0001, "upper": 0.5, "log": True, "default_value": 0.01},
    ], "conditions": [{"child": "one_hot_encoding:minimum_fraction", "parent": "one_hot_encoding:use_minimum_fraction", "type": "EQ", "value": "True"}]})
    result = cli("generate", space, "--task", "classification", "--family", "svm")
    assert result.exit_code == 0, result.output
    assert "use_minimum_fraction is not used" not in result.stdout
    on = pipeline(tmp_path, result.stdout, {"C": 1.0, "one_hot_encoding:use_minimum_fraction": "True", "one_hot_encoding:minimum_fraction": 0.05})
    off = pipeline(tmp_path, result.stdout, {"C": 1.0, "one_hot_encoding:use_minimum_fraction": "False"})
    assert step(on, "OneHotEncoder").min_frequency == 0.05
    assert step(off, "OneHotEncoder").min_frequency is None


def test_a_step_named_only_by_its_settings_runs_in_every_trial(tmp_path):
    """No scaler and no feature-preprocessor choice: `robust_scaler_q_min` and `nystroem_gamma` mean a robust
    scaler and a Nystroem step in the pipeline of every trial (auto-sklearn's order: scale, then reduce)."""
    space = write(tmp_path, "always.json", {"hyperparameters": [
        {"name": "n_estimators", "type": "uniform_int", "lower": 5, "upper": 20, "default_value": 10},
        {"name": "robust_scaler_q_min", "type": "uniform_float", "lower": 0.01, "upper": 0.3, "default_value": 0.25},
        {"name": "nystroem_gamma", "type": "uniform_float", "lower": 0.001, "upper": 1.0, "log": True, "default_value": 0.1},
        {"name": "nystroem_n_components", "type": "uniform_int", "lower": 5, "upper": 30, "default_value": 10},
    ]})
    result = cli("generate", space, "--task", "classification", "--family", "random_forest")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    model = pipeline(tmp_path, result.stdout, {"n_estimators": 5, "robust_scaler_q_min": 0.2, "nystroem_gamma": 0.3, "nystroem_n_components": 7})
    assert step(model, "RobustScaler").quantile_range == (20.0, 75.0)  # q_max at RobustScaler's default
    assert (step(model, "Nystroem").gamma, step(model, "Nystroem").n_components) == (0.3, 7)
    names = [name for name, _ in model.steps]
    assert names.index("nystroem") > names.index("columntransformer")  # reduced after scaling


def test_settings_of_two_scalers_and_no_choice_are_refused_with_the_fix(tmp_path):
    space = write(tmp_path, "two.json", {"hyperparameters": [
        {"name": "n_estimators", "type": "uniform_int", "lower": 5, "upper": 20, "default_value": 10},
        {"name": "robust_scaler_q_min", "type": "uniform_float", "lower": 0.01, "upper": 0.3, "default_value": 0.25},
        {"name": "quantile_transformer_n_quantiles", "type": "uniform_int", "lower": 10, "upper": 100, "default_value": 50},
    ]})
    result = cli("generate", space, "--task", "classification", "--family", "random_forest")
    assert result.exit_code == 1 and result.stdout == ""
    assert "2 scalers (RobustScaler, QuantileTransformer" in result.stderr or "2 scalers (QuantileTransformer, RobustScaler" in result.stderr
    assert "--unused" in result.stderr
    fixed = cli("generate", space, "--task", "classification", "--family", "random_forest", "--unused", "quantile_transformer_n_quantiles")
    assert fixed.exit_code == 0 and "RobustScaler(" in fixed.stdout
