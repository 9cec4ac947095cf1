"""auto-sklearn's feature preprocessors as auto-sklearn means them: data only, no code text.

One entry per choice token (`feature_preprocessor:__choice__` values, compacted): the scikit-learn
class per task, its settings in the families' `Param` style (auto-sklearn's names as aliases), the
arguments auto-sklearn always sets, the values it uses when a setting is inactive, what its fit()
does to the values (`meanings`) and the combinations it repairs. Facts read from auto-sklearn's
components (autosklearn/pipeline/components/feature_preprocessing/*.py) and its balancing step.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from trainfn_gen.space.model import native
from trainfn_gen.space.names import compact, path_segments, snake

from .families.spec import Param
from .values import Unmapped, estimator_value

ANY = "any"  # a class for both tasks


@dataclass(frozen=True)
class Repair:
    """R09 R24: when setting `on` has one of `values`, setting `arg` becomes `to` (what auto-sklearn or
    the estimator requires); `on`/`arg` are estimator argument names of the same preprocessor."""

    on: str
    values: tuple[Any, ...]
    arg: str
    to: Any
    note: str


@dataclass(frozen=True)
class Preprocessor:
    """classes: task ("classification", "regression" or ANY) -> dotted class. ``select_from``: the class is
    an estimator wrapped in SelectFromModel(threshold="mean"), as auto-sklearn keeps the features whose
    importance reaches the mean. ``fixed``: arguments always set (unless a setting sets them).
    ``inactive``: auto-sklearn's constructor defaults, used when a conditional setting is inactive.
    ``meanings``: argument -> how auto-sklearn turns the value into the argument at fit time
    (see MEANINGS). ``clip_negative``: (argument, values): with these values auto-sklearn clips negative
    inputs to 0 first (chi2 needs non-negative features). ``requires``: argument -> (other, reason): the
    argument is passed only when the other one is truthy. ``balanced``: takes class_weight from
    auto-sklearn's balancing:strategy. ``unused``: settings of auto-sklearn's space it never passes,
    with the reason."""

    title: str
    classes: dict[str, str]
    params: tuple[Param, ...] = ()
    fixed: tuple[tuple[str, Any], ...] = ()
    seeded: bool = False
    select_from: bool = False
    inactive: tuple[tuple[str, Any], ...] = ()
    meanings: tuple[tuple[str, str], ...] = ()
    clip_negative: tuple[str, tuple[str, ...]] | None = None
    requires: tuple[tuple[str, str, str], ...] = ()
    repairs: tuple[Repair, ...] = ()
    balanced: bool = False
    unused: tuple[tuple[str, str], ...] = ()
    task: str | None = None  # the task the preprocessor implies (select_percentile_classification)


# How auto-sklearn's fit() turns a value v into the argument (n = the number of input features).
MEANINGS = {
    "power_of_features": "an exponent, int(n_features ** value), at least 1",
    "log_features": "int(value * (ln(n_features) + 1)), from 1 to half the features",
    "below_features": "kept below n_features",
}

# Univariate score functions by auto-sklearn's names, per task; mutual information is seeded.
SCORE_FUNCTIONS = {
    "classification": {
        "chi2": "sklearn.feature_selection.chi2",
        "f_classif": "sklearn.feature_selection.f_classif",
        "mutual_info": "sklearn.feature_selection.mutual_info_classif",
        "mutual_info_classif": "sklearn.feature_selection.mutual_info_classif",
    },
    "regression": {
        "f_regression": "sklearn.feature_selection.f_regression",
        "mutual_info": "sklearn.feature_selection.mutual_info_regression",
        "mutual_info_regression": "sklearn.feature_selection.mutual_info_regression",
    },
}
# Without a score_func setting: scikit-learn's F-tests (SelectPercentile's own default is f_classif).
DEFAULT_SCORES = {"classification": "sklearn.feature_selection.f_classif", "regression": "sklearn.feature_selection.f_regression"}
SEEDED_SCORES = frozenset({"mutual_info_classif", "mutual_info_regression"})
# FeatureAgglomeration's pooling_func by auto-sklearn's names.
POOLING = {"mean": "numpy.mean", "median": "numpy.median", "max": "numpy.max"}

NONE = ("None", "none")
FOREST = (
    Param("n_estimators", (), "int", low=1),
    Param("max_depth", (), "int", low=1, none_values=NONE),
    Param("max_leaf_nodes", (), "int", low=2, none_values=NONE),
    Param("min_samples_split", (), "int_or_fraction", low=2),
    Param("min_samples_leaf", (), "int_or_fraction", low=1, fraction_high=0.5),
    Param("min_weight_fraction_leaf", (), "float", low=0.0, high=0.5),
    Param("min_impurity_decrease", (), "float", low=0.0),
    Param("bootstrap", (), "bool"),
    Param("max_features", (), "float", low=0.0),
)
KERNELS = ("linear", "poly", "rbf", "sigmoid", "cosine")
KERNEL_PARAMS = (
    Param("n_components", (), "int", low=1),
    Param("gamma", (), "float", low=1e-12),
    Param("degree", (), "int", low=1),
    Param("coef0", (), "float"),
)
SCORE = Param("score_func", (), "function")
CHI2 = ("score_func", ("chi2",))
# GenericUnivariateSelect: auto-sklearn's alpha is its param.
SELECT_RATES = {
    "params": (Param("param", ("alpha",), "float", low=0.0), Param("mode", (), "choice", choices=("fpr", "fdr", "fwe", "percentile")), SCORE),
    "repairs": (Repair("score_func", ("mutual_info", "mutual_info_classif", "mutual_info_regression"), "mode", "percentile", "auto-sklearn: mutual information has no p-values, so it selects by percentile"),),
}
SELECT_PERCENTILE = {"params": (Param("percentile", (), "int", low=1, high=100, note="auto-sklearn truncates it to an int"), SCORE)}

PREPROCESSORS: dict[str, Preprocessor] = {
    "pca": Preprocessor(
        "PCA",
        {ANY: "sklearn.decomposition.PCA"},
        (Param("n_components", ("keep_variance",), "int_or_fraction", low=1, fraction_low=1e-3, fraction_high=1 - 1e-9, at_most_features=True), Param("whiten", (), "bool")),
        seeded=True,
    ),
    "polynomial": Preprocessor(
        "polynomial features",
        {ANY: "sklearn.preprocessing.PolynomialFeatures"},
        (Param("degree", (), "int", low=1, high=5), Param("interaction_only", (), "bool"), Param("include_bias", (), "bool")),
        fixed=(("include_bias", False),),
    ),
    "truncatedsvd": Preprocessor(
        "truncated SVD",
        {ANY: "sklearn.decomposition.TruncatedSVD"},
        (Param("n_components", ("target_dim",), "int", low=1),),
        fixed=(("algorithm", "randomized"),),
        seeded=True,
        meanings=(("n_components", "below_features"),),
    ),
    "fastica": Preprocessor(
        "fast ICA",
        {ANY: "sklearn.decomposition.FastICA"},
        (
            Param("n_components", (), "int", low=1, at_most_features=True),
            Param("algorithm", (), "choice", choices=("parallel", "deflation")),
            # scikit-learn's old whiten=True is today's "arbitrary-variance".
            Param("whiten", (), "choice", choices=("arbitrary-variance", "unit-variance"), renamed=(("True", "arbitrary-variance"), ("False", False), ("true", "arbitrary-variance"), ("false", False))),
            Param("fun", (), "choice", choices=("logcosh", "exp", "cube")),
        ),
        seeded=True,
        requires=(("n_components", "whiten", "auto-sklearn passes n_components only with whitening"),),
    ),
    "featureagglomeration": Preprocessor(
        "feature agglomeration",
        {ANY: "sklearn.cluster.FeatureAgglomeration"},
        (
            Param("n_clusters", (), "int", low=1, at_most_features=True),
            # scikit-learn 1.2 renamed affinity to metric.
            Param("metric", ("affinity",), "choice", choices=("euclidean", "manhattan", "cosine", "l1", "l2")),
            Param("linkage", (), "choice", choices=("ward", "complete", "average", "single")),
            Param("pooling_func", (), "pooling"),
        ),
        repairs=(Repair("linkage", ("ward",), "metric", "euclidean", "ward linkage takes only the euclidean metric"),),
    ),
    "kernelpca": Preprocessor(
        "kernel PCA",
        {ANY: "sklearn.decomposition.KernelPCA"},
        (*KERNEL_PARAMS, Param("kernel", (), "choice", choices=KERNELS)),
        # auto-sklearn drops zero-eigenvalue components (remove_zero_eig=True), which leaves no feature at all
        # when a saturated kernel is constant on the data (R24): kept here as zero columns instead.
        fixed=(("remove_zero_eig", False),),
        seeded=True,
        inactive=(("degree", 3), ("gamma", 0.25), ("coef0", 0.0)),
    ),
    "nystroemsampler": Preprocessor(
        "Nystroem kernel approximation",
        {ANY: "sklearn.kernel_approximation.Nystroem"},
        (*KERNEL_PARAMS, Param("kernel", (), "choice", choices=(*KERNELS, "chi2", "additive_chi2", "laplacian"))),
        seeded=True,
        inactive=(("degree", 3), ("gamma", 1.0), ("coef0", 1.0)),
        clip_negative=("kernel", ("chi2",)),
    ),
    "kitchensinks": Preprocessor(
        "random kitchen sinks",
        {ANY: "sklearn.kernel_approximation.RBFSampler"},
        (Param("gamma", (), "float", low=1e-12), Param("n_components", (), "int", low=1)),
        seeded=True,
    ),
    "randomtreesembedding": Preprocessor(
        "random trees embedding",
        {ANY: "sklearn.ensemble.RandomTreesEmbedding"},
        tuple(p for p in FOREST if p.arg not in ("bootstrap", "max_features", "min_weight_fraction_leaf")),
        fixed=(("sparse_output", False),),
        seeded=True,
        unused=(
            ("min_weight_fraction_leaf", "auto-sklearn's random trees embedding never passes it (its constant 1.0 is no valid scikit-learn value)"),
            ("bootstrap", "scikit-learn's RandomTreesEmbedding has no bootstrap; auto-sklearn never passes it"),
        ),
    ),
    "selectpercentileclassification": Preprocessor("select percentile", {ANY: "sklearn.feature_selection.SelectPercentile"}, clip_negative=CHI2, task="classification", **SELECT_PERCENTILE),
    "selectpercentileregression": Preprocessor("select percentile", {ANY: "sklearn.feature_selection.SelectPercentile"}, task="regression", **SELECT_PERCENTILE),
    "selectratesclassification": Preprocessor("select rates", {ANY: "sklearn.feature_selection.GenericUnivariateSelect"}, clip_negative=CHI2, task="classification", **SELECT_RATES),
    "selectratesregression": Preprocessor("select rates", {ANY: "sklearn.feature_selection.GenericUnivariateSelect"}, task="regression", **SELECT_RATES),
    # auto-sklearn's older name for both tasks; its score function names the task.
    "selectrates": Preprocessor("select rates", {ANY: "sklearn.feature_selection.GenericUnivariateSelect"}, clip_negative=CHI2, **SELECT_RATES),
    "extratreespreprocforclassification": Preprocessor(
        "extra-trees feature selection",
        {"classification": "sklearn.ensemble.ExtraTreesClassifier"},
        (*FOREST, Param("criterion", (), "choice", choices=("gini", "entropy", "log_loss"))),
        seeded=True,
        select_from=True,
        meanings=(("max_features", "power_of_features"),),
        balanced=True,
        task="classification",
    ),
    "extratreespreprocforregression": Preprocessor(
        "extra-trees feature selection",
        {"regression": "sklearn.ensemble.ExtraTreesRegressor"},
        (*FOREST, Param("criterion", (), "choice", choices=("squared_error", "absolute_error", "friedman_mse", "poisson"), renamed=(("mse", "squared_error"), ("mae", "absolute_error")))),
        seeded=True,
        select_from=True,
        meanings=(("max_features", "log_features"),),
        task="regression",
    ),
    "liblinearsvcpreprocessor": Preprocessor(
        "L1 linear SVM feature selection",
        {"classification": "sklearn.svm.LinearSVC"},
        (
            Param("penalty", (), "choice", choices=("l1", "l2")),
            Param("loss", (), "choice", choices=("hinge", "squared_hinge")),
            Param("dual", (), "bool"),
            Param("tol", (), "float", low=1e-12),
            Param("C", (), "float", low=1e-12),
            Param("multi_class", (), "choice", choices=("ovr", "crammer_singer")),
            Param("fit_intercept", (), "bool"),
            Param("intercept_scaling", (), "float", low=1e-12),
        ),
        fixed=(("penalty", "l1"), ("dual", False)),
        seeded=True,
        select_from=True,
        balanced=True,
        task="classification",
        # liblinear solves l1 only with the squared hinge in the primal, and the hinge loss only in the dual.
        repairs=(
            Repair("penalty", ("l1",), "loss", "squared_hinge", "liblinear: the l1 penalty needs the squared hinge loss"),
            Repair("penalty", ("l1",), "dual", False, "liblinear: the l1 penalty is solved in the primal"),
            Repair("loss", ("hinge",), "dual", True, "liblinear: the hinge loss is solved in the dual"),
        ),
    ),
}
PASSTHROUGH = frozenset({"nopreprocessing", "none", "passthrough", "densifier"})
# Other spellings of the same preprocessors.
ALIASES = {"randomkitchensinks": "kitchensinks", "nystroem": "nystroemsampler", "ica": "fastica"}


def lookup(value) -> Preprocessor | None:
    token = compact(value)
    return PREPROCESSORS.get(ALIASES.get(token, token))


def known(value) -> bool:
    return compact(value) in PASSTHROUGH or lookup(value) is not None


def names() -> list[str]:
    return sorted(PASSTHROUGH | set(PREPROCESSORS) | set(ALIASES))


def param_for(spec: Preprocessor, base: str) -> Param | None:
    """The argument a setting's base name means, or None."""
    key = snake(base).lower()
    for param in spec.params:
        if key in (param.arg.lower(), *(a.lower() for a in param.aliases)):
            return param
    return None


