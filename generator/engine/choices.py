"""Names the command line offers as choices, kept free of heavy imports (`--help` reads them).

The families' names and display names come from the family registry only when a value is checked
or a help page is shown, never at import time.
"""

from __future__ import annotations

METRICS = ("accuracy", "balanced_accuracy", "f1", "roc_auc", "log_loss", "mse", "rmse", "mae", "r2")
# SMAC 2 facade class names and their short CLI names (any case; dashes and underscores optional).
FACADES = {
    "blackbox": "blackbox",
    "blackboxfacade": "blackbox",
    "hpo": "hpo",
    "hyperparameteroptimizationfacade": "hpo",
    "multi-fidelity": "multi-fidelity",
    "multifidelity": "multi-fidelity",
    "multifidelityfacade": "multi-fidelity",
    "hyperband": "hyperband",
    "hyperbandfacade": "hyperband",
}
FACADE_NAMES = ("blackbox", "hpo", "multi-fidelity", "hyperband")


def facade_name(value: str) -> str | None:
    """The short name of a facade given by short name or SMAC class name; None if unknown."""
    key = str(value).replace("_", "").lower()
    key = key if key in FACADES else key.replace("-", "")
    return FACADES.get(key)


def _key(text: str) -> str:
    return " ".join(str(text).split()).lower()


def family_names() -> tuple[str, ...]:
    from trainfn_gen.knowledge.families import FAMILIES

    return tuple(family.name for family in FAMILIES)


def family_name(value: str) -> str | None:
    """A family's name for its name or its display name ("neural network (MLP)" -> network), any case
    and with dashes or spaces for underscores; None if no family has it."""
    from trainfn_gen.knowledge.families import FAMILIES

    key = _key(value)
    for family in FAMILIES:
        if key in (family.name, family.name.replace("_", "-"), family.name.replace("_", " "), _key(family.title)):
            return family.name
    return None
