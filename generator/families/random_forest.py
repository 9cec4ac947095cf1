"""Random forest: scikit-learn RandomForestClassifier / RandomForestRegressor."""

from .spec import Family, Fidelity, Param

CLASSIFICATION_CRITERIA = ("gini", "entropy", "log_loss")
REGRESSION_CRITERIA = ("squared_error", "absolute_error", "poisson")
# scikit-learn 1.2 renamed the regression criteria; 1.0-era spaces still use the old names.
OLD_REGRESSION_CRITERIA = (("mse", "squared_error"), ("mae", "absolute_error"))
# scikit-learn 1.9 deprecated the trees' friedman_mse (always equal to squared_error; removed in 1.11).
TREE_REGRESSION_CRITERIA = (*OLD_REGRESSION_CRITERIA, ("friedman_mse", "squared_error"))

TREE_PARAMS = (
    Param("n_estimators", ("num_trees", "n_trees", "ntrees", "num_estimators", "nrounds", "trees"), "int", low=1),
    Param("criterion", ("split_criterion", "splitrule"), "choice", choices=CLASSIFICATION_CRITERIA, task="classification"),
    Param("criterion", ("split_criterion",), "choice", choices=REGRESSION_CRITERIA, renamed=TREE_REGRESSION_CRITERIA, task="regression"),
    Param("max_depth", ("depth", "tree_depth", "maxdepth"), "int", low=1, none_values=("None", "none", "null")),
    Param("min_samples_split", ("min_samples_to_split", "min_split", "minsplit"), "int_or_fraction", low=2),
    Param("min_samples_leaf", ("min_samples_in_leaf", "min_leaf", "min_node_size", "minbucket", "nodesize"), "int_or_fraction", low=1, fraction_high=0.5),
    Param("min_weight_fraction_leaf", ("min_weight_frac_leaf",), "float", low=0.0, high=0.5),
    Param("max_features", ("mtry_ratio", "feature_fraction", "max_feature_fraction"), "int_or_fraction", low=1, at_most_features=True),
    Param("max_features", ("mtry_power",), "feature_power", note="R ranger: mtry = n_features ** power"),
    Param("max_features", (), "choice", choices=("sqrt", "log2"), none_values=("None", "none"), renamed=(("auto", "sqrt"),), task="classification"),
    Param("max_features", (), "choice", choices=("sqrt", "log2"), none_values=("None", "none"), renamed=(("auto", 1.0),), task="regression"),
    Param("max_leaf_nodes", ("max_leaves",), "int", low=2, none_values=("None", "none")),
    Param("min_impurity_decrease", (), "float", low=0.0),
    Param("bootstrap", ("do_bootstrapping", "replace"), "bool"),
    Param("max_samples", ("sample_fraction",), "int_or_fraction", low=1, requires=("bootstrap", True)),
    Param("oob_score", (), "bool", requires=("bootstrap", True)),
    Param("class_weight", ("class_weights",), "choice", choices=("balanced", "balanced_subsample"), none_values=("None", "none"), task="classification"),
    Param("ccp_alpha", (), "float", low=0.0),
)

FAMILY = Family(
    name="random_forest",
    title="random forest",
    aliases=("rf", "randomforest", "randomforests", "randomforestclassifier", "randomforestregressor", "forest", "ranger", "randomforestclf"),
    estimators={
        "classification": "sklearn.ensemble.RandomForestClassifier",
        "regression": "sklearn.ensemble.RandomForestRegressor",
    },
    params=TREE_PARAMS,
    fidelity=Fidelity("count", "n_estimators", (10, 500), "number of trees"),
    priority=10,
)
