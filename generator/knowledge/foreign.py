"""Spaces that are not a supervised model's: what they look like, for a refusal that tells the truth.

Data and one paragraph builder; the rule engine calls `refusal` when too little of a space is a model's
setting. Each kind lists words of hyperparameter names (snake-case, lowercase) and of choice values.
"""

from __future__ import annotations

import re

# kind -> (what the space is, what trainfn-gen would have to run instead, name words, value words)
KINDS = (
    (
        "weka",
        "the settings of Java (WEKA) learners, as Auto-WEKA encodes them",
        "WEKA's Java learners",
        (),
        ("weka.",),
    ),
    (
        "solver",
        ("a solver's or theorem prover's parameters (SAT, ASP, MIP or first-order proving: restarts, clause "
        "deletion, decision heuristics, preprocessing, cuts)"),
        "a solver",
        ("clause", "restart", "sat", "prepro", "heur", "lbd", "propagat", "mip", "simplex", "barrier", "cuts",
         "presolve", "saturation", "resolution", "literal", "conflict", "deletion", "backprop", "emphasis",
         "branching", "crossover", "probing", "symmetry", "dual", "lemma", "inst_gen", "subsumption", "sine"),
        (),
    ),
    (
        "selection",
        ("the configuration of an algorithm-selection or algorithm-configuration program (its own approaches, "
        "feature computation and scripts), not of one model"),
        "that program",
        ("approach", "feature_time", "solver", "portfolio", "presolving", "schedule", "aspeed", "contr_filter"),
        (),
    ),
    (
        "unsupervised",
        "an unsupervised pipeline's settings (outlier detection or clustering)",
        "an unsupervised pipeline",
        ("contamination", "outlier", "novelty", "anomaly", "n_clusters", "num_clusters", "linkage", "clustering"),
        ("isolationforest", "localoutlierfactor", "oneclasssvm", "ellipticenvelope", "kmeans", "dbscan"),
    ),
)

# Names that only one other kind of space has: one of them, unclaimed by any model, decides the kind.
DECISIVE = frozenset({"contamination", "novelty", "outlier_fraction", "outliers_fraction", "anomaly_fraction"})

# A command-line style name (`@0:sat-prepro`, `sp-clause-decay`, `--restarts`): an algorithm-configuration habit.
_PROGRAM_NAME = re.compile(r"^(@\d+:|-)|[a-z]-[a-z]")


def kind_of(names: list[str], values: list[str]) -> tuple[str, str] | None:
    """The most likely kind of a space that is not a model's: (what it is, what would have to run), or None."""
    words = [re.sub(r"[^a-z0-9]+", "_", name.lower()) for name in names]
    lowered = [str(v).lower() for v in values]
    best, best_count = None, 0
    for _, what, runs, name_words, value_words in KINDS:
        count = sum(any(w in name for w in name_words) for name in words) + sum(any(w in v for w in value_words) for v in lowered)
        if count > best_count:
            best, best_count = (what, runs), count
    if best is None and sum(bool(_PROGRAM_NAME.search(name)) for name in names) * 2 >= len(names):
        best = ("a program's command-line parameters (an algorithm-configuration space)", "that program")
    return best


def decisive(strangers: list[str]) -> bool:
    """Does a name no rule understood give the space away as another kind (outlier detection's contamination)?"""
    return any(re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_").rsplit(":", 1)[-1] in DECISIVE for name in strangers)


def refusal(names: list[str], values: list[str], understood: int, strangers: list[str] | None = None) -> str:
    """One paragraph: how much of the space is a model's setting, what it looks like instead, what would help.

    `strangers`: the names no rule understood (default: all of them), quoted as examples.
    """
    sample = ", ".join(f"'{n}'" for n in sorted(strangers if strangers is not None else names)[:4])
    counted = f"{understood} of its {len(names)} searched hyperparameters are" if understood else f"none of its {len(names)} searched hyperparameters is"
    kind = kind_of(names, values)
    head = (
        f"{counted} a setting of a supervised model this version can train (scikit-learn, XGBoost and LightGBM "
        f"classifiers and regressors, PyTorch or TensorFlow networks); names such as {sample} are not."
    )
    if kind:
        return (
            f"{head} They look like {kind[0]}, which a train() that fits a classifier or regressor on (X, y) cannot "
            f"honour; optimize it with SMAC directly, with a target function that runs {kind[1]}."
        )
    return (
        f"{head} trainfn-gen generates a train() that fits a classifier or regressor; if the space does mean one, "
        "name its model in a selector (e.g. `classifier` with one value per family) or pass --family NAME."
    )
