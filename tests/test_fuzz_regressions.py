"""Generator bugs that tests/test_fuzz.py found, pinned as plain tests (R24 R09)."""

from __future__ import annotations

import contextlib
import io
import math
import warnings

import pytest
from ConfigSpace import Categorical, ConfigurationSpace, Float
from harness import load_train, make_dataset
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate


def _train(tmp_path, space: ConfigurationSpace):
    path = tmp_path / "space.json"
    space.to_json(path)
    target = tmp_path / "train_fuzzed.py"
    target.write_text(generate(path, make_options(task="classification")))
    return load_train(target)


def _loss(train, config: dict, data: str) -> float:
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return train(config, make_dataset(data, pandas=False, given_test=False), seed=0)


@pytest.mark.parametrize("config", [{"qda_reg_param": 0.0, "qda_tol": 2.5}, {"qda_reg_param": 1e-6, "qda_tol": 4.0}, {"qda_reg_param": 0.3, "qda_tol": 5.0}])
@pytest.mark.parametrize("data", ["iris", "breast_cancer"])
def test_qda_tol_above_reg_param_does_not_raise(tmp_path, config, data):
    """scikit-learn raises LinAlgError when a class covariance has an eigenvalue <= tol; reg_param lifts them."""
    space = ConfigurationSpace()
    space.add([Float("qda_reg_param", (0.0, 0.5)), Float("qda_tol", (0.0, 5.0))])
    loss = _loss(_train(tmp_path, space), config, data)
    assert math.isfinite(loss) and -1.0 <= loss <= 0.0


def test_qda_tol_alone_is_kept_below_the_default_reg_param(tmp_path):
    space = ConfigurationSpace()
    space.add(Float("qda_tol", (0.0, 5.0)))
    loss = _loss(_train(tmp_path, space), {"qda_tol": 3.0}, "iris")
    assert math.isfinite(loss) and -1.0 <= loss <= 0.0


@pytest.mark.parametrize("config", [{"lda_shrinkage": 0.0}, {"lda_shrinkage": 0.7}, {}])
def test_lda_shrinkage_without_a_solver_hyperparameter_uses_a_solver_that_takes_it(tmp_path, config):
    """The default svd solver raises NotImplementedError on shrinkage: a space tuning shrinkage alone gets lsqr."""
    space = ConfigurationSpace()
    space.add(Float("lda_shrinkage", (0.0, 1.0)))
    loss = _loss(_train(tmp_path, space), config, "wine")
    assert math.isfinite(loss) and -1.0 <= loss <= 0.0


@pytest.mark.parametrize("data", ["iris", "breast_cancer"])
def test_lda_svd_tol_above_every_singular_value_does_not_raise(tmp_path, data):
    """With the svd solver, a tol above every singular value leaves rank 0 (IndexError); tol is kept below 1."""
    space = ConfigurationSpace()
    space.add([Float("lda_tol", (0.0, 10.0)), Categorical("lda_solver", ["svd", "lsqr"])])
    loss = _loss(_train(tmp_path, space), {"lda_tol": 5.0, "lda_solver": "svd"}, data)
    assert math.isfinite(loss) and -1.0 <= loss <= 0.0


@pytest.mark.parametrize("config", [{"lr_l1_ratio": 0.5}, {"lr_l1_ratio": 1.0}, {"lr_l1_ratio": 0.0}])
def test_logistic_l1_ratio_without_penalty_or_solver_uses_saga(tmp_path, config):
    """scikit-learn >= 1.8: 0 < l1_ratio < 1 is an elastic net, which the default lbfgs solver rejects."""
    space = ConfigurationSpace()
    space.add(Float("lr_l1_ratio", (0.0, 1.0)))
    loss = _loss(_train(tmp_path, space), config, "iris")
    assert math.isfinite(loss) and -1.0 <= loss <= 0.0


def test_knn_cosine_metric_with_a_tree_algorithm_searches_by_brute_force(tmp_path):
    """Found by test_fuzz (ci profile, after LightGBM's declared aliases changed the drawn names):
    knn_algorithm=ball_tree with knn_metric=cosine raised "Metric 'cosine' not valid" (R24)."""
    from ConfigSpace import ConfigurationSpace
    from harness import load_train, make_dataset
    from trainfn_gen.engine.options import make_options
    from trainfn_gen.engine.pipeline import generate

    space = ConfigurationSpace({"knn_algorithm": ["auto", "ball_tree", "kd_tree"], "knn_metric": ["minkowski", "cosine"], "knn_n_neighbors": [1.0], "knn_weights": ["uniform"]})
    path = tmp_path / "knn.json"
    space.to_json(path)
    (tmp_path / "knn.py").write_text(generate(path, make_options(task="classification")))
    train = load_train(tmp_path / "knn.py")
    data = make_dataset("iris", pandas=False, given_test=False)
    for algorithm in ("ball_tree", "kd_tree", "auto"):
        loss = train({"knn_algorithm": algorithm, "knn_metric": "cosine", "knn_n_neighbors": 1.0, "knn_weights": "uniform"}, data, seed=1)
        assert -1.0 <= loss < 0


@pytest.mark.parametrize("config", [{"boosting_type": "goss", "top_rate": 1.0, "other_rate": 0.5}, {"boosting_type": "goss", "top_rate": 0.3, "other_rate": 0.0}])
def test_lightgbm_goss_rates_at_their_ends_do_not_crash(tmp_path, config):
    """Found by the effect gate (issue 22, its pairs try each range's ends): GOSS checks top_rate > 0 and other_rate
    > 0, so top_rate=1 (other_rate clipped to 1 - top_rate = 0) or other_rate=0 ended the fit with "Check failed"."""
    space = ConfigurationSpace()
    space.add([Categorical("boosting_type", ["gbdt", "goss"]), Float("top_rate", (0.05, 1.0)), Float("other_rate", (0.0, 1.0)),
               Categorical("n_estimators", [20])])
    loss = _loss(_train(tmp_path, space), config, "iris")
    assert math.isfinite(loss) and -1.0 <= loss <= 0.0


def test_a_none_choice_is_passed_as_none(tmp_path):
    """Found by the effect gate (issue 22): `max_features` in ['sqrt', 'log2', None] arrives as None, which as_choice
    read as an inactive setting, so None trained the default 'sqrt'. The fitted forest must have max_features=None."""
    import joblib

    space = ConfigurationSpace()
    space.add([Categorical("max_features", ["sqrt", "log2", None]), Categorical("n_estimators", [5])])
    path = tmp_path / "space.json"
    space.to_json(path)
    target = tmp_path / "train_rf.py"
    target.write_text(generate(path, make_options(task="classification", family="random_forest")))
    train = load_train(target)
    for value in ("log2", None):
        folder = tmp_path / str(value)
        folder.mkdir()
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            train({"max_features": value, "n_estimators": 5}, make_dataset("iris", pandas=False, given_test=False), seed=0, model_dir=str(folder))
        model = joblib.load(next(folder.glob("*.joblib")))
        assert model[-1].max_features == value
