"""Issue 13: real spaces written by others: their conventions read with the author's meaning, names no rule
understands generated as unused (with a warning), and refusals that say what a space really is.

The spaces here are written in the habits of real ones (R ranger and rpart through YAHPO, auto-sklearn's
paths, HNSW k-NN, HPOlib grids, SAT solvers); the real files of ../shared/wild are read from there."""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from ConfigSpace import Categorical, ConfigurationSpace, Constant, EqualsCondition, Float, Integer
from harness import WILD, as_numpy, configurations, load_train, make_dataset, wild_expectations
from trainfn_gen.engine.detect import detect
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import analyze, generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.space.model import space_model


def _write(tmp_path: Path, space: ConfigurationSpace, name: str = "space.json") -> Path:
    path = tmp_path / name
    space.to_json(path)
    return path


def _train(tmp_path: Path, space: ConfigurationSpace, **options):
    source = generate(_write(tmp_path, space), make_options(**options))
    target = tmp_path / "train_real.py"
    target.write_text(source)
    return source, load_train(target)


def _fitted(tmp_path: Path, train, config: dict, data: dict):
    """Call train() with a model folder and return the fitted pipeline's last step."""
    folder = tmp_path / "models"
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        loss = train(config, data, seed=0, model_dir=str(folder))
    assert math.isfinite(loss)
    model = joblib.load(next(folder.glob("*.joblib")))
    for saved in folder.iterdir():
        saved.unlink()
    while hasattr(model, "steps"):  # the estimator may sit in a scaling pipeline of its own
        model = model.steps[-1][1]
    return model


def _ranger() -> ConfigurationSpace:
    space = ConfigurationSpace()
    splitrule = Categorical("splitrule", ["gini", "extratrees"], default="gini")
    splits = Integer("num.random.splits", (1, 100), default=1)
    space.add([
        Integer("num.trees", (10, 50), default=20), Integer("min.node.size", (1, 100), default=40),
        Float("mtry.power", (0.0, 1.0), default=0.5), Float("sample.fraction", (0.1, 1.0), default=0.5),
        splitrule, splits, Integer("repl", (1, 10), default=1), Categorical("task_id", ["3", "31"]),
    ])
    space.add(EqualsCondition(splits, splitrule, "extratrees"))
    return space


def test_ranger_names_keep_ranger_meanings_and_extratrees_swaps_the_forest(tmp_path):
    source, train = _train(tmp_path, _ranger(), task="classification")
    assert 'min_samples_split=as_int(cfg.get("min.node.size")' in source
    assert "min_samples_leaf" not in source
    data = make_dataset("digits", pandas=False, given_test=False)
    forest = _fitted(tmp_path, train, {"min.node.size": 40, "mtry.power": 0.5}, data)
    assert type(forest).__name__ == "RandomForestClassifier"
    assert forest.min_samples_split == 40 and forest.max_features == round(64**0.5)
    assert forest.bootstrap and forest.max_samples == 0.5  # ranger's replace=TRUE with sample.fraction
    extra = _fitted(tmp_path, train, {"splitrule": np.str_("extratrees"), "num.random.splits": np.int64(3)}, data)
    assert type(extra).__name__ == "ExtraTreesClassifier" and extra.criterion == "gini"
    unused = {p.name: p.reason for p in detect(space_model(_ranger()), "ranger.json", task="classification").placements if not p.uses and not p.role}
    assert set(unused) == {"num.random.splits", "repl", "task_id"}


def test_rpart_cp_is_relative_to_the_root_impurity(tmp_path):
    space = ConfigurationSpace({"cp": (0.001, 1.0), "maxdepth": (1, 30), "minbucket": (1, 50), "minsplit": (1, 50)})
    source, train = _train(tmp_path, space, task="classification")
    assert "* root_impurity(y_train, True)" in source
    data = make_dataset("iris", pandas=False, given_test=False)
    tree = _fitted(tmp_path, train, {"cp": 0.1}, data)
    labels = tree.classes_
    assert len(labels) == 3
    # iris's training split is nearly balanced: Gini of the root close to 2/3.
    assert tree.ccp_alpha == pytest.approx(0.1 * 2 / 3, rel=0.02)


