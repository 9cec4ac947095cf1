"""The search space read once: plain, immutable data that every stage after loading queries.

`space_model(configspace)` is called by the loading stage only (space/load.py: `read_model`); the model
holds no ConfigSpace object, so detection, planning and rendering cannot re-read the raw space. Each
hyperparameter carries what the rules ask of it again and again: its kind, values, default, the
segments of a path name and the words of its last segment, its parents, children and conditions; the
space carries the forbidden clauses, as plain data too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .names import path_segments, snake

TRUE_WORDS = ("true", "yes", "1", "on")
FALSE_WORDS = ("false", "no", "0", "off")
KINDS = ("float", "int", "categorical", "ordinal", "constant")
_MISSING = object()


def native(value: Any) -> Any:
    """numpy scalars -> Python scalars; everything else unchanged."""
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


@dataclass(frozen=True)
class Condition:
    """When a child is active: `parent operator values` (`==`, `!=`, `<`, `>`, `in`), or, for `and` / `or`,
    the conjunction of `parts`."""

    child: str
    operator: str
    parent: str | None = None
    values: tuple[Any, ...] = ()
    parts: tuple[Condition, ...] = ()

    @property
    def is_conjunction(self) -> bool:
        return self.operator in ("and", "or")


@dataclass(frozen=True)
class Forbidden:
    """A forbidden clause: `name operator values` (`==`, `in`, `<`, `<=`, `>`, `>=`), a relation
    `left operator right` (`relation<`, `relation==`, ...), or the `and` / `or` of `parts`."""

    operator: str
    name: str | None = None
    values: tuple[Any, ...] = ()
    parts: tuple[Forbidden, ...] = ()
    left: str | None = None
    right: str | None = None
    ordinal: tuple[Any, ...] | None = None  # the sequence of an ordinal `name`: its clauses compare positions

    @property
    def names(self) -> tuple[str, ...]:
        """Every hyperparameter the clause names."""
        own = tuple(n for n in (self.name, self.left, self.right) if n is not None)
        return own + tuple(n for part in self.parts for n in part.names)

    def forbids(self, values: Mapping[str, Any]) -> bool:
        """Whether the clause rejects these values (ConfigSpace's `is_forbidden_value`)."""
        op = self.operator
        if op == "and":
            return all(part.forbids(values) for part in self.parts)
        if op == "or":
            return any(part.forbids(values) for part in self.parts)
        if op.startswith("relation"):
            left, right = values.get(self.left, _MISSING), values.get(self.right, _MISSING)
            if left is _MISSING or right is _MISSING:
                return False
            return _COMPARE[op[len("relation"):]](left, right)
        if op == "==":
            return values.get(self.name, _MISSING) == self.values[0]
        if op == "in":
            return values.get(self.name, _MISSING) in self.values
        value = self.values[0]
        if self.ordinal is not None:
            return _COMPARE[op](self.ordinal.index(values.get(self.name, value)), self.ordinal.index(value))
        missing = {">": value, "<": value, ">=": value - 1, "<=": value + 1}[op]
        return _COMPARE[op](values.get(self.name, missing), value)


_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


@dataclass(frozen=True)
class Hyperparameter:
    """One hyperparameter as plain values. `lower`/`upper`/`log`/`q` are set for float and int ones only;
    `choices` holds the values of a categorical (choices), ordinal (sequence) or constant (its value)."""

    name: str
    kind: str
    default_value: Any
    lower: Any = None
    upper: Any = None
    log: bool = False
    q: Any = None
    choices: tuple[Any, ...] = ()
    segments: tuple[str, ...] = ()  # path_segments(name): `a:b:c` / `a__b__c` -> (a, b, c)
    words: tuple[str, ...] = ()  # the last segment's words, lowercase: `maxDepth` -> (max, depth)
    parents: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()  # one per condition ConfigSpace holds on it (a conjunction is one)

    @property
    def is_constant(self) -> bool:
        return self.kind == "constant"

    @property
    def is_categorical(self) -> bool:
        """Categorical, ordinal or constant: a hyperparameter with listed values."""
        return self.kind in ("categorical", "ordinal", "constant")

    @property
    def is_integer(self) -> bool:
        return self.kind == "int"

    @property
    def is_numeric_range(self) -> bool:
        return self.kind in ("int", "float")

    @property
    def conditional(self) -> bool:
        return bool(self.conditions)


@dataclass(frozen=True)
class SpaceModel(Mapping):
    """The hyperparameters in the space's order (a read-only mapping name -> Hyperparameter), the forbidden
    clauses, and where the space came from."""

    hyperparameters: tuple[Hyperparameter, ...]
    forbiddens: tuple[Forbidden, ...] = ()
    name: str | None = None  # the ConfigurationSpace's own name, if any
    source: str = ""  # the file's name, `<dict>` or `<ConfigurationSpace NAME>`
    format: str | None = None
    _by_name: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        self._by_name.update((hp.name, hp) for hp in self.hyperparameters)

    def __getitem__(self, name: str) -> Hyperparameter:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self.hyperparameters)

    def __hash__(self) -> int:
        return id(self)

    def hp(self, name: str) -> Hyperparameter:
        return self._by_name[name]

    def conditions_of(self, name: str) -> tuple[Condition, ...]:
        return self._by_name[name].conditions if name in self._by_name else ()

    def parents_of(self, name: str) -> tuple[Hyperparameter, ...]:
        return tuple(self._by_name[p] for p in self._by_name[name].parents) if name in self._by_name else ()

    def children_of(self, name: str) -> tuple[Hyperparameter, ...]:
        return tuple(self._by_name[c] for c in self._by_name[name].children) if name in self._by_name else ()

    def active_values(self, name: str) -> dict[str, set]:
        """parent -> the values under which `name` is active (`==` and `in` conditions, and those parts of a
        conjunction; others: unknown)."""
        allowed: dict[str, set] = {}
        for condition in self.conditions_of(name):
            for part in condition.parts or (condition,):
                if part.operator in ("==", "in"):
                    allowed.setdefault(part.parent, set()).update(part.values)
        return allowed

    def forbiddens_on(self, name: str) -> tuple[Forbidden, ...]:
        """The forbidden clauses that name this hyperparameter."""
        return tuple(f for f in self.forbiddens if name in f.names)

    def forbidden(self, values: Mapping[str, Any]) -> bool:
        """Whether a forbidden clause rejects these values; a clause whose comparison fails (values of
        another type) does not."""
        for clause in self.forbiddens:
            try:
                if clause.forbids(values):
                    return True
            except (KeyError, ValueError, TypeError):
                continue
        return False

    def by_prefix(self, *segments: str) -> tuple[Hyperparameter, ...]:
        """The hyperparameters whose path starts with these segments (`by_prefix("classifier", "sgd")`)."""
        return tuple(hp for hp in self.hyperparameters if hp.segments[: len(segments)] == segments and len(hp.segments) > len(segments))


