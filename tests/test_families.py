"""The families beyond forests/boosting/SVM/MLP: detection, generation and execution.

Rules: R11 (the family the space names or implies is the one generated), R09 R10 R24 (every
sampled configuration runs: bounds, renamed values, rule-repaired combinations such as
logistic-regression penalty x solver), R07 (numpy-typed values), R05 (k-NN neighbours clipped to
the training rows), R17 (classifier / regressor per task; classification-only families refused
under regression). Names follow /work/shared/SPACES_IN_THE_WILD.md sections 2, 3, 7 and 9.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import math
import warnings

import pytest
from ConfigSpace import Categorical, ConfigurationSpace, Float, InCondition, Integer
from harness import as_native, as_numpy, configurations, load_train, make_dataset
from trainfn_gen.engine.detect import detect
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.space.model import space_model

SAMPLED = 20

# family -> small space (unprefixed names), per task ("both" = the same space for both tasks).
SPACES = {
    "knn": {
        "both": {
            "n_neighbors": (1, 300),  # beyond the training rows of iris: clipped at run time (R05)
            "weights": ["uniform", "distance"],
            "p": (1, 3),
            "metric": ["minkowski", "euclidean", "manhattan", "chebyshev"],
        }
    },
    "logistic_regression": {
        "classification": {
            "C": ("log", 1e-3, 1e3),
            "penalty": ["l1", "l2", "elasticnet", "none"],
            "solver": ["lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga"],
            "l1_ratio": (0.0, 1.0),
            "max_iter": (50, 200),
            "class_weight": ["balanced", "None"],
            "fit_intercept": ["True", "False"],
        }
    },
    "ridge": {
        "both": {
            "alpha": ("log", 1e-4, 10.0),
            "solver": ["auto", "svd", "cholesky", "lsqr", "sag", "lbfgs"],
            "positive": [True, False],
            "fit_intercept": [True, False],
        }
    },
    "lasso": {"both": {"alpha": ("log", 1e-4, 1.0), "max_iter": (100, 500)}},
    "elastic_net": {
        "both": {"alpha": ("log", 1e-4, 1.0), "l1_ratio": (0.0, 1.0), "tol": (1e-4, 1e-2)}
    },
    "sgd": {
        "classification": {
            "loss": ["hinge", "log", "modified_huber", "perceptron", "squared_hinge"],
            "penalty": ["l2", "l1", "elasticnet", "none"],
            "alpha": (0.0, 0.01),
            "l1_ratio": (0.0, 1.0),
            "learning_rate": ["constant", "optimal", "invscaling", "adaptive"],
            "eta0": ("log", 1e-4, 0.1),
            "power_t": (0.1, 0.9),
            "max_iter": (20, 200),
        },
        "regression": {
            "loss": ["squared_loss", "huber", "epsilon_insensitive"],
            "penalty": ["l2", "l1", "elasticnet", "none"],
            "alpha": (0.0, 0.01),
            "learning_rate": ["constant", "optimal", "invscaling", "adaptive"],
            "eta0": ("log", 1e-4, 0.01),
            "max_iter": (20, 200),
        },
    },
    "linear_svm": {
        "classification": {
            "C": ("log", 0.01, 100.0),
            "penalty": ["l1", "l2"],
            "loss": ["hinge", "squared_hinge"],
            "dual": ["True", "False"],
        },
        "regression": {
            "C": ("log", 0.01, 100.0),
            "loss": ["epsilon_insensitive", "squared_epsilon_insensitive"],
            "dual": ["True", "False"],
            "epsilon": (0.0, 1.0),
        },
    },
    "passive_aggressive": {
        "classification": {"C": ("log", 1e-3, 10.0), "loss": ["hinge", "squared_hinge"]},
        "regression": {
            "C": ("log", 1e-3, 1.0),
            "loss": ["epsilon_insensitive", "squared_epsilon_insensitive"],
        },
    },
    "decision_tree": {
        "both": {"cp": (0.0, 0.05), "minsplit": (2, 30), "minbucket": (1, 10), "maxdepth": (1, 30)}
    },
    "adaboost": {
        "classification": {"n_estimators": (10, 60), "learning_rate": ("log", 0.01, 2.0), "max_depth": (1, 4)},
        "regression": {
            "n_estimators": (10, 60),
            "learning_rate": ("log", 0.01, 2.0),
            "max_depth": (1, 4),
            "loss": ["linear", "square", "exponential"],
        },
    },
    "gaussian_nb": {"classification": {"var_smoothing": ("log", 1e-12, 1e-6)}},
    "multinomial_nb": {"classification": {"nb_alpha": (0.0, 2.0), "nb_fit_prior": [True, False]}},
    "bernoulli_nb": {"classification": {"alpha": (0.01, 2.0), "binarize": (0.0, 1.0)}},
    "complement_nb": {"classification": {"cnb_alpha": (0.01, 2.0), "cnb_norm": [True, False]}},
    "lda": {"classification": {"solver": ["svd", "lsqr", "eigen"], "shrinkage": (0.0, 1.0), "tol": (1e-6, 1e-3)}},
    "qda": {"classification": {"reg_param": (0.0, 1.0)}},
    "xgboost": {
        "both": {
            "eta": ("log", 0.01, 0.5),
            "max_depth": (1, 8),
            "min_child_weight": ("log", 1.0, 20.0),
            "subsample": (0.5, 1.0),
            "colsample_bytree": (0.3, 1.0),
            "gamma": (0.0, 1.0),
            "alpha": ("log", 1e-6, 1.0),
            "lambda": ("log", 1e-6, 1.0),
            "nrounds": (5, 40),
            "booster": ["gbtree", "gblinear", "dart"],
        }
    },
    "lightgbm": {
        "both": {
            "num_leaves": (2, 64),
            "min_child_samples": (1, 30),
            "boosting_type": ["gbdt", "dart", "goss", "rf"],
            "feature_fraction": (0.3, 1.0),
            "bagging_fraction": (0.3, 1.0),
            "bagging_freq": (0, 5),
            "lambda_l1": (0.0, 1.0),
            "lambda_l2": (0.0, 1.0),
            "min_split_gain": (0.0, 0.5),
            "n_estimators": (5, 40),
            "top_rate": (0.05, 1.0),
            "other_rate": (0.0, 1.0),
        }
    },
}
# Unprefixed names these families share with an earlier family (alpha + max_iter: MLP; C + loss:
# linear SVM; n_estimators + learning_rate + max_depth: sklearn GB): without a prefix or selector
# the earlier family wins, so these spaces are generated with --family.
AMBIGUOUS = {"lasso": "mlp", "passive_aggressive": "linear_svm", "adaboost": "gradient_boosting"}
FORCED = {family: family for family in AMBIGUOUS}
CLASSIFICATION_ONLY = ("logistic_regression", "gaussian_nb", "multinomial_nb", "bernoulli_nb", "complement_nb", "lda", "qda")
DATA = {"classification": ("iris", "wine", "breast_cancer"), "regression": ("diabetes",)}


def _hp(name, value):
    if isinstance(value, list):
        return Categorical(name, value)
    if value[0] == "log":
        return Float(name, value[1:], log=True)
    if isinstance(value[0], int) and not isinstance(value[0], bool):
        return Integer(name, value)
    return Float(name, value)


def space_of(hyperparameters: dict, rename=lambda name: name) -> ConfigurationSpace:
    """A space from {name: [choices] | (low, high) | ("log", low, high)}, names optionally renamed."""
    space = ConfigurationSpace()
    space.add([_hp(rename(name), value) for name, value in hyperparameters.items()])
    return space


def family_cases():
    for family, by_task in SPACES.items():
        for key, hyperparameters in by_task.items():
            for task in ("classification", "regression") if key == "both" else (key,):
                yield pytest.param(family, task, hyperparameters, id=f"{family}-{task}")


def _generate(tmp_path, space: ConfigurationSpace, task: str, family: str | None = None, **options) -> str:
    path = tmp_path / "space.json"
    space.to_json(path)
    return generate(path, make_options(task=task, family=family, **options))


@pytest.mark.parametrize("family, other", AMBIGUOUS.items())
def test_r11_ambiguous_unprefixed_space_goes_to_the_earlier_family(family, other):
    key, hyperparameters = next(iter(SPACES[family].items()))
    task = "regression" if key == "both" else key
    assert detect(space_model(space_of(hyperparameters)), "test.json", task=task).families == (other,)


def _run_all(tmp_path, source: str, space: ConfigurationSpace, task: str, count: int = SAMPLED) -> list[float]:
    target = tmp_path / "train_generated.py"
    target.write_text(source)
    train = load_train(target)
    losses = []
    for index, config in enumerate(configurations(space, count, seed=3)):
        cast = as_numpy if index % 2 else as_native
        data = make_dataset(DATA[task][index % len(DATA[task])], pandas=index % 3 == 1, given_test=index % 4 == 2)
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            loss = train({k: cast(v) for k, v in config.items()}, data, seed=index)
        assert isinstance(loss, float) and math.isfinite(loss), (config, loss)
        losses.append(loss)
    return losses


# --- R11: detection of each family, unprefixed --------------------------------------------------


@pytest.mark.parametrize("family, task, hyperparameters", family_cases())
def test_r11_unprefixed_space_detects_the_family(family, task, hyperparameters):
    detection = detect(space_model(space_of(hyperparameters)), "test.json", task=task, family=FORCED.get(family))
    assert detection.families == (family,)
    assert detection.selector is None
    used = {p.name for p in detection.placements if p.uses}
    assert used == set(hyperparameters), {p.name: p.reason for p in detection.placements if not p.uses}


def test_speed_settings_are_stated_unused_with_their_reason():
    """Issue 22: k-NN's search structure and libsvm's shrinking change how fast the same model is found, never the
    model (the effect gate found no change in predictions): stated unused, prefixed or not, with that reason."""
    spaces = {
        "knn": {"n_neighbors": (1, 20), "algorithm": ["auto", "ball_tree", "kd_tree", "brute"], "leaf_size": (5, 50)},
        "svm": {"C": (0.1, 10.0), "shrinking": ["True", "False"]},
    }
    for family, hyperparameters in spaces.items():
        for prefix in ("", f"{family}_"):
            named = {f"{prefix}{k}": v for k, v in hyperparameters.items()}
            detection = detect(space_model(space_of(named)), "test.json", task="classification", family=family)
            reasons = {p.name: p.reason for p in detection.placements if not p.uses}
            speed = {n for n in named if n.removeprefix(prefix) in ("algorithm", "leaf_size", "shrinking")}
            assert set(reasons) == speed, reasons
            assert all("speed setting" in reasons[n] for n in speed), reasons


# --- R11: prefixed names pick the family the prefix names -----------------------------------------

PREFIXED = [
    ("knn", "knn", {"n_neighbors": (1, 20), "weights": ["uniform", "distance"]}),
    ("lr", "logistic_regression", {"C": (0.01, 10.0), "penalty": ["l1", "l2"]}),
    ("logreg", "logistic_regression", {"C": (0.01, 10.0), "solver": ["lbfgs", "saga"]}),
    ("ridge", "ridge", {"alpha": (0.01, 10.0)}),
    ("lasso", "lasso", {"alpha": (0.01, 1.0)}),
    ("elasticnet", "elastic_net", {"alpha": (0.01, 1.0), "l1_ratio": (0.0, 1.0)}),
    ("glmnet", "glmnet", {"alpha": (0.0, 1.0), "s": (0.001, 1.0)}),
    ("sgd", "sgd", {"alpha": (1e-5, 1e-2), "eta0": (1e-4, 1e-1)}),
    ("linearsvc", "linear_svm", {"C": (0.01, 10.0), "penalty": ["l1", "l2"]}),
    ("pa", "passive_aggressive", {"C": (0.01, 10.0)}),
    ("dt", "decision_tree", {"max_depth": (1, 20), "min_samples_leaf": (1, 10)}),
    ("rpart", "decision_tree", {"cp": (0.0, 0.1), "minsplit": (2, 20)}),
    ("ada", "adaboost", {"n_estimators": (10, 100), "learning_rate": (0.01, 1.0)}),
    ("nb", "gaussian_nb", {"var_smoothing": (1e-12, 1e-6)}),
    ("nb", "bernoulli_nb", {"alpha": (0.01, 1.0), "binarize": (0.0, 1.0)}),
    ("lda", "lda", {"solver": ["svd", "lsqr"]}),
    ("qda", "qda", {"reg_param": (0.0, 1.0)}),
    ("xgb", "xgboost", {"eta": (0.01, 0.3), "max_depth": (1, 10)}),
    ("lgbm", "lightgbm", {"num_leaves": (2, 64), "learning_rate": (0.01, 0.3)}),
    ("et", "extra_trees", {"n_estimators": (10, 100)}),
    ("extra_trees", "extra_trees", {"n_estimators": (10, 100)}),
    ("extratrees", "extra_trees", {"max_depth": (1, 10)}),
]


@pytest.mark.parametrize("delimiter", ["_", ":", "."])
@pytest.mark.parametrize("prefix, family, hyperparameters", PREFIXED, ids=[f"{p}-{f}" for p, f, _ in PREFIXED])
def test_r11_prefixed_names_detect_the_family(prefix, family, hyperparameters, delimiter):
    space = space_of(hyperparameters, rename=lambda name: f"{prefix}{delimiter}{name}")
    detection = detect(space_model(space), "test.json", task="classification")
    assert detection.families == (family,)
    assert all(p.uses for p in detection.placements), [p.reason for p in detection.placements]


# --- R11: selector values in class-name, snake and R styles ---------------------------------------

SELECTORS = [
    (["LogisticRegression", "KNeighborsClassifier", "SVC"], ("logistic_regression", "knn", "svm")),
    (["rpart", "glmnet", "ranger", "xgboost", "aknn"], ("decision_tree", "glmnet", "random_forest", "xgboost", "knn")),
    (["DecisionTreeClassifier", "AdaBoostClassifier", "GaussianNB"], ("decision_tree", "adaboost", "gaussian_nb")),
    (["lda", "qda", "NaiveBayes"], ("lda", "qda", "gaussian_nb")),
    (["XGBClassifier", "LGBMClassifier", "RandomForest"], ("xgboost", "lightgbm", "random_forest")),
    (["sgd", "linear_svc", "passive_aggressive", "ridge"], ("sgd", "linear_svm", "passive_aggressive", "ridge")),
    (["lightgbm", "lgbm", "xgb"], ("lightgbm", "lightgbm", "xgboost")),
]


@pytest.mark.parametrize("values, families", SELECTORS, ids=lambda v: "-".join(v) if isinstance(v, list) else None)
def test_r11_selector_values_name_the_new_families(values, families):
    detection = detect(space_model(ConfigurationSpace({"learner_id": values})), "test.json", task="classification")
    assert detection.selector == "learner_id"
    assert tuple(f for _, f in detection.choices) == families


def test_r11_yahpo_dot_prefixes_under_a_learner_selector():
    """rbv2_super style: `glmnet.alpha` is the mixing, `glmnet.s` the strength; `rpart.cp`; `aknn.k`."""
    space = ConfigurationSpace(
        {
            "learner_id": ["glmnet", "rpart", "aknn"],
            "glmnet.alpha": (0.0, 1.0),
            "glmnet.s": Float("glmnet.s", (1e-3, 1e3), log=True),
            "rpart.cp": (0.0, 1.0),
            "rpart.maxdepth": (1, 30),
            "aknn.k": (1, 50),
        }
    )
    for child, value in (("glmnet.alpha", "glmnet"), ("glmnet.s", "glmnet"), ("rpart.cp", "rpart"), ("rpart.maxdepth", "rpart"), ("aknn.k", "aknn")):
        space.add(InCondition(space[child], space["learner_id"], [value]))
    detection = detect(space_model(space), "test.json", task="regression")
    args = {p.name: [(u.family, u.param.arg) for u in p.uses] for p in detection.placements}
    assert args["glmnet.alpha"] == [("glmnet", "l1_ratio")]
    assert args["glmnet.s"] == [("glmnet", "alpha")]
    assert args["rpart.cp"] == [("decision_tree", "ccp_alpha")]
    assert args["aknn.k"] == [("knn", "n_neighbors")]


@pytest.mark.parametrize(
    "hyperparameters, family",
    [
        # corpus 15: xgboost names beside sklearn GB names, no selector -> XGBoost (more matches)
        ({"colsample_bytree": (0.5, 1.0), "gamma": (0.0, 1.0), "reg_alpha": (1e-8, 1.0), "learning_rate": (0.01, 0.2), "max_depth": (2, 10), "min_samples_split": (2, 20)}, "xgboost"),
        # corpus 10: LightGBM names
        ({"num_leaves": (10, 100), "min_child_samples": (5, 100), "boosting_type": ["gbdt", "dart", "goss"], "reg_alpha": (0.0, 1.0)}, "lightgbm"),
        # names both libraries share: a tie goes to XGBoost
        ({"reg_alpha": (0.0, 1.0), "reg_lambda": (0.0, 1.0), "colsample_bytree": (0.5, 1.0)}, "xgboost"),
        # sklearn GB names only: still sklearn's gradient boosting
        ({"learning_rate": (0.01, 0.2), "max_depth": (2, 10), "min_samples_split": (2, 20), "n_estimators": (10, 100)}, "gradient_boosting"),
    ],
)
def test_r11_library_names_pick_xgboost_or_lightgbm(hyperparameters, family):
    assert detect(space_model(ConfigurationSpace(hyperparameters)), "test.json", task="classification").families == (family,)


def test_r11_boosting_type_with_rf_value_is_not_mistaken_for_a_selector():
    space = ConfigurationSpace({"boosting_type": ["gbdt", "rf", "dart", "goss"], "num_leaves": (2, 64)})
    detection = detect(space_model(space), "test.json", task="classification")
    assert detection.selector is None and detection.families == ("lightgbm",)


@pytest.mark.parametrize("family", CLASSIFICATION_ONLY)
def test_r17_classification_only_family_under_regression_is_refused(family):
    (hyperparameters,) = SPACES[family].values()
    with pytest.raises(GeneratorError, match=r"has no regression estimator \(it does classification only\)"):
        detect(space_model(space_of(hyperparameters)), "test.json", task="regression")


# --- R24: generation and execution on default + sampled configurations ----------------------------


@pytest.mark.parametrize("family, task, hyperparameters", family_cases())
def test_r24_generated_train_runs_on_sampled_configurations(tmp_path, family, task, hyperparameters):
    space = space_of(hyperparameters)
    source = _generate(tmp_path, space, task, family=FORCED.get(family))
    assert source.startswith("# Generated by trainfn-gen")
    losses = _run_all(tmp_path, source, space, task)
    assert len(losses) == SAMPLED + 1
    if task == "classification":
        assert all(-1.0 <= loss <= 0.0 for loss in losses)


def test_r24_every_logistic_penalty_solver_combination_runs(tmp_path):
    """The classic crash source: lbfgs+l1, liblinear+elasticnet, liblinear on 3 classes, ... (R09 R24)."""
    space = space_of(SPACES["logistic_regression"]["classification"])
    target = tmp_path / "train_lr.py"
    target.write_text(_generate(tmp_path, space, "classification"))
    train = load_train(target)
    combinations = list(itertools.product(space["penalty"].choices, space["solver"].choices))
    assert len(combinations) == 24
    for name in ("iris", "breast_cancer"):  # multiclass and binary
        for penalty, solver in combinations:
            config = {"penalty": penalty, "solver": solver, "C": 1.0, "l1_ratio": 0.5, "max_iter": 100}
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                loss = train(config, make_dataset(name, pandas=False, given_test=False), seed=0)
            assert -1.0 <= loss < -0.5, (name, penalty, solver, loss)


def test_r24_every_linear_svc_penalty_loss_dual_combination_runs(tmp_path):
    space = space_of(SPACES["linear_svm"]["classification"])
    target = tmp_path / "train_svc.py"
    target.write_text(_generate(tmp_path, space, "classification"))
    train = load_train(target)
    for penalty, loss, dual in itertools.product(["l1", "l2"], ["hinge", "squared_hinge"], ["True", "False"]):
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            result = train({"penalty": penalty, "loss": loss, "dual": dual, "C": 1.0}, make_dataset("iris", pandas=False, given_test=False), seed=0)
        assert math.isfinite(result)


@pytest.mark.parametrize("boosting_type", ["gbdt", "dart", "goss", "rf"])
def test_r24_every_lightgbm_boosting_type_runs_with_and_without_bagging(tmp_path, boosting_type):
    space = space_of(SPACES["lightgbm"]["both"])
    target = tmp_path / "train_lgbm.py"
    target.write_text(_generate(tmp_path, space, "classification"))
    train = load_train(target)
    for fraction, freq, top, other in ((1.0, 0, 0.2, 0.1), (0.5, 3, 0.9, 0.9)):
        config = {"boosting_type": boosting_type, "bagging_fraction": fraction, "bagging_freq": freq, "top_rate": top, "other_rate": other, "n_estimators": 10}
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            assert -1.0 <= train(config, make_dataset("iris", pandas=False, given_test=False), seed=0) <= 0.0


def test_r05_knn_neighbours_are_clipped_to_the_training_rows(tmp_path):
    space = space_of(SPACES["knn"]["both"])
    source = _generate(tmp_path, space, "classification")
    assert "min(as_int(cfg.get(\"n_neighbors\"), 150, 1, 300), X_train.shape[0])" in source
    target = tmp_path / "train_knn.py"
    target.write_text(source)
    with contextlib.redirect_stdout(io.StringIO()):
        loss = load_train(target)({"n_neighbors": 300}, make_dataset("iris", pandas=False, given_test=False), seed=0)
    assert -1.0 <= loss <= 0.0


def test_xgboost_string_labels_are_encoded_and_predictions_decoded(tmp_path):
    """XGBClassifier wants classes 0..K-1: train() encodes the labels and decodes the predictions."""
    space = space_of(SPACES["xgboost"]["both"])
    source = _generate(tmp_path, space, "classification")
    assert "labels = LabelEncoder().fit(y_train)" in source
    target = tmp_path / "train_xgb.py"
    target.write_text(source)
    data = make_dataset("iris", pandas=True, given_test=False)
    data["y"] = data["y"].map({0: "setosa", 1: "versicolor", 2: "virginica"})
    with contextlib.redirect_stdout(io.StringIO()):
        loss = load_train(target)({}, data, seed=0)
    assert loss < -0.8


def test_naive_bayes_variant_selector_with_conditions(tmp_path):
    """`nb_type` picks the variant; MultinomialNB gets min-max scaled (non-negative) numbers."""
    space = ConfigurationSpace(
        {
            "nb_type": ["gaussian", "multinomial", "bernoulli", "complement"],
            "var_smoothing": Float("var_smoothing", (1e-12, 1e-6), log=True),
            "alpha": (0.01, 2.0),
        }
    )
    space.add(InCondition(space["var_smoothing"], space["nb_type"], ["gaussian"]))
    space.add(InCondition(space["alpha"], space["nb_type"], ["multinomial", "bernoulli", "complement"]))
    detection = detect(space_model(space), "test.json", task="classification")
    assert detection.families == ("gaussian_nb", "multinomial_nb", "bernoulli_nb", "complement_nb")
    source = _generate(tmp_path, space, "classification")
    assert "MinMaxScaler(clip=True)" in source
    assert len(_run_all(tmp_path, source, space, "classification")) == SAMPLED + 1


@pytest.mark.parametrize("family, task", [("xgboost", "classification"), ("lightgbm", "regression"), ("logistic_regression", "classification"), ("knn", "classification"), ("adaboost", "regression")])
def test_r12_multi_fidelity_budget_runs(tmp_path, family, task):
    hyperparameters = SPACES[family].get(task) or SPACES[family]["both"]
    space = space_of(hyperparameters)
    source = _generate(tmp_path, space, task, family=FORCED.get(family), facade="multi-fidelity")
    target = tmp_path / "train_mf.py"
    target.write_text(source)
    train = load_train(target)
    low, high = (float(v) for v in source.split("budget in [", 1)[1].split("]", 1)[0].split(", "))
    for budget in (low, high):
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            loss = train(dict(space.get_default_configuration()), make_dataset(DATA[task][0], pandas=False, given_test=False), seed=0, budget=budget)
        assert math.isfinite(loss)
