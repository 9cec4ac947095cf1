"""Detection + options -> Plan: a small, frozen intermediate representation with every string final."""

from __future__ import annotations

from dataclasses import dataclass, replace

from trainfn_gen.data.profile import CLASS_SHARE, MAX_CLASSES, Profile
from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge import estimators
from trainfn_gen.knowledge.families import BY_NAME, Family
from trainfn_gen.knowledge.reserved import free_variable
from trainfn_gen.knowledge.values import estimator_value
from trainfn_gen.space.model import SpaceModel, native

from .cv import resolve_cv, summary_lines
from .detect import AUTO, Detection, Placement, Use, family_estimator
from .expressions import Arg, Imports, docstring_safe, lit, log_arg, printable, value_expr
from .header import header
from .options import Options
from .preprocessing import Preprocessing, build_preprocessing
from .scoring import CALIBRATE, DECISION_COLUMNS, NEEDS_PROBABILITIES, Scoring, build_scoring


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
    valid_budget: str | None = None  # the share of validation rows a budget scores (Fidelity.valid_rows)
    scaler: str = "StandardScaler()"
    scaler_last: bool = False  # the scaler feeds the estimator itself, after the feature steps (family.scaler_last)
    scaler_note: str = ""
    calibrate: str | None = None  # CalibratedClassifierCV's local name: the metric needs probabilities this estimator lacks
    standardize_target: str | None = None  # TransformedTargetRegressor's local name (family.standardize_target)
    target_note: str = ""
    unused: tuple[tuple[str, str], ...] = ()  # (hyperparameter, reason) this branch's estimator ignores
    before_fit: str | None = None  # a helper called on the built model before fitting (family.before_fit)
    # The space's class balancing reaches this estimator through class_weight, through balanced sample
    # weights given to its fit (auto-sklearn's way for estimators without class_weight), or not at all.
    sample_weight: bool = False
    balancing: str = ""  # how balancing reaches it, for explain ("" when the space has no balancing)
    unbalanced: str = ""  # the estimator class balancing cannot reach ("" when it reaches it or there is none)


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
    encode_labels: bool = False
    # The metric of each task the code may meet (both when the task is "auto"), see scoring.py.
    classification_scoring: Scoring | None = None
    regression_scoring: Scoring | None = None
    predicts: bool = True
    probabilities: bool = False  # the metric needs class probabilities (roc_auc, log_loss)
    # The PyTorch / Keras network when the space's families are neural networks (network_plan.py).
    network: object = None
    # Task "auto": whole-number targets with at most this many distinct values (or this share of the
    # rows) are class labels, the rule --dataset profiling uses (profile.py).
    max_classes: int = MAX_CLASSES
    class_share: float = CLASS_SHARE
    # Cross-validation (cv.py): the number of folds, None for the 20% holdout; cv_reason says why.
    cv: int | None = None
    cv_reason: str = ""
    # Item 5 of issue 22, unused is loud: the (hyperparameter, reason) pairs of `unused` that generation warns
    # about; every one but a constant and SMAC's own seed, instance and replication parameters.
    warnings: tuple[tuple[str, str], ...] = ()
    # A family's own scaler runs before the feature steps (PCA, Nystroem, ...), as auto-sklearn orders them
    # (impute -> encode -> scale -> feature preprocessor -> estimator): each branch sets `scaling`.
    scale_first: bool = False
    # The test under which fit() gets balanced sample weights (Branch.sample_weight), None when no branch needs them.
    sample_weight: str | None = None
    sample_weight_note: str = ""


# Local names of the generated train(): a selector variable must not shadow them.
RESERVED = frozenset({"X", "y", "X_train", "X_valid", "y_train", "y_valid", "model", "estimator", "preprocess", "categorical", "metrics", "accuracy", "mse", "classification", "estimator_class", "start", "config", "key", "stem", "budget", "seed", "cfg", "dataset", "model_dir", "scaler", "one_hot", "imputation", "n_features", "features", "feature_preprocessor", "scaling", "fit_params", "np", "json", "os", "time", "random", "math", "hashlib", "joblib", "labels", "scores", "ovr_roc_auc", "deterministic", "whole", "caught", "warnings", "generators", "torch_generators", "keras_settings"})

# Run-time facts a family rule may depend on (Rule.on): name -> expression over the training data.
RUNTIME_FACTS = {"multiclass": "len(np.unique(y_train)) > 2"}

# Fidelity.valid_rows: a budget scores at least this many validation rows (accuracy's standard error
# stays near 1 point), all of them at the full budget.
VALID_ROWS = 1000
# The generated train()'s nested helpers and other locals (snippets/): a selector variable must not shadow them either.
HELPERS = frozenset({"as_int", "as_float", "as_choice", "root_impurity", "bounds", "stratify_labels", "holdout_rows", "keep_rows", "names", "counts", "flatten", "data_input", "train", "y_pred", "X_test", "y_test", "pca", "polynomial", "class_weight", "balanced_weights", "handle", "name", "value", "data",
                     "take_rows", "splits", "folds", "fold", "fits", "chosen", "split", "train_rows", "valid_rows", "stratified", "fold_metrics"})

