"""auto-sklearn's feature preprocessors honour their settings as auto-sklearn means them (issue 13, R06 R09 R10
R15 R24): each case trains once with model_dir and reads the fitted step back from the saved pipeline."""

from __future__ import annotations

import contextlib
import functools
import glob
import io
import math
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from ConfigSpace import Categorical, ConfigurationSpace, EqualsCondition, Float, Integer
from harness import as_native, as_numpy, configurations, dataset, load_train
from sklearn.feature_selection import chi2, f_classif, f_regression, mutual_info_classif
from sklearn.pipeline import Pipeline
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate
from trainfn_gen.knowledge import preprocessors
from trainfn_gen.space.load import read_model

CHOICE = "feature_preprocessor:__choice__"
WILD = Path(__file__).resolve().parents[2] / "shared" / "wild"


def _space(task: str, value: str, settings: dict, extra: dict | None = None) -> ConfigurationSpace:
    """A random forest plus one feature preprocessor (and no_preprocessing), its settings conditioned on it."""
    model = "classifier" if task == "classification" else "regressor"
    space = ConfigurationSpace({f"{model}:__choice__": ["random_forest"], f"{model}:random_forest:n_estimators": (5, 8), CHOICE: ["no_preprocessing", value], **(extra or {})})
    for name, values in settings.items():
        space.add(values(f"feature_preprocessor:{value}:{name}") if callable(values) else _hp(f"feature_preprocessor:{value}:{name}", values))
        space.add(EqualsCondition(space[f"feature_preprocessor:{value}:{name}"], space[CHOICE], value))
    return space


def _hp(name, values):
    if isinstance(values, list):
        return Categorical(name, values)
    return Integer(name, values) if isinstance(values[0], int) else Float(name, values)


