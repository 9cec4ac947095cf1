"""A feature-preprocessor choice (auto-sklearn's `feature_preprocessor:__choice__`) -> one branch per value,
each building its scikit-learn step from the value's own settings as auto-sklearn means them (R06 R09
R10 R15). Knowledge comes from the data module `preprocessors`; every string here is final code."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge import preprocessors
from trainfn_gen.knowledge.preprocessors import (
    ANY,
    DEFAULT_SCORES,
    MEANINGS,
    POOLING,
    SCORE_FUNCTIONS,
    SEEDED_SCORES,
    Preprocessor,
)
from trainfn_gen.knowledge.values import estimator_value
from trainfn_gen.space.model import native
from trainfn_gen.space.names import compact

from .expressions import Arg, Imports, lit, value_expr

VAR = "feature_preprocessor"
CLIP = '(np.clip, kw_args={"a_min": 0.0, "a_max": None})'
LEGACY = {"pca": "sklearn.decomposition.PCA", "polynomial": "sklearn.preprocessing.PolynomialFeatures"}


@dataclass(frozen=True)
class FeatureBranch:
    """keyword: "if" / "elif" / "else" / "" (a single value: no test); condition: the test's text (after
    `else:` a comment); assignments: locals read before the step; step: `features = ...`."""

    keyword: str
    condition: str
    assignments: tuple[Arg, ...]
    step: Arg
    reads: tuple[Arg, ...] = ()  # each setting's own expression (explain reads its cast and bounds)


@dataclass(frozen=True)
class FeatureChoice:
    choice: Arg | None  # None: one preprocessor in every trial (build_feature_step)
    branches: tuple[FeatureBranch, ...]

    @property
    def args(self) -> tuple[Arg, ...]:
        chosen = (self.choice,) if self.choice else ()
        return (*chosen, *(a for b in self.branches for a in (*b.reads, *b.assignments)))


def build_feature_choice(hp, settings: dict[str, list], legacy: dict[str, str], balanced: bool, detection, imports: Imports, helpers: set) -> FeatureChoice:
    """settings: table token -> (hyperparameter, the setting's own name) of the space's settings of that preprocessor."""
    helpers.add("as_choice")
    keys = [str(native(v)) for v in hp.choices]
    bodies: dict[tuple, list[str]] = {}
    for key in keys:
        bodies.setdefault(_body(key, hp, settings, legacy, balanced, detection, imports, helpers), []).append(key)
    branches = []
    for index, (body, values) in enumerate(bodies.items()):
        keyword = "" if len(bodies) == 1 else "if" if index == 0 else "else" if index == len(bodies) - 1 else "elif"
        condition = ", ".join(values) if keyword == "else" else _test(VAR, tuple(values))
        branches.append(FeatureBranch(keyword, condition, *body))
    choice = Arg(VAR, f"as_choice(cfg.get({hp.name!r}), {lit(str(native(hp.default_value)))}, {lit(tuple(keys))})", f"{hp.name}: the feature preprocessor after encoding")
    return FeatureChoice(choice, tuple(branches))


def build_feature_step(step: str, settings: dict[str, list], balanced: bool, detection, imports: Imports, helpers: set) -> FeatureChoice:
    """A feature preprocessor the space names only by its settings (`nystroem_gamma` and no choice among
    preprocessors): it runs in every trial, with no choice to read."""
    assignments, call, reads = _body(step, None, settings, {}, balanced, detection, imports, helpers)
    call = Arg(call.name, call.expr, f"{call.comment}; in every trial: the space has no feature-preprocessor choice")
    return FeatureChoice(None, (FeatureBranch("", "", assignments, call, reads),))


def _body(key: str, hp, settings, legacy, balanced, detection, imports: Imports, helpers: set) -> tuple:
    token = compact(key)
    if token in preprocessors.PASSTHROUGH:
        return (), Arg("features", '"passthrough"', "no feature preprocessing")
    spec = preprocessors.lookup(key)
    if spec is None:
        raise GeneratorError(f"feature preprocessor '{key}' is not one this version generates ({', '.join(preprocessors.names())}).", source=detection.source, hyperparameter=hp.name)
    own = settings.get(preprocessors.token(key), [])
    if not own and token in legacy:
        imports.name(LEGACY[token])
        read = [name for _, name in re.findall(r"cfg\.get\((['\"])(.+?)\1\)", legacy[token])]
        what = f"its arguments from {', '.join(read)}" if read else "no hyperparameter of the space sets its arguments"
        return (), Arg("features", legacy[token], f"{key}: the {spec.title} step; {what}")
    return _step(key, spec, own, balanced, detection, imports, helpers)


def _step(key: str, spec: Preprocessor, hps: list, balanced: bool, detection, imports: Imports, helpers: set) -> tuple:
    """(assignments, the step, each setting's expression)."""
    task = spec.task or detection.task
    args: dict[str, str] = {}
    domains: dict[str, tuple] = {}  # argument -> the values the space lets it take (tests skip the others)
    functions: dict[str, str] = {}  # score-function argument -> the mapping from its name to the function
    notes = [f"{key}: {spec.title}, as auto-sklearn fits it"]
    reads: list[Arg] = []
    for hp, base in hps:
        param = preprocessors.param_for(spec, base)
        args[param.arg] = _setting(hp, param, spec, task, detection, imports, helpers)
        reads.append(Arg(param.arg, args[param.arg]))
        if hp.is_categorical:
            domains[param.arg] = tuple(str(native(v)) if param.kind in ("function", "pooling") else estimator_value(param, v) for v in hp.choices)
        if param.kind == "function":
            functions[param.arg] = _functions(hp, task, detection, imports)
        if param.arg in dict(spec.meanings):
            notes.append(f"{param.arg} = {MEANINGS[dict(spec.meanings)[param.arg]]}")
    if "score_func" not in args and task in DEFAULT_SCORES and any(p.kind == "function" for p in spec.params):
        args["score_func"] = imports.name(DEFAULT_SCORES[task])
    for arg, value in spec.fixed:
        if arg not in args:
            args[arg], domains[arg] = lit(value), (value,)
    if spec.balanced and balanced:
        args["class_weight"] = "class_weight"  # auto-sklearn's balancing weights this step's estimator too
    if spec.seeded:
        args["random_state"] = "seed"
    assignments: list[Arg] = []
    for arg, other, reason in spec.requires:
        if arg in args and other in args:
            args[arg] = f"{args[arg]} if {_hoist(args, assignments, other)} else None"
            notes.append(reason)
    for repair in spec.repairs:
        values = tuple(v for v in repair.values if v in domains.get(repair.on, repair.values))
        if values and repair.on in args and repair.arg in args:
            on, current = _hoist(args, assignments, repair.on), _hoist(args, assignments, repair.arg)
            assignments.append(Arg(current, f"{lit(repair.to)} if {_test(on, values)} else {current}", repair.note))
    clip = ""
    if spec.clip_negative and spec.clip_negative[0] in args:
        arg, values = spec.clip_negative
        values = tuple(v for v in values if v in domains.get(arg, ()))
        if values:
            clip = f"{imports.name('sklearn.preprocessing.FunctionTransformer')}{CLIP} if {_test(_hoist(args, assignments, arg), values)} else \"passthrough\""
            notes.append("chi2 needs non-negative input: negatives are clipped to 0")
    for arg, mapping in functions.items():
        args[arg] = f"{mapping}[{_hoist(args, assignments, arg)}]"
    call = _call(spec, task, args, imports)
    if clip:
        call = f"{imports.name('sklearn.pipeline.make_pipeline')}({clip}, {call})"
    return tuple(assignments), Arg("features", call, "; ".join(notes)), tuple(reads)


def _test(var: str, values: tuple) -> str:
    return f"{var} == {lit(values[0])}" if len(values) == 1 else f"{var} in {lit(values)}"


def _call(spec: Preprocessor, task: str, args: dict[str, str], imports: Imports) -> str:
    dotted = spec.classes.get(ANY) or spec.classes.get(task) or next(iter(spec.classes.values()))
    call = f"{imports.name(dotted)}({', '.join(f'{k}={v}' for k, v in args.items())})"
    if spec.select_from:
        call = f'{imports.name("sklearn.feature_selection.SelectFromModel")}({call}, threshold="mean")'
    return call


def _setting(hp, param, spec: Preprocessor, task: str, detection, imports: Imports, helpers: set) -> str:
    """The expression of one setting: a checked name for score functions and pooling, else the families' cast-and-clip."""
    if param.kind in ("function", "pooling"):
        helpers.add("as_choice")
        values = tuple(str(native(v)) for v in hp.choices)
        choice = f"as_choice(cfg.get({hp.name!r}), {lit(str(native(hp.default_value)))}, {lit(values)})"
        if param.kind == "pooling":
            return f"{{{', '.join(f'{v!r}: ' + POOLING[v].replace('numpy.', 'np.') for v in values)}}}[{choice}]"
        return choice
    inactive = dict(spec.inactive).get(param.arg)
    if inactive is not None and not hp.is_categorical and native(hp.lower) <= inactive <= native(hp.upper):
        hp = dataclasses.replace(hp, default_value=inactive)  # auto-sklearn's own default when the setting is inactive (cfg.get gives None)
    expr = value_expr(hp, param, detection, helpers)
    meaning = dict(spec.meanings).get(param.arg)
    if meaning == "power_of_features":
        return f"max(1, int(n_features ** {expr}))"
    if meaning == "log_features":
        imports.module("math")
        return f"max(1, min(n_features // 2, int({expr} * (math.log(n_features) + 1))))"
    if meaning == "below_features":
        return f"max(1, min({expr}, n_features - 1))"
    return expr


def _functions(hp, task: str, detection, imports: Imports) -> str:
    """{name: score function} for the space's values; mutual information gets the seed, as auto-sklearn passes it."""
    pairs = []
    for value in (str(native(v)) for v in hp.choices):
        tasks = [t for t in ("classification", "regression") if task in (t, "auto") and value in SCORE_FUNCTIONS[t]]
        if not tasks:
            raise GeneratorError(f"score function '{value}' has no {task} meaning ({', '.join(SCORE_FUNCTIONS.get(task, {}))}).", source=detection.source, hyperparameter=hp.name)
        codes = [_seeded(imports.name(SCORE_FUNCTIONS[t][value]), imports) for t in tasks]
        pairs.append(f"{value!r}: {codes[0]}" if len(codes) == 1 else f"{value!r}: {codes[0]} if classification else {codes[1]}")
    return "{" + ", ".join(pairs) + "}"


def _seeded(function: str, imports: Imports) -> str:
    if function in SEEDED_SCORES:
        imports.module("functools")
        return f"functools.partial({function}, random_state=seed)"
    return function


def _hoist(args: dict[str, str], assignments: list[Arg], name: str) -> str:
    """Read an argument into a local once (a repair or a test looks at it)."""
    if args[name] != name:
        assignments.append(Arg(name, args[name]))
        args[name] = name
    return name