# Choice values that stand for "the numeric companion's value" (`gamma: value` beside `gamma_value`).
SENTINELS = ("value", "manual", "numeric", "custom", "number", "float")

CLASSIFICATION_METRICS = ("accuracy", "balanced_accuracy", "precision", "recall", "f1")
REGRESSION_METRICS = ("mse", "mae", "r2")


def build_plan(space: SpaceModel, detection: Detection, options: Options, profile: Profile | None = None) -> Plan:
    imports = Imports()
    for module in ("hashlib", "json", "os", "random", "tempfile", "time"):
        imports.module(module)
    for dotted in ("numpy", "joblib"):
        imports.third.setdefault(dotted, set())
    imports.name("ConfigSpace.Configuration")
    helpers: set[str] = set()
    budget = _budget(space, detection, options)
    unused = tuple((printable(p.name), printable(p.reason)) for p in detection.placements if not p.uses and not p.role)
    metric = options.metric or (profile.default_metric if profile and detection.task == "classification" else None)
    extras = _profile_args(detection, metric, profile)
    network = _network(space, detection, options, imports, helpers, budget)
    if network is None:
        imports.module("warnings")  # R22: the fit's warnings are counted, not repeated (_model.py.jinja)
    branches = tuple(_branch(space, detection, options, value, family, imports, helpers, budget, extras) for value, family in _branch_keys(detection) if not BY_NAME[family].network)
    unused += tuple(pair for branch in branches for pair in branch.unused)
    # Every setting that is searched and unused warns, SMAC's own names (task_id, repl) too: SMAC spends trials on them.
    quiet = {printable(p.name) for p in detection.placements if space[p.name].is_constant}
    preprocessing = build_preprocessing(space, detection, imports, helpers)
    if network is not None:
        preprocessing = replace(preprocessing, skippable=False)  # the network code calls preprocess.fit_transform
    if network is not None and not _has_role(detection, "scaler"):
        # R15: networks train on standardized numbers.
        preprocessing = replace(preprocessing, numeric=f"make_pipeline({preprocessing.numeric}, {imports.name('sklearn.preprocessing.StandardScaler')}())")
    encode_labels = detection.task in ("classification", AUTO) and any(BY_NAME[f].encode_labels for f in detection.families)
    if encode_labels:
        imports.name("sklearn.preprocessing.LabelEncoder")
    classes = "classes" if network else "labels.classes_" if encode_labels else "model.classes_"
    probabilities = "probabilities" if network else None  # the network's softmax outputs (network snippets)
    scorings = {task: build_scoring(task, metric, options.contract, imports, helpers, classes, probabilities) for task in ("classification", "regression") if detection.task in (task, AUTO)}
    for dotted in ("sklearn.compose.make_column_transformer", "sklearn.impute.SimpleImputer", "sklearn.pipeline.make_pipeline"):
        imports.name(dotted)
    if network is None:  # the saved model's flatten step (issue 27)
        imports.module("operator")
        imports.name("sklearn.preprocessing.FunctionTransformer")
    cv, cv_reason = resolve_cv(options.cv, profile.rows if profile else None)
    if cv:
        helpers.add("take_rows")
        if detection.task in ("regression", AUTO):
            imports.name("sklearn.model_selection.KFold")
        if detection.task in ("classification", AUTO):
            imports.name("sklearn.model_selection.StratifiedKFold")
    if not cv:
        helpers.add("holdout_rows")
    if not cv or "keep_rows" in helpers:  # the holdout's split; keep_rows's share of the rows
        imports.name("sklearn.model_selection.train_test_split")
    if "keep_rows" in helpers and detection.task in ("classification", AUTO):
        helpers.add("stratify_labels")
    preprocessing = _unreached(preprocessing, branches)
    weighted = [branch for branch in branches if branch.sample_weight]
    if weighted:
        helpers.add("balanced_weights")
        imports.name("sklearn.utils.class_weight.compute_sample_weight")
    selector = _selector(space, detection, helpers, imports) if detection.selector else None  # after every import
    sample_weight, sample_weight_note = _sample_weight(detection, selector, branches, weighted)
    uses_n_features = any("n_features" in a.expr for a in (*preprocessing.args, *(a for b in branches for a in b.args)))
    return Plan(
        header=header(detection.source, options, profile=profile),
        summary=tuple(docstring_safe(line) for line in _summary(detection, options, budget, scorings) + summary_lines(cv, cv_reason, budget is not None, options.contract) + _data_lines(network is not None) + (profile.summary(metric, flattens=network is None) if profile else ()) + options.notes),
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
        label=_label(selector, branches[0] if branches else None) if branches or selector else network.branches[0].title,
        network=network,
        encode_labels=encode_labels,
        classification_scoring=scorings.get("classification"),
        regression_scoring=scorings.get("regression"),
        predicts=any(s.predicts for s in scorings.values()),
        probabilities=metric in NEEDS_PROBABILITIES,
        cv=cv,
        cv_reason=cv_reason,
        warnings=tuple(pair for pair in unused if pair[0] not in quiet),
        scale_first=bool(preprocessing.steps) and any(branch.scale and not branch.scaler_last for branch in branches),
        sample_weight=sample_weight,
        sample_weight_note=sample_weight_note,
    )


