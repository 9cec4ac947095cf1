"""Issue 22: real auto-sklearn / mlr3 spaces read as their source system means them.

Each test generates a small space written in that system's convention, fits the generated train() on a
scikit-learn dataset and checks the trained model (what was fitted, not what the code looks like).
"""

from __future__ import annotations

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


# --- 2. Class balancing reaches estimators without class_weight through fit(sample_weight) ---------


@pytest.mark.parametrize("algorithm", ["adaboost", "gradient_boosting"])
def test_balancing_weighting_reaches_estimators_without_class_weight(tmp_path, algorithm):
    """auto-sklearn's balancing:strategy=weighting gives an estimator without class_weight balanced sample
    weights in fit: on 9:1 classes the weighted model predicts the minority class more often."""
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=600, n_features=8, weights=[0.9, 0.1], flip_y=0.05, class_sep=0.5, random_state=0)
    space = ConfigurationSpace({"classifier:__choice__": ["adaboost", "gradient_boosting", "k_nearest_neighbors"], "balancing:strategy": ["none", "weighting"], "classifier:adaboost:n_estimators": (50, 500), "classifier:gradient_boosting:max_depth": (1, 10), "classifier:k_nearest_neighbors:n_neighbors": (1, 100)})
    train = _train(tmp_path, space)
    minority = {}
    for strategy in ("none", "weighting"):
        config = {"classifier:__choice__": algorithm, "balancing:strategy": strategy}
        if algorithm == "gradient_boosting":
            config["classifier:gradient_boosting:max_depth"] = 1  # stumps: deeper trees fit the training rows either way
        _, model, _ = _fit(train, config, {"X": X, "y": y}, tmp_path / "models")
        minority[strategy] = int((model.predict(X) == 1).sum())
    assert minority["weighting"] > minority["none"] * 1.2


def test_balancing_states_the_estimators_it_cannot_reach(tmp_path):
    """k-NN takes neither class_weight nor sample_weight: the balancing comment and explain say so, never
    silently; it is not stated unused (R06), since the other estimators read it."""
    from trainfn_gen.commands.explanation import explain
    from trainfn_gen.engine.options import make_options
    from trainfn_gen.engine.pipeline import generate

    space = ConfigurationSpace({"classifier:__choice__": ["adaboost", "k_nearest_neighbors"], "balancing:strategy": ["none", "weighting"], "classifier:k_nearest_neighbors:n_neighbors": (1, 100)})
    space_path = tmp_path / "space.json"
    space.to_json(space_path)
    source = generate(space_path, make_options())
    assert "# balancing:strategy: class weights for the estimators that take them; KNeighborsClassifier takes neither class_weight nor sample weights: no effect on them" in source
    assert "balancing:strategy is not used" not in source
    (row,) = [r for r in explain(space_path, make_options())["hyperparameters"] if r["name"] == "balancing:strategy"]
    assert {r["value"]: r["how"] for r in row["reaches"]}["'adaboost'"] == "AdaBoostClassifier.fit(sample_weight=balanced weights)"


# --- 4. A float max_features beyond 1 is auto-sklearn's multiplier for gradient boosting too -------


def test_gradient_boosting_max_features_beyond_one_is_the_autosklearn_multiplier(tmp_path):
    """`regressor:gradient_boosting:max_features` [0.5, 5] was clipped as a fraction (every value >= 1 all
    features); read as the forests of the same file read it: value * (ln(n_features) + 1), at most half."""
    space = ConfigurationSpace({"regressor:__choice__": ["gradient_boosting", "random_forest"], "regressor:gradient_boosting:max_features": (0.5, 5.0), "regressor:random_forest:max_features": (0.5, 5.0)})
    train = _train(tmp_path, space, task="regression")
    data = make_dataset("diabetes", pandas=False, given_test=False)  # 10 features: ln(10) + 1 = 3.3
    found = {}
    for value in (0.5, 1.0, 5.0):
        _, model, _ = _fit(train, {"regressor:__choice__": "gradient_boosting", "regressor:gradient_boosting:max_features": value}, data, tmp_path / "models")
        found[value] = _final(model).max_features_
    assert found == {0.5: 1, 1.0: 3, 5.0: 5}


