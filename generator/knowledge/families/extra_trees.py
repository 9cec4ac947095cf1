"""Extremely randomized trees: the random-forest parameter table on ExtraTrees estimators."""

from .random_forest import BOOTSTRAP_FOR_SAMPLES, TREE_PARAMS
from .spec import Family, Fidelity

FAMILY = Family(
    scale_free=True,
    name="extra_trees",
    title="extra trees",
    aliases=("et", "extratrees", "extratreesclassifier", "extratreesregressor", "extremelyrandomizedtrees"),
    estimators={
        "classification": "sklearn.ensemble.ExtraTreesClassifier",
        "regression": "sklearn.ensemble.ExtraTreesRegressor",
    },
    params=TREE_PARAMS,
    fidelity=Fidelity("count", "n_estimators", (10, 500), "number of trees"),
    fixed=(BOOTSTRAP_FOR_SAMPLES,),
    priority=60,
)