def space_model(configspace, source: str = "", fmt: str | None = None) -> SpaceModel:
    """A ConfigurationSpace -> its model. Called by the loading stage only."""
    conditions_of = configspace.parent_conditions_of
    parents_of, children_of = configspace.parents_of, configspace.children_of
    hps = tuple(
        _hyperparameter(
            hp,
            tuple(_condition(c, name) for c in conditions_of.get(name, [])),
            tuple(p.name for p in parents_of.get(name, [])),
            tuple(c.name for c in children_of.get(name, [])),
        )
        for name, hp in configspace.items()
    )
    forbiddens = tuple(_forbidden(f) for f in configspace.forbidden_clauses)
    return SpaceModel(hps, forbiddens, name=getattr(configspace, "name", None), source=source, format=fmt)


def _hyperparameter(hp, conditions, parents, children) -> Hyperparameter:
    from ConfigSpace.hyperparameters import (
        CategoricalHyperparameter,
        Constant,
        FloatHyperparameter,
        IntegerHyperparameter,
        OrdinalHyperparameter,
    )

    segments = tuple(path_segments(hp.name))
    words = tuple(snake(segments[-1]).lower().split("_")) if segments else ()
    common = {"segments": segments, "words": words, "parents": parents, "children": children, "conditions": conditions}
    if isinstance(hp, (IntegerHyperparameter, FloatHyperparameter)):
        kind = "int" if isinstance(hp, IntegerHyperparameter) else "float"
        return Hyperparameter(hp.name, kind, hp.default_value, hp.lower, hp.upper, bool(hp.log), getattr(hp, "q", None), **common)
    if isinstance(hp, CategoricalHyperparameter):
        return Hyperparameter(hp.name, "categorical", hp.default_value, choices=tuple(hp.choices), **common)
    if isinstance(hp, OrdinalHyperparameter):
        return Hyperparameter(hp.name, "ordinal", hp.default_value, choices=tuple(hp.sequence), **common)
    if isinstance(hp, Constant):
        return Hyperparameter(hp.name, "constant", hp.default_value, choices=(hp.value,), **common)
    raise TypeError(f"unknown hyperparameter type {type(hp).__name__} ({hp.name})")


_CONDITION_OPS = {"EqualsCondition": "==", "NotEqualsCondition": "!=", "LessThanCondition": "<", "GreaterThanCondition": ">", "InCondition": "in",
                  "AndConjunction": "and", "OrConjunction": "or"}


def _condition(condition, child: str) -> Condition:
    kind = type(condition).__name__
    components = getattr(condition, "components", None)
    if components is not None:
        return Condition(child, _CONDITION_OPS.get(kind, "and"), parts=tuple(_condition(c, child) for c in components))
    values = tuple(condition.values) if hasattr(condition, "values") else (condition.value,)
    return Condition(child, _CONDITION_OPS.get(kind, kind), condition.parent.name, values)


_FORBIDDEN_OPS = {"ForbiddenEqualsClause": "==", "ForbiddenInClause": "in", "ForbiddenGreaterThanClause": ">", "ForbiddenGreaterThanEqualsClause": ">=",
                  "ForbiddenLessThanClause": "<", "ForbiddenLessThanEqualsClause": "<=", "ForbiddenAndConjunction": "and", "ForbiddenOrConjunction": "or",
                  "ForbiddenEqualsRelation": "relation==", "ForbiddenLessThanRelation": "relation<", "ForbiddenGreaterThanRelation": "relation>",
                  "ForbiddenLessThanEqualsRelation": "relation<=", "ForbiddenGreaterThanEqualsRelation": "relation>="}


def _forbidden(clause) -> Forbidden:
    from ConfigSpace.hyperparameters import OrdinalHyperparameter

    kind = type(clause).__name__
    op = _FORBIDDEN_OPS.get(kind, kind)
    components = getattr(clause, "components", None)
    if components is not None:
        return Forbidden(op, parts=tuple(_forbidden(c) for c in components))
    hp = getattr(clause, "hyperparameter", None)
    if hp is None:
        return Forbidden(op, left=clause.left.name, right=clause.right.name)
    values = tuple(clause.values) if hasattr(clause, "values") else (clause.value,)
    ordinal = tuple(hp.sequence) if isinstance(hp, OrdinalHyperparameter) and op in ("<", "<=", ">", ">=") else None
    return Forbidden(op, hp.name, values, ordinal=ordinal)
