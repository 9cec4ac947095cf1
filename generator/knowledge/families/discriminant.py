"""Discriminant analysis (classification only): LinearDiscriminantAnalysis and QuadraticDiscriminantAnalysis."""

from .spec import Family, Fidelity, Fixed, Param, Rule

ROWS = Fidelity("rows", "", (0.1, 1.0), "fraction of the training rows")
TOL = Param("tol", ("tolerance",), "float", low=0.0)

LDA = Family(
    name="lda",
    title="linear discriminant analysis",
    aliases=("lda", "lineardiscriminantanalysis", "lineardiscriminant"),
    estimators={"classification": "sklearn.discriminant_analysis.LinearDiscriminantAnalysis"},
    params=(
        Param("solver", (), "choice", choices=("svd", "lsqr", "eigen")),
        # auto-sklearn: shrinkage {None, auto, manual} and, under manual, shrinkage_factor.
        Param("shrinkage", ("shrinkage_factor",), "float", low=0.0, high=1.0, alternative=True),
        Param("shrinkage", (), "choice", choices=("auto",), none_values=("None", "none", "manual")),
        # R09 R24: the svd solver keeps the singular values of the within-class standardized data above tol;
        # the largest is >= 1, so a tol below 1 keeps at least one (tol >= 1 may keep none: IndexError).
        Param("tol", ("tolerance",), "float", low=0.0, high=0.999),
    ),
    fidelity=ROWS,
    seeded=False,
    inert=(("n_components", "LDA's n_components only sets how many discriminants transform() returns; predictions use all of them"),),
    # R24: a space that tunes shrinkage but not the solver would get the default svd solver, which rejects it.
    fixed=(Fixed("solver", "lsqr", "R24: shrinkage needs the lsqr or eigen solver (svd, the default, rejects it)", when="shrinkage"),),
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
    # R24: scikit-learn raises when a class covariance has an eigenvalue <= tol; reg_param r lifts every
    # eigenvalue to at least r, so tol is kept below r (with r = 0, tol = 0: only an exactly singular class fails).
    rules=(Rule("below", "tol", "reg_param", (), fallback=0.5, default=1e-4, on_default=0.0, note="R24: tol below reg_param, else a rank-deficient class covariance raises"),),
    priority=87,
)

FAMILIES = (LDA, QDA)