def _data_lines(network: bool) -> tuple[str, ...]:
    """Issue 27: the input contract every generated train() applies at run time (check_data, holdout_rows, the folds)."""
    shape = "images (N, H, W[, C]) and sequences (N, T, F) keep their shape and must be finite" if network else "more dimensions (images, sequences) are flattened to one row per sample (one printed line)"
    return (
        f"Data: dataset['X'] is numpy (any dtype), pandas, scipy sparse or a list of rows, one row per label; {shape}.",
        "Infinite values count as missing (imputed, counted in one line); rows whose label is missing (NaN, None) are dropped (counted);",
        "the split and the folds are stratified and keep every class in the training part. Any other data problem: one ValueError naming dataset['X'] or dataset['y'] and the fix.",
    )


def _sample_weight(detection: Detection, selector: Selector | None, branches, weighted) -> tuple[str | None, str]:
    """The test under which fit() gets balanced sample weights, and the comment that says why."""
    if not weighted:
        return None, ""
    test = ["class_weight is not None"]
    if selector and len(weighted) < len(branches):
        test.append(f"{selector.var} in ({', '.join(branch.value for branch in weighted)},)")
    if detection.task == AUTO:
        test.append("classification")
    name = next(p.name for p in detection.placements if p.role == "balancing")
    classes = ", ".join(dict.fromkeys(branch.balancing.split(".fit(")[0] for branch in weighted))
    verb = "takes" if len(weighted) == 1 else "take"
    note = f"{name}: {classes} {verb} no class_weight: balanced sample weights go to the estimator's fit instead, as auto-sklearn weights estimators without class_weight"
    return " and ".join(test), printable(note)


def _profile_args(detection: Detection, metric: str | None, profile: Profile | None) -> dict:
    """What the metric and the data add: "calibrate": estimators (dotted) to calibrate; "decision": estimators
    scored by decision_function, with the argument that makes it one column per class; "*": arguments for
    every estimator that takes them."""
    extras: dict = {}
    if detection.task == "classification" and metric == "log_loss":
        extras["calibrate"] = CALIBRATE
    if detection.task == "classification" and metric == "roc_auc":
        extras["decision"] = DECISION_COLUMNS
    if detection.task == "classification" and profile and profile.imbalanced and not _has_role(detection, "balancing"):
        extras["*"] = (Arg("class_weight", '"balanced"', "the profiled classes are imbalanced: weight them by inverse frequency"),)
    return extras


def _label(selector: Selector | None, branch: Branch | None) -> str:
    """How the progress line names the model: the selector's value, else the estimator class."""
    if selector:
        return "{" + selector.var + "}"
    return "{estimator_class.__name__}" if branch.estimator == "estimator_class" else branch.estimator


def _network(space, detection: Detection, options: Options, imports: Imports, helpers: set, budget):
    """The network part of the plan (network_plan.py), or None for scikit-learn families only."""
    keys = _branch_keys(detection)
    if not any(BY_NAME[f].network for _, f in keys):
        return None
    from .network_plan import build_network, refuse_mixed

    others = [f for _, f in keys if not BY_NAME[f].network]
    if others:
        refuse_mixed(detection, others)
    network = build_network(space, detection, options, keys, helpers, value_expr, budget)
    if network.framework == "torch":
        imports.module("math")
        imports.plain("torch")
        imports.name("torch.nn")
        if "random_rotation" in network.augmentations:
            imports.name("torch.nn.functional")
    else:
        imports.plain("keras")
        if "cosine" in network.schedules:
            imports.module("math")
    return network


def _branch_keys(detection: Detection):
    if not detection.selector:
        return ((None, detection.families[0]),)
    return tuple((value, family) for value, family in detection.choices)


