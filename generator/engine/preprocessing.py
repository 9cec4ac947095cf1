"""Preprocessing roles of a space -> the preprocessing part of the plan (R15): encoder, imputers, scaler,
feature steps after encoding (polynomial features, PCA, auto-sklearn's feature preprocessors), class
balancing and the data fraction a trial sees. Every string final; the snippets only arrange them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge import estimators, preprocessors, roles
from trainfn_gen.knowledge.families import Param
from trainfn_gen.space.model import (
    TRUE_WORDS,
    native,
)
from trainfn_gen.space.names import compact

from .corrections import snapshot_param
from .expressions import Arg, Imports, lit, value_expr
from .feature_steps import FeatureChoice, build_feature_choice, build_feature_step
from .step_settings import ENCODER

ONE_HOT = 'OneHotEncoder(handle_unknown="ignore", sparse_output=False)'
DEFAULT_IMPUTER = 'SimpleImputer(strategy="median")'
# A missing category gets the unknown code too: NaN passed on would reach the estimator (issue 15).
ORDINAL = 'OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1)'
# Value ranges the preprocessing arguments accept, as family-style parameters.
DEGREE = Param("degree", (), "int", low=1, high=5)
COMPONENTS = Param("n_components", (), "int_or_fraction", low=1, fraction_low=1e-3, fraction_high=1 - 1e-9, at_most_features=True)
FRACTION = Param("fraction", (), "float", low=1e-3, high=1.0)
WHITEN = Param("whiten", (), "bool")


@dataclass(frozen=True)
class Preprocessing:
    """assignments: lines before the pipeline; encoder/numeric: the column transformer's two parts;
    steps: variable names of feature steps between the column transformer and the estimator;
    class_weight: the variable holding the balancing choice (None: no balancing setting);
    data_fraction: the expression of the fraction of training rows a trial sees (None: all rows);
    skippable: the column transformer holds only the default encoder and imputer, which do nothing to
    a numeric table without missing values (the code then skips it, issue 14)."""

    assignments: tuple[Arg, ...]
    encoder: str
    numeric: str
    steps: tuple[str, ...]
    class_weight: str | None
    data_fraction: Arg | None
    feature_choice: FeatureChoice | None = None
    skippable: bool = False

    @property
    def args(self) -> tuple[Arg, ...]:
        """Every expression of the preprocessing part, in code order (explain, n_features)."""
        extra = (self.data_fraction,) if self.data_fraction else ()
        return (*self.assignments, *extra, *(self.feature_choice.args if self.feature_choice else ()))


def build_preprocessing(space, detection, imports: Imports, helpers: set) -> Preprocessing:
    """Raise GeneratorError, naming the hyperparameter, for a setting whose values have no scikit-learn meaning."""
    by_role = {}
    for placement in detection.placements:
        if placement.role:
            by_role.setdefault(placement.role, []).append(space[placement.name])
    source = detection.source
    assignments: list[Arg] = []
    imports.name("sklearn.preprocessing.OneHotEncoder")
    encoder, numeric_steps, imputer = ONE_HOT, [], DEFAULT_IMPUTER
    settings = _step_settings(space, detection, helpers)
    if ENCODER in settings:
        encoder = f"{ONE_HOT[:-1]}, {_arguments(settings[ENCODER])})"
        assignments.append(Arg("encoder", encoder, _settings_note(settings, [ENCODER]).lstrip("; ")))
        encoder = "encoder"
    for hp in by_role.get("one_hot", []):
        imports.name("sklearn.preprocessing.OrdinalEncoder")
        assignments.append(_choice(hp, "one_hot", {k: lit(_one_hot(k)) for k in _keys(hp, source)}, "one-hot encoding of categorical columns, else integer codes", helpers))
        encoder = f"{encoder} if one_hot else {ORDINAL}"
    for hp in by_role.get("categorical_imputer", []):
        numeric_only = [k for k in _keys(hp, source) if k.lower() in ("mean", "median")]
        if numeric_only:
            raise GeneratorError(f"categorical columns cannot be imputed with '{numeric_only[0]}'; use most_frequent or constant.", source=source, hyperparameter=hp.name)
        assignments.append(_choice(hp, "categorical_imputation", {k: lit(_imputer(k, source, hp.name)) for k in _keys(hp, source)}, "how missing categories are filled", helpers))
        encoder = f'make_pipeline(SimpleImputer(strategy=categorical_imputation, fill_value="missing"), {encoder})'
    for hp in by_role.get("imputer", []):
        assignments.append(_choice(hp, "imputation", {k: lit(_imputer(k, source, hp.name)) for k in _keys(hp, source)}, "how missing numbers are filled", helpers))
        imputer = "SimpleImputer(strategy=imputation)"
    always = [cls for cls in settings if cls != ENCODER] if not by_role.get("scaler") else []
    if len(always) > 1:
        names = sorted(name for cls in always for _, _, _, name in settings[cls])
        raise GeneratorError(
            f"its settings name {len(always)} scalers ({', '.join(always)}: {', '.join(names)}) and the space has no scaler choice, "
            "so neither has a place of its own; add a choice (`scaler` with one value per scaler), or take the settings of the "
            "others out with --unused.", source=source, hyperparameter=names[0])
    for cls in always:  # named only by its settings (`robust_scaler_q_min` and no scaler choice): in every trial
        note = _settings_note(settings, [cls]).lstrip("; ")
        assignments.append(Arg("scaler", f"{imports.name(f'sklearn.preprocessing.{cls}')}({_arguments(settings[cls])})", f"{note}; in every trial: the space has no scaler choice"))
        numeric_steps.append("scaler")
    for hp in by_role.get("scaler", []):
        pairs = {k: _scaler(k, imports, source, hp.name, settings) for k in _keys(hp, source)}
        assignments.append(_choice(hp, "scaler", pairs, "the scaler for numeric columns" + _settings_note(settings, [c for c in settings if any(f"{c}(" in code for code in pairs.values())]), helpers))
        numeric_steps.append("scaler")
    steps, feature_choice = _feature_steps(space, by_role, detection, imports, helpers, assignments)
    class_weight = None
    for hp in by_role.get("balancing", []):
        pairs = {k: lit(_balancing(k, source, hp.name)) for k in _keys(hp, source)}
        assignments.append(_choice(hp, "class_weight", pairs, "class weights for the estimators that take them", helpers))
        class_weight = "class_weight"
    fraction = None
    for hp in by_role.get("data_fraction", []):
        helpers.update({"keep_rows"})
        fraction = Arg(hp.name, value_expr(hp, FRACTION, detection, helpers), f"R12: {hp.name} is the fraction of the training rows this trial sees")
    numeric = f"make_pipeline({imputer}, {', '.join(numeric_steps)})" if numeric_steps else imputer
    skippable = encoder == ONE_HOT and numeric == DEFAULT_IMPUTER
    return Preprocessing(tuple(assignments), encoder, numeric, steps, class_weight, fraction, feature_choice, skippable)


def _feature_steps(space, by_role, detection, imports: Imports, helpers: set, assignments: list[Arg]) -> tuple[tuple[str, ...], FeatureChoice | None]:
    """Polynomial features and PCA (switches), then a feature-preprocessor choice, applied after encoding."""
    steps = []
    degree = _numeric(by_role, "polynomial_degree", DEGREE, detection, helpers, "2")
    for hp in by_role.get("polynomial", []):
        poly = imports.name("sklearn.preprocessing.PolynomialFeatures")
        switch = _choice(hp, "polynomial", {k: lit(k.lower() in TRUE_WORDS) for k in _keys(hp, detection.source)}, "polynomial features of the encoded columns", helpers)
        assignments.append(Arg("polynomial", f"{poly}(degree={degree}, include_bias=False) if {switch.expr} else \"passthrough\"", switch.comment))
        steps.append("polynomial")
    components = _numeric(by_role, "pca_components", COMPONENTS, detection, helpers, "0.95")
    whiten = _numeric(by_role, "pca_whiten", WHITEN, detection, helpers, "False")
    pca = f"PCA(n_components={components}, whiten={whiten}, random_state=seed)"
    for hp in by_role.get("pca", []):
        imports.name("sklearn.decomposition.PCA")
        switch = _choice(hp, "pca", {k: lit(k.lower() in TRUE_WORDS) for k in _keys(hp, detection.source)}, "PCA of the encoded columns", helpers)
        assignments.append(Arg("pca", f"{pca} if {switch.expr} else \"passthrough\"", switch.comment))
        steps.append("pca")
    # Each feature-preprocessor setting under its step (`nystroem_gamma` -> nystroem), read once for both cases below.
    tokens = preprocessors.step_tokens(space)
    settings: dict[str, list] = {}
    written: dict[str, str] = {}  # step as the space writes it -> one of its settings (the refusal names it)
    for placement in detection.placements:
        if placement.role == "feature_setting":
            step, _, base = preprocessors.owner(placement.name, tokens)
            settings.setdefault(preprocessors.token(step), []).append((space[placement.name], base))
            written[step] = placement.name
    choice = None
    for hp in by_role.get("feature_preprocessor", []):
        # Without settings of their own, PCA and the polynomial degree come from the space's other names.
        legacy = {"pca": pca, "polynomial": f"PolynomialFeatures(degree={degree}, include_bias=False)"}
        choice = build_feature_choice(hp, settings, legacy, bool(by_role.get("balancing")), detection, imports, helpers)
        steps.append("features")
    if not by_role.get("feature_preprocessor") and settings:
        if len(settings) > 1:
            raise GeneratorError(
                f"its settings name {len(written)} feature preprocessors ({', '.join(sorted(written))}) and the space has no choice among them, "
                "so none of them has a place of its own in the pipeline; add a choice (`feature_preprocessor` with one value per step), "
                "or take the settings of the others out with --unused.", source=detection.source, hyperparameter=min(written.values()))
        choice = build_feature_step(next(iter(written)), settings, bool(by_role.get("balancing")), detection, imports, helpers)
        steps.append("features")
    return tuple(steps), choice


def _numeric(by_role, role: str, param: Param, detection, helpers: set, default: str) -> str:
    """The expression of a numeric/bool preprocessing argument, or its default when the space lacks it."""
    for hp in by_role.get(role, []):
        return value_expr(hp, param, detection, helpers)
    return default


def _choice(hp, var: str, pairs: dict[str, str], what: str, helpers: set) -> Arg:
    helpers.add("as_choice")
    default = lit(str(native(hp.default_value)))
    mapping = ", ".join(f"{k!r}: {v}" for k, v in pairs.items())
    return Arg(var, f"as_choice(cfg.get({hp.name!r}), {default}, {{{mapping}}})", f"{hp.name}: {what}")


def _keys(hp, source: str) -> list[str]:
    if not hp.is_categorical:
        raise GeneratorError("a preprocessing setting must be categorical (a choice of values).", source=source, hyperparameter=hp.name)
    return [str(native(v)) for v in hp.choices]


def _one_hot(key: str) -> bool:
    return key.lower() in TRUE_WORDS or "onehot" in compact(key)


def _scaler(key: str, imports: Imports, source: str, name: str, settings: dict) -> str:
    token = compact(key)
    if token not in roles.SCALERS:
        raise GeneratorError(f"scaler value '{key}' is not one this version knows ({', '.join(sorted(roles.SCALERS))}).", source=source, hyperparameter=name)
    cls = roles.SCALERS[token]
    return '"passthrough"' if cls is None else imports.name(f"sklearn.preprocessing.{cls}") + f"({_arguments(settings.get(cls, []))})"


def _step_settings(space, detection, helpers: set) -> dict[str, list[tuple]]:
    """Class -> (setting, its value's expression, its range, the hyperparameter) for each hyperparameter placed as a setting of a step."""
    found: dict[str, list] = {}
    for placement in detection.placements:
        setting = placement.step
        if placement.role != "step_setting" or setting is None:
            continue
        hp = space[placement.name]
        span = (float(hp.lower), float(hp.upper)) if hp.is_numeric_range else None
        if setting.switch:
            continue  # read by the setting it switches (below)
        if setting.index is None:
            expr = value_expr(hp, snapshot_param(setting.path, setting.arg, None), detection, helpers)
        else:
            expr = value_expr(hp, Param(setting.arg, (), "float", low=0.0, high=1.0 if setting.percent else 100.0), detection, helpers)
            expr = f"100 * {expr}" if setting.percent else expr
        name = hp.name
        for switch in (p for p in detection.placements if p.step and p.step.switch and (p.step.cls, p.step.arg) == (setting.cls, setting.arg)):
            # off, the argument keeps the class's default (auto-sklearn's `use_minimum_fraction` False: no merging)
            on = _choice(space[switch.name], "on", {k: lit(k.lower() in TRUE_WORDS) for k in _keys(space[switch.name], detection.source)}, "", helpers).expr
            expr = f"{expr} if {on} else {lit(estimators.argument(setting.path, setting.arg).get('default'))}"
            name = f"{switch.name} (off: the default), {name}"
        found.setdefault(setting.cls, []).append((setting, expr, span, name))
    return found


def _settings_note(settings: dict, classes: list[str]) -> str:
    """`; robust_scaler_q_min, robust_scaler_q_max: RobustScaler's quantile_range`: what each step setting of
    `classes` sets."""
    notes = []
    for cls in classes:
        for arg in dict.fromkeys(s.arg for s, _, _, _ in settings[cls]):
            names = [name for s, _, _, name in settings[cls] if s.arg == arg]
            percent = " (fractions, in percent)" if any(s.percent for s, _, _, _ in settings[cls] if s.arg == arg) else ""
            notes.append(f"{', '.join(names)}: {cls}'s {arg}{percent}")
    return "".join(f"; {note}" for note in notes)


def _arguments(settings: list[tuple]) -> str:
    """`quantile_range=(100 * ..., 100 * ...)`: a tuple argument from its members (a missing one at the
    class's default), sorted when the space's ranges let the lower member exceed the upper (R24)."""
    direct = {s.arg: expr for s, expr, _, _ in settings if s.index is None}
    members: dict[str, dict[int, tuple]] = {}
    for s, expr, span, _ in settings:
        if s.index is not None:
            members.setdefault(s.arg, {})[s.index] = (expr, span)
    for arg, given in members.items():
        default = estimators.argument(settings[0][0].path, arg).get("default")
        parts = [given[i][0] if i in given else lit(default[i]) for i in range(len(default))]
        spans = [given[i][1] if i in given else (default[i], default[i]) for i in range(len(default))]
        ordered = all(a is not None and b is not None and a[1] <= b[0] for a, b in itertools.pairwise(spans))
        direct[arg] = f"({', '.join(parts)})" if ordered else f"tuple(sorted(({', '.join(parts)})))"
    return ", ".join(f"{arg}={expr}" for arg, expr in sorted(direct.items()))


def _imputer(key: str, source: str, name: str) -> str:
    token = key.lower()
    if token not in roles.IMPUTERS:
        raise GeneratorError(f"imputation value '{key}' has no scikit-learn SimpleImputer strategy.", source=source, hyperparameter=name)
    return roles.IMPUTERS[token]


def _balancing(key: str, source: str, name: str):
    token = compact(key)
    if token not in roles.BALANCING:
        raise GeneratorError(f"balancing value '{key}' is not one this version knows ({', '.join(roles.BALANCING)}).", source=source, hyperparameter=name)
    return roles.BALANCING[token]