def unused_reason(spec: Preprocessor, base: str) -> str | None:
    return dict(spec.unused).get(snake(base).lower())


def owner(name: str, steps: frozenset[str] = frozenset()) -> tuple[str, Preprocessor, str] | None:
    """(the step as written, its entry, the setting's own name), or None.

    `feature_preprocessor:kernel_pca:gamma` -> ("kernel_pca", ..., "gamma"): the segment before the last names a known
    preprocessor, under a segment that names the feature-preprocessor step. `nystroem_gamma` -> ("nystroem", ...,
    "gamma") when `steps` (the tokens of the space's feature-preprocessor choices, `step_tokens`) hold that
    preprocessor: the name read by its words, the longest leading words that name a step first."""
    segments = path_segments(name)
    if len(segments) >= 3 and any(snake(s).lower() in STEP_NAMES for s in segments[:-2]):
        spec = lookup(segments[-2])
        return (segments[-2], spec, segments[-1]) if spec else None
    words = snake(segments[-1]).split("_")
    for cut in range(len(words) - 1, 0, -1):
        head = "_".join(words[:cut])
        if token(head) in steps and lookup(head):
            return head, lookup(head), "_".join(words[cut:])
    return None


STEP_NAMES = frozenset({"feature_preprocessor", "feature_preprocessing", "preprocessor"})


