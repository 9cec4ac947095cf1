"""Issue 22: the generated train() does what it says: each reading is checked on the fitted model."""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import joblib
import numpy as np
import trainfn_gen
from ConfigSpace import ConfigurationSpace
from harness import load_train, make_dataset
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate
from trainfn_gen.space.model import space_model


def _fitted(tmp_path, train, config: dict, data: dict):
    out = io.StringIO()
    folder = tmp_path / "models"
    with warnings.catch_warnings(), contextlib.redirect_stdout(out):
        warnings.simplefilter("ignore")
        train(config, data, seed=0, model_dir=str(folder))
    (saved,) = sorted(folder.glob("*.joblib"))
    model = joblib.load(saved)
    saved.unlink()
    return model


def _estimator(model):
    """The fitted estimator inside the saved pipeline (and inside a target-standardizing wrapper)."""
    while hasattr(model, "steps") or hasattr(model, "regressor_"):
        model = model.steps[-1][1] if hasattr(model, "steps") else model.regressor_
    return model


def test_classifier_only_arguments_reach_the_classifier_when_y_decides_the_task(tmp_path):
    """glmnet names (alpha = the l1/l2 mix, s = the strength) with no task given: the classifier is the
    elastic-net logistic model, not SGD's default hinge-loss linear SVM on which the mix does nothing."""
    space = ConfigurationSpace({"alpha": (0.0, 1.0), "s": (1e-3, 10.0)})
    path = tmp_path / "glmnet.json"
    space.to_json(path)
    source = generate(path, make_options())
    assert "def train(" in source and '"loss": "log_loss", "penalty": "elasticnet"' in source
    (tmp_path / "glmnet.py").write_text(source)
    train = load_train(tmp_path / "glmnet.py")
    data = make_dataset("breast_cancer", pandas=False, given_test=False)
    probe = data["X"][:50]
    models = {mix: _fitted(tmp_path, train, {"alpha": mix, "s": 0.05}, data) for mix in (0.0, 1.0)}
    final = {mix: _estimator(model) for mix, model in models.items()}
    assert {m.get_params()["loss"] for m in final.values()} == {"log_loss"}
    assert {m.get_params()["penalty"] for m in final.values()} == {"elasticnet"}
    # The mix changes the fitted model: an l1 mix zeroes coefficients that the l2 mix keeps.
    assert (final[1.0].coef_ == 0).sum() > (final[0.0].coef_ == 0).sum()
    assert not np.allclose(models[0.0].predict_proba(probe), models[1.0].predict_proba(probe))
    # Regression from the same file: ElasticNet, which takes neither argument.
    reg = make_dataset("diabetes", pandas=False, given_test=False)
    model = _fitted(tmp_path, train, {"alpha": 0.5, "s": 0.05}, reg)
    assert type(_estimator(model)).__name__ == "ElasticNet"


def test_camel_case_names_are_read_by_their_words(tmp_path):
    """`svcC`, `svcGamma`, `numTrees`, `maxDepth` under a `model_type` selector: each reaches its argument
    (they were refused as "not a setting of a supervised model"); a run of capitals stays one word."""
    from trainfn_gen.space.names import snake

    assert [snake(n) for n in ("svcC", "maxDepth", "OpenML_task_id", "XGBoostMaxDepth", "LOG2_C")] == [
        "svc_C", "max_Depth", "OpenML_task_id", "XGBoost_Max_Depth", "LOG2_C"]
    space = ConfigurationSpace({"model_type": ["svm", "rf"], "svcC": (0.01, 100.0), "numTrees": (10, 500), "maxDepth": (2, 30)})
    from ConfigSpace import EqualsCondition

    space.add([EqualsCondition(space["svcC"], space["model_type"], "svm"),
               EqualsCondition(space["numTrees"], space["model_type"], "rf"),
               EqualsCondition(space["maxDepth"], space["model_type"], "rf")])
    path = tmp_path / "camel.json"
    space.to_json(path)
    (tmp_path / "camel.py").write_text(generate(path, make_options(task="classification")))
    train = load_train(tmp_path / "camel.py")
    data = make_dataset("iris", pandas=False, given_test=False)
    forest = _estimator(_fitted(tmp_path, train, {"model_type": "rf", "numTrees": 12, "maxDepth": 3}, data))
    assert (type(forest).__name__, forest.n_estimators, forest.max_depth) == ("RandomForestClassifier", 12, 3)
    svm = _estimator(_fitted(tmp_path, train, {"model_type": "svm", "svcC": 7.5}, data))
    assert (type(svm).__name__, svm.C) == ("SVC", 7.5)


