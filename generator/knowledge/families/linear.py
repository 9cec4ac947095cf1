"""Linear models: Ridge, Lasso, ElasticNet, glmnet, SGD, linear SVM and passive-aggressive.

One module, several families (FAMILIES). Lasso / elastic-net classification uses SGDClassifier
with log loss and the l1 / elasticnet penalty: the same `alpha` and `l1_ratio` meaning as the
regressors (LogisticRegression's C is 1/alpha scaled by the rows). R's glmnet names the mixing
`alpha` and the strength `lambda` / `s`: its own family so that `alpha` is not misread.
scikit-learn 1.8 deprecated PassiveAggressive*: it is SGD with the pa1/pa2 schedules and eta0 = C.
"""

from .spec import Family, Fidelity, Fixed, Param, Reader, Rule

ITERATIONS = Fidelity("count", "max_iter", (10, 1000), "number of passes over the data", default=1000)
NO_PENALTY = ("none", "None", "null")

ALPHA = Param("alpha", ("lambda", "reg_lambda", "regularization", "penalty_strength", "l2_penalty"), "float", low=0.0)
# R24: lasso and elastic net classify with SGD, whose "optimal" schedule divides by alpha: 0 becomes a tiny alpha.
SGD_ALPHA = Param("alpha", ALPHA.aliases, "float", low=1e-12)
L1_RATIO = Param("l1_ratio", ("mixing", "l1_mix", "elasticnet_ratio"), "float", low=0.0, high=1.0)
MAX_ITER = Param("max_iter", ("iterations", "n_iter", "epochs", "iter"), "int", low=1)
TOL = Param("tol", ("tolerance",), "float", low=0.0)
FIT_INTERCEPT = Param("fit_intercept", ("intercept",), "bool")
CLASS_WEIGHT = Param("class_weight", ("class_weights",), "choice", choices=("balanced",), none_values=("None", "none"), task="classification")
SELECTION = Param("selection", (), "choice", choices=("cyclic", "random"), task="regression")

RIDGE = Family(
    name="ridge",
    title="ridge regression",
    aliases=("ridge", "ridgeregression", "ridgeclassifier", "ridgeregressor", "linear", "linearmodel", "linearregression", "l2regression", "tikhonov"),
    estimators={"classification": "sklearn.linear_model.RidgeClassifier", "regression": "sklearn.linear_model.Ridge"},
    params=(
        ALPHA, FIT_INTERCEPT, TOL, CLASS_WEIGHT,
        Param("solver", (), "choice", choices=("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs")),
        Param("max_iter", ("iterations", "n_iter"), "int", low=1),
        Param("positive", (), "bool"),
    ),
    fidelity=Fidelity("rows", "", (0.1, 1.0), "fraction of the training rows"),
    scale=True,
    # solver="auto" solves dense data exactly (cholesky), reading neither tol nor max_iter (issue 22: the effect
    # gate found tol inert): a space that searches them without the solver gets an iterative solver that reads them.
    readers=(Reader("solver", "auto", ()), Reader("solver", "lsqr", ("tol", "max_iter"))),
    rules=(
        # R24: lbfgs is the only solver for positive=True; lbfgs requires positive=True.
        Rule("forbid", "solver", "positive", ((True, ("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga")),), fallback="lbfgs", default="auto", note="R24: positive=True needs the lbfgs solver"),
        Rule("forbid", "positive", "solver", (("lbfgs", (False,)),), fallback=True, default=False, note="R24: the lbfgs solver needs positive=True"),
    ),
    priority=74,
)

LASSO = Family(
    name="lasso",
    title="lasso (l1-regularized linear model)",
    aliases=("lasso", "lassoregression", "l1regression", "lassoclassifier"),
    estimators={"classification": "sklearn.linear_model.SGDClassifier", "regression": "sklearn.linear_model.Lasso"},
    params=(SGD_ALPHA, MAX_ITER, TOL, FIT_INTERCEPT, CLASS_WEIGHT, SELECTION),
    fidelity=ITERATIONS,
    scale=True,
    fixed=(
        Fixed("loss", "log_loss", "lasso classification: logistic loss with an l1 penalty", task="classification"),
        Fixed("penalty", "l1", "the lasso penalty", task="classification"),
    ),
    priority=75,
)

