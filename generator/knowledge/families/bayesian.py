"""Bayesian regressors of auto-sklearn's spaces: ARD regression and Gaussian processes."""

from .spec import Family, Fidelity, Fixed, Pair, Param

ROWS = Fidelity("rows", "", (0.1, 1.0), "fraction of the training rows")
PRIOR = {"kind": "float", "low": 0.0}

ARD = Family(
    name="ard_regression",
    title="ARD regression",
    aliases=("ard", "ardregression", "automaticrelevancedetermination"),
    estimators={"regression": "sklearn.linear_model.ARDRegression"},
    params=(
        # scikit-learn 1.3 renamed n_iter to max_iter (auto-sklearn still says n_iter).
        Param("max_iter", ("n_iter", "iterations"), "int", low=1),
        Param("tol", ("tolerance",), "float", low=0.0),
        Param("alpha_1", (), **PRIOR),
        Param("alpha_2", (), **PRIOR),
        Param("lambda_1", (), **PRIOR),
        Param("lambda_2", (), **PRIOR),
        Param("threshold_lambda", (), "float", low=0.0),
        Param("fit_intercept", (), "bool"),
    ),
    fidelity=ROWS,
    scale=True,
    seeded=False,
    priority=88,
)

GAUSSIAN_PROCESS = Family(
    name="gaussian_process",
    title="Gaussian process",
    aliases=("gp", "gaussianprocess", "gaussianprocessregressor", "gaussianprocessclassifier", "gpr", "kriging"),
    estimators={
        "classification": "sklearn.gaussian_process.GaussianProcessClassifier",
        "regression": "sklearn.gaussian_process.GaussianProcessRegressor",
    },
    params=(
        # auto-sklearn's nugget (scikit-learn < 0.18) and alpha: noise added to the kernel's diagonal.
        Param("alpha", ("nugget",), "float", low=1e-12, task="regression"),
        # auto-sklearn's thetaL / thetaU: bounds on theta of old scikit-learn's GaussianProcess correlation
        # exp(-theta d^2), which is the RBF kernel with length scale 1 / sqrt(2 theta) (see Pair below).
        Param("theta_low", ("thetal", "theta_l"), "float", low=1e-12, passed=False),
        Param("theta_high", ("thetau", "theta_u"), "float", low=1e-12, passed=False),
        Param("length_scale_low", ("length_scale_lower",), "float", low=1e-12, passed=False),
        Param("length_scale_high", ("length_scale_upper",), "float", low=1e-12, passed=False),
        Param("n_restarts_optimizer", ("n_restarts",), "int", low=0),
    ),
    fidelity=ROWS,
    scale=True,
    fixed=(
        Fixed("n_restarts_optimizer", 10, "auto-sklearn's restarts of the kernel optimizer"),
        Fixed("normalize_y", True, "auto-sklearn's GP learns the standardized target", task="regression"),
    ),
    pair=Pair(
        "kernel", "sklearn.gaussian_process.kernels.RBF", "length_scale_bounds", ("length_scale_low", "length_scale_high"), (1e-5, 1e5), "an RBF kernel whose length scale is fitted within [low, high]",
        theta=("theta_low", "theta_high"),
        theta_note="the space bounds theta of exp(-theta d^2) (old scikit-learn GaussianProcess): length scale = 1 / sqrt(2 theta), so the low theta bounds the length scale from above",
    ),
    priority=89,
)

FAMILIES = (ARD, GAUSSIAN_PROCESS)
