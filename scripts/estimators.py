"""Write generator/knowledge/estimator_data.py: what the installed libraries declare about each estimator the generator uses.

    python scripts/estimators.py          # rewrite the snapshot (`make estimators`)
    python scripts/estimators.py --check  # exit 1 when the snapshot differs from what the libraries say

scikit-learn: every `__init__` argument, its default and its `_parameter_constraints` (types, intervals,
string options, hidden and deprecated options). XGBoost and LightGBM: the scikit-learn wrapper's
signature (type hints, defaults) plus the booster parameters the native library reports in its saved
configuration, with the enumerations and bounds its own parameter checks state when given a value
outside them. The output is pure literals, sorted, black-formatted: the same library versions give
the same bytes. The generator only reads the data module; it never imports these libraries.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import json
import math
import os
import re
import sys
import tempfile
import typing
import warnings
from importlib import metadata
from numbers import Integral, Real
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "generator" / "knowledge" / "estimator_data.py"

# Classes the families about to be added use (issue 13), besides those the generator names today.
# A name ending in ".*" is every public estimator of that scikit-learn module.
PLANNED = (
    "sklearn.linear_model.ARDRegression",
    "sklearn.gaussian_process.GaussianProcessRegressor",
    "sklearn.gaussian_process.GaussianProcessClassifier",
    "sklearn.kernel_approximation.Nystroem",
    "sklearn.kernel_approximation.RBFSampler",
    "sklearn.decomposition.KernelPCA",
    "sklearn.decomposition.FastICA",
    "sklearn.decomposition.TruncatedSVD",
    "sklearn.decomposition.PCA",
    "sklearn.cluster.FeatureAgglomeration",
    "sklearn.feature_selection.SelectPercentile",
    "sklearn.feature_selection.GenericUnivariateSelect",
    "sklearn.feature_selection.SelectFromModel",
    "sklearn.ensemble.RandomTreesEmbedding",
    "sklearn.svm.LinearSVC",
    "sklearn.svm.LinearSVR",
    "sklearn.linear_model.PassiveAggressiveClassifier",
    "sklearn.linear_model.PassiveAggressiveRegressor",
    "sklearn.linear_model.SGDClassifier",
    "sklearn.linear_model.SGDRegressor",
    "sklearn.linear_model.SGDOneClassSVM",
    "sklearn.neighbors.*",
)
DISTRIBUTIONS = {"sklearn": "scikit-learn", "xgboost": "xgboost", "lightgbm": "lightgbm"}
# A dotted scikit-learn class written anywhere in the generator's source (plan.py, preprocessing.py, ...).
DOTTED_CLASS = re.compile(r"\bsklearn(?:\.[a-z_]+)+\.[A-Z]\w*")
TYPE_NAMES = {int: "int", float: "float", bool: "bool", str: "str", dict: "dict", list: "list", tuple: "tuple", type(None): "None"}
PROBE = "__probe__"


def class_paths() -> list[str]:
    """Every estimator class the generator names: families, preprocessing roles, source text, PLANNED."""
    from trainfn_gen.knowledge import preprocessors, roles
    from trainfn_gen.knowledge.families import FAMILIES

    paths = set()
    for family in FAMILIES:
        if family.network:
            continue
        paths.update(family.estimators.values())
        paths.add(family.scaler)
        paths.update(dotted for param in family.params for _, dotted in param.wrap)
    paths.update(dotted for spec in preprocessors.PREPROCESSORS.values() for dotted in spec.classes.values())
    paths.update(f"sklearn.preprocessing.{name}" for name in roles.SCALERS.values() if name)
    for source in sorted((ROOT / "generator").rglob("*.py")):
        if source.name != TARGET.name:
            paths.update(DOTTED_CLASS.findall(source.read_text()))
    for path in PLANNED:
        if path.endswith(".*"):
            paths.update(_module_estimators(path[:-2]))
        else:
            paths.add(path)
    return sorted(paths)


def _module_estimators(module: str) -> list[str]:
    """The public estimator classes a scikit-learn module exports (its __all__)."""
    from sklearn.base import BaseEstimator

    found = importlib.import_module(module)
    return [f"{module}.{name}" for name in found.__all__ if isinstance(getattr(found, name), type) and issubclass(getattr(found, name), BaseEstimator)]


def load(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


# --- values as literals -------------------------------------------------------------------------


def literal(value):
    """(True, value as plain Python data) when the value is a literal, else (False, a marker naming it)."""
    if value is None or isinstance(value, (bool, str)):
        return True, value
    if isinstance(value, Integral):
        return True, int(value)
    if isinstance(value, Real):
        value = float(value)
        return (True, value) if math.isfinite(value) else (False, repr(value))
    if isinstance(value, (tuple, list)):
        items = [literal(v) for v in value]
        if all(ok for ok, _ in items):
            return True, type(value)(v for _, v in items)
    if value is inspect.Parameter.empty:
        return False, "required"
    if isinstance(value, type) or callable(value) and hasattr(value, "__qualname__"):
        return False, f"{value.__module__}.{value.__qualname__}"
    return False, f"{type(value).__module__}.{type(value).__qualname__} instance"


def type_name(cls) -> str:
    import numpy as np

    if cls in TYPE_NAMES:
        return TYPE_NAMES[cls]
    if cls is Integral or cls is np.integer:
        return "int"
    if cls is Real or cls is np.floating:
        return "float"
    if cls is np.bool_:
        return "bool"
    if cls is np.ndarray:
        return "array-like"
    return f"{cls.__module__}.{cls.__qualname__}"


# --- scikit-learn -----------------------------------------------------------------------------


class Facts:
    """What the constraints of one argument say, gathered into sets (rendered sorted)."""

    def __init__(self):
        self.types, self.intervals, self.options, self.deprecated, self.hidden, self.hidden_types, self.values, self.methods = (set() for _ in range(8))

    def data(self) -> dict:
        out = {}
        for key in ("types", "options", "deprecated", "hidden", "hidden_types", "methods"):
            if getattr(self, key):
                out[key] = tuple(sorted(getattr(self, key)))
        if self.intervals:
            out["intervals"] = tuple(sorted(self.intervals, key=repr))
        if self.values:
            out["values"] = tuple(sorted(self.values, key=repr))
        return out


def add_constraint(facts: Facts, constraint, hidden: bool = False) -> None:
    from sklearn.utils import _param_validation as pv

    if isinstance(constraint, pv.Hidden):
        hidden, constraint = True, constraint.constraint
    if not isinstance(constraint, pv._Constraint):
        constraint = pv.make_constraint(constraint)
    kind = type(constraint).__name__
    if isinstance(constraint, pv.StrOptions):
        options = {str(o) for o in constraint.options}
        (facts.hidden if hidden else facts.options).update(options)
        facts.deprecated.update(str(o) for o in constraint.deprecated)
    elif isinstance(constraint, pv.Options):
        for option in constraint.options:
            ok, value = literal(option)
            facts.values.add(value if ok else value.replace("builtins.", ""))
    elif isinstance(constraint, pv.Interval):
        interval_type = "float_not_int" if constraint.type is pv.RealNotInt else type_name(constraint.type)
        facts.intervals.add((interval_type, _bound(constraint.left), _bound(constraint.right), constraint.closed))
    elif hasattr(constraint, "_constraints"):  # booleans, verbose, random_state, cv objects, missing values
        for inner in constraint._constraints:
            add_constraint(facts, inner, hidden)
    elif isinstance(constraint, pv.HasMethods):
        facts.types.add("object")
        facts.methods.update(constraint.methods)
    elif isinstance(constraint, pv._InstancesOf):
        (facts.hidden_types if hidden else facts.types).add(type_name(constraint.type))
    else:
        names = {"_NoneConstraint": "None", "_Callables": "callable", "_ArrayLikes": "array-like", "_SparseMatrices": "sparse matrix", "_NanConstraint": "nan", "_PandasNAConstraint": "pandas.NA", "_IterablesNotString": "iterable"}
        if kind not in names:
            raise SystemExit(f"unknown scikit-learn constraint {constraint!r}: teach scripts/estimators.py to render it")
        facts.types.add(names[kind])


def _bound(value):
    if value is None:
        return None
    ok, out = literal(value)
    return out if ok else None  # an infinite bound is no bound


def sklearn_arguments(cls) -> dict:
    constraints = getattr(cls, "_parameter_constraints", {})
    out = {}
    for name, parameter in inspect.signature(cls).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        facts = Facts()
        declared = constraints.get(name, "no_validation")
        if declared == "no_validation":
            facts.types.add("any")
        else:
            for constraint in declared:
                add_constraint(facts, constraint)
        out[name] = {**_default(parameter.default), **facts.data()}
    return out


def _default(value) -> dict:
    ok, out = literal(value)
    return {"default": out} if ok else {"default_marker": out}


# --- XGBoost and LightGBM ---------------------------------------------------------------------

HINTS = {int: "int", float: "float", str: "str", bool: "bool", type(None): "None", dict: "dict", list: "list"}
# Booster parameters never probed with a huge value: an accepted one would start that many threads or rounds.
COSTLY = re.compile(r"thread|n_jobs|iteration|num_round|pool|seed|random_state|num_class|max_cached")
# Left out (and never probed): data, file and column settings, never a model's (probes run in a temporary folder too).
FILES = re.compile(r"(?:data|valid|categorical_feature|\w+_column|\w+_filename|\w+_file|\w*_model|output_\w+)")


def hint_types(hint) -> set[str]:
    """Type names of a wrapper's type hint (Optional[int] -> int, None)."""
    if hint is inspect.Parameter.empty:
        return {"any"}
    args = typing.get_args(hint)
    if args:
        origin = typing.get_origin(hint)
        if origin is typing.Union or type(origin).__name__ == "UnionType":
            return set().union(*(hint_types(a) for a in args))
        return {HINTS.get(origin, "object")}
    if hint in HINTS:
        return {HINTS[hint]}
    return {"callable"} if "Callable" in str(hint) else {"object"}


