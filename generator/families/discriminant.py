"""Discriminant analysis (classification only): LinearDiscriminantAnalysis and QuadraticDiscriminantAnalysis."""

from .spec import Family, Fidelity, Param, Rule

ROWS = Fidelity("rows", "", (0.1, 1.0), "fraction of the training rows")
TOL = Param("tol", ("tolerance",), "float", low=0.0)

LDA = Family(
    name="lda",
    title="linear discriminant analysis",
    aliases=("lda", "lineardiscriminantanalysis", "lineardiscriminant"),
    estimators={"classification": "sklearn.discriminant_analysis.LinearDiscriminantAnalysis"},
    params=(
        Param("solver", (), "choice", choices=("svd", "lsqr", "eigen")),
        Param("shrinkage", ("shrinkage_factor",), "float", low=0.0, high=1.0),
        Param("shrinkage", (), "choice", choices=("auto",), none_values=("None", "none", "manual")),
        TOL,
    ),
    fidelity=ROWS,
    seeded=False,
    # R10 R24: the svd solver rejects shrinkage; lsqr/eigen accept it.
    rules=(Rule("set", "shrinkage", "solver", (("svd", None),), note="R24: shrinkage only with the lsqr/eigen solvers"),),
    priority=86,
)

QDA = Family(
    name="qda",
    title="quadratic discriminant analysis",
    aliases=("qda", "quadraticdiscriminantanalysis", "quadraticdiscriminant"),
    estimators={"classification": "sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis"},
    params=(
        Param("reg_param", ("regularization", "reg"), "float", low=0.0, high=1.0),
        TOL,
    ),
    fidelity=ROWS,
    seeded=False,
    priority=87,
)

FAMILIES = (LDA, QDA)
