"""The family registry: one data module per algorithm family."""

from . import (
    cnn,
    extra_trees,
    gradient_boosting,
    hist_gradient_boosting,
    mlp,
    network,
    random_forest,
    rnn,
    svm,
)
from .spec import Family, Fidelity, Fixed, Param

FAMILIES: tuple[Family, ...] = tuple(
    sorted(
        (m.FAMILY for m in (random_forest, extra_trees, gradient_boosting, hist_gradient_boosting, svm, mlp, network, cnn, rnn)),
        key=lambda family: family.priority,
    )
)
BY_NAME = {family.name: family for family in FAMILIES}

__all__ = ["BY_NAME", "FAMILIES", "Family", "Fidelity", "Fixed", "Param"]