def wrapper_arguments(cls) -> dict:
    """The scikit-learn wrapper's own arguments (XGBModel / LGBMModel signatures, walked up the classes)."""
    out = {}
    for klass in reversed(cls.__mro__):
        if "__init__" not in vars(klass) or klass.__module__.split(".")[0] not in ("xgboost", "lightgbm"):
            continue
        hints = typing.get_type_hints(klass.__init__)
        for name, parameter in inspect.signature(klass.__init__).parameters.items():
            if name == "self" or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            out[name] = {**_default(parameter.default), "types": tuple(sorted(hint_types(hints.get(name, parameter.empty))))}
    return out


def parse_config_value(text: str):
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.?\d*(?:[eE][-+]?\d+)?", text):
        return float(text)
    return text


def probe_facts(name: str, kind: str | None, fails) -> dict:
    """What a library's parameter check says: `fails(name, value)` is its error message, or None when accepted."""
    facts: dict = {}
    message = fails(name, PROBE) or ""
    options = re.search(r"valid values are: \{([^}]*)\}", message)
    if options:
        facts["options"] = tuple(sorted(o.strip().strip("'") for o in options.group(1).split(",")))
        return facts
    expected = re.search(r"expect (\w+)|should be of type (\w+)|should be \"true\"", message)
    if expected:
        kind = expected.group(1) or expected.group(2) or "bool"
    elif kind == "int":
        kind = "float"  # an integral default ("1") of a parameter the check does not call an int
    kind = {"boolean": "bool", "double": "float", "float": "float", "int": "int", "bool": "bool"}.get(kind or "", None)
    if kind is None or kind == "bool":
        return {"types": (kind,)} if kind else facts
    left = right = None
    closed_left = closed_right = True
    huge = 10**9 if kind == "int" else 1e30
    low = fails(name, -huge) or ""
    left, closed_left = stated_bound(low, name, "lower")
    if not COSTLY.search(name):
        high = fails(name, huge) or ""
        right, closed_right = stated_bound(high, name, "upper")
    facts["types"] = (kind,)
    if left is not None or right is not None:
        facts["types"] = ()  # a checked number: its interval says what is accepted
        closed = {(True, True): "both", (True, False): "left", (False, True): "right", (False, False): "neither"}[(closed_left, closed_right)]
        cast = float if kind == "float" else int
        facts["intervals"] = ((kind, None if left is None else cast(left), None if right is None else cast(right), closed),)
    return facts