def _summary(detection: Detection, options: Options, budget: Budget | None, scorings: dict[str, Scoring]) -> tuple[str, ...]:
    if any(BY_NAME[f].network for f in detection.families):
        framework = "TensorFlow/Keras" if options.framework == "tensorflow" else "PyTorch"
        models = ", ".join(f"{BY_NAME[f].title} ({v!r})" for v, f in detection.choices) if detection.selector else BY_NAME[detection.families[0]].title
        lines = [f"Model ({framework}): {models}" + (f", selected by `{detection.selector}`." if detection.selector else ".")]
    elif detection.selector:
        models = ", ".join(f"{family_estimator(f, detection.task)} ({v!r})" for v, f in detection.choices)
        lines = [f"`{detection.selector}` selects the model: {models}."]
    else:
        lines = [f"Model: {family_estimator(detection.families[0], detection.task)} ({BY_NAME[detection.families[0]].title})."]
    metric = " or ".join(s.title for s in scorings.values())
    loss = " or ".join(s.loss for s in scorings.values())
    returns = "a dict with `loss` and the task's metrics" if options.contract == "metrics" else f"the loss ({loss})"
    if detection.task == AUTO:
        lines.append(
            "Task: not given and not implied by the space, so y decides at run time: text, booleans and whole numbers "
            "with few distinct values are class labels, other numbers a regression target. Generate with --task to fix it."
        )
        lines.append(f"Metric: {metric}. Contract `{options.contract}`: returns {returns} on the validation split.")
    else:
        lines.append(f"Task: {detection.task}; metric: {metric}. Contract `{options.contract}`: returns {returns} on the validation split.")
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
    if hp is not None and not hp.is_categorical:
        return (native(hp.lower), native(hp.upper))
    return family.fidelity.default_range


def _fidelity_hp(space, detection: Detection, family: Family):
    for placement in detection.placements:
        for use in placement.uses:
            if use.family == family.name and use.param.arg == family.fidelity.arg:
                return space[placement.name]
    return None


def _selector(space, detection: Detection, helpers: set, imports: Imports) -> Selector:
    hp = space[detection.selector]
    helpers.add("as_choice")
    choices = tuple(str(v) for v in hp.choices)
    expr = f"as_choice(cfg.get({detection.selector!r}), {lit(str(hp.default_value))}, {lit(choices)})"
    # The selector's own name is the variable only where it shadows nothing the code binds, imports or calls.
    var = detection.selector if free_variable(detection.selector, RESERVED | HELPERS | imports.bound()) else "algorithm"
    return Selector(detection.selector, var, expr)


