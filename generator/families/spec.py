"""The shape of a family's knowledge: frozen data, no code text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NUMERIC_KINDS = ("int", "float", "int_or_fraction")
CHOICE_KINDS = ("choice", "bool")


@dataclass(frozen=True)
class Param:
    """One estimator argument and the hyperparameter names that mean it.

    kind: "int", "float", "int_or_fraction" (an int count or a float fraction, decided by the
    space's type), "choice" (strings) or "bool". Bounds are what the estimator accepts
    (inclusive; None = unbounded). ``renamed`` maps values the estimator renamed or dropped onto
    what it accepts now; ``none_values`` are spellings of Python None.
    """

    arg: str
    aliases: tuple[str, ...]
    kind: str
    low: float | None = None
    high: float | None = None
    fraction_low: float = 1e-6
    fraction_high: float = 1.0
    choices: tuple[Any, ...] = ()
    renamed: tuple[tuple[str, Any], ...] = ()
    none_values: tuple[str, ...] = ()
    task: str | None = None
    requires: tuple[str, Any] | None = None
    at_most_features: bool = False
    note: str = ""
    # A regular expression over the lowercase base name for per-layer settings (`units_2`,
    # `num_filters_l0`); group 1 is the layer index.
    pattern: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.arg, *self.aliases)


@dataclass(frozen=True)
class Fidelity:
    """What a multi-fidelity budget controls.

    kind "count": the budget is a number of trees / iterations / epochs given to ``arg``;
    kind "rows": the budget is the fraction of training rows the model sees.
    """

    kind: str
    arg: str = ""
    default_range: tuple[float, float] = (0.1, 1.0)
    meaning: str = ""
    default: int = 100


@dataclass(frozen=True)
class Fixed:
    """An estimator argument the generator always sets, with the reason shown as a comment."""

    arg: str
    value: Any
    comment: str = ""


@dataclass(frozen=True)
class Repeat:
    """An argument built as (width,) * depth from two parameters, e.g. MLP hidden_layer_sizes."""

    arg: str
    width: str
    depth: str
    default_width: int
    default_depth: int


@dataclass(frozen=True)
class Family:
    """Everything the generator knows about one algorithm family."""

    name: str
    title: str
    aliases: tuple[str, ...]
    estimators: dict[str, str]
    params: tuple[Param, ...]
    fidelity: Fidelity
    scale: bool = False
    seeded: bool = True
    fixed: tuple[Fixed, ...] = ()
    repeat: Repeat | None = None
    snippet: str = "families/sklearn_estimator.py.jinja"
    priority: int = 50
    # Neural-network architecture ("mlp", "cnn", "rnn") trained in PyTorch or TensorFlow; "" for
    # scikit-learn families.
    network: str = ""

    def params_for(self, task: str | None) -> tuple[Param, ...]:
        """Parameters valid for the task (all of them when the task is not known yet)."""
        return tuple(p for p in self.params if task is None or p.task in (None, task))