# What the libraries' checks say about a value below (lower) or above (upper) the bound: the bound, whether it is closed.
STATED = {
    "lower": (r"exceed bound \[([^,]+),()", r"greater (equal to|than) (\S+)", r"\({name}\) (>=|>) \(([^)]+)\)"),
    "upper": (r"exceed bound \[[^,]+,([^\]]+)\]()", r"(?:less|smaller) (equal to|than) (\S+)", r"\({name}\) (<=|<) \(([^)]+)\)"),
}


def stated_bound(message: str, name: str, side: str):
    """(bound, closed) a library's error message states for one side of the parameter, else (None, True)."""
    whole, words, check = STATED[side]
    found = re.search(whole, message)
    if found:
        return parse_config_value(found.group(1)), True
    found = re.search(words, message) or re.search(check.format(name=re.escape(name)), message)
    if found:
        return parse_config_value(found.group(2)), found.group(1) in ("equal to", ">=", "<=")
    return None, True


def _tiny_data():
    import numpy as np

    X = np.arange(40, dtype=float).reshape(20, 2) % 7
    return X, np.arange(20) % 2


def xgboost_booster() -> tuple[dict, object]:
    """Booster parameters (name -> default) from the saved configuration of gbtree and dart boosters, and their probe."""
    import xgboost

    X, y = _tiny_data()
    data = xgboost.DMatrix(X, y)
    sections = ("tree_train_param", "dart_train_param", "gbtree_train_param", "learner_train_param", "reg_loss_param", "generic_param")
    found: dict = {}

    def walk(node, section=""):
        if isinstance(node, dict):
            for key, value in node.items():
                if section in sections and isinstance(value, str):
                    found.setdefault(key, parse_config_value(value))
                walk(value, key)
        elif isinstance(node, list):
            for item in node:
                walk(item, section)

    for booster in ("gbtree", "dart"):
        walk(json.loads(xgboost.train({"booster": booster}, data, 1).save_config()))

    def fails(name, value):
        try:
            xgboost.train({"booster": "dart", "nthread": 1, name: value}, data, 1)
        except (xgboost.core.XGBoostError, TypeError, ValueError) as error:
            return str(error).splitlines()[0] if str(error) else type(error).__name__
        return None

    return found, fails


