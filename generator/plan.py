"""Detection + options -> Plan: a small, frozen intermediate representation with every string final."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ConfigSpace import ConfigurationSpace

from . import __version__, roles
from .detect import Detection, Placement, Use, family_estimator
from .errors import GeneratorError
from .families import BY_NAME, Family, Param
from .hyperparameters import choice_values, estimator_value, is_categorical, is_integer, native
from .names import compact
from .options import Options


@dataclass(frozen=True)
class Arg:
    """`name=expr` in an estimator call, or `name = expr` before it; comment shown above or beside."""

    name: str
    expr: str
    comment: str = ""


@dataclass(frozen=True)
class Branch:
    """One family's estimator, built when the selector has `value` (or always)."""

    value: str | None
    family: str
    estimator: str
    assignments: tuple[Arg, ...]
    args: tuple[Arg, ...]
    scale: bool
    rows_budget: str | None
    snippet: str


@dataclass(frozen=True)
class Selector:
    name: str
    var: str
    expr: str


@dataclass(frozen=True)
class Budget:
    low: float
    high: float
    literal_low: str
    literal_high: str


@dataclass(frozen=True)
class Preprocessing:
    assignments: tuple[Arg, ...]
    encoder: str
    numeric: str


@dataclass(frozen=True)
class Plan:
    header: str
    summary: tuple[str, ...]
    imports: tuple[str, ...]
    contract: str
    task: str
    facade: str
    helpers: tuple[str, ...]
    budget: Budget | None
    unused: tuple[tuple[str, str], ...]
    selector: Selector | None
    branches: tuple[Branch, ...]
    preprocessing: Preprocessing
    uses_n_features: bool
    label: str
    # The PyTorch / Keras network when the space's families are neural networks (network_plan.py).
    network: object = None


# Local names of the generated train(): a selector variable must not shadow them.
RESERVED = frozenset({"X", "y", "X_train", "X_valid", "y_train", "y_valid", "model", "estimator", "preprocess", "categorical", "metrics", "accuracy", "mse", "start", "config", "key", "stem", "budget", "seed", "cfg", "dataset", "model_dir", "scaler", "one_hot", "imputation", "n_features", "np", "json", "os", "time", "random", "math", "hashlib", "joblib"})

CLASSIFICATION_METRICS = ("accuracy", "balanced_accuracy", "precision", "recall", "f1")
REGRESSION_METRICS = ("mse", "mae", "r2")


