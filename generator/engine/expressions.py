"""Hyperparameter -> Python expression of the generated code: literals, imports, cast-and-clip calls."""

from __future__ import annotations

import math
from dataclasses import dataclass

from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge.families import Param
from trainfn_gen.knowledge.families.spec import NUMERIC_KINDS
from trainfn_gen.knowledge.values import clip_number, estimator_value
from trainfn_gen.space.model import native


@dataclass(frozen=True)
class Arg:
    """`name=expr` in an estimator call, or `name = expr` before it; comment shown above or beside.

    ``spread``: the call gets ``**expr`` (a dict of arguments) instead of ``name=expr``.
    """

    name: str
    expr: str
    comment: str = ""
    spread: bool = False

    def __post_init__(self):
        # A hyperparameter name may hold a newline or other control character: never let it end the comment.
        object.__setattr__(self, "comment", printable(self.comment))


def printable(text: str) -> str:
    """`text` on one line: control characters (newlines included) written as their escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def docstring_safe(text: str) -> str:
    """`text` for a line of a triple-quoted docstring: one line, backslashes and quotes escaped."""
    return printable(text).replace("\\", "\\\\").replace('"', '\\"')


def lit(value) -> str:
    """One deterministic Python literal for a plan value."""
    value = native(value)
    if isinstance(value, float) and math.isinf(value):
        return 'float("inf")' if value > 0 else '-float("inf")'
    if isinstance(value, float) and math.isnan(value):
        return 'float("nan")'
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(lit(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


class Imports:
    """The import lines of the generated file, collected while planning and sorted once."""

    def __init__(self):
        self.stdlib: set[str] = set()
        self.third: dict[str, set[str]] = {}
        self.plain_modules: set[str] = set()

    def module(self, name: str):
        self.stdlib.add(name)

    def plain(self, name: str):
        """A third-party module imported whole (`import torch`) beside names from its submodules."""
        self.plain_modules.add(name)

    def name(self, dotted: str) -> str:
        module, _, attr = dotted.rpartition(".")
        self.third.setdefault(module, set()).add(attr)
        return attr

    def bound(self) -> set[str]:
        """Every name the import lines bind (`import numpy as np` binds np)."""
        plain = {"np" if m == "numpy" else m.split(".")[0] for m, names in self.third.items() if not names}
        return self.stdlib | plain | {m.split(".")[0] for m in self.plain_modules} | {n for names in self.third.values() for n in names}

    def lines(self, typing_names: str) -> tuple[str, ...]:
        std = [f"import {m}" for m in sorted(self.stdlib)] + [f"from typing import {typing_names}"]
        plain = sorted({m for m, names in self.third.items() if not names} | self.plain_modules, key=str.lower)
        third = [f"import {m} as np" if m == "numpy" else f"import {m}" for m in plain]
        for module in sorted((m for m, names in self.third.items() if names), key=str.lower):
            third.append(f"from {module} import {', '.join(sorted(self.third[module]))}")
        return tuple(std) + ("",) + tuple(third)


def value_expr(hp, param: Param, detection, helpers: set) -> str:
    name = hp.name
    read = f"cfg.get({name!r})"
    if hp.is_categorical:
        expr = choice_expr(hp, param, read, helpers)
        values = [estimator_value(param, v) for v in hp.choices]
        if param.at_most_features and all(isinstance(v, int) for v in values):
            return f"min({expr}, n_features)"
        return expr
    if param.kind == "sizes":
        helpers.add("as_int")
        return f"(as_int({read}, {lit(native(hp.default_value))}, {lit(native(hp.lower))}, {lit(native(hp.upper))}),)"
    if param.kind in RELATIVE:
        floor, ceiling = RELATIVE[param.kind]
        low, high = bounds(hp, floor, ceiling, detection, integer=False)
        helpers.add("as_float")
        value = f"as_float({read}, {lit(float(native(hp.default_value)))}, {lit(float(low))}, {lit(float(high))})"
        if param.kind == "root_relative":
            helpers.add("root_impurity")
            classes = {"classification": "True", "regression": "False"}.get(detection.task, "classification")
            return f"{value} * root_impurity(y_train, {classes})"
        return RELATIVE_FORMS[param.kind].format(value=value)
    integer = hp.is_integer if param.kind == "int_or_fraction" else param.kind == "int"
    if integer:
        low, high = bounds(hp, param.low, param.high, detection, integer=True)
        helpers.add("as_int")
        expr = f"as_int({read}, {lit(int_default(hp, low, high))}, {lit(low)}, {lit(high)})"
    else:
        floor, ceiling = (param.fraction_low, param.fraction_high) if param.kind == "int_or_fraction" else (param.low, param.high)
        low, high = bounds(hp, floor, ceiling, detection, integer=False)
        helpers.add("as_float")
        expr = f"as_float({read}, {lit(float(native(hp.default_value)))}, {lit(float(low))}, {lit(float(high))})"
    if param.at_most_features and integer:
        return f"min({expr}, n_features)"
    if param.at_most_rows and integer:
        return f"min({expr}, X_train.shape[0])"
    return expr


# Relative kinds (Param.kind): the range a value may take, and the estimator value it becomes at run time.
RELATIVE = {"feature_power": (0.0, 1.0), "feature_log_multiple": (0.0, None), "feature_multiple": (0.0, None), "root_relative": (0.0, None)}
RELATIVE_FORMS = {
    "feature_power": "max(1, round(n_features ** {value}))",
    "feature_log_multiple": "max(1, min(n_features // 2, int({value} * (np.log(n_features) + 1))))",
    "feature_multiple": "max(1, round({value} * n_features))",
}

LOG_POWERS = {2.0: ("2 ** ", "log2"), 10.0: ("10 ** ", "log10"), math.e: ("math.exp", "log")}


def log_arg(hp, param: Param, base: float, detection, imports: Imports, helpers: set) -> Arg:
    """A log-encoded hyperparameter: clip the exponent to what the estimator accepts, then exponentiate."""
    power, word = LOG_POWERS[base]
    floor = math.log(param.low, base) if param.low is not None and param.low > 0 else None
    ceiling = math.log(param.high, base) if param.high is not None and param.high > 0 else None
    low, high = bounds(hp, floor, ceiling, detection, integer=False)
    helpers.add("as_float")
    exponent = f"as_float(cfg.get({hp.name!r}), {lit(float(native(hp.default_value)))}, {lit(float(low))}, {lit(float(high))})"
    if base == math.e:
        imports.module("math")
        expr, formula = f"math.exp({exponent})", f"exp({hp.name})"
    else:
        expr, formula = f"{power}{exponent}", f"{power}{hp.name}"
    if param.kind == "int":
        expr = f"max({lit(int(param.low or 1))}, round({expr}))"
    return Arg(param.arg, expr, f"{hp.name} is {word}-encoded: {param.arg} = {formula}")


def int_default(hp, low, high) -> int:
    return min(max(round(native(hp.default_value)), low), high)


def bounds(hp, floor, ceiling, detection, integer: bool):
    low, high = native(hp.lower), native(hp.upper)
    if floor is not None:
        low = max(low, math.ceil(floor) if integer else floor)
    if ceiling is not None:
        high = min(high, math.floor(ceiling) if integer else ceiling)
    if low > high:
        accepts = f"between {floor} and {ceiling}" if ceiling is not None else f"at least {floor}"
        raise GeneratorError(
            f"its range [{native(hp.lower)}, {native(hp.upper)}] holds no value the estimator accepts ({accepts}).",
            source=detection.source,
            hyperparameter=hp.name,
        )
    return (round(low), round(high)) if integer else (low, high)


def choice_expr(hp, param: Param, read: str, helpers: set) -> str:
    helpers.add("as_choice")
    values = hp.choices
    mapped = {str(native(v)): estimator_value(param, v) for v in values}
    if param.kind in NUMERIC_KINDS:
        # R09: numeric choices the estimator rejects are clipped into its range (fits() refused a space with none left).
        mapped = {k: v if v is None or v in param.choices else clip_number(param, v) for k, v in mapped.items()}
    default = lit(str(native(hp.default_value)))
    if any(v is None for v in values) and read == f"cfg.get({hp.name!r})":
        # A None among the choices arrives as None, which as_choice reads as an inactive setting: read as 'None'
        # (issue 22: max_features=None trained as the default 'sqrt').
        read = f"str(cfg.get({hp.name!r}, {default}))"
    if all(isinstance(m, str) and m == k for k, m in mapped.items()):
        return f"as_choice({read}, {default}, {lit(tuple(mapped))})"
    pairs = ", ".join(f"{k!r}: {lit(v)}" for k, v in mapped.items())
    return f"as_choice({read}, {default}, {{{pairs}}})"