def lightgbm_booster() -> tuple[dict, object, dict]:
    """Core parameters (name -> default) from a trained model's parameter listing, their probe, and their aliases."""
    import lightgbm

    X, y = _tiny_data()
    model = lightgbm.train({"verbosity": -1, "num_threads": 1}, lightgbm.Dataset(X, y), 1).model_to_string()
    listing = model[model.index("\nparameters:\n") :]
    found = {key: parse_config_value(value.strip()) for key, value in re.findall(r"^\[(\w+): ?([^\]\n]*)\]$", listing, re.MULTILINE)}

    def fails(name, value):
        try:
            lightgbm.train({"verbosity": -1, "num_threads": 1, name: value}, lightgbm.Dataset(X, y), 1)
        except (lightgbm.basic.LightGBMError, TypeError, ValueError) as error:  # the wrapper checks some types itself
            return str(error).splitlines()[0] if str(error) else type(error).__name__
        return None

    aliases = lightgbm.basic._ConfigAliases._get_all_param_aliases()
    return found, fails, aliases


def booster_arguments(cls, library: str, cache: dict) -> dict:
    if library not in cache:
        cache[library] = xgboost_booster() + ({},) if library == "xgboost" else lightgbm_booster()
    found, fails, aliases = cache[library]
    canonical = {alias: name for name, names in aliases.items() for alias in names}
    out = {}
    for name, default in sorted(found.items()):
        if FILES.fullmatch(name):
            continue  # data and file settings, never a model's
        entry = probe_facts(name, _kind(default), fails)
        kind = (entry.get("types") or [i[0] for i in entry.get("intervals", ())] or [""])[0]
        entry["default"] = bool(default) if kind == "bool" else float(default) if kind == "float" else default
        if "types" not in entry and "options" not in entry:
            entry["types"] = ("str",) if isinstance(default, str) else ()
        entry["aliases"] = tuple(sorted(set(aliases.get(name, ())) - {name}))  # the library's own other names
        out[name] = {k: v for k, v in entry.items() if v != ()}
    for name, entry in wrapper_arguments(cls).items():
        core = out.get(name) or out.get(canonical.get(name, ""))
        merged = dict(entry)
        if core:
            merged.update({k: v for k, v in core.items() if k in ("intervals", "options")})
            if "intervals" in core:  # the hint's number type is checked against the interval
                numbers = [t for t in merged["types"] if t in ("int", "float")]
                merged["types"] = tuple(t for t in merged["types"] if t not in ("int", "float"))
                if numbers == ["int"]:  # the wrapper takes an int where the probe saw only "a number"
                    merged["intervals"] = tuple(("int", *(None if b is None else int(b) for b in i[1:3]), i[3]) for i in core["intervals"])
            if name not in found:
                merged["alias_of"] = canonical.get(name, name)
        out[name] = {key: value for key, value in merged.items() if value != ()}
    return out