def lit(value) -> str:
    """One deterministic Python literal for a plan value."""
    value = native(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(lit(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


class _Imports:
    def __init__(self):
        self.stdlib: set[str] = set()
        self.third: dict[str, set[str]] = {}
        self.plain: set[str] = set()

    def module(self, name: str):
        self.stdlib.add(name)

    def name(self, dotted: str) -> str:
        module, _, attr = dotted.rpartition(".")
        self.third.setdefault(module, set()).add(attr)
        return attr

    def lines(self, typing_names: str) -> tuple[str, ...]:
        std = [f"import {m}" for m in sorted(self.stdlib)] + [f"from typing import {typing_names}"]
        plain = sorted({m for m, names in self.third.items() if not names} | self.plain, key=str.lower)
        third = [f"import {m} as np" if m == "numpy" else f"import {m}" for m in plain]
        for module in sorted((m for m, names in self.third.items() if names), key=str.lower):
            third.append(f"from {module} import {', '.join(sorted(self.third[module]))}")
        return tuple(std) + ("",) + tuple(third)


def build_plan(space: ConfigurationSpace, detection: Detection, options: Options) -> Plan:
    imports = _Imports()
    for module in ("hashlib", "json", "os", "random", "time"):
        imports.module(module)
    for dotted in ("numpy", "joblib"):
        imports.third.setdefault(dotted, set())
    imports.name("ConfigSpace.Configuration")
    helpers: set[str] = set()
    budget = _budget(space, detection, options)
    unused = tuple((p.name, p.reason) for p in detection.placements if not p.uses and not p.role)
    network = _network(space, detection, options, imports, helpers, budget)
    branches = tuple(_branch(space, detection, options, value, family, imports, helpers, budget) for value, family in _branch_keys(detection) if not BY_NAME[family].network)
    selector = _selector(space, detection, helpers) if detection.selector else None
    preprocessing = _preprocessing(space, detection, imports, helpers, any(b.scale for b in branches))
    if network is not None and not _has_role(detection, "scaler"):
        # R15: networks train on standardized numbers.
        imports.name("sklearn.preprocessing.StandardScaler")
        preprocessing = Preprocessing(preprocessing.assignments, preprocessing.encoder, f"make_pipeline({preprocessing.numeric}, StandardScaler())")
    if any(b.scale for b in branches) and not _has_role(detection, "scaler"):
        imports.name("sklearn.preprocessing.StandardScaler")
    for dotted in ("sklearn.compose.make_column_transformer", "sklearn.impute.SimpleImputer", "sklearn.pipeline.make_pipeline", "sklearn.model_selection.train_test_split"):
        imports.name(dotted)
    _metric_imports(detection.task, options.contract, imports)
    if detection.task == "classification":
        helpers.add("stratify_labels")
    uses_n_features = any("n_features" in a.expr for b in branches for a in b.args)
    return Plan(
        header=f"# Generated by trainfn-gen {__version__} from {detection.source}. Do not edit: regenerate with trainfn-gen.",
        summary=_summary(detection, options, budget),
        imports=imports.lines("Any, Dict, Union" if options.contract == "metrics" else "Any"),
        contract=options.contract,
        task=detection.task,
        facade=options.facade,
        helpers=tuple(sorted(helpers)),
        budget=budget,
        unused=unused,
        selector=selector,
        branches=branches,
        preprocessing=preprocessing,
        uses_n_features=uses_n_features,
        label="{" + selector.var + "}" if selector else (branches[0].estimator if branches else network.branches[0].title),
        network=network,
    )


def _network(space, detection: Detection, options: Options, imports: _Imports, helpers: set, budget):
    """The network part of the plan (network_plan.py), or None for scikit-learn families only."""
    keys = _branch_keys(detection)
    if not any(BY_NAME[f].network for _, f in keys):
        return None
    from .network_plan import build_network, refuse_mixed

    others = [f for _, f in keys if not BY_NAME[f].network]
    if others:
        refuse_mixed(detection, others)
    network = build_network(space, detection, options, keys, helpers, _value_expr, budget)
    if network.framework == "torch":
        imports.module("math")
        imports.plain.add("torch")
        imports.name("torch.nn")
        if "random_rotation" in network.augmentations:
            imports.name("torch.nn.functional")
    else:
        imports.plain.add("keras")
    return network


def _branch_keys(detection: Detection):
    if not detection.selector:
        return ((None, detection.families[0]),)
    return tuple((value, family) for value, family in detection.choices)


def _summary(detection: Detection, options: Options, budget: Budget | None) -> tuple[str, ...]:
    if any(BY_NAME[f].network for f in detection.families):
        framework = "TensorFlow/Keras" if options.framework == "tensorflow" else "PyTorch"
        models = ", ".join(f"{BY_NAME[f].title} ({v!r})" for v, f in detection.choices) if detection.selector else BY_NAME[detection.families[0]].title
        lines = [f"Model ({framework}): {models}" + (f", selected by `{detection.selector}`." if detection.selector else ".")]
    elif detection.selector:
        models = ", ".join(f"{family_estimator(f, detection.task)} ({v!r})" for v, f in detection.choices)
        lines = [f"`{detection.selector}` selects the model: {models}."]
    else:
        lines = [f"Model: {family_estimator(detection.families[0], detection.task)} ({BY_NAME[detection.families[0]].title})."]
    metric = "accuracy" if detection.task == "classification" else "mean squared error"
    returns = {
        "loss": f"the loss ({'-accuracy' if detection.task == 'classification' else 'mse'}) on the validation split",
        "metrics": "a dict with `loss` and the task's metrics on the validation split",
        "no-budget": f"the loss ({'-accuracy' if detection.task == 'classification' else 'mse'}) on the validation split",
    }[options.contract]
    lines.append(f"Task: {detection.task}; metric: {metric}. Contract `{options.contract}`: returns {returns}.")
    if budget:
        lines.append(f"Facade `{options.facade}`: budget in [{budget.literal_low}, {budget.literal_high}] sets each model's fidelity (R12).")
    elif options.contract == "no-budget":
        lines.append(f"Facade `{options.facade}`: no budget argument (contract no-budget).")
    else:
        lines.append(f"Facade `{options.facade}`: SMAC passes budget=None, so it is not used (R12).")
    return tuple(lines)


def _has_role(detection: Detection, role: str) -> bool:
    return any(p.role == role for p in detection.placements)


def _budget(space, detection: Detection, options: Options) -> Budget | None:
    if not options.uses_budget:
        return None
    low, high = options.min_budget, options.max_budget
    if low is None or high is None:
        default_low, default_high = _default_budget_range(space, detection)
        low = default_low if low is None else low
        high = default_high if high is None else high
    if not 0 < low <= high:
        raise GeneratorError(f"--min-budget {low} and --max-budget {high} must satisfy 0 < min <= max.", source=detection.source)
    return Budget(low, high, lit(low), lit(high))


def _default_budget_range(space, detection: Detection) -> tuple[float, float]:
    if len(detection.families) > 1:
        return (10, 100)
    family = BY_NAME[detection.families[0]]
    hp = _fidelity_hp(space, detection, family)
    if hp is not None and not is_categorical(hp):
        return (native(hp.lower), native(hp.upper))
    return family.fidelity.default_range


def _fidelity_hp(space, detection: Detection, family: Family):
    for placement in detection.placements:
        for use in placement.uses:
            if use.family == family.name and use.param.arg == family.fidelity.arg:
                return space[placement.name]
    return None


def _selector(space, detection: Detection, helpers: set) -> Selector:
    hp = space[detection.selector]
    helpers.add("as_choice")
    choices = tuple(str(v) for v in choice_values(hp))
    expr = f"as_choice(cfg.get({detection.selector!r}), {lit(str(hp.default_value))}, {lit(choices)})"
    var = detection.selector if detection.selector.isidentifier() and detection.selector not in RESERVED else "algorithm"
    return Selector(detection.selector, var, expr)


def _branch(space, detection, options, value, family_name, imports: _Imports, helpers: set, budget: Budget | None) -> Branch:
    family = BY_NAME[family_name]
    task = detection.task
    estimator = imports.name(family.estimators[task])
    uses = [(p, u) for p in detection.placements for u in p.uses if u.family == family_name]
    args: dict[str, Arg] = {}
    for placement, use in uses:
        if use.param.arg in args and (family.repeat is None or use.param.arg not in (family.repeat.width, family.repeat.depth)):
            continue
        args[use.param.arg] = Arg(use.param.arg, _value_expr(space[placement.name], use.param, detection, helpers))
    assignments: list[Arg] = []
    _apply_repeat(family, args)
    _apply_requires(family, args, assignments, uses)
    rows_budget = None
    if budget is not None:
        rows_budget = _apply_budget(space, family, args, budget, detection)
    for fixed in family.fixed:
        args.setdefault(fixed.arg, Arg(fixed.arg, lit(fixed.value), fixed.comment))
    if family.seeded:
        args["random_state"] = Arg("random_state", "seed")
    scale = family.scale and not _has_role(detection, "scaler")
    return Branch(
        value=value if value is None else lit(str(value)),
        family=family.title,
        estimator=estimator,
        assignments=tuple(assignments),
        args=tuple(args.values()),
        scale=scale,
        rows_budget=rows_budget,
        snippet=family.snippet,
    )


def _apply_repeat(family: Family, args: dict[str, Arg]) -> None:
    repeat = family.repeat
    if repeat is None or not ({repeat.width, repeat.depth} & set(args)):
        return
    width = args.pop(repeat.width).expr if repeat.width in args else str(repeat.default_width)
    depth = args.pop(repeat.depth).expr if repeat.depth in args else str(repeat.default_depth)
    args[repeat.arg] = Arg(repeat.arg, f"({width},) * {depth}", f"{repeat.depth} layers of {repeat.width} units")


def _apply_requires(family: Family, args: dict[str, Arg], assignments: list[Arg], uses) -> None:
    for param in family.params:
        if param.requires and param.arg in args:
            other, needed = param.requires
            if other in args:
                if not any(a.name == other for a in assignments):
                    assignments.append(Arg(other, args[other].expr))
                    args[other] = Arg(other, other)
                condition = other if needed is True else f"{other} == {lit(needed)}"
                args[param.arg] = Arg(param.arg, f"{args[param.arg].expr} if {condition} else None", f"only valid with {other}={needed}")


def _apply_budget(space, family: Family, args: dict[str, Arg], budget: Budget, detection: Detection) -> str | None:
    fidelity = family.fidelity
    if fidelity.kind == "rows":
        return f"budget / {budget.literal_high}"
    hp = _fidelity_hp(space, detection, family)
    current = args.get(fidelity.arg)
    fallback = current.expr if current else str(fidelity.default)
    if hp is not None and not is_categorical(hp) and (native(hp.lower), native(hp.upper)) == (budget.low, budget.high) or (hp is None and len(detection.families) == 1):
        mapped = "int(budget)"
        how = f"the budget is the {fidelity.meaning}"
    else:
        upper = native(hp.upper) if hp is not None and not is_categorical(hp) else fidelity.default_range[1]
        mapped = f"max(1, round(budget / {budget.literal_high} * {lit(upper)}))"
        how = f"the budget scales the {fidelity.meaning}: budget {budget.literal_high} gives {lit(upper)}"
    overrides = f"; it overrides {_names_for(detection, family, fidelity.arg)}" if current else ""
    args[fidelity.arg] = Arg(fidelity.arg, f"{fallback} if budget is None else {mapped}", f"R12: {how}{overrides}")
    return None


def _names_for(detection: Detection, family: Family, arg: str) -> str:
    names = [p.name for p in detection.placements for u in p.uses if u.family == family.name and u.param.arg == arg]
    return ", ".join(names)


def _value_expr(hp, param: Param, detection: Detection, helpers: set) -> str:
    name = hp.name
    read = f"cfg.get({name!r})"
    if is_categorical(hp):
        return _choice_expr(hp, param, read, helpers)
    if param.kind == "sizes":
        helpers.add("as_int")
        return f"(as_int({read}, {lit(native(hp.default_value))}, {lit(native(hp.lower))}, {lit(native(hp.upper))}),)"
    integer = is_integer(hp) if param.kind == "int_or_fraction" else param.kind == "int"
    if integer:
        low, high = _bounds(hp, param.low, param.high, detection, integer=True)
        helpers.add("as_int")
        expr = f"as_int({read}, {lit(_int_default(hp, low, high))}, {lit(low)}, {lit(high)})"
    else:
        floor, ceiling = (param.fraction_low, param.fraction_high) if param.kind == "int_or_fraction" else (param.low, param.high)
        low, high = _bounds(hp, floor, ceiling, detection, integer=False)
        helpers.add("as_float")
        expr = f"as_float({read}, {lit(float(native(hp.default_value)))}, {lit(float(low))}, {lit(float(high))})"
    if param.at_most_features and integer:
        return f"min({expr}, n_features)"
    return expr


def _int_default(hp, low, high) -> int:
    return min(max(round(native(hp.default_value)), low), high)


def _bounds(hp, floor, ceiling, detection: Detection, integer: bool):
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


def _choice_expr(hp, param: Param, read: str, helpers: set) -> str:
    helpers.add("as_choice")
    values = choice_values(hp)
    mapped = {str(native(v)): estimator_value(param, v) for v in values}
    default = lit(str(native(hp.default_value)))
    if all(isinstance(m, str) and m == k for k, m in mapped.items()):
        return f"as_choice({read}, {default}, {lit(tuple(mapped))})"
    pairs = ", ".join(f"{k!r}: {lit(v)}" for k, v in mapped.items())
    return f"as_choice({read}, {default}, {{{pairs}}})"


def _preprocessing(space, detection: Detection, imports: _Imports, helpers: set, scale: bool) -> Preprocessing:
    assignments = []
    imports.name("sklearn.preprocessing.OneHotEncoder")
    one_hot = "OneHotEncoder(handle_unknown=\"ignore\", sparse_output=False)"
    encoder = one_hot
    numeric_steps = []
    imputer = "SimpleImputer(strategy=\"median\")"
    for placement in detection.placements:
        if placement.role is None:
            continue
        hp = space[placement.name]
        read = f"cfg.get({placement.name!r})"
        helpers.add("as_choice")
        default = lit(str(native(hp.default_value)))
        keys = [str(native(v)) for v in choice_values(hp)] if is_categorical(hp) else []
        if placement.role == "one_hot" and keys:
            imports.name("sklearn.preprocessing.OrdinalEncoder")
            pairs = ", ".join(f"{k!r}: {lit(_truthy(k))}" for k in keys)
            assignments.append(Arg("one_hot", f"as_choice({read}, {default}, {{{pairs}}})", f"{placement.name}: one-hot encoding of categorical columns, else integer codes"))
            encoder = f"{one_hot} if one_hot else OrdinalEncoder(handle_unknown=\"use_encoded_value\", unknown_value=-1)"
        elif placement.role == "scaler" and keys:
            pairs = ", ".join(f"{k!r}: {_scaler_expr(k, imports, detection, placement.name)}" for k in keys)
            assignments.append(Arg("scaler", f"as_choice({read}, {default}, {{{pairs}}})", f"{placement.name}: the scaler for numeric columns"))
            numeric_steps.append("scaler")
        elif placement.role == "imputer" and keys:
            pairs = ", ".join(f"{k!r}: {lit(_imputer(k, detection, placement.name))}" for k in keys)
            assignments.append(Arg("imputation", f"as_choice({read}, {default}, {{{pairs}}})", f"{placement.name}: how missing numbers are filled"))
            imputer = "SimpleImputer(strategy=imputation)"
        else:
            raise GeneratorError("a preprocessing setting must be categorical (a choice of values).", source=detection.source, hyperparameter=placement.name)
    numeric = f"make_pipeline({imputer}, {', '.join(numeric_steps)})" if numeric_steps else imputer
    return Preprocessing(tuple(assignments), encoder, numeric)


def _truthy(key: str) -> bool:
    return key.lower() in ("true", "1", "yes", "onehot", "one_hot")


def _scaler_expr(key: str, imports: _Imports, detection: Detection, name: str) -> str:
    token = compact(key)
    if token not in roles.SCALERS:
        raise GeneratorError(f"scaler value '{key}' is not one this version knows ({', '.join(sorted(roles.SCALERS))}).", source=detection.source, hyperparameter=name)
    cls = roles.SCALERS[token]
    if cls is None:
        return "\"passthrough\""
    return imports.name(f"sklearn.preprocessing.{cls}") + "()"


def _imputer(key: str, detection: Detection, name: str) -> str:
    token = key.lower()
    if token not in roles.IMPUTERS:
        raise GeneratorError(f"imputation value '{key}' has no scikit-learn SimpleImputer strategy.", source=detection.source, hyperparameter=name)
    return roles.IMPUTERS[token]


def _metric_imports(task: str, contract: str, imports: _Imports) -> None:
    if task == "classification":
        names = ("accuracy_score",) if contract != "metrics" else ("accuracy_score", "balanced_accuracy_score", "f1_score", "precision_score", "recall_score")
    else:
        names = ("mean_squared_error",) if contract != "metrics" else ("mean_absolute_error", "mean_squared_error", "r2_score")
    for name in names:
        imports.name(f"sklearn.metrics.{name}")


__all__ = ["Arg", "Branch", "Placement", "Plan", "Use", "build_plan", "lit"]