# --- 5. thetaL / thetaU bound theta of exp(-theta d^2): length scales 1 / sqrt(2 theta), inverted ----


def test_gaussian_process_theta_bounds_become_inverted_length_scale_bounds(tmp_path):
    """Old scikit-learn's GaussianProcess correlation exp(-theta d^2) is the RBF kernel with length scale
    1 / sqrt(2 theta): thetaL = 1e-4, thetaU = 1 bound the length scale to [0.707, 70.7] (they were used as is)."""
    space = ConfigurationSpace({"regressor:__choice__": ["gaussian_process", "ard_regression"], "regressor:gaussian_process:thetaL": (1e-6, 1e-3), "regressor:gaussian_process:thetaU": (0.2, 10.0)})
    train = _train(tmp_path, space, task="regression")
    config = {"regressor:__choice__": "gaussian_process", "regressor:gaussian_process:thetaL": 1e-4, "regressor:gaussian_process:thetaU": 1.0}
    data = make_dataset("diabetes", pandas=False, given_test=False)
    _, model, _ = _fit(train, config, {"X": data["X"][:120], "y": data["y"][:120]}, tmp_path / "models")  # 10 optimizer restarts
    kernel = _final(model).kernel
    assert kernel.length_scale_bounds == pytest.approx((0.5**0.5, (2e-4) ** -0.5))
    assert _final(model).kernel_.length_scale >= 0.5**0.5 - 1e-9


# --- 6. An integer PCA variance share is no component count ------------------------------------------


def test_integer_pca_keep_variance_is_stated_unused_not_one_component(tmp_path):
    """`pca:keep_variance [0, 1]i` ("transformed to [0.8, 0.9]" in a comment the space drops) became
    PCA(n_components=1) for every value (0.35 on digits). It is stated unused; PCA keeps its default."""
    space = ConfigurationSpace({"preprocessing": ["None", "pca"], "pca:keep_variance": (0, 1), "C": (0.1, 10.0), "kernel": ["rbf", "linear"]})
    train = _train(tmp_path, space, task="classification")
    source = (tmp_path / "train_faithful.py").read_text()
    assert "pca:keep_variance is not used: it names the share of the variance PCA keeps" in source
    data = make_dataset("digits", pandas=False, given_test=False)
    for value in (0, 1):
        result, model, _ = _fit(train, {"preprocessing": "pca", "pca:keep_variance": value, "C": 1.0, "kernel": "rbf"}, data, tmp_path / "models")
        pca = next(step for step in _steps(model) if type(step).__name__ == "PCA")
        assert pca.n_components_ > 10
        assert _accuracy(result) > 0.9


# --- 7. ranger's sample.fraction with replace=FALSE: stated, never a silent no-op --------------------


def test_ranger_sample_fraction_states_it_needs_replace(tmp_path):
    """scikit-learn's forests sample rows only with bootstrap: sample.fraction takes effect with replace=TRUE,
    and the code comment and explain say that with replace=FALSE every tree sees all rows."""
    from trainfn_gen.commands.explanation import explain
    from trainfn_gen.engine.options import make_options

    space = ConfigurationSpace({"num.trees": (10, 200), "replace": ["TRUE", "FALSE"], "sample.fraction": (0.1, 1.0), "mtry.ratio": (0.0, 1.0)})
    train = _train(tmp_path, space, task="classification")
    source = (tmp_path / "train_faithful.py").read_text()
    assert "max_samples: it applies only when bootstrap (ranger's replace) is TRUE" in source
    (row,) = [r for r in explain(tmp_path / "train_faithful.json", make_options(task="classification"))["hyperparameters"] if r["name"] == "sample.fraction"]
    assert "with replace=FALSE every tree sees all training rows" in row["uses"][0]["note"]
    data = make_dataset("breast_cancer", pandas=False, given_test=False)
    fitted = {}
    for replace in ("TRUE", "FALSE"):
        _, model, _ = _fit(train, {"num.trees": 20, "replace": replace, "sample.fraction": 0.3, "mtry.ratio": 0.5}, data, tmp_path / "models")
        fitted[replace] = (_final(model).bootstrap, _final(model).max_samples)
    assert fitted == {"TRUE": (True, 0.3), "FALSE": (False, None)}
