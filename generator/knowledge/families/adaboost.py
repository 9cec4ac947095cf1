"""AdaBoost: scikit-learn AdaBoostClassifier / AdaBoostRegressor over decision trees."""

from .spec import Family, Fidelity, Param

TREES = (("classification", "sklearn.tree.DecisionTreeClassifier"), ("regression", "sklearn.tree.DecisionTreeRegressor"))

PARAMS = (
    Param("n_estimators", ("num_estimators", "n_trees", "num_trees", "nrounds", "mfinal", "iterations"), "int", low=1),
    Param("learning_rate", ("lr", "eta", "shrinkage"), "float", low=1e-10),
    Param("loss", (), "choice", choices=("linear", "square", "exponential"), task="regression"),
    # The weak learner's depth: passed as estimator=DecisionTree(max_depth=...).
    Param("estimator", ("max_depth", "depth", "base_estimator_max_depth", "estimator_max_depth", "maxdepth"), "int", low=1, wrap=TREES, wrap_arg="max_depth"),
)

FAMILY = Family(
    name="adaboost",
    title="AdaBoost",
    aliases=("adaboost", "ada", "adaboostclassifier", "adaboostregressor", "adaboostm1", "adaboostr2"),
    estimators={
        "classification": "sklearn.ensemble.AdaBoostClassifier",
        "regression": "sklearn.ensemble.AdaBoostRegressor",
    },
    params=PARAMS,
    fidelity=Fidelity("count", "n_estimators", (10, 500), "number of boosting rounds", default=50),
    inert=(("algorithm", "scikit-learn 1.8 removed AdaBoost's SAMME.R; SAMME is the only algorithm it runs"),),
    priority=66,
)
