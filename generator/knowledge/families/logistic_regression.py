"""Logistic regression (classification only): scikit-learn LogisticRegression.

scikit-learn 1.8 deprecated `penalty` (removed in 1.10): the space's penalty is read into a
variable and expressed as the current arguments: l1_ratio 1 = l1, 0 = l2, in between = elastic
net, and no penalty = C=inf. scikit-learn 1.5-1.7 ignore l1_ratio unless penalty="elasticnet", so
the generated code also passes `penalty` when it runs on a version before 1.8 (Param.until).
Solvers support only some penalties (the classic crash source): the space's solver is kept when it supports the penalty, else saga (which supports all).
"""

from .spec import Family, Fidelity, Fixed, Param, Rule

SOLVERS = ("lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga")
NO_PENALTY = ("none", "None", "null")

PARAMS = (
    Param("C", ("c", "inverse_regularization", "inv_reg", "cost"), "float", low=1e-10),
    Param("penalty", ("regularization", "regularizer", "norm", "penalty_type"), "choice", choices=("l1", "l2", "elasticnet"), none_values=NO_PENALTY, renamed=(("elastic_net", "elasticnet"), ("L1", "l1"), ("L2", "l2")), until="1.8"),
    Param("solver", ("optimizer",), "choice", choices=SOLVERS, renamed=(("newton_cg", "newton-cg"), ("newton_cholesky", "newton-cholesky"))),
    Param("l1_ratio", ("elasticnet_ratio", "mixing", "l1_ratio_"), "float", low=0.0, high=1.0),
    Param("max_iter", ("iterations", "n_iter", "epochs"), "int", low=1),
    Param("tol", ("tolerance",), "float", low=1e-12),
    Param("class_weight", ("class_weights",), "choice", choices=("balanced",), none_values=("None", "none")),
    Param("fit_intercept", ("intercept",), "bool"),
    Param("intercept_scaling", (), "float", low=1e-10),
)

RULES = (
    Rule("forbid", "solver", "penalty", (
        ("l1", ("lbfgs", "newton-cg", "newton-cholesky", "sag")),
        ("elasticnet", ("lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag")),
        (None, ("liblinear",)),
    ), fallback="saga", default="lbfgs", note="R09 R24: a solver that supports the penalty (saga supports all)"),
    Rule("forbid", "solver", "multiclass", ((True, ("liblinear",)),), fallback="saga", default="lbfgs", note="R24: liblinear fits binary problems only"),
    Rule("set", "l1_ratio", "penalty", (("l1", 1.0), ("l2", 0.0), (None, 0.0)), default=0.5, note="the penalty as scikit-learn >= 1.8 spells it: l1_ratio 1 = l1, 0 = l2"),
    Rule("set", "C", "penalty", ((None, float("inf")),), default=1.0, note="no penalty = C=inf"),
)

FAMILY = Family(
    name="logistic_regression",
    title="logistic regression",
    aliases=("lr", "logreg", "logit", "logistic", "logisticregression", "logisticregressionclassifier", "logisticreg"),
    estimators={"classification": "sklearn.linear_model.LogisticRegression"},
    params=PARAMS,
    fidelity=Fidelity("count", "max_iter", (10, 1000), "number of solver iterations", default=100),
    scale=True,
    fixed=(
        Fixed("max_iter", 1000, "lbfgs/saga need more than the default 100 iterations on unscaled-looking data"),
        # R24: the default lbfgs rejects 0 < l1_ratio < 1 (elastic net); saga fits every penalty.
        Fixed("solver", "saga", "R24: l1_ratio may ask for an elastic net, which only saga fits", when="l1_ratio"),
    ),
    rules=RULES,
    priority=72,
)