ELASTIC_NET = Family(
    name="elastic_net",
    title="elastic net",
    aliases=("elasticnet", "enet", "elasticnetregression", "elasticnetclassifier"),
    estimators={"classification": "sklearn.linear_model.SGDClassifier", "regression": "sklearn.linear_model.ElasticNet"},
    params=(SGD_ALPHA, L1_RATIO, MAX_ITER, TOL, FIT_INTERCEPT, CLASS_WEIGHT, SELECTION),
    fidelity=ITERATIONS,
    scale=True,
    fixed=(
        Fixed("loss", "log_loss", "elastic-net classification: logistic loss with the elastic-net penalty", task="classification"),
        Fixed("penalty", "elasticnet", "the elastic-net penalty", task="classification"),
    ),
    priority=76,
)

GLMNET = Family(
    name="glmnet",
    title="glmnet (elastic net, R names)",
    aliases=("glmnet", "glm", "cvglmnet"),
    estimators=ELASTIC_NET.estimators,
    params=(
        Param("l1_ratio", ("alpha", "mixing"), "float", low=0.0, high=1.0, note="glmnet's alpha is the l1/l2 mixing"),
        Param("alpha", ("lambda", "s", "lambda_min"), "float", low=1e-12, note="glmnet's lambda (s) is the penalty strength"),
        MAX_ITER, TOL, FIT_INTERCEPT,
    ),
    fidelity=ITERATIONS,
    scale=True,
    fixed=ELASTIC_NET.fixed,
    priority=77,
)

SGD_CLASSIFICATION_LOSSES = ("hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron", "squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive")
SGD_REGRESSION_LOSSES = ("squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive")
OLD_SGD_LOSSES = (("log", "log_loss"), ("squared_loss", "squared_error"), ("logistic", "log_loss"))
SCHEDULES = ("constant", "optimal", "invscaling", "adaptive")
# SGD steps and epsilon-insensitive losses read y's units: a raw target in the hundreds diverges or
# makes epsilon meaningless (issue 14: MSE 18,000-28,000 on diabetes against 5,135 for the mean).
TARGET_NOTE = "SGD steps and epsilon-insensitive losses are in y's units; on raw targets in the hundreds they diverge"

SGD = Family(
    name="sgd",
    title="linear model trained by SGD",
    aliases=("sgd", "sgdclassifier", "sgdregressor", "stochasticgradientdescent"),
    estimators={"classification": "sklearn.linear_model.SGDClassifier", "regression": "sklearn.linear_model.SGDRegressor"},
    params=(
        Param("loss", ("loss_function",), "choice", choices=SGD_CLASSIFICATION_LOSSES, renamed=OLD_SGD_LOSSES, task="classification"),
        Param("loss", ("loss_function",), "choice", choices=SGD_REGRESSION_LOSSES, renamed=(("squared_loss", "squared_error"),), task="regression"),
        Param("penalty", ("regularization", "regularizer"), "choice", choices=("l2", "l1", "elasticnet"), none_values=NO_PENALTY),
        # R24: the optimal schedule divides by alpha: a zero alpha is raised to a tiny one.
        Param("alpha", ("lambda", "reg_lambda", "l2_penalty"), "float", low=1e-12),
        Param(L1_RATIO.arg, L1_RATIO.aliases, "float", low=0.0, high=1.0, read_when=("penalty", ("elasticnet",))),
        Param("learning_rate", ("lr_schedule", "learning_rate_schedule", "schedule"), "choice", choices=SCHEDULES),
        # R24: constant/invscaling/adaptive schedules require eta0 > 0.
        Param("eta0", ("initial_learning_rate", "learning_rate_init", "lr", "eta"), "float", low=1e-12, read_when=("learning_rate", ("constant", "invscaling", "adaptive"))),
        Param("power_t", (), "float", read_when=("learning_rate", ("invscaling",))),
        Param("epsilon", ("huber_epsilon",), "float", low=0.0, read_when=("loss", ("huber", "epsilon_insensitive", "squared_epsilon_insensitive"))),
        MAX_ITER, TOL, FIT_INTERCEPT, CLASS_WEIGHT,
        Param("average", (), "bool"),
        Param("early_stopping", (), "bool"),
        Param("validation_fraction", (), "float", low=1e-3, high=1 - 1e-3),
        Param("n_iter_no_change", ("patience",), "int", low=1),
        Param("shuffle", (), "bool"),
    ),
    fidelity=ITERATIONS,
    scale=True,
    standardize_target=True,
    target_note=TARGET_NOTE,
    priority=78,
)