@functools.lru_cache(maxsize=8)
def step_tokens(space) -> frozenset[str]:
    """The table tokens of every value of the space's feature-preprocessor choices (`feature_preprocessor` in
    {none, pca, nystroem} -> {"none", "pca", "nystroemsampler"}); every known preprocessor when it has none."""
    chosen = frozenset(
        token(native(v)) for hp in space.values()
        if hp.is_categorical and any(snake(s).lower() in STEP_NAMES for s in hp.segments) for v in hp.choices
    )
    return chosen or frozenset(PREPROCESSORS)  # no choice: a preprocessor named by its settings runs in every trial


def token(value) -> str:
    """The table key of a choice value (`Random_Kitchen_Sinks` -> `kitchensinks`)."""
    value = compact(value)
    return ALIASES.get(value, value)


def placement(hp, name: str, steps: frozenset[str] = frozenset()) -> tuple[bool, str] | None:
    """(used, reason) for a setting of a known feature preprocessor; None for any other name (R06)."""
    found = owner(name, steps)
    if found is None:
        return None
    step, spec, base = found
    if unused_reason(spec, base):
        return False, unused_reason(spec, base)
    param = param_for(spec, base)
    if param is None:
        return False, f"no setting of auto-sklearn's {spec.title} ({step}) that this version knows"
    bad = [v for v in hp.choices if not _accepts(param, v, spec)]
    if bad:
        return False, f"its value {native(bad[0])!r} has no meaning for the {spec.title}'s {param.arg}"
    return True, f"the {param.arg} of the {spec.title} step ({step}), as auto-sklearn means it"


def _accepts(param: Param, value, spec: Preprocessor) -> bool:
    text = str(native(value))
    if param.kind == "function":
        return text in SCORE_FUNCTIONS["classification"] or text in SCORE_FUNCTIONS["regression"]
    if param.kind == "pooling":
        return text in POOLING
    try:
        estimator_value(param, value)
    except Unmapped:
        return False
    return True