def _branch(space, detection, options, value, family_name, imports: Imports, helpers: set, budget: Budget | None, extras: dict | None = None) -> Branch:
    family = BY_NAME[family_name]
    task = detection.task
    assignments: list[Arg] = []
    if task == AUTO:
        classifier, regressor = (imports.name(family.estimators[t]) for t in ("classification", "regression"))
        assignments.append(Arg("estimator_class", f"{classifier} if classification else {regressor}"))
        estimator = "estimator_class"
    else:
        estimator = imports.name(family.estimators[task])
    estimator = _apply_variant(space, detection, family, estimator, assignments, imports, helpers)
    # Numeric alternatives (`gamma_numeric`) last: they wrap the setting they replace when active.
    # The user's --map first: it wins its argument over a detected mapping.
    uses = sorted(((p, u) for p in detection.placements for u in p.uses if u.family == family_name), key=lambda pair: (pair[1].alternative, not pair[1].user))
    args: dict[str, Arg] = {}
    named_by: dict[str, str] = {}  # argument -> the hyperparameter that set it first
    for placement, use in uses:
        hp = space[placement.name]
        if use.param.arg in args and use.alternative:
            numeric = log_arg(hp, use.param, use.log_base, detection, imports, helpers) if use.log_base is not None else Arg(use.param.arg, value_expr(hp, use.param, detection, helpers))
            replaced = args[use.param.arg]
            named = space[named_by[use.param.arg]]
            sentinels = tuple(str(native(v)) for v in named.choices if str(native(v)).lower() in SENTINELS)
            if sentinels:
                # The named choice holds a value that means "use the number" (`gamma: value`, `shrinkage: manual`).
                test = f"cfg.get({named.name!r}) in {lit(sentinels)}"
                args[use.param.arg] = Arg(use.param.arg, f"{numeric.expr} if {test} else {replaced.expr}", f"{hp.name} replaces {named.name} when that is {' or '.join(sentinels)}")
            else:
                args[use.param.arg] = Arg(use.param.arg, f"{numeric.expr} if cfg.get({hp.name!r}) is not None else {replaced.expr}", f"{hp.name}, when active, replaces the named value")
            continue
        if placement.name == detection.selector and value is not None:
            # A selector that is also this family's argument (Family.split: SVC's kernel): this branch's value.
            args[use.param.arg] = Arg(use.param.arg, lit(estimator_value(use.param, value)), f"{placement.name}={native(value)!r} trains this branch")
            continue
        named_by.setdefault(use.param.arg, placement.name)
        if use.param.arg in args and (family.repeat is None or use.param.arg not in (family.repeat.width, family.repeat.depth)):
            continue
        if use.log_base is not None:
            args[use.param.arg] = log_arg(hp, use.param, use.log_base, detection, imports, helpers)
        else:
            args[use.param.arg] = Arg(use.param.arg, value_expr(hp, use.param, detection, helpers))
        if use.param.wrap:
            wrappers = dict(use.param.wrap)
            if task == AUTO:
                classifier, regressor = (imports.name(wrappers[t]) for t in ("classification", "regression"))
                wrapper, label = f"({classifier} if classification else {regressor})", "tree"
            else:
                wrapper = label = imports.name(wrappers[task])
            args[use.param.arg] = Arg(use.param.arg, f"{wrapper}({use.param.wrap_arg}={args[use.param.arg].expr})", f"{placement.name}: the {use.param.wrap_arg} of each {label}")
    _apply_repeat(family, args)
    ignored = _apply_readers(family, args, uses, assignments)
    _apply_pair(family, args, assignments, imports)
    _apply_requires(family, args, assignments, uses)
    rows_budget = None
    pinned: dict[str, tuple] = {}  # fixed arguments take one value: rules skip what cannot happen
    if budget is not None:
        rows_budget = _apply_budget(space, family, args, budget, detection, pinned)
        if rows_budget:
            helpers.add("keep_rows")
    by_task: dict[str, list] = {"classification": [], "regression": []}  # task-only arguments when y decides the task
    for fixed in family.fixed:
        if (fixed.when and fixed.when not in args) or fixed.arg in args:
            continue
        if fixed.task in (None, task):
            args[fixed.arg] = Arg(fixed.arg, lit(fixed.value), fixed.comment)
            pinned[fixed.arg] = (fixed.value,)
        elif task == AUTO:
            by_task[fixed.task].append(fixed)
    if any(by_task.values()):
        # The task is decided at run time: the arguments one task's estimator alone takes are passed to it alone.
        classes, regression = ("{" + ", ".join(f"{f.arg!r}: {lit(f.value)}" for f in by_task[t]) + "}" for t in ("classification", "regression"))
        notes = "; ".join(f"for the {name} estimator only: " + "; ".join(f.comment for f in fixed) for name, fixed in by_task.items() if fixed)
        args["**task"] = Arg("**task", f"({classes} if classification else {regression})", notes, spread=True)
    if _has_role(detection, "balancing") and "class_weight" not in args and any(p.arg == "class_weight" for p in family.params_for(task)):
        args["class_weight"] = Arg("class_weight", "class_weight")
    sample_weight, balancing, unbalanced = _balancing(detection, family, args)
    takes_class_weight = any(p.arg == "class_weight" for p in family.params_for(task)) if task != AUTO else False
    for extra in (extras or {}).get("*", ()) if takes_class_weight else ():
        args.setdefault(extra.name, extra)
    standardize_target = None
    if family.standardize_target and task in ("regression", AUTO):
        standardize_target = imports.name("sklearn.compose.TransformedTargetRegressor")
        imports.name("sklearn.preprocessing.StandardScaler")
    decision = (extras or {}).get("decision", {}).get(family.estimators.get(task))
    if decision:
        args[decision[0]] = Arg(decision[0], lit(decision[1]), "R02: roc_auc ranks rows by decision_function, one column per class (fit and predictions do not change)")
    calibrate = None
    if family.estimators.get(task) in (extras or {}).get("calibrate", ()):
        calibrate = imports.name("sklearn.calibration.CalibratedClassifierCV")
    domains = {**_domains(space, uses), **pinned}
    _apply_rules(family, args, assignments, domains)
    before_fit = None
    if family.before_fit and family.before_fit[1][0] in args and _possible(domains, *family.before_fit[1]):
        before_fit = family.before_fit[0]
        helpers.add(before_fit)
    for param in family.params:
        if not param.passed:
            args.pop(param.arg, None)
        elif param.until and param.arg in args:
            args[param.arg] = _until(family, param, args[param.arg], imports)
    if family.seeded:
        args["random_state"] = Arg("random_state", "seed")
    scale = family.scale and (family.scale_always or not _has_role(detection, "scaler"))
    scaler = ""
    if scale:
        options = ", ".join(f"{name}={lit(value)}" for name, value in family.scaler_args)
        scaler = f"{imports.name(family.scaler)}({options})"
    return Branch(
        value=value if value is None else lit(str(value)),
        family=family.title,
        estimator=estimator,
        assignments=tuple(assignments),
        args=tuple(args.values()),
        scale=scale,
        rows_budget=rows_budget,
        valid_budget=f"max({rows_budget}, {VALID_ROWS} / len(y_valid))" if rows_budget and family.fidelity.valid_rows else None,
        snippet=family.snippet,
        scaler=scaler,
        scaler_last=family.scaler_last,
        scaler_note=family.scaler_note,
        calibrate=calibrate,
        standardize_target=standardize_target,
        target_note=family.target_note,
        unused=ignored,
        before_fit=before_fit,
        sample_weight=sample_weight,
        balancing=balancing,
        unbalanced=unbalanced,
    )


def _unreached(preprocessing: Preprocessing, branches) -> Preprocessing:
    """The balancing comment names the estimators that take neither class_weight nor fit(sample_weight=...)."""
    unreached = [b.unbalanced for b in branches if b.unbalanced]
    if not unreached or preprocessing.class_weight is None:
        return preprocessing
    verb = "takes" if len(unreached) == 1 else "take"
    note = f"; {', '.join(dict.fromkeys(unreached))} {verb} neither class_weight nor sample weights: no effect on them"
    assignments = tuple(replace(a, comment=a.comment + note) if a.name == preprocessing.class_weight else a for a in preprocessing.assignments)
    return replace(preprocessing, assignments=assignments)