def _auto_sklearn() -> ConfigurationSpace:
    space = ConfigurationSpace()
    selector = Categorical("classifier:__choice__", ["random_forest", "bernoulli_nb", "lda", "decision_tree", "adaboost"], default="random_forest")
    children = {
        "random_forest": [Float("classifier:random_forest:max_features", (0.0, 1.0), default=0.5), Constant("classifier:random_forest:n_estimators", 10)],
        "bernoulli_nb": [Float("classifier:bernoulli_nb:alpha", (0.01, 100.0), default=1.0, log=True)],
        "lda": [Categorical("classifier:lda:shrinkage", ["None", "auto", "manual"], default="None"), Integer("classifier:lda:n_components", (1, 250), default=10)],
        "decision_tree": [Float("classifier:decision_tree:max_depth", (0.0, 2.0), default=0.5)],
        "adaboost": [Categorical("classifier:adaboost:algorithm", ["SAMME.R", "SAMME"]), Integer("classifier:adaboost:n_estimators", (10, 50), default=10)],
    }
    space.add(selector)
    for value, hps in children.items():
        space.add(hps)
        space.add([EqualsCondition(hp, selector, value) for hp in hps])
    factor = Float("classifier:lda:shrinkage_factor", (0.0, 1.0), default=0.5)
    space.add(factor)
    space.add(EqualsCondition(factor, space["classifier:lda:shrinkage"], "manual"))
    return space


def test_auto_sklearn_paths_mean_what_auto_sklearn_means(tmp_path):
    detection = detect(space_model(_auto_sklearn()), "auto.json")
    assert detection.task == "classification"  # bernoulli_nb:alpha no longer counts as regression evidence
    assert detection.warnings == ()
    reasons = {p.name: p.reason for p in detection.placements if not p.uses}
    assert "only sets how many discriminants transform() returns" in reasons["classifier:lda:n_components"]
    assert "removed AdaBoost's SAMME.R" in reasons["classifier:adaboost:algorithm"]
    _, train = _train(tmp_path, _auto_sklearn())
    data = make_dataset("digits", pandas=False, given_test=False)
    forest = _fitted(tmp_path, train, {"classifier:__choice__": "random_forest", "classifier:random_forest:max_features": 0.5}, data)
    assert forest.max_features == round(64**0.5)  # an exponent, not a fraction of the features
    tree = _fitted(tmp_path, train, {"classifier:__choice__": "decision_tree", "classifier:decision_tree:max_depth": 0.5}, data)
    assert tree.max_depth == 32  # relative to the 64 features
    manual = {"classifier:__choice__": "lda", "classifier:lda:shrinkage": "manual", "classifier:lda:shrinkage_factor": as_numpy(0.3)}
    assert _fitted(tmp_path, train, manual, data).shrinkage == pytest.approx(0.3)
    assert _fitted(tmp_path, train, {"classifier:__choice__": "lda", "classifier:lda:shrinkage": "auto"}, data).shrinkage == "auto"


