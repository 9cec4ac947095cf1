"""The family registry: one data module per algorithm family (a module may hold several: FAMILIES)."""

from trainfn_gen.knowledge.families import (
    adaboost,
    bayesian,
    cnn,
    decision_tree,
    discriminant,
    extra_trees,
    gradient_boosting,
    hist_gradient_boosting,
    knn,
    lightgbm,
    linear,
    logistic_regression,
    mlp,
    naive_bayes,
    network,
    random_forest,
    rnn,
    svm,
    xgboost,
)

from .spec import Family, Fidelity, Fixed, Pair, Param, Rule, Variant

MODULES = (
    random_forest, extra_trees, gradient_boosting, hist_gradient_boosting, svm, mlp, knn,
    logistic_regression, linear, decision_tree, adaboost, naive_bayes, discriminant, xgboost, lightgbm,
    network, cnn, rnn, bayesian,
)
FAMILIES: tuple[Family, ...] = tuple(
    sorted(
        (family for m in MODULES for family in getattr(m, "FAMILIES", (getattr(m, "FAMILY", None),))),
        key=lambda family: family.priority,
    )
)
BY_NAME = {family.name: family for family in FAMILIES}

__all__ = ["BY_NAME", "FAMILIES", "Family", "Fidelity", "Fixed", "Pair", "Param", "Rule", "Variant"]