def _balancing(detection: Detection, family: Family, args: dict[str, Arg]) -> tuple[bool, str, str]:
    """How the space's class balancing reaches this family: (balanced fit sample weights?, how, the estimator
    class it cannot reach or "").

    class_weight where the family declares it; else sample_weight where the estimator's fit declares it
    (the snapshot's fit_sample_weight); else the balancing comment names the class (_unreached)."""
    name = next((p.name for p in detection.placements if p.role == "balancing"), None)
    if name is None or detection.task == "regression":
        return False, "", ""
    dotted = family.estimators.get("classification")
    cls = dotted.rsplit(".", 1)[-1] if dotted else family.title
    if "class_weight" in args:
        return False, f"{cls}(class_weight=...)", ""
    if dotted and estimators.fit_sample_weight(dotted):
        return True, f"{cls}.fit(sample_weight=balanced weights)", ""
    # Read for the estimators that take it, so never stated unused: the balancing comment names this one (_unreached).
    return False, f"{cls} takes neither class_weight nor fit(sample_weight=...), so class balancing cannot reach it", cls


def _apply_variant(space, detection, family: Family, estimator: str, assignments: list[Arg], imports: Imports, helpers: set) -> str:
    """A choice that swaps the estimator class (ranger's splitrule='extratrees'): `estimator_class` picks it at run time."""
    variant = family.variant
    if variant is None:
        return estimator
    for placement in detection.placements:
        if placement.base.lower() not in variant.names or not any(u.family == family.name for u in placement.uses):
            continue
        hp = space[placement.name]
        present = {str(native(v)) for v in hp.choices}
        for value, other in variant.values:
            if value not in present:
                continue
            classes = BY_NAME[other].estimators
            if detection.task == AUTO:
                swapped = f"({imports.name(classes['classification'])} if classification else {imports.name(classes['regression'])})"
            else:
                swapped = imports.name(classes[detection.task])
            helpers.add("as_choice")
            read = f"as_choice(cfg.get({hp.name!r}), {lit(str(native(hp.default_value)))}, {lit(tuple(sorted(present)))})"
            assignments.append(Arg("estimator_class", f"{swapped} if {read} == {lit(value)} else {estimator}", f"{hp.name}: {variant.note}"))
            return "estimator_class"
    return estimator


def _apply_pair(family: Family, args: dict[str, Arg], assignments: list[Arg], imports: Imports) -> None:
    """Two bounds -> one object argument (a GP's kernel=RBF(length_scale_bounds=(low, high)))."""
    pair = family.pair
    if pair is None or not {*pair.bounds, *pair.theta} & set(args):
        return
    note = pair.note
    if set(pair.theta) & set(args):
        # Theta bounds: the high theta gives the low length scale, the low theta the high one.
        theta_low, theta_high = (args.pop(name).expr if name in args else None for name in pair.theta)
        low = f"(2 * {theta_high}) ** -0.5" if theta_high else lit(pair.defaults[0])
        high = f"(2 * {theta_low}) ** -0.5" if theta_low else lit(pair.defaults[1])
        note = f"{note}; {pair.theta_note}"
        for name in pair.bounds:
            args.pop(name, None)
    else:
        low, high = (args.pop(name).expr if name in args else lit(default) for name, default in zip(pair.bounds, pair.defaults))
    assignments.append(Arg("bounds", f"sorted(({low}, {high}))", f"{note}; the two bounds in order"))
    cls = imports.name(pair.cls)
    args[pair.arg] = Arg(pair.arg, f"{cls}(length_scale=(bounds[0] * bounds[1]) ** 0.5, {pair.keyword}=tuple(bounds))")


def _until(family: Family, param, arg: Arg, imports: Imports) -> Arg:
    """An argument its library deprecated in version `param.until`: passed to older versions only, decided at run time."""
    library = next(iter(family.estimators.values())).split(".")[0]
    imports.plain(library)
    release = tuple(int(part) for part in param.until.split("."))
    older = f'tuple(int(part) for part in {library}.__version__.split(".")[:2]) < {lit(release)}'
    comment = f"{library} < {param.until} reads {param.arg} itself; later versions deprecated it for the arguments set above"
    return Arg(param.arg, f"{{{param.arg!r}: {arg.expr}}} if {older} else {{}}", comment, spread=True)


def _apply_repeat(family: Family, args: dict[str, Arg]) -> None:
    repeat = family.repeat
    if repeat is None or not ({repeat.width, repeat.depth} & set(args)):
        return
    width = args.pop(repeat.width).expr if repeat.width in args else str(repeat.default_width)
    depth = args.pop(repeat.depth).expr if repeat.depth in args else str(repeat.default_depth)
    args[repeat.arg] = Arg(repeat.arg, f"({width},) * {depth}", f"{repeat.depth} layers of {repeat.width} units")


