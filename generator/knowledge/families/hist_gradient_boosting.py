"""Histogram gradient boosting: HistGradientBoostingClassifier / HistGradientBoostingRegressor."""

from .spec import Family, Fidelity, Param, Rule

# auto-sklearn's early_stop: "off", "valid" (stop on a held-out share) or "train" (stop on the
# training loss: early_stopping=True with validation_fraction=None).
TRAIN = "train"

PARAMS = (
    Param("max_iter", ("n_estimators", "num_trees", "nrounds", "num_boost_round", "boosting_rounds", "n_iter", "iterations"), "int", low=1),
    Param("learning_rate", ("lr", "eta", "shrinkage"), "float", low=1e-8),
    Param("max_leaf_nodes", ("num_leaves", "max_leaves"), "int", low=2, none_values=("None", "none")),
    Param("max_depth", ("depth", "tree_depth"), "int", low=1, none_values=("None", "none")),
    Param("min_samples_leaf", ("min_leaf", "min_data_in_leaf"), "int", low=1),
    Param("l2_regularization", ("l2_reg", "reg_lambda", "lambda_l2"), "float", low=0.0),
    Param("max_features", ("colsample_bytree", "feature_fraction"), "float", low=1e-3, high=1.0),
    Param("max_bins", ("max_bin",), "int", low=2, high=255),
    Param("early_stopping", ("early_stop",), "choice", choices=("auto",), renamed=(("off", False), ("valid", True), ("train", TRAIN), ("True", True), ("False", False), ("true", True), ("false", False))),
    Param("validation_fraction", (), "float", low=1e-3, high=1 - 1e-3, none_values=("None", "none")),
    Param("n_iter_no_change", ("patience",), "int", low=1),
    Param("tol", ("tolerance",), "float", low=0.0),
    # What early stopping monitors: the loss, or None (the estimator's default scorer).
    Param("scoring", (), "choice", choices=("loss",), none_values=("None", "none")),
    Param("loss", (), "choice", choices=("log_loss",), renamed=(("auto", "log_loss"), ("binary_crossentropy", "log_loss"), ("categorical_crossentropy", "log_loss")), task="classification"),
    Param("loss", (), "choice", choices=("squared_error", "absolute_error", "poisson", "quantile", "gamma"), renamed=(("least_squares", "squared_error"), ("least_absolute_deviation", "absolute_error")), task="regression"),
    Param("class_weight", (), "choice", choices=("balanced",), none_values=("None", "none"), task="classification"),
)

FAMILY = Family(
    scale_free=True,
    name="hist_gradient_boosting",
    title="histogram gradient boosting",
    aliases=("hgb", "hgbt", "histgb", "histgbm", "histgradientboosting", "histgradientboostingclassifier", "histgradientboostingregressor", "gradientboosting"),
    estimators={
        "classification": "sklearn.ensemble.HistGradientBoostingClassifier",
        "regression": "sklearn.ensemble.HistGradientBoostingRegressor",
    },
    params=PARAMS,
    # Under a budget scikit-learn's automatic early stopping (on above 10,000 rows) would end training at
    # a data-dependent iteration, so budgets above it bought nothing (issue 14: cost ratio 0.26).
    fidelity=Fidelity("count", "max_iter", (10, 500), "number of boosting iterations", stop=("early_stopping", False, ("validation_fraction", "n_iter_no_change", "tol", "scoring"))),
    rules=(
        Rule("set", "validation_fraction", "early_stopping", ((TRAIN, None),), default=0.1, note="early_stop=train: stop on the training loss, no held-out share"),
        Rule("set", "early_stopping", "early_stopping", ((TRAIN, True),), default="auto", note="early_stop=train is early stopping (on the training loss)"),
    ),
    priority=25,
)
