"""Gradient boosting: scikit-learn GradientBoostingClassifier / GradientBoostingRegressor."""

from .random_forest import OLD_REGRESSION_CRITERIA
from .spec import Family, Fidelity, Param

PARAMS = (
    Param("n_estimators", ("num_trees", "n_trees", "num_estimators", "nrounds", "num_boost_round", "boosting_rounds", "n_iter", "iterations"), "int", low=1),
    Param("learning_rate", ("lr", "eta", "shrinkage"), "float", low=1e-8),
    Param("subsample", ("subsample_ratio", "bagging_fraction", "sample_rate"), "float", low=1e-3, high=1.0),
    Param("max_depth", ("depth", "tree_depth"), "int", low=1, none_values=("None", "none")),
    Param("min_samples_split", ("min_split",), "int_or_fraction", low=2),
    Param("min_samples_leaf", ("min_leaf",), "int_or_fraction", low=1, fraction_high=0.5),
    Param("min_weight_fraction_leaf", (), "float", low=0.0, high=0.5),
    # A float max_features beyond 1 is no fraction: early auto-sklearn's multiplier [0.5, 5], read as its
    # forests read it (value * (ln(n_features) + 1), at most half the features).
    Param("max_features", (), "feature_log_multiple", float_range=True, range_above=1.0, note="early auto-sklearn: value * (ln(n_features) + 1)"),
    Param("max_features", ("feature_fraction",), "int_or_fraction", low=1, at_most_features=True),
    Param("max_features", (), "choice", choices=("sqrt", "log2"), none_values=("None", "none"), renamed=(("auto", None),)),
    Param("max_leaf_nodes", ("max_leaves",), "int", low=2, none_values=("None", "none")),
    Param("min_impurity_decrease", (), "float", low=0.0),
    Param("loss", (), "choice", choices=("log_loss",), renamed=(("deviance", "log_loss"), ("auto", "log_loss")), task="classification"),
    Param("loss", (), "choice", choices=("squared_error", "absolute_error", "huber", "quantile"), renamed=(("ls", "squared_error"), ("lad", "absolute_error"), *OLD_REGRESSION_CRITERIA), task="regression"),
    Param("alpha", ("quantile", "huber_alpha"), "float", low=1e-6, high=1 - 1e-6, task="regression"),
    Param("validation_fraction", (), "float", low=1e-3, high=1 - 1e-3),
    Param("n_iter_no_change", ("patience",), "int", low=1, none_values=("None", "none")),
    Param("tol", ("tolerance",), "float", low=0.0),
    Param("ccp_alpha", (), "float", low=0.0),
)

FAMILY = Family(
    scale_free=True,
    name="gradient_boosting",
    title="gradient boosting",
    aliases=("gb", "gbm", "gbt", "gbdt", "gbc", "gbr", "gradientboosting", "gradientboost", "gradientboostingclassifier", "gradientboostingregressor", "boosting", "gboost"),
    estimators={
        "classification": "sklearn.ensemble.GradientBoostingClassifier",
        "regression": "sklearn.ensemble.GradientBoostingRegressor",
    },
    params=PARAMS,
    fidelity=Fidelity("count", "n_estimators", (10, 500), "number of boosting stages"),
    inert=(
        (
            "criterion",
            ("scikit-learn's gradient boosting splits by squared error: friedman_mse gives the same trees, mae was "
            "removed in 1.1 and the argument itself is deprecated since 1.9"),
        ),
    ),
    priority=20,
)