def _kind(default) -> str | None:
    if isinstance(default, bool):
        return "bool"
    return "int" if isinstance(default, int) else "float" if isinstance(default, float) else None


# --- the module -------------------------------------------------------------------------------


def snapshot() -> dict:
    warnings.simplefilter("ignore")
    classes, cache = {}, {}
    with quiet_folder():
        for path in class_paths():
            classes[path] = describe(path, cache)
    return classes


@contextlib.contextmanager
def quiet_folder():
    """Probes run in a temporary folder with the native libraries' output (their [Fatal] lines) silenced."""
    here, saved = os.getcwd(), {fd: os.dup(fd) for fd in (1, 2)}
    sys.stdout.flush()
    with tempfile.TemporaryDirectory() as folder, open(os.devnull, "w") as null:
        os.chdir(folder)
        for fd in saved:
            os.dup2(null.fileno(), fd)
        try:
            yield
        finally:
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            os.chdir(here)


def describe(path: str, cache: dict) -> dict:
    package = path.split(".")[0]
    cls = load(path)
    arguments = sklearn_arguments(cls) if package == "sklearn" else booster_arguments(cls, package, cache)
    library = DISTRIBUTIONS[package]
    fit = getattr(cls, "fit", None)
    weighted = fit is not None and "sample_weight" in inspect.signature(fit).parameters
    return {"library": library, "version": metadata.version(_distribution(library)), "arguments": arguments, "fit_sample_weight": weighted}


def _distribution(library: str) -> str:
    if library == "xgboost":
        for name in ("xgboost", "xgboost-cpu"):
            try:
                metadata.version(name)
                return name
            except metadata.PackageNotFoundError:
                continue
    return library


def render(classes: dict | None = None) -> str:
    import black

    classes = snapshot() if classes is None else classes
    classes = sorted_dicts(classes)
    versions = {c["library"]: c["version"] for c in classes.values()}
    text = (
        '"""What the estimators declare about their arguments. Written by `make estimators`, do not edit.\n\n'
        "scripts/estimators.py reads the installed libraries. Per class: the library and version read;\n"
        "per argument: `default` (or `default_marker` when the default is not a literal), `types` accepted\n"
        "without further check, `intervals` (type, left, right, closed; None = no bound), string `options`,\n"
        "`hidden` and `deprecated` options, other `values` (\"inf\" for infinity), the `methods` an object\n"
        "must have, `hidden_types`, `alias_of` (the booster parameter a wrapper argument names);\n"
        "`fit_sample_weight`: the class's fit() declares sample_weight.\n"
        'Read it through generator/knowledge/estimators.py."""\n\n'
        f"LIBRARIES = {dict(sorted(versions.items()))!r}\n\n"
        f"CLASSES = {classes!r}\n"
    )
    # fast: no AST equivalence check (the input is a repr of literals); same output as format_str.
    return black.format_file_contents(text, fast=True, mode=black.Mode())


def sorted_dicts(value):
    """Every dict with its keys sorted, all the way down (repr then writes them in order)."""
    if isinstance(value, dict):
        return {key: sorted_dicts(value[key]) for key in sorted(value)}
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed snapshot instead of writing it")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        same = TARGET.exists() and TARGET.read_text() == text
        print(f"{TARGET.relative_to(ROOT)}: {'up to date' if same else 'differs from the installed libraries (run make estimators)'}")
        return 0 if same else 1
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