def test_a_family_prefix_counts_only_when_the_family_knows_the_rest_of_the_name(tmp_path):
    """`lr_scheduler` in a PyTorch MLP space: `lr` is logistic regression's prefix, but no logistic
    regression setting is called `scheduler`; the space was refused as an algorithm-selection program
    while --framework torch was given. It now generates the network, whose learning-rate schedule it sets."""
    space = ConfigurationSpace({
        "lr": (1e-4, 1e-1), "batch_size": [32, 64], "n_layers": (1, 3), "hidden_size": (16, 128),
        "dropout": (0.0, 0.5), "optimizer": ["adam", "sgd"], "lr_scheduler": ["constant", "cosine", "step"],
    })
    path = tmp_path / "net.json"
    space.to_json(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = trainfn_gen.generate(path, framework="torch", task="classification")
    assert "import torch" in source and "LogisticRegression" not in source
    assert 'cfg.get("lr_scheduler")' in source and "CosineAnnealingLR" in source and "StepLR" in source
    assert not any("lr_scheduler" in str(w.message) for w in caught)
    # The prefix still decides where the family knows the rest: `lr_C` is logistic regression's C.
    other = ConfigurationSpace({"lr_C": (0.01, 10.0), "rf_max_depth": (2, 10), "model": ["lr", "rf"]})
    path = tmp_path / "two.json"
    other.to_json(path)
    assert "LogisticRegression" in generate(path, make_options(task="classification"))


def test_names_compare_by_their_letters_and_common_abbreviations(tmp_path):
    """`batchsize` is `batch_size`, `lrate` the learning rate: both reach the MLP's arguments."""
    space = ConfigurationSpace({"lrate": (1e-4, 1e-1), "batchsize": (16, 64), "hidden_layer_sizes": [50, 100]})
    path = tmp_path / "mlp.json"
    space.to_json(path)
    (tmp_path / "mlp.py").write_text(generate(path, make_options(task="classification", family="mlp")))
    train = load_train(tmp_path / "mlp.py")
    data = make_dataset("iris", pandas=False, given_test=False)
    mlp = _estimator(_fitted(tmp_path, train, {"lrate": 0.0123, "batchsize": 17, "hidden_layer_sizes": 50}, data))
    assert (mlp.learning_rate_init, mlp.batch_size, mlp.hidden_layer_sizes) == (0.0123, 17, (50,))


def test_lightgbm_reads_every_alias_its_library_declares(tmp_path):
    """`num_rounds` is one of LightGBM's own aliases of num_iterations (n_estimators): read from the
    library's alias table in the estimator snapshot, it reaches n_estimators instead of being stated
    "a parameter of XGBoost"."""
    from trainfn_gen.knowledge.estimators import declared_aliases

    assert {"num_rounds", "num_iterations", "nrounds"} <= set(declared_aliases("lightgbm.LGBMClassifier", "n_estimators"))
    space = ConfigurationSpace({"num_leaves": (8, 64), "num_rounds": (5, 50), "feature_fraction": (0.5, 1.0)})
    path = tmp_path / "lgbm.json"
    space.to_json(path)
    (tmp_path / "lgbm.py").write_text(generate(path, make_options(task="classification")))
    train = load_train(tmp_path / "lgbm.py")
    model = _estimator(_fitted(tmp_path, train, {"num_leaves": 8, "num_rounds": 7, "feature_fraction": 0.9}, make_dataset("iris", pandas=False, given_test=False)))
    assert (type(model).__name__, model.n_estimators) == ("LGBMClassifier", 7)


def test_between_families_that_take_as_many_names_their_own_spelling_decides():
    """`max_iter`, `l2_regularization`, `max_leaf_nodes` are HistGradientBoosting's own arguments and only
    aliases for LightGBM; `eta0`, `learning_rate` (a schedule), `tol`, `early_stopping` are SGD's own names,
    which the scikit-learn MLP reads only through an alias (eta0) and a forced solver."""
    from trainfn_gen.engine.detect import detect

    hgb = ConfigurationSpace({"max_iter": (10, 100), "l2_regularization": (0.0, 1.0), "max_leaf_nodes": (2, 64)})
    assert detect(space_model(hgb), "hgb").families == ("hist_gradient_boosting",)
    sgd = ConfigurationSpace({"early_stopping": [True, False], "learning_rate": ["constant", "invscaling", "adaptive"],
                              "max_iter": (100, 1000), "tol": (1e-5, 0.1), "validation_fraction": (0.01, 0.5), "eta0": (0.01, 1.0)})
    assert detect(space_model(sgd), "sgd").families == ("sgd",)


def test_a_linear_kernel_given_linearsvc_arguments_trains_linearsvc_and_the_other_kernels_svc(tmp_path):
    """Issue 22: kernel in {linear, rbf, poly} with penalty / loss / dual active under 'linear' only (LinearSVC's own
    arguments, which SVC does not take). It trained LinearSVC for every kernel, stating kernel and gamma unused; the
    kernel is the selector now: 'linear' fits LinearSVC with those arguments, the others SVC with that kernel."""
    from ConfigSpace import Categorical, Float, InCondition

    space = ConfigurationSpace()
    kernel = Categorical("kernel", ["linear", "rbf", "poly"])
    penalty, loss, dual = Categorical("penalty", ["l1", "l2"]), Categorical("loss", ["hinge", "squared_hinge"]), Categorical("dual", [True, False])
    gamma = Float("gamma", (1e-4, 1.0), log=True)
    space.add([kernel, Float("C", (0.01, 100.0), log=True), penalty, loss, dual, gamma])
    space.add([InCondition(c, kernel, ["linear"]) for c in (penalty, loss, dual)] + [InCondition(gamma, kernel, ["rbf", "poly"])])
    path = tmp_path / "space.json"
    space.to_json(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", trainfn_gen.GeneratorWarning)  # every hyperparameter is used
        source = generate(path, make_options(task="classification"))
    (tmp_path / "train_split.py").write_text(source)
    train = load_train(tmp_path / "train_split.py")
    data = make_dataset("iris", pandas=False, given_test=False)
    linear = _estimator(_fitted(tmp_path, train, {"kernel": "linear", "C": 2.0, "penalty": "l2", "loss": "hinge", "dual": True}, data))
    assert type(linear).__name__ == "LinearSVC" and (linear.C, linear.penalty, linear.loss) == (2.0, "l2", "hinge")
    for name in ("rbf", "poly"):
        svc = _estimator(_fitted(tmp_path, train, {"kernel": name, "C": 2.0, "gamma": 0.1}, data))
        assert type(svc).__name__ == "SVC" and (svc.kernel, svc.gamma, svc.C) == (name, 0.1, 2.0)


def test_per_layer_names_are_read_by_their_layer_index():
    """Issue 22: `hidden_layer1..5`, `n_channels_conv_0..2` and `n_fc_layers` (names of written spaces) were not
    recognized and the spaces refused; each is now a per-layer width / filter count or the dense depth."""
    from ConfigSpace import Categorical, Float, Integer
    from trainfn_gen.engine.detect import detect

    mlp = ConfigurationSpace()
    mlp.add([Integer("n_layers", (1, 5)), *[Integer(f"hidden_layer{i}", (16, 256), log=True) for i in range(1, 6)], Float("lrate", (1e-4, 1e-1), log=True), Integer("batchsize", (16, 128))])
    detection = detect(space_model(mlp), "mlp.json", task="classification", framework="torch")
    args = {p.name: {u.param.arg for u in p.uses} for p in detection.placements}
    assert all(args[f"hidden_layer{i}"] == {"layer_units"} for i in range(1, 6)), args
    cnn = ConfigurationSpace()
    cnn.add([Integer("n_conv_layers", (1, 3)), *[Integer(f"n_channels_conv_{i}", (8, 64)) for i in range(3)], Integer("n_fc_layers", (1, 2)), Categorical("optimizer", ["adam", "sgd"])])
    detection = detect(space_model(cnn), "cnn.json", task="classification", framework="torch")
    args = {p.name: {u.param.arg for u in p.uses} for p in detection.placements}
    assert detection.families == ("cnn",)
    assert all(args[f"n_channels_conv_{i}"] == {"layer_filters"} for i in range(3)) and args["n_fc_layers"] == {"dense_layers"}, args


def test_a_prefix_counts_for_the_families_of_the_selector_value_it_is_active_under(tmp_path):
    """The bundled demo space: `gb:l2_regularization` and `gb:max_iter` active under `gradient_boosting` were
    "not recognized" (the prefix `gb` names GradientBoosting, which has neither) and the value trained
    GradientBoostingClassifier with both ignored. The value's families include HistGradientBoosting, which
    takes all four `gb:` settings: it is trained, and each setting reaches it."""
    path = Path(trainfn_gen.__file__).resolve().parent.parent / "examples" / "mixed_classifier.json"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = trainfn_gen.generate(path, task="classification")
    assert not [w for w in caught if "not used by train()" in str(w.message)]
    assert "HistGradientBoostingClassifier(" in source and "GradientBoostingClassifier(" not in source.replace("HistGradientBoostingClassifier(", "")
    (tmp_path / "demo.py").write_text(source)
    train = load_train(tmp_path / "demo.py")
    model = _estimator(_fitted(tmp_path, train, {"classifier": "gradient_boosting", "gb:l2_regularization": 0.5, "gb:learning_rate": 0.2,
                                                 "gb:max_iter": 30, "gb:max_leaf_nodes": 9}, make_dataset("iris", pandas=False, given_test=False)))
    assert type(model).__name__ == "HistGradientBoostingClassifier"
    assert (model.l2_regularization, model.learning_rate, model.max_leaf_nodes, model.max_iter) == (0.5, 0.2, 9, 30)
