"""What each estimator accepts, read from the snapshot the libraries wrote (estimator_data.py, `make estimators`).

No scikit-learn, XGBoost or LightGBM import: the data are literals. A class path is the dotted name the
families use ("sklearn.svm.SVC", "xgboost.XGBClassifier").

Acceptance follows the libraries' own checks: None, booleans, strings and numbers are tested against the
argument's declared types, string options and intervals. A boolean is never taken for a number (scikit-learn's
Integral would take it; no estimator means it). Types the data cannot check by value ("array-like",
"callable", "object", ...) are reported by ``arguments``/``argument`` and never accepted by ``accepts``.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, NamedTuple

from .estimator_data import CLASSES, LIBRARIES


class Interval(NamedTuple):
    """type: "int" (integers only), "float" (any real number) or "float_not_int" (floats, never an int);
    left/right: the bounds (None = unbounded); closed: "both", "left", "right" or "neither"."""

    type: str
    left: float | None
    right: float | None
    closed: str

    def contains(self, value: float) -> bool:
        if self.left is not None and (value < self.left or value == self.left and self.closed not in ("left", "both")):
            return False
        return self.right is None or value < self.right or value == self.right and self.closed in ("right", "both")


def known(class_path: str) -> bool:
    return class_path in CLASSES


def library(class_path: str) -> tuple[str, str]:
    """(library, version) the snapshot of the class was read from."""
    entry = _class(class_path)
    return entry["library"], entry["version"]


def arguments(class_path: str) -> tuple[str, ...]:
    """The constructor arguments, sorted (booster parameters included for XGBoost / LightGBM)."""
    return tuple(_class(class_path)["arguments"])


def argument(class_path: str, arg: str) -> dict:
    """The raw record of one argument (see estimator_data's docstring); KeyError names what is missing."""
    found = _class(class_path)["arguments"].get(arg)
    if found is None:
        raise KeyError(f"{class_path} has no argument {arg!r} in the snapshot of {LIBRARIES}")
    return found


def has(class_path: str, arg: str) -> bool:
    return known(class_path) and arg in _class(class_path)["arguments"]


def declared_aliases(class_path: str, arg: str) -> tuple[str, ...]:
    """The other names the library itself accepts for an argument (LightGBM's parameter aliases: its
    n_estimators is also num_iterations, num_rounds, nrounds, ...); () where it declares none."""
    if not has(class_path, arg):
        return ()
    core = argument(class_path, arg).get("alias_of", arg)
    names = {core, *(argument(class_path, core).get("aliases", ()) if has(class_path, core) else ())}
    return tuple(sorted(names - {arg})) if arg in names else ()


def fit_sample_weight(class_path: str) -> bool:
    """Does the class's fit() declare sample_weight (False for a class the snapshot lacks)?"""
    return known(class_path) and bool(_class(class_path).get("fit_sample_weight"))


def options(class_path: str, arg: str, hidden: bool = False) -> tuple[str, ...]:
    """The string options the argument declares (sorted); with ``hidden``, the undocumented ones too."""
    record = argument(class_path, arg)
    return tuple(sorted((*record.get("options", ()), *(record.get("hidden", ()) if hidden else ()))))


def deprecated(class_path: str, arg: str) -> tuple[str, ...]:
    """Options the library still accepts but has deprecated."""
    return argument(class_path, arg).get("deprecated", ())


def intervals(class_path: str, arg: str) -> tuple[Interval, ...]:
    return tuple(Interval(*bounds) for bounds in argument(class_path, arg).get("intervals", ()))


def interval(class_path: str, arg: str, value_type: str = "float") -> Interval | None:
    """The interval an int ("int") or a float ("float") value of the argument must lie in; None when the
    argument takes such numbers unchecked or has no interval for them (``accepts`` tells which)."""
    kinds = ("int", "float") if value_type == "int" else ("float", "float_not_int")
    return next((i for i in intervals(class_path, arg) if i.type in kinds), None)


def default(class_path: str, arg: str) -> Any:
    """The default when it is a literal; else raise ValueError with the snapshot's marker (e.g. 'required')."""
    record = argument(class_path, arg)
    if "default" not in record:
        raise ValueError(f"{class_path}({arg}=...) has no literal default: {record['default_marker']}")
    return record["default"]


def accepts(class_path: str, arg: str, value: Any, hidden: bool = True) -> bool:
    """Does the estimator accept this value (None, bool, str, int or float) for the argument?

    ``hidden=False``: only what the library documents (its hidden options are mostly deprecated
    values it still takes for a while)."""
    record = argument(class_path, arg)
    types = set(record.get("types", ()))
    if "any" in types:
        return True
    if value is None:
        return "None" in types
    if isinstance(value, bool):
        return "bool" in types or value in record.get("values", ())
    if isinstance(value, str):
        return "str" in types or value in record.get("options", ()) or hidden and value in record.get("hidden", ())
    if isinstance(value, Integral):
        return bool(types & {"int", "float"}) or any(i.type in ("int", "float") and i.contains(value) for i in intervals(class_path, arg)) or value in record.get("values", ())
    if isinstance(value, Real):
        value = float(value)
        if math.isinf(value) and ("inf" if value > 0 else "-inf") in record.get("values", ()):
            return True
        return "float" in types or any(i.type in ("float", "float_not_int") and i.contains(value) for i in intervals(class_path, arg))
    return False


def _class(class_path: str) -> dict:
    found = CLASSES.get(class_path)
    if found is None:
        raise KeyError(f"{class_path} is not in the estimator snapshot (add it to scripts/estimators.py and run make estimators)")
    return found


__all__ = ["Interval", "accepts", "argument", "arguments", "default", "deprecated", "fit_sample_weight", "has", "interval", "intervals", "known", "library", "options"]
