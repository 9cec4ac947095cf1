"""Kernel support vector machines: scikit-learn SVC / SVR (libsvm)."""

from .spec import Family, Fidelity, Fixed, Param, Split

# R kernlab / e1071 spell the kernels differently.
R_KERNELS = (("radial", "rbf"), ("polynomial", "poly"), ("rbfdot", "rbf"), ("polydot", "poly"), ("vanilladot", "linear"), ("tanhdot", "sigmoid"))

# decision_function_shape is inert for what train() scores (issue 14): libsvm trains one-vs-one whatever it
# is, so fit and predictions are the same; it only reshapes decision_function's columns, and roc_auc,
# the one metric that reads them, needs one column per class (ovr, set by the metric, R02).
SHAPE = "it changes neither the fit nor the predictions (libsvm always trains one-vs-one); it only reshapes decision_function, which roc_auc reads with one column per class (ovr)"

PARAMS = (
    Param("C", ("c", "cost", "penalty_c", "regularization"), "float", low=1e-10),
    Param("kernel", ("kernel_type",), "choice", choices=("linear", "poly", "rbf", "sigmoid"), renamed=R_KERNELS),
    Param("degree", ("poly_degree", "polynomial_degree"), "int", low=1, read_when=("kernel", ("poly",))),
    Param("gamma", ("kernel_coefficient",), "float", low=1e-12, read_when=("kernel", ("rbf", "poly", "sigmoid"))),
    # `value` / `numeric` / `custom`: the numeric companion (gamma_value) holds the number (see plan.SENTINELS).
    # After the family's StandardScaler every column has variance 1, so 'scale' (1 / (n_features * X.var())) is
    # 'auto' (1 / n_features) unless a column is constant (issue 22: the effect gate found no change).
    Param("gamma", (), "choice", choices=("scale", "auto"), renamed=(("value", "scale"), ("numeric", "scale"), ("custom", "scale"), ("float", "scale")),
          same_when_scaled=(("scale", "auto"), "on the standardized features the SVM is given, gamma='scale' (1 / (n_features * X.var())) is gamma='auto' (1 / n_features): X.var() is 1 unless a column is constant")),
    Param("coef0", ("coef_0", "coef"), "float", read_when=("kernel", ("poly", "sigmoid"))),
    Param("tol", ("tolerance",), "float", low=1e-12),
    Param("epsilon", ("svr_epsilon",), "float", low=0.0, task="regression"),
    Param("class_weight", ("class_weights",), "choice", choices=("balanced",), none_values=("None", "none"), task="classification"),
    # libsvm's -1 means no limit: the generator's cap below.
    Param("max_iter", (), "int", low=1, renamed=(("-1", 1_000_000),)),
)

FAMILY = Family(
    name="svm",
    title="support vector machine",
    aliases=("svm", "svc", "svr", "svms", "libsvm", "libsvmsvc", "libsvmsvr", "supportvectormachine", "supportvector", "kernelsvm", "ksvm"),
    estimators={"classification": "sklearn.svm.SVC", "regression": "sklearn.svm.SVR"},
    params=PARAMS,
    fidelity=Fidelity("rows", "", (0.1, 1.0), "fraction of the training rows"),
    scale=True,
    standardize_target=True,
    target_note="SVR's epsilon tube and C are in y's units, so a space's ranges mean nothing on a raw target",
    seeded=False,
    fixed=(
        Fixed("max_iter", 1_000_000, "libsvm has no iteration limit; a cap keeps extreme C/gamma/degree bounded"),
        Fixed("cache_size", 500, "MB of kernel cache: fewer recomputed kernel rows"),
    ),
    inert=(
        ("decision_function_shape", SHAPE),
        # Issue 22: the effect gate found no change in predictions; libsvm documents shrinking as a speed-up.
        ("shrinking", "libsvm's shrinking heuristic only speeds up the solver, which reaches the same support vectors: a speed setting"),
    ),
    before_fit=("finite_poly_kernel", ("kernel", "poly")),
    # A linear kernel given LinearSVC's own arguments (auto-sklearn's liblinear_svc, many written spaces) means
    # LinearSVC under kernel='linear' and SVC under the other kernels (issue 22).
    split=Split("kernel", "linear", "linear_svm", ("penalty", "loss", "dual", "multi_class", "intercept_scaling")),
    priority=30,
)
