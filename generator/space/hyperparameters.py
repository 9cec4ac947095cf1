"""Facts about raw ConfigSpace hyperparameters (for the analyzers, which sample the space; the generate path reads
space/model.py instead): their kind, their values, and booleans written as words."""

from __future__ import annotations

from typing import Any

from ConfigSpace.hyperparameters import (
    CategoricalHyperparameter,
    Constant,
    FloatHyperparameter,
    IntegerHyperparameter,
    OrdinalHyperparameter,
)

from .model import FALSE_WORDS, TRUE_WORDS, native  # noqa: F401 - re-exported for the analyzers


def is_categorical(hp) -> bool:
    return isinstance(hp, (CategoricalHyperparameter, OrdinalHyperparameter, Constant))


def is_integer(hp) -> bool:
    return isinstance(hp, IntegerHyperparameter)


def is_numeric_range(hp) -> bool:
    return isinstance(hp, (IntegerHyperparameter, FloatHyperparameter))


def choice_values(hp) -> tuple[Any, ...]:
    if isinstance(hp, CategoricalHyperparameter):
        return tuple(hp.choices)
    if isinstance(hp, OrdinalHyperparameter):
        return tuple(hp.sequence)
    if isinstance(hp, Constant):
        return (hp.value,)
    return ()


def active_values(space, name: str) -> dict[str, set]:
    """parent -> the values under which `name` is active (EqualsCondition and InCondition; others: unknown)."""
    allowed: dict[str, set] = {}
    for condition in space.parent_conditions_of.get(name, []):
        for part in getattr(condition, "components", None) or [condition]:
            values = getattr(part, "values", None) or ([part.value] if hasattr(part, "value") else None)
            if values is not None and type(part).__name__ in ("EqualsCondition", "InCondition"):
                allowed.setdefault(part.parent.name, set()).update(values)
    return allowed
