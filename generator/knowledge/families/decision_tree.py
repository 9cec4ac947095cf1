"""Decision trees: scikit-learn DecisionTreeClassifier / DecisionTreeRegressor (R rpart names too)."""

from .random_forest import TREE_PARAMS
from .spec import Family, Fidelity, Param

# The forest's per-tree arguments, without the ensemble ones; class_weight without balanced_subsample.
FOREST_ONLY = ("n_estimators", "bootstrap", "max_samples", "oob_score", "class_weight")

PARAMS = (
    *(p for p in TREE_PARAMS if p.arg not in FOREST_ONLY),
    Param("splitter", (), "choice", choices=("best", "random")),
    Param("class_weight", ("class_weights",), "choice", choices=("balanced",), none_values=("None", "none"), task="classification"),
    # rpart's cp is relative to the root node's error; scikit-learn's ccp_alpha is absolute (impurity units).
    Param("ccp_alpha", ("cp", "complexity_parameter"), "root_relative", note="rpart cp: ccp_alpha = cp * the root's impurity"),
    Param("ccp_alpha", ("complexity",), "float", low=0.0),
)

FAMILY = Family(
    scale_free=True,
    name="decision_tree",
    title="decision tree",
    aliases=("dt", "dtree", "decisiontree", "decisiontrees", "decisiontreeclassifier", "decisiontreeregressor", "cart", "rpart", "tree"),
    estimators={
        "classification": "sklearn.tree.DecisionTreeClassifier",
        "regression": "sklearn.tree.DecisionTreeRegressor",
    },
    params=PARAMS,
    fidelity=Fidelity("rows", "", (0.1, 1.0), "fraction of the training rows"),
    priority=65,
)
