"""LightGBM through its scikit-learn API: lightgbm.LGBMClassifier / LGBMRegressor (the library's own names).

Boosting types and bagging: bagging (subsample < 1) acts only with subsample_freq > 0, so the
frequency is fixed to 1 unless the space sets it; goss cannot bag (subsample forced to 1) and rf
must bag (subsample clipped below 1, frequency at least 1). Every combination then trains.
"""

from dataclasses import replace

from ..estimators import declared_aliases
from .boosting import EARLY_STOPPING
from .spec import Family, Fidelity, Fixed, Param, Rule

_PARAMS = (
    Param("n_estimators", ("num_iterations", "num_boost_round", "num_round", "nrounds", "num_trees", "n_iter", "boosting_rounds"), "int", low=1),
    Param("learning_rate", ("eta", "shrinkage_rate", "lr"), "float", low=1e-10),
    Param("num_leaves", ("max_leaves", "num_leaf", "max_leaf_nodes"), "int", low=2, high=131072),
    Param("max_depth", ("depth",), "int", low=-1),
    Param("min_child_samples", ("min_data_in_leaf", "min_data_per_leaf", "min_samples_leaf", "min_data"), "int", low=0),
    Param("min_child_weight", ("min_sum_hessian_in_leaf", "min_hessian"), "float", low=0.0),
    Param("boosting_type", ("boosting", "boost"), "choice", choices=("gbdt", "dart", "goss", "rf"), renamed=(("gbrt", "gbdt"), ("random_forest", "rf"))),
    Param("subsample", ("bagging_fraction", "bagging", "sub_row", "bagging_fraction_"), "float", low=1e-3, high=1.0),
    Param("subsample_freq", ("bagging_freq",), "int", low=0),
    Param("colsample_bytree", ("feature_fraction", "sub_feature"), "float", low=1e-3, high=1.0),
    Param("reg_alpha", ("lambda_l1", "l1_regularization"), "float", low=0.0),
    Param("reg_lambda", ("lambda_l2", "l2_regularization"), "float", low=0.0),
    Param("min_split_gain", ("min_gain_to_split",), "float", low=0.0),
    Param("max_bin", ("max_bins",), "int", low=2),
    Param("drop_rate", ("rate_drop",), "float", low=0.0, high=1.0),
    Param("max_drop", (), "int"),
    Param("skip_drop", (), "float", low=0.0, high=1.0),
    # R24: GOSS checks top_rate > 0 and other_rate > 0 (and their sum <= 1, the rule below): a top_rate of 1 or an
    # other_rate of 0 ends the fit with "Check failed" (issue 22's effect gate found the crash).
    Param("top_rate", (), "float", low=1e-6, high=1.0 - 1e-3),
    Param("other_rate", (), "float", low=1e-3, high=1.0),
    Param("class_weight", (), "choice", choices=("balanced",), none_values=("None", "none"), task="classification"),
)
# The aliases above are what people write; LightGBM's own alias table (read into the snapshot) adds the rest.
PARAMS = tuple(
    replace(p, aliases=tuple(dict.fromkeys((*p.aliases, *declared_aliases("lightgbm.LGBMClassifier", p.arg))))) for p in _PARAMS
)

RULES = (
    Rule("set", "subsample", "boosting_type", (("goss", 1.0),), default=1.0, note="R24: goss cannot bag"),
    Rule("at_most", "subsample", "boosting_type", (("rf", 0.9),), default=1.0, note="R24: rf must bag (subsample < 1)"),
    Rule("at_least", "subsample_freq", "boosting_type", (("rf", 1),), default=1, note="R24: rf must bag (frequency >= 1)"),
    Rule("share", "other_rate", "top_rate", (), fallback=1.0, default=0.1, note="R24: goss needs top_rate + other_rate <= 1"),
)

FAMILY = Family(
    name="lightgbm",
    title="LightGBM",
    aliases=("lightgbm", "lgbm", "lgb", "lgbmclassifier", "lgbmregressor", "lightgbmclassifier", "lightgbmregressor"),
    estimators={"classification": "lightgbm.LGBMClassifier", "regression": "lightgbm.LGBMRegressor"},
    params=PARAMS,
    fidelity=Fidelity("count", "n_estimators", (10, 500), "number of boosting rounds"),
    inert=EARLY_STOPPING,
    fixed=(
        Fixed("subsample_freq", 1, "bag every iteration, so that the space's subsample takes effect"),
        Fixed("n_jobs", 1, "one thread per trial: SMAC's workers run trials in parallel"),
        Fixed("verbosity", -1, "quiet: train() prints its own progress (R22)"),
    ),
    rules=RULES,
    priority=22,
)