def _apply_readers(family: Family, args: dict[str, Arg], uses, assignments: list[Arg]) -> tuple[tuple[str, str], ...]:
    """Settings only some values of an unsearched choice read (Reader): pick the value that reads the
    space's settings, drop the ones it ignores and return them as (hyperparameter, reason) pairs."""
    if not family.readers:
        return ()
    if family.readers[0].arg in args:
        _apply_named(family, args, uses, assignments)
        return ()
    arg = family.readers[0].arg
    searched = {a for reader in family.readers for a in reader.reads} & set(args)
    if not searched:
        return ()
    best = max(family.readers, key=lambda reader: len(searched & set(reader.reads)))
    ignored = sorted(searched - set(best.reads))
    # Names that mean another value's setting (SGD's eta0): unused with this value (issue 14).
    named = {placement.name: (use.param.arg, reader.value) for placement, use in uses for reader in family.readers if reader is not best and placement.base.lower() in reader.names and not use.user}
    unnamed = {use.param.arg for placement, use in uses if placement.name not in named}
    for name, (param, _) in named.items():
        if param not in unnamed:
            args.pop(param, None)
    unused = tuple((printable(name), printable(f"it names the step size of {arg}={value!r} only, and this train() uses {arg}={best.value!r}")) for name, (_, value) in named.items())
    if best is family.readers[0] and not ignored:
        return unused
    others = {a for reader in family.readers if reader is not best for a in reader.reads}
    read = ", ".join(sorted(searched & set(best.reads) - others))
    args[arg] = Arg(arg, lit(best.value), f"the space searches {read} but not {arg}: only {arg}={best.value!r} reads them")
    for name in ignored:
        args.pop(name, None)  # an eta0 of another value's is gone already
    readers = {name: " or ".join(repr(r.value) for r in family.readers if name in r.reads) for name in ignored}
    return unused + tuple(
        (printable(placement.name), printable(f"only {arg}={readers[use.param.arg]} reads it, and this train() uses {arg}={best.value!r}"))
        for placement, use in uses
        if use.param.arg in ignored and placement.name not in named
    )


def _apply_named(family: Family, args: dict[str, Arg], uses, assignments: list[Arg]) -> None:
    """A searched choice: a name that means one value's setting (Reader.names, SGD's eta0) is passed under
    that value only; the other values keep the estimator's default (issue 14)."""
    arg = family.readers[0].arg
    for placement, use in uses:
        reader = next((r for r in family.readers if placement.base.lower() in r.names), None)
        param = use.param.arg
        if reader is None or param not in args or f"cfg.get({placement.name!r})" not in args[param].expr:
            continue
        chosen = _hoist(args, assignments, arg)
        default = estimators.default(next(iter(family.estimators.values())), param)
        args[param] = Arg(param, f"{args[param].expr} if {chosen} == {lit(reader.value)} else {lit(default)}", f"{placement.name} is {param} for {arg}={reader.value!r} only: the others keep its default")


def _apply_requires(family: Family, args: dict[str, Arg], assignments: list[Arg], uses) -> None:
    for param in family.params:
        if param.requires and param.arg in args:
            other, needed = param.requires
            if other in args:
                if not any(a.name == other for a in assignments):
                    assignments.append(Arg(other, args[other].expr))
                    args[other] = Arg(other, other)
                condition = other if needed is True else f"{other} == {lit(needed)}"
                note = f"{param.arg}: {param.requires_note}" if param.requires_note else f"only valid with {other}={needed}"
                args[param.arg] = Arg(param.arg, f"{args[param.arg].expr} if {condition} else None", note)


def _hoist(args: dict[str, Arg], assignments: list[Arg], name: str) -> str:
    """Read an argument into a local variable once (rules look at it and may replace it)."""
    if not any(a.name == name for a in assignments):
        assignments.append(Arg(name, args[name].expr, args[name].comment))
        args[name] = Arg(name, name)
    return name


def _domains(space, uses) -> dict[str, tuple]:
    """Estimator values each categorical argument can take in this space (rules skip what cannot happen)."""
    domains: dict[str, tuple] = {}
    for placement, use in uses:
        hp = space[placement.name]
        if hp.is_categorical:
            domains[use.param.arg] = domains.get(use.param.arg, ()) + tuple(estimator_value(use.param, v) for v in hp.choices)
    return domains


def _possible(domains: dict[str, tuple], arg: str, value) -> bool:
    return arg not in domains or value in domains[arg]