def _fit(tmp_path, space: ConfigurationSpace, task: str, config: dict):
    """Generate, train once on a small dataset with `config` (others at their defaults), return the fitted feature step."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "space.json"
    space.to_json(path)
    source = generate(path, make_options(task=task))
    (tmp_path / "train_features.py").write_text(source)
    train = load_train(tmp_path / "train_features.py")
    values = {**dict(space.get_default_configuration()), **config}
    X, y = dataset("digits" if task == "classification" else "diabetes")
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        loss = train(values, {"X": X[:300], "y": y[:300]}, seed=7, model_dir=str(tmp_path / "models"))
    assert math.isfinite(loss)
    model = joblib.load(glob.glob(str(tmp_path / "models" / "*.joblib"))[0])
    return model.steps[1][1], source


def _last(step):
    return step.steps[-1][1] if isinstance(step, Pipeline) else step


KERNEL = {"kernel": ["poly", "rbf", "sigmoid", "cosine"], "n_components": (10, 2000), "gamma": (3e-5, 8.0), "degree": (2, 5), "coef0": (-1.0, 1.0)}


def test_kernel_pca_settings_and_auto_sklearns_inactive_gamma(tmp_path):
    step, _ = _fit(tmp_path, _space("classification", "kernel_pca", KERNEL), "classification", {CHOICE: "kernel_pca", **_values("kernel_pca", kernel="poly", n_components=12, gamma=0.01, degree=2, coef0=0.5)})
    expected = {"kernel": "poly", "n_components": 12, "gamma": 0.01, "degree": 2, "coef0": 0.5, "remove_zero_eig": False, "random_state": 7}
    assert {k: step.get_params()[k] for k in expected} == expected
    inactive = {**_values("kernel_pca", kernel="cosine", n_components=11), "feature_preprocessor:kernel_pca:gamma": None, CHOICE: "kernel_pca"}
    step, _ = _fit(tmp_path / "b", _space("classification", "kernel_pca", KERNEL), "classification", inactive)
    assert (step.kernel, step.gamma) == ("cosine", 0.25)  # auto-sklearn's constructor default, not the space's 1.0


def test_nystroem_and_kitchen_sinks(tmp_path):
    step, _ = _fit(tmp_path, _space("classification", "nystroem_sampler", KERNEL), "classification", {CHOICE: "nystroem_sampler", **_values("nystroem_sampler", kernel="rbf", n_components=60, gamma=0.002)})
    assert (type(step).__name__, step.kernel, step.n_components, step.gamma, step.random_state) == ("Nystroem", "rbf", 60, 0.002, 7)
    sinks = {"gamma": (0.3, 2.0), "n_components": (50, 10000)}
    step, _ = _fit(tmp_path / "b", _space("classification", "kitchen_sinks", sinks), "classification", {CHOICE: "kitchen_sinks", **_values("kitchen_sinks", gamma=0.7, n_components=70)})
    assert (type(step).__name__, step.gamma, step.n_components) == ("RBFSampler", 0.7, 70)


def test_select_percentile_truncates_clips_for_chi2_and_seeds_mutual_information(tmp_path):
    settings = {"percentile": (1.0, 99.0), "score_func": ["chi2", "f_classif", "mutual_info"]}
    space = _space("classification", "select_percentile_classification", settings)
    step, _ = _fit(tmp_path, space, "classification", {CHOICE: "select_percentile_classification", **_values("select_percentile_classification", percentile=33.7, score_func="chi2")})
    assert step.steps[0][1].func is np.clip  # auto-sklearn clips negatives to 0 for chi2
    assert (_last(step).percentile, _last(step).score_func) == (33, chi2)
    step, _ = _fit(tmp_path / "b", space, "classification", {CHOICE: "select_percentile_classification", **_values("select_percentile_classification", score_func="mutual_info")})
    assert step.steps[0][1] == "passthrough"
    assert isinstance(_last(step).score_func, functools.partial) and _last(step).score_func.func is mutual_info_classif
    assert _last(step).score_func.keywords == {"random_state": 7}


@pytest.mark.parametrize("score, mode, expected", [("f_classif", "fdr", (f_classif, "fdr")), ("chi2", "fwe", (chi2, "fwe")), ("mutual_info_classif", "fpr", (None, "percentile"))])
def test_select_rates_maps_alpha_mode_and_score(tmp_path, score, mode, expected):
    settings = {"alpha": (0.01, 0.5), "mode": ["fpr", "fdr", "fwe"], "score_func": ["chi2", "f_classif", "mutual_info_classif"]}
    space = _space("classification", "select_rates_classification", settings)
    step, _ = _fit(tmp_path, space, "classification", {CHOICE: "select_rates_classification", **_values("select_rates_classification", alpha=0.3, mode=mode, score_func=score)})
    selector = _last(step)
    assert (type(selector).__name__, selector.param, selector.mode) == ("GenericUnivariateSelect", 0.3, expected[1])
    assert expected[0] is None or selector.score_func is expected[0]


def test_truncated_svd_target_dim_stays_below_the_features(tmp_path):
    step, _ = _fit(tmp_path, _space("classification", "truncatedSVD", {"target_dim": (10, 256)}), "classification", {CHOICE: "truncatedSVD", "feature_preprocessor:truncatedSVD:target_dim": 256})
    assert (step.n_components, step.algorithm) == (63, "randomized")  # digits: 64 features


def test_fast_ica_passes_n_components_only_when_whitening(tmp_path):
    settings = {"algorithm": ["parallel", "deflation"], "whiten": ["False", "True"], "fun": ["logcosh", "exp", "cube"], "n_components": (10, 2000)}
    space = _space("regression", "fast_ica", settings)
    step, _ = _fit(tmp_path, space, "regression", {CHOICE: "fast_ica", **_values("fast_ica", algorithm="deflation", whiten="False", fun="cube", n_components=5)})
    assert (step.algorithm, step.whiten, step.fun, step.n_components) == ("deflation", False, "cube", None)
    step, _ = _fit(tmp_path / "b", space, "regression", {CHOICE: "fast_ica", **_values("fast_ica", whiten="True", n_components=2000)})
    assert (step.whiten, step.n_components) == ("arbitrary-variance", 10)  # diabetes: 10 features


def test_feature_agglomeration_clips_clusters_maps_pooling_and_repairs_ward(tmp_path):
    settings = {"n_clusters": (2, 400), "affinity": ["euclidean", "manhattan", "cosine"], "linkage": ["ward", "complete", "average"], "pooling_func": ["mean", "median", "max"]}
    space = _space("regression", "feature_agglomeration", settings)
    step, _ = _fit(tmp_path, space, "regression", {CHOICE: "feature_agglomeration", **_values("feature_agglomeration", n_clusters=400, affinity="manhattan", linkage="average", pooling_func="median")})
    assert (step.n_clusters, step.metric, step.linkage, step.pooling_func) == (10, "manhattan", "average", np.median)
    step, _ = _fit(tmp_path / "b", space, "regression", {CHOICE: "feature_agglomeration", **_values("feature_agglomeration", n_clusters=3, affinity="cosine", linkage="ward", pooling_func="max")})
    assert (step.n_clusters, step.metric, step.pooling_func) == (3, "euclidean", np.max)


FOREST = {"n_estimators": [100], "criterion": ["gini", "entropy"], "max_features": (0.0, 1.0), "max_depth": ["None"], "min_samples_leaf": (1, 20), "min_samples_split": (2, 20), "bootstrap": ["True", "False"]}


def test_extra_trees_selection_uses_auto_sklearns_exponent_and_balancing(tmp_path):
    space = _space("classification", "extra_trees_preproc_for_classification", FOREST, {"balancing:strategy": ["none", "weighting"]})
    config = {CHOICE: "extra_trees_preproc_for_classification", "balancing:strategy": "weighting", **_values("extra_trees_preproc_for_classification", max_features=0.5, criterion="entropy", min_samples_leaf=3)}
    step, _ = _fit(tmp_path, space, "classification", config)
    trees = step.estimator
    assert (type(step).__name__, step.threshold, type(trees).__name__) == ("SelectFromModel", "mean", "ExtraTreesClassifier")
    assert (trees.max_features, trees.criterion, trees.min_samples_leaf, trees.class_weight, trees.n_estimators) == (8, "entropy", 3, "balanced", 100)


def test_extra_trees_regression_max_features_scales_with_log_features(tmp_path):
    settings = {**{k: v for k, v in FOREST.items() if k != "criterion"}, "criterion": ["mse"], "max_features": (0.5, 5.0)}
    space = _space("regression", "extra_trees_preproc_for_regression", settings)
    step, _ = _fit(tmp_path, space, "regression", {CHOICE: "extra_trees_preproc_for_regression", **_values("extra_trees_preproc_for_regression", max_features=1.0)})
    # int(1.0 * (ln(10) + 1)) = 3, within [1, 10 // 2]
    assert (step.estimator.max_features, step.estimator.criterion) == (3, "squared_error")


def test_liblinear_preprocessor_is_an_l1_linear_svc_selection_with_repaired_loss(tmp_path):
    settings = {"C": (0.03125, 32768.0), "loss": ["hinge", "squared_hinge"], "penalty": ["l1"], "dual": ["False"], "tol": (1e-5, 1e-1), "multi_class": ["ovr"], "fit_intercept": ["True"], "intercept_scaling": [1]}
    space = _space("classification", "liblinear_svc_preprocessor", settings)
    step, _ = _fit(tmp_path, space, "classification", {CHOICE: "liblinear_svc_preprocessor", **_values("liblinear_svc_preprocessor", C=2.0, loss="hinge", tol=0.001)})
    svc = step.estimator
    assert (type(svc).__name__, svc.penalty, svc.loss, svc.dual, svc.C, svc.tol, step.threshold) == ("LinearSVC", "l1", "squared_hinge", False, 2.0, 0.001, "mean")


def test_random_trees_embedding_settings_and_stated_unused_ones(tmp_path):
    settings = {"n_estimators": (10, 100), "max_depth": (2, 10), "min_samples_leaf": (1, 20), "min_samples_split": (2, 20), "max_leaf_nodes": ["None"], "min_weight_fraction_leaf": [1.0], "bootstrap": ["True", "False"]}
    space = _space("classification", "random_trees_embedding", settings)
    step, source = _fit(tmp_path, space, "classification", {CHOICE: "random_trees_embedding", **_values("random_trees_embedding", n_estimators=12, max_depth=3, min_samples_leaf=4)})
    assert (step.n_estimators, step.max_depth, step.min_samples_leaf, step.sparse_output, step.min_weight_fraction_leaf) == (12, 3, 4, False, 0.0)
    assert "feature_preprocessor:random_trees_embedding:min_weight_fraction_leaf is not used: auto-sklearn" in source
    assert "feature_preprocessor:random_trees_embedding:bootstrap is not used" in source


def test_pca_polynomial_and_select_percentile_regression(tmp_path):
    space = _space("regression", "pca", {"keep_variance": (0.5, 0.9999), "whiten": ["False", "True"]})
    step, _ = _fit(tmp_path, space, "regression", {CHOICE: "pca", **_values("pca", keep_variance=0.8, whiten="True")})
    assert (step.n_components, step.whiten) == (0.8, True)
    space = _space("regression", "polynomial", {"degree": (2, 3), "interaction_only": ["False", "True"], "include_bias": ["True", "False"]})
    step, _ = _fit(tmp_path / "b", space, "regression", {CHOICE: "polynomial", **_values("polynomial", degree=3, interaction_only="True", include_bias="True")})
    assert (step.degree, step.interaction_only, step.include_bias) == (3, True, True)
    space = _space("regression", "select_percentile_regression", {"percentile": (1.0, 99.0), "score_func": ["f_regression"]})
    step, _ = _fit(tmp_path / "c", space, "regression", {CHOICE: "select_percentile_regression", **_values("select_percentile_regression", percentile=20.5)})
    assert (step.percentile, step.score_func) == (20, f_regression)


@pytest.mark.parametrize("task, value, score", [("regression", "select_percentile_regression", "f_regression"), ("classification", "select_rates_classification", "f_classif")])
def test_a_selector_without_settings_uses_the_tasks_f_test(tmp_path, task, value, score):
    path = tmp_path / "space.json"
    _space(task, value, {}).to_json(path)
    assert f"score_func={score}" in generate(path, make_options(task=task))


def _values(value: str, **settings) -> dict:
    return {f"feature_preprocessor:{value}:{k}": v for k, v in settings.items()}


def test_r24_every_classification_preprocessor_runs_on_sampled_configurations(tmp_path):
    """One space with every classification preprocessor (kernels limited to ones that are positive definite
    on raw digits): default + sampled configurations, native and numpy values, never a crash."""
    space = ConfigurationSpace({"classifier:__choice__": ["random_forest"], "classifier:random_forest:n_estimators": (5, 8)})
    values = ["no_preprocessing", "densifier", "kernel_pca", "nystroem_sampler", "kitchen_sinks", "select_percentile_classification", "select_rates_classification", "truncatedSVD", "fast_ica", "feature_agglomeration", "extra_trees_preproc_for_classification", "liblinear_svc_preprocessor", "random_trees_embedding"]
    space.add(Categorical(CHOICE, values))
    settings = {
        "kernel_pca": {"kernel": ["rbf", "cosine"], "n_components": (10, 50), "gamma": (1e-5, 1e-3)},
        "nystroem_sampler": {"kernel": ["poly", "rbf", "sigmoid", "cosine"], "n_components": (50, 100), "gamma": (3e-5, 8.0), "degree": (2, 5), "coef0": (-1.0, 1.0)},
        "kitchen_sinks": {"gamma": (0.3, 2.0), "n_components": (50, 200)},
        "select_percentile_classification": {"percentile": (1.0, 99.0), "score_func": ["chi2", "f_classif", "mutual_info"]},
        "select_rates_classification": {"alpha": (0.01, 0.5), "mode": ["fpr", "fdr", "fwe"], "score_func": ["chi2", "f_classif", "mutual_info_classif"]},
        "truncatedSVD": {"target_dim": (10, 256)},
        "fast_ica": {"whiten": ["False", "True"], "fun": ["logcosh", "exp", "cube"], "n_components": (10, 2000)},
        "feature_agglomeration": {"n_clusters": (2, 400), "affinity": ["euclidean", "manhattan", "cosine"], "linkage": ["ward", "complete", "average"], "pooling_func": ["mean", "median", "max"]},
        "extra_trees_preproc_for_classification": {**FOREST, "n_estimators": [10]},
        "liblinear_svc_preprocessor": {"C": (0.03125, 100.0), "loss": ["hinge", "squared_hinge"], "penalty": ["l1"], "dual": ["False"]},
        "random_trees_embedding": {"n_estimators": (10, 20), "max_depth": (2, 10)},
    }
    for value, own in settings.items():
        for name, domain in own.items():
            space.add(_hp(f"feature_preprocessor:{value}:{name}", domain))
            space.add(EqualsCondition(space[f"feature_preprocessor:{value}:{name}"], space[CHOICE], value))
    path = tmp_path / "space.json"
    space.to_json(path)
    (tmp_path / "train_all.py").write_text(generate(path, make_options(task="classification")))
    train = load_train(tmp_path / "train_all.py")
    X, y = dataset("digits")
    seen = set()
    for index, config in enumerate(configurations(space, 13, seed=5)):
        seen.add(config[CHOICE])
        cast = as_numpy if index % 2 else as_native
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            loss = train({k: cast(v) for k, v in config.items()}, {"X": X[:200], "y": y[:200]}, seed=index)
        assert math.isfinite(loss), config
    assert len(seen) >= 6


@pytest.mark.skipif(not WILD.is_dir(), reason="../shared/wild is not checked out")
@pytest.mark.parametrize("name", ["configspace_auto-sklearn_2017_11_17.pcs", "configspace_auto-sklearn_dense_regression.pcs"])
def test_wild_autosklearn_preprocessor_settings_are_all_used(name):
    """Every value of the wild auto-sklearn files' preprocessor choice is known and every setting is read, except
    the two auto-sklearn itself never passes (random trees embedding's bootstrap / min_weight_fraction_leaf)."""
    space = read_model(WILD / name)  # the knowledge reads the space model, as the engine gives it
    choice = next(n for n in space if n.endswith("preprocessor:__choice__"))
    assert all(preprocessors.known(v) for v in space[choice].choices)
    placed = {n: preprocessors.placement(space[n], n) for n in space if n.startswith("preprocessor:") and n != choice}
    unused = sorted(n for n, p in placed.items() if not p[0])
    assert unused == [n for n in ("preprocessor:random_trees_embedding:bootstrap", "preprocessor:random_trees_embedding:min_weight_fraction_leaf") if n in space]
    assert len(placed) > 35
