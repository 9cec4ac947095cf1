"""XGBoost through its scikit-learn API: xgboost.XGBClassifier / XGBRegressor (the library's own names)."""

from .boosting import EARLY_STOPPING
from .spec import Family, Fidelity, Fixed, Param

PARAMS = (
    Param("n_estimators", ("num_round", "num_rounds", "nrounds", "num_boost_round", "n_rounds", "boosting_rounds", "num_trees", "n_trees"), "int", low=1),
    # XGBoost rejects subnormal learning rates (found by fuzzing): a tiny positive floor.
    Param("learning_rate", ("eta", "lr", "shrinkage"), "float", low=1e-10, high=1.0),
    Param("max_depth", ("depth", "tree_depth"), "int", low=0),
    Param("min_child_weight", ("min_child_wt",), "float", low=0.0),
    Param("subsample", ("subsample_ratio", "bagging_fraction", "subsample_per_it"), "float", low=1e-3, high=1.0),
    Param("colsample_bytree", ("colsample_by_tree",), "float", low=1e-3, high=1.0),
    Param("colsample_bylevel", ("colsample_by_level",), "float", low=1e-3, high=1.0),
    Param("colsample_bynode", ("colsample_by_node",), "float", low=1e-3, high=1.0),
    Param("gamma", ("min_split_loss",), "float", low=0.0),
    Param("reg_alpha", ("alpha", "l1", "lambda_l1", "l1_regularization"), "float", low=0.0),
    Param("reg_lambda", ("lambda", "l2", "lambda_l2", "l2_regularization"), "float", low=0.0),
    Param("booster", ("booster_type",), "choice", choices=("gbtree", "gblinear", "dart")),
    Param("tree_method", (), "choice", choices=("auto", "exact", "approx", "hist")),
    Param("grow_policy", (), "choice", choices=("depthwise", "lossguide")),
    Param("max_bin", ("max_bins",), "int", low=2),
    Param("max_leaves", ("num_leaves",), "int", low=0),
    Param("max_delta_step", (), "float", low=0.0),
    Param("scale_pos_weight", (), "float", low=0.0, task="classification"),
    Param("rate_drop", ("drop_rate",), "float", low=0.0, high=1.0),
    Param("skip_drop", (), "float", low=0.0, high=1.0),
    Param("one_drop", (), "bool"),
    Param("sample_type", (), "choice", choices=("uniform", "weighted")),
    Param("normalize_type", (), "choice", choices=("tree", "forest")),
)

FAMILY = Family(
    name="xgboost",
    title="XGBoost",
    aliases=("xgboost", "xgb", "xgbclassifier", "xgbregressor", "xgboostclassifier", "xgboostregressor", "extremegradientboosting"),
    estimators={"classification": "xgboost.XGBClassifier", "regression": "xgboost.XGBRegressor"},
    params=PARAMS,
    fidelity=Fidelity("count", "n_estimators", (10, 500), "number of boosting rounds"),
    inert=EARLY_STOPPING,
    fixed=(
        Fixed("n_jobs", 1, "one thread per trial: SMAC's workers run trials in parallel"),
        Fixed("verbosity", 0, "quiet: train() prints its own progress (R22)"),
    ),
    # XGBClassifier wants classes 0..K-1: labels are encoded for fit, predictions decoded.
    encode_labels=True,
    priority=21,
)