def test_early_auto_sklearn_max_features_multiplier_of_log_features(tmp_path):
    space = ConfigurationSpace()
    selector = Categorical("regressor:__choice__", ["random_forest", "ard_regression", "gaussian_process"])
    rf = Float("regressor:random_forest:max_features", (0.5, 5.0), default=1.0)
    ard = [Float(f"regressor:ard_regression:{n}", (1e-10, 1e-3), default=1e-6, log=True) for n in ("alpha_1", "lambda_1")]
    gp = [Float("regressor:gaussian_process:thetaL", (1e-6, 1e-3), default=1e-4, log=True), Float("regressor:gaussian_process:thetaU", (0.2, 10.0), default=1.0, log=True), Float("regressor:gaussian_process:nugget", (1e-4, 10.0), default=0.1, log=True)]
    space.add([selector, rf, *ard, *gp])
    space.add([EqualsCondition(rf, selector, "random_forest"), *(EqualsCondition(h, selector, "ard_regression") for h in ard), *(EqualsCondition(h, selector, "gaussian_process") for h in gp)])
    detection = detect(space_model(space), "old.json")
    assert detection.task == "regression" and detection.families == ("random_forest", "ard_regression", "gaussian_process")
    _, train = _train(tmp_path, space)
    data = make_dataset("diabetes", pandas=False, given_test=False)
    forest = _fitted(tmp_path, train, {"regressor:__choice__": "random_forest", "regressor:random_forest:max_features": 2.0}, data)
    assert forest.max_features == min(10 // 2, int(2.0 * (math.log(10) + 1)))
    process = _fitted(tmp_path, train, {"regressor:__choice__": "gaussian_process", "regressor:gaussian_process:thetaL": 1e-3, "regressor:gaussian_process:thetaU": 0.5, "regressor:gaussian_process:nugget": 0.2}, data)
    # thetaL/thetaU bound theta of exp(-theta d^2): the length-scale bounds are 1/sqrt(2 theta), inverted (issue 22).
    bounds = (1 / math.sqrt(2 * 0.5), 1 / math.sqrt(2 * 1e-3))
    assert process.kernel.length_scale_bounds == pytest.approx(bounds) and process.alpha == 0.2 and process.normalize_y
    ard_model = _fitted(tmp_path, train, {"regressor:__choice__": "ard_regression", "regressor:ard_regression:alpha_1": 1e-4}, data)
    assert type(ard_model).__name__ == "ARDRegression" and ard_model.alpha_1 == 1e-4


def test_hnsw_knn_index_settings_are_inert_and_ip_ranks_as_cosine(tmp_path):
    space = ConfigurationSpace({"k": (1, 50), "distance": ["l2", "cosine", "ip"], "M": (18, 50), "ef": (8, 256), "ef_construction": (8, 512)})
    detection = detect(space_model(space), "aknn.json", task="classification")
    reasons = {p.name: p.reason for p in detection.placements if not p.uses}
    assert set(reasons) == {"M", "ef", "ef_construction"} and detection.warnings == ()
    assert all("HNSW index setting" in r for r in reasons.values())
    _, train = _train(tmp_path, space, task="classification")
    knn = _fitted(tmp_path, train, {"k": 5, "distance": "ip"}, make_dataset("iris", pandas=False, given_test=False))
    assert knn.metric == "cosine" and knn.n_neighbors == 5


def test_grid_indices_of_a_positive_real_argument_are_unused_not_read_as_values(tmp_path):
    space = ConfigurationSpace({"C": (0, 10), "gamma": (1e-3, 1.0), "kernel": ["rbf", "poly"]})
    detection = detect(space_model(space), "grid.json", task="classification")
    assert [p.name for p in detection.placements if p.unknown] == ["C"]
    assert "index a grid of values the space does not hold" in detection.warnings[0]
    with pytest.raises(GeneratorError, match="index a grid"):
        detect(space_model(space), "grid.json", task="classification", strict=True)
    # A log2-encoded integer range is the exponent itself, not an index.
    logged = detect(space_model(ConfigurationSpace({"LOG2_C": (-5, 15), "LOG2_gamma": (-15, 3)})), "log2.json", task="classification")
    assert all(p.uses for p in logged.placements)


@pytest.mark.parametrize(
    "names, looks_like",
    [
        (["sp-clause-decay", "sp-restart-inc", "sp-variable-decay", "sp-orig-clause-sort-heur"], "a solver's or theorem prover's parameters"),
        (["@0:sat-prepro", "@0:restarts", "@0:deletion", "@0:heuristic"], "a solver's or theorem prover's parameters"),
        (["contamination", "n_clusters", "linkage", "novelty"], "an unsupervised pipeline"),
    ],
)
def test_spaces_that_are_not_a_models_are_refused_for_what_they_are(names, looks_like):
    space = ConfigurationSpace({name: (0.0, 1.0) for name in names})
    with pytest.raises(GeneratorError) as caught:
        detect(space_model(space), "other.json")
    message = caught.value.message
    assert looks_like in message and "none of its 4 searched hyperparameters" in message
    assert "--family" not in message  # no advice that cannot work


def test_a_model_space_with_a_few_strangers_still_generates_and_warns(tmp_path):
    space = ConfigurationSpace({"n_estimators": (10, 50), "max_depth": (1, 10), "min_samples_leaf": (1, 5), "frobnicate": (0.0, 1.0)})
    source, train = _train(tmp_path, space, task="classification")
    assert "#   frobnicate is not used: not recognized" in source
    with contextlib.redirect_stdout(io.StringIO()):
        assert math.isfinite(train({"frobnicate": 0.3}, make_dataset("iris", pandas=False, given_test=False), seed=0))


@pytest.mark.skipif(not (WILD / "README.md").exists(), reason="../shared/wild is not beside the project")
def test_every_real_space_ends_as_its_readme_expects(tmp_path):
    """Generation only (make wild-report runs 42 calls of each generated train())."""
    expected = wild_expectations()
    assert len(expected) == len([p for p in WILD.iterdir() if p.suffix in ('.json', '.pcs')])
    for name, want in sorted(expected.items()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                detection, _ = analyze(WILD / name, make_options())
            except GeneratorError as error:
                assert want == "refuse", f"{name} refused: {error.message}"
                assert error.source == name and "\n" not in error.paragraph()
                continue
        assert want == "generate", f"{name} generated, expected a refusal"
        compile(generate(WILD / name, make_options()), name, "exec")
        assert detection.families


def test_auto_sklearn_space_runs_on_sampled_configurations(tmp_path):
    space = _auto_sklearn()
    _, train = _train(tmp_path, space)
    data = make_dataset("digits", pandas=False, given_test=False)
    for index, config in enumerate(configurations(space, 6, seed=1)):
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            assert math.isfinite(train({k: as_numpy(v) for k, v in config.items()}, data, seed=index))


def test_named_values_of_numeric_arguments_and_their_numeric_companions(tmp_path):
    """MLP batch_size 'auto' (its own default); SVC gamma {scale, auto, value} with gamma_value holding the number."""
    mlp = ConfigurationSpace({"hidden_layer_sizes": (10, 50), "batch_size": ["auto", "32"], "solver": ["adam"], "max_iter": (20, 50)})
    source, train = _train(tmp_path, mlp, task="classification")
    assert '{"auto": "auto", "32": 32}' in source
    data = make_dataset("iris", pandas=False, given_test=False)
    assert _fitted(tmp_path, train, {"batch_size": np.str_("auto")}, data).batch_size == "auto"
    assert _fitted(tmp_path, train, {"batch_size": "32"}, data).batch_size == 32
    svc = ConfigurationSpace({"C": (0.1, 10.0), "gamma": ["scale", "auto", "value"], "gamma_value": (1e-3, 1.0), "kernel": ["rbf"]})
    _, train = _train(tmp_path, svc, task="classification")
    assert _fitted(tmp_path, train, {"gamma": "value", "gamma_value": 0.25}, data).gamma == 0.25
    assert _fitted(tmp_path, train, {"gamma": "auto", "gamma_value": 0.25}, data).gamma == "auto"


def test_settings_the_library_dropped_or_train_cannot_honour_are_stated_with_the_reason():
    xgb = ConfigurationSpace({"xgb_max_depth": (2, 10), "xgb_eta": (0.01, 0.3), "xgb_early_stopping_rounds": (5, 50)})
    reasons = {p.name: p.reason for p in detect(space_model(xgb), "xgb.json", task="classification").placements if not p.uses}
    assert "would leak it (R16)" in reasons["xgb_early_stopping_rounds"]
    gb = ConfigurationSpace({"n_estimators": (10, 100), "learning_rate": (0.01, 0.3), "loss": ["squared_error", "huber"], "criterion": ["friedman_mse", "mse", "mae"]})
    detection = detect(space_model(gb), "gb.json", task="regression")
    assert detection.families == ("gradient_boosting",) and detection.warnings == ()
    assert "deprecated since 1.9" in next(p.reason for p in detection.placements if p.name == "criterion")


def test_outlier_detection_is_refused_even_when_most_names_fit_a_forest():
    space = ConfigurationSpace({"contamination": (0.01, 0.2), "n_estimators": (50, 300), "max_samples": (0.1, 1.0), "max_features": (0.1, 1.0)})
    with pytest.raises(GeneratorError, match="outlier detection"):
        detect(space_model(space), "iforest.json")


def test_a_zero_lasso_alpha_classifies_without_crashing(tmp_path):
    """Found by fuzzing (issue 15): lasso classification is SGD, whose optimal schedule divides by alpha."""
    space = ConfigurationSpace({"lasso_alpha": [0.0, 0.1], "lasso_max_iter": (50, 100)})
    _, train = _train(tmp_path, space, task="classification")
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        assert math.isfinite(train({"lasso_alpha": 0.0}, make_dataset("iris", pandas=False, given_test=False), seed=0))


def test_log2_encoded_integer_ranges_under_a_path_are_exponents_not_grid_indices():
    space = ConfigurationSpace({"classifier": ["libsvm_svc", "random_forest"], "libsvm_svc:LOG2_C": (-5, 15), "libsvm_svc:LOG2_gamma": (-15, 3), "random_forest:max_depth": (2, 10)})
    detection = detect(space_model(space), "mini.json", task="classification")
    assert detection.warnings == ()
    assert {p.name: p.uses[0].log_base for p in detection.placements if "LOG2" in p.name} == {"libsvm_svc:LOG2_C": 2.0, "libsvm_svc:LOG2_gamma": 2.0}