LINEAR_SVM = Family(
    name="linear_svm",
    title="linear support vector machine (liblinear)",
    aliases=("linearsvc", "linearsvr", "linearsvm", "liblinear", "liblinearsvc", "liblinearsvr", "svmlinear"),
    estimators={"classification": "sklearn.svm.LinearSVC", "regression": "sklearn.svm.LinearSVR"},
    params=(
        Param("C", ("c", "cost"), "float", low=1e-10),
        Param("penalty", ("regularization",), "choice", choices=("l1", "l2"), task="classification"),
        # scikit-learn < 0.16 called the losses l1 and l2.
        Param("loss", (), "choice", choices=("hinge", "squared_hinge"), renamed=(("l1", "hinge"), ("l2", "squared_hinge")), task="classification"),
        Param("multi_class", (), "choice", choices=("ovr", "crammer_singer"), task="classification"),
        Param("loss", (), "choice", choices=("epsilon_insensitive", "squared_epsilon_insensitive"), task="regression"),
        Param("dual", (), "bool", renamed=(("auto", "auto"),)),
        Param("epsilon", (), "float", low=0.0, task="regression"),
        Param("intercept_scaling", (), "float", low=1e-10),
        # liblinear rejects tol=0 (the other linear models accept it).
        Param("tol", ("tolerance",), "float", low=1e-12),
        MAX_ITER, FIT_INTERCEPT, CLASS_WEIGHT,
    ),
    fidelity=ITERATIONS,
    scale=True,
    standardize_target=True,
    target_note=TARGET_NOTE,
    rules=(
        # R24: liblinear's unsupported combinations (auto-sklearn forbids the same three).
        Rule("forbid", "loss", "penalty", (("l1", ("hinge",)),), fallback="squared_hinge", default="squared_hinge", note="R24: the l1 penalty needs the squared hinge loss"),
        Rule("forbid", "dual", "penalty", (("l1", (True,)),), fallback=False, default="auto", note="R24: the l1 penalty is solved in the primal only"),
        Rule("forbid", "dual", "loss", (("hinge", (False,)), ("epsilon_insensitive", (False,))), fallback=True, default="auto", note="R24: this loss is solved in the dual only"),
    ),
    priority=79,
)

PASSIVE_AGGRESSIVE = Family(
    name="passive_aggressive",
    title="passive-aggressive (SGD with the PA schedules)",
    aliases=("passiveaggressive", "pa", "passiveaggressiveclassifier", "passiveaggressiveregressor"),
    estimators={"classification": "sklearn.linear_model.SGDClassifier", "regression": "sklearn.linear_model.SGDRegressor"},
    params=(
        Param("eta0", ("C", "c"), "float", low=1e-12, note="the PA step size C"),
        # The PA loss picks the schedule: hinge / epsilon-insensitive = PA-I, squared = PA-II.
        Param("learning_rate", ("loss",), "choice", choices=("pa1", "pa2"), renamed=(("hinge", "pa1"), ("squared_hinge", "pa2"), ("epsilon_insensitive", "pa1"), ("squared_epsilon_insensitive", "pa2"))),
        Param("epsilon", (), "float", low=0.0, task="regression"),
        MAX_ITER, TOL, FIT_INTERCEPT, CLASS_WEIGHT,
        Param("average", (), "bool"),
        Param("early_stopping", (), "bool"),
        Param("n_iter_no_change", ("patience",), "int", low=1),
        Param("shuffle", (), "bool"),
    ),
    fidelity=ITERATIONS,
    scale=True,
    standardize_target=True,
    target_note=TARGET_NOTE,
    fixed=(
        Fixed("loss", "hinge", "passive-aggressive classification", task="classification"),
        Fixed("loss", "epsilon_insensitive", "passive-aggressive regression", task="regression"),
        Fixed("penalty", None, "passive-aggressive updates are unregularized"),
        Fixed("learning_rate", "pa1", "PA-I unless the space's loss says otherwise"),
        Fixed("eta0", 1.0, "the PA step size C (scikit-learn's default)"),
    ),
    priority=80,
)

FAMILIES = (RIDGE, LASSO, ELASTIC_NET, GLMNET, SGD, LINEAR_SVM, PASSIVE_AGGRESSIVE)