def _apply_rules(family: Family, args: dict[str, Arg], assignments: list[Arg], domains: dict[str, tuple]) -> None:
    """R09 R24: repair value combinations the estimator rejects, from the family's rule table.

    Table entries that the space's values cannot reach are left out; a rule with none left is skipped.
    """
    for rule in family.rules:
        if rule.on not in args and rule.on not in RUNTIME_FACTS and rule.kind != "below":
            continue
        present = rule.arg in args
        if rule.kind == "below":
            on = _hoist(args, assignments, rule.on) if rule.on in args else lit(rule.on_default)
            current = _hoist(args, assignments, rule.arg) if present else lit(rule.default)
            _set_arg(args, assignments, rule, f"min({current}, {lit(rule.fallback)} * {on})", present)
            continue
        if rule.kind == "share":
            on = _hoist(args, assignments, rule.on)
            current = _hoist(args, assignments, rule.arg) if present else lit(rule.default)
            _set_arg(args, assignments, rule, f"min({current}, {lit(rule.fallback)} - {on})", present)
            continue
        table = tuple((key, value) for key, value in rule.table if _possible(domains, rule.on, key))
        if rule.kind == "forbid":
            rejected = [(key, value) for key, values in table for value in values if _possible(domains, rule.arg, value)]
            if not rejected:
                continue
            if not present and not any(value == rule.default for _, value in rejected):
                continue
        elif not table or not present and all(value == rule.default for _, value in table):
            continue
        on = _hoist(args, assignments, rule.on) if rule.on in args else RUNTIME_FACTS[rule.on]
        current = _hoist(args, assignments, rule.arg) if present else lit(rule.default)
        table = "{" + ", ".join(f"{lit(key)}: {lit(value)}" for key, value in table) + "}"
        if rule.kind == "forbid":
            pairs = "{" + ", ".join(f"({lit(k)}, {lit(v)})" for k, v in rejected) + "}"
            expr = f"{lit(rule.fallback)} if ({on}, {current}) in {pairs} else {current}"
        elif rule.kind == "set":
            expr = f"{table}.get({on}, {current})"
        else:
            clip = "min" if rule.kind == "at_most" else "max"
            expr = f"{clip}({current}, {table}[{on}]) if {on} in {table} else {current}"
        _set_arg(args, assignments, rule, expr, present)
        if rule.arg in domains:
            domains[rule.arg] += (rule.fallback,) if rule.kind == "forbid" else tuple(value for _, value in rule.table)


def _set_arg(args: dict[str, Arg], assignments: list[Arg], rule, expr: str, hoisted: bool) -> None:
    if hoisted:
        assignments.append(Arg(rule.arg, expr, rule.note))
    else:
        args[rule.arg] = Arg(rule.arg, expr, rule.note)


def _apply_budget(space, family: Family, args: dict[str, Arg], budget: Budget, detection: Detection, pinned: dict[str, tuple]) -> str | None:
    fidelity = family.fidelity
    if fidelity.stop and not {fidelity.stop[0], *fidelity.stop[2]} & set(args):
        arg, value, _ = fidelity.stop
        default = next(p.choices[0] for p in family.params if p.arg == arg)
        args[arg] = Arg(arg, f"{lit(default)} if budget is None else {lit(value)}", f"under a budget the budget ends training, not the estimator's own {arg} (R12)")
        pinned[arg] = (default, value)
    if fidelity.kind == "rows":
        return f"budget / {budget.literal_high}"
    hp = _fidelity_hp(space, detection, family)
    current = args.get(fidelity.arg)
    numeric = hp is not None and not hp.is_categorical
    param = next((p for p in family.params if p.arg == fidelity.arg), None)
    low = max(1, native(hp.lower) if numeric else int(param.low) if param and param.low is not None else 1)
    if current:
        # The space searches the fidelity itself: keep the dimension meaningful (issue 14).
        mapped = f"max({lit(low)}, round({current.expr} * budget / {budget.literal_high}))"
        how = f"the searched {_names_for(detection, family, fidelity.arg)} is the {fidelity.meaning} at the full budget {budget.literal_high}; a lower budget scales it down, never below {lit(low)}"
        args[fidelity.arg] = Arg(fidelity.arg, f"{current.expr} if budget is None else {mapped}", f"R12: {how}")
        return None
    if numeric and (native(hp.lower), native(hp.upper)) == (budget.low, budget.high) or (hp is None and len(detection.families) == 1):
        mapped = f"max({lit(low)}, int(budget))"
        how = f"the budget is the {fidelity.meaning}, at least {lit(low)}"
    else:
        upper = native(hp.upper) if numeric else fidelity.default_range[1]
        mapped = f"max(1, round(budget / {budget.literal_high} * {lit(upper)}))"
        how = f"the budget scales the {fidelity.meaning}: budget {budget.literal_high} gives {lit(upper)}"
    args[fidelity.arg] = Arg(fidelity.arg, f"{fidelity.default} if budget is None else {mapped}", f"R12: {how}")
    return None


def _names_for(detection: Detection, family: Family, arg: str) -> str:
    names = [p.name for p in detection.placements for u in p.uses if u.family == family.name and u.param.arg == arg]
    return ", ".join(names)


__all__ = ["Arg", "Branch", "Placement", "Plan", "Use", "build_plan", "lit"]
