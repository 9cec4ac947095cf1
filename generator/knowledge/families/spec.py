"""The shape of a family's knowledge: frozen data, no code text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NUMERIC_KINDS = ("int", "float", "int_or_fraction", "feature_power", "feature_log_multiple", "feature_multiple", "root_relative")
CHOICE_KINDS = ("choice", "bool")


@dataclass(frozen=True)
class Param:
    """One estimator argument and the hyperparameter names that mean it.

    kind: "int", "float", "int_or_fraction" (an int count or a float fraction, decided by the
    space's type), "feature_power" (an exponent: the argument is n_features ** value, R ranger's
    `mtry.power`, auto-sklearn's forests), "feature_log_multiple" (value * (ln(n_features) + 1), at
    most half the features: early auto-sklearn forests), "feature_multiple" (value * n_features:
    auto-sklearn's relative tree depth), "root_relative" (value * the root node's impurity: rpart's
    cp), "choice" (strings) or "bool". Bounds are what the estimator accepts
    (inclusive; None = unbounded). ``renamed`` maps values the estimator renamed or dropped onto
    what it accepts now; ``none_values`` are spellings of Python None.
    ``at_most_rows``: an int clipped at run time to the training rows (k-NN's n_neighbors).
    ``convention``: the meaning holds only for names written in that convention ("autosklearn":
    `classifier:random_forest:max_features`); such a parameter is tried before the plain ones.
    ``range_max``: matches only a numeric range whose upper bound is at most this (tells auto-sklearn's
    exponent [0, 1] from its older multiplier [0.5, 5]); ``range_above``: matches only a numeric range whose
    upper bound exceeds this (a float "fraction" beyond 1 is auto-sklearn's multiplier); ``float_range``: matches only float ranges
    (a float max_depth is relative, an int one absolute).
    ``alternative``: a numeric form that replaces the named choice of the same argument when active
    (LDA's shrinkage_factor under shrinkage='manual').
    ``passed=False``: read into a variable for the family's rules only, never passed as ``arg``.
    ``until``: the estimator's library version ("1.8") that deprecated ``arg``: it is passed only to
    older versions, decided at run time (newer ones read the family's rules' replacement arguments).
    ``read_when``: (other argument, values): the estimator reads this argument only when the other one has one of
    these values; a space whose conditions make it active only under other values gets it stated unused.
    ``wrap``: (task, dotted class) pairs: the value is given to that class's ``wrap_arg`` and the
    object is passed as ``arg`` (AdaBoost's max_depth -> estimator=DecisionTree(max_depth=...)).
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
    # What the setting does without `requires` (stated in the code comment and by explain: never a silent no-op).
    requires_note: str = ""
    at_most_features: bool = False
    at_most_rows: bool = False
    passed: bool = True
    until: str = ""
    wrap: tuple[tuple[str, str], ...] = ()
    wrap_arg: str = ""
    note: str = ""
    # A regular expression over the lowercase base name for per-layer settings (`units_2`,
    # `num_filters_l0`); group 1 is the layer index.
    pattern: str = ""
    convention: str = ""
    range_max: float | None = None
    range_above: float | None = None
    float_range: bool = False
    alternative: bool = False
    # (other argument, its values under which the estimator reads this one): SGD reads epsilon only for the huber and
    # epsilon-insensitive losses. A setting the space makes active only under other values is stated unused.
    read_when: tuple[str, tuple[Any, ...]] | None = None
    # (values, reason): values that give the same model after the family's own scaler (SVC's gamma 'scale' and
    # 'auto' on standardized features). A choice among these values only is stated unused with the reason.
    same_when_scaled: tuple[tuple[Any, ...], str] | None = None

    def names(self) -> tuple[str, ...]:
        return (self.arg, *self.aliases)


@dataclass(frozen=True)
class Fidelity:
    """What a multi-fidelity budget controls.

    kind "count": the budget is a number of trees / iterations / epochs given to ``arg``;
    kind "rows": the budget is the fraction of training rows the model sees.
    ``stop``: (argument, value under a budget, the settings that tune it): a stopping rule of the
    estimator's own that would end training before the budget does (HistGradientBoosting's automatic
    early stopping); under a budget it takes that value unless the space searches one of them.
    ``valid_rows``: the budget also scores a share of the validation rows (k-NN, whose cost is
    prediction: training rows x validation rows).
    """

    kind: str
    arg: str = ""
    default_range: tuple[float, float] = (0.1, 1.0)
    meaning: str = ""
    default: int = 100
    stop: tuple[str, Any, tuple[str, ...]] | None = None
    valid_rows: bool = False


@dataclass(frozen=True)
class Fixed:
    """An estimator argument the generator always sets, with the reason shown as a comment.

    ``when``: set it only when the space sets this other argument (LDA's solver when shrinkage is tuned).
    """

    arg: str
    value: Any
    comment: str = ""
    task: str | None = None
    when: str = ""


@dataclass(frozen=True)
class Rule:
    """A combination of values the estimator rejects, repaired at run time (R09 R24); data, applied in order.

    kind "forbid": when (`on`, `arg`) is a pair of ``table`` (on-value, rejected arg-values), arg
    becomes ``fallback``. kind "set": when `on` is a key of ``table``, arg becomes the table's
    value. kinds "at_most" / "at_least": when `on` is a key, arg is clipped to the table's value.
    kind "share": arg + on must not exceed ``fallback`` (arg is clipped to fallback - on).
    kind "below": arg is clipped to ``fallback`` * on; ``on_default`` is on's estimator default,
    used when the space does not set `on` (QDA's tol must stay below reg_param).
    `on` is another argument of the family or a run-time fact (plan.RUNTIME_FACTS, e.g.
    "multiclass"). ``default`` is the estimator's default for `arg` when the space does not set it.
    """

    kind: str
    arg: str
    on: str
    table: tuple[tuple[Any, Any], ...]
    fallback: Any = None
    default: Any = None
    note: str = ""
    on_default: Any = None


@dataclass(frozen=True)
class Reader:
    """The settings one value of a choice argument reads, where other values ignore them (MLP: only
    solver="sgd" reads momentum, only "lbfgs" max_fun).

    When the space does not search ``arg``, the plan picks the value that reads the most of the
    space's settings (the family's first Reader, the estimator's default, wins ties) and states the
    settings that value ignores unused.
    ``names``: hyperparameter names that mean this value's setting only (SGD's `eta0` for the MLP's
    learning_rate_init, which Adam reads too): stated unused when another value is picked; they never
    pick this value themselves.
    """

    arg: str
    value: str
    reads: tuple[str, ...]
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Repeat:
    """An argument built as (width,) * depth from two parameters, e.g. MLP hidden_layer_sizes."""

    arg: str
    width: str
    depth: str
    default_width: int
    default_depth: int


@dataclass(frozen=True)
class Pair:
    """An argument built as an object from two parameters read as (low, high) bounds, e.g. a Gaussian
    process's kernel=RBF(length_scale_bounds=(thetaL, thetaU)); the pair is ordered at run time."""

    arg: str
    cls: str
    keyword: str
    bounds: tuple[str, str]
    defaults: tuple[float, float]
    note: str = ""
    # Parameters read as (low, high) bounds on theta of a correlation exp(-theta d^2) (old scikit-learn
    # GaussianProcess's thetaL / thetaU): the length-scale bounds are 1 / sqrt(2 theta), inverted.
    theta: tuple[str, str] = ()
    theta_note: str = ""


@dataclass(frozen=True)
class Split:
    """A value of one of the family's choice arguments that means another family's estimator when the space gives
    that estimator's own arguments under it: kernel='linear' beside penalty/loss/dual (LinearSVC's arguments, which
    SVC does not take) is LinearSVC. The choice becomes the selector: ``value`` trains ``family``, the other values
    train this family with the argument set to the value."""

    arg: str
    value: str
    family: str
    own: tuple[str, ...]  # the other family's arguments that this family lacks: the evidence


@dataclass(frozen=True)
class Variant:
    """A choice that swaps the estimator class for another family's with the same arguments."""

    names: tuple[str, ...]
    values: tuple[tuple[str, str], ...]  # (space value, family name); other values keep this family's class
    note: str = ""


@dataclass(frozen=True)
class Family:
    """Everything the generator knows about one algorithm family.

    ``scaler``/``scaler_args``: what scales the numbers when ``scale`` is set; ``scale_always``
    scales even after a scaler the space chooses (MultinomialNB needs non-negative input). The scaler
    runs before the feature steps (auto-sklearn's order), except with ``scaler_last``.
    ``encode_labels``: the estimator wants classes 0..K-1 (XGBoost): labels are encoded for fit
    and predictions decoded. ``standardize_target``: the regressor learns the standardized target
    (gradient-trained models diverge on raw targets in the hundreds; epsilon-insensitive losses
read epsilon in y's units), ``target_note`` says why in the code. ``rules``: value combinations
    the estimator rejects, repaired.
    """

    name: str
    title: str
    aliases: tuple[str, ...]
    estimators: dict[str, str]
    params: tuple[Param, ...]
    fidelity: Fidelity
    scale: bool = False
    seeded: bool = True
    fixed: tuple[Fixed, ...] = ()
    rules: tuple[Rule, ...] = ()
    scaler: str = "sklearn.preprocessing.StandardScaler"
    scaler_args: tuple[tuple[str, Any], ...] = ()
    scale_always: bool = False
    # The scaler feeds the estimator itself, after any feature step (PCA, Nystroem): it makes the estimator's
    # input valid (MultinomialNB's non-negative counts) rather than putting features on one scale.
    scaler_last: bool = False
    scaler_note: str = "Scale-sensitive model: standardize numbers first (also keeps libsvm/lbfgs iterations bounded)."
    encode_labels: bool = False
    standardize_target: bool = False
    target_note: str = "Gradient training diverges on raw targets in the hundreds"
    repeat: Repeat | None = None
    readers: tuple[Reader, ...] = ()
    snippet: str = "families/sklearn_estimator.py.jinja"
    priority: int = 50
    # Neural-network architecture ("mlp", "cnn", "rnn") trained in PyTorch or TensorFlow; "" for
    # scikit-learn families.
    network: str = ""
    # Settings the family understands but does not honour: (regular expression over the lowercase decoded
    # name, reason stated in the R06 comment): LDA's n_components shapes transform() only; HNSW index settings
    # of approximate k-NN; a network's per-layer max-norm.
    inert: tuple[tuple[str, str], ...] = ()
    # Trees split on the order of each feature's values, which a per-feature affine scaler (standard, min-max,
    # robust, max-abs) keeps: a space's choice among such scalers changes nothing for them (issue 22).
    scale_free: bool = False
    split: Split | None = None
    # A categorical that switches the estimator class: (argument names, {value: other family}); ranger's
    # splitrule='extratrees' grows extremely randomized trees.
    variant: Variant | None = None
    pair: Pair | None = None
    # A helper of _helpers.py.jinja that adjusts the built model before each fit, and the (argument, value) that
    # needs it: libsvm's polynomial kernel overflows its single-precision cache at high degrees.
    before_fit: tuple[str, tuple[str, Any]] | None = None

    def params_for(self, task: str | None) -> tuple[Param, ...]:
        """Parameters valid for the task (all of them when the task is not known yet or decided at run time)."""
        return tuple(p for p in self.params if task in (None, "auto") or p.task in (None, task))
