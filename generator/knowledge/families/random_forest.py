"""Random forest: scikit-learn RandomForestClassifier / RandomForestRegressor."""

from .spec import Family, Fidelity, Fixed, Param, Variant

CLASSIFICATION_CRITERIA = ("gini", "entropy", "log_loss")
REGRESSION_CRITERIA = ("squared_error", "absolute_error", "poisson")
# scikit-learn 1.2 renamed the regression criteria; 1.0-era spaces still use the old names.
OLD_REGRESSION_CRITERIA = (("mse", "squared_error"), ("mae", "absolute_error"))
# R ranger's splitrule: `variance` is the squared error; `extratrees` swaps the forest for extremely
# randomized trees (the variant below), whose criterion stays the task's default.
CLASSIFICATION_RULES = (("extratrees", "gini"),)
REGRESSION_RULES = (("variance", "squared_error"), ("extratrees", "squared_error"))
# scikit-learn 1.9 deprecated the trees' friedman_mse (always equal to squared_error; removed in 1.11).
TREE_REGRESSION_CRITERIA = (*OLD_REGRESSION_CRITERIA, ("friedman_mse", "squared_error"), *REGRESSION_RULES)
# R24: a row fraction per tree needs bootstrap (ranger's replace=TRUE default; ExtraTrees defaults to False).
BOOTSTRAP_FOR_SAMPLES = Fixed("bootstrap", True, "R24: max_samples draws bootstrap samples (ranger's default, replace=TRUE)", when="max_samples")
RANGER_VARIANT = Variant(("splitrule",), (("extratrees", "extra_trees"),), "R ranger: splitrule='extratrees' grows extremely randomized trees")

TREE_PARAMS = (
    Param("n_estimators", ("num_trees", "n_trees", "ntrees", "num_estimators", "nrounds", "trees"), "int", low=1),
    Param("criterion", ("split_criterion", "splitrule"), "choice", choices=CLASSIFICATION_CRITERIA, renamed=CLASSIFICATION_RULES, task="classification"),
    Param("criterion", ("split_criterion", "splitrule"), "choice", choices=REGRESSION_CRITERIA, renamed=TREE_REGRESSION_CRITERIA, task="regression"),
    # A float max_depth is relative to the number of features (auto-sklearn's decision tree, [0, 2]).
    Param("max_depth", ("max_depth_factor",), "feature_multiple", float_range=True, note="auto-sklearn: max_depth = value * n_features"),
    Param("max_depth", ("depth", "tree_depth", "maxdepth"), "int", low=1, none_values=("None", "none", "null")),
    # R ranger's min.node.size is the smallest node that may still be split (ranger >= 0.14), not a leaf size.
    Param("min_samples_split", ("min_samples_to_split", "min_split", "minsplit", "min_node_size"), "int_or_fraction", low=2),
    Param("min_samples_leaf", ("min_samples_in_leaf", "min_leaf", "minbucket", "nodesize"), "int_or_fraction", low=1, fraction_high=0.5),
    Param("min_weight_fraction_leaf", ("min_weight_frac_leaf",), "float", low=0.0, high=0.5),
    # auto-sklearn's forests: max_features in [0, 1] is an exponent (n_features ** value); its early
    # versions searched [0.5, 5], a multiplier of ln(n_features) + 1 capped at half the features.
    Param("max_features", (), "feature_power", convention="autosklearn", range_max=1.0, note="auto-sklearn: n_features ** value"),
    Param("max_features", (), "feature_log_multiple", convention="autosklearn", note="early auto-sklearn: value * (ln(n_features) + 1)"),
    Param("max_features", ("mtry_ratio", "feature_fraction", "max_feature_fraction"), "int_or_fraction", low=1, at_most_features=True),
    Param("max_features", ("mtry_power",), "feature_power", note="R ranger: mtry = n_features ** power"),
    Param("max_features", (), "choice", choices=("sqrt", "log2"), none_values=("None", "none"), renamed=(("auto", "sqrt"),), task="classification"),
    Param("max_features", (), "choice", choices=("sqrt", "log2"), none_values=("None", "none"), renamed=(("auto", 1.0),), task="regression"),
    Param("max_leaf_nodes", ("max_leaves",), "int", low=2, none_values=("None", "none")),
    Param("min_impurity_decrease", (), "float", low=0.0),
    Param("bootstrap", ("do_bootstrapping", "replace"), "bool"),
    Param(
        "max_samples", ("sample_fraction",), "int_or_fraction", low=1, requires=("bootstrap", True),
        requires_note=("it applies only when bootstrap (ranger's replace) is TRUE: scikit-learn's forests draw rows only with "
                       "replacement, so with replace=FALSE every tree sees all training rows (ranger would draw this share without replacement)"),
    ),
    Param("oob_score", (), "bool", requires=("bootstrap", True)),
    Param("class_weight", ("class_weights",), "choice", choices=("balanced", "balanced_subsample"), none_values=("None", "none"), task="classification"),
    Param("ccp_alpha", (), "float", low=0.0),
)

FAMILY = Family(
    scale_free=True,
    name="random_forest",
    title="random forest",
    aliases=("rf", "randomforest", "randomforests", "randomforestclassifier", "randomforestregressor", "forest", "ranger", "randomforestclf"),
    estimators={
        "classification": "sklearn.ensemble.RandomForestClassifier",
        "regression": "sklearn.ensemble.RandomForestRegressor",
    },
    params=TREE_PARAMS,
    fidelity=Fidelity("count", "n_estimators", (10, 500), "number of trees"),
    variant=RANGER_VARIANT,
    fixed=(BOOTSTRAP_FOR_SAMPLES,),
    inert=(("num_random_splits", "R ranger's random cut points per feature for splitrule='extratrees'; scikit-learn's extra trees draw one per feature"),),
    priority=10,
)
