"""Neural networks as scikit-learn MLPClassifier / MLPRegressor."""

from .spec import Family, Fidelity, Param, Reader, Repeat

PARAMS = (
    Param("hidden_layer_sizes", ("hidden_layers", "layer_sizes", "hidden_sizes", "architecture"), "sizes"),
    Param("n_layers", ("num_layers", "n_hidden_layers", "num_hidden_layers", "hidden_layer_depth", "depth", "n_layer", "layers"), "int", low=1, high=10),
    Param("n_units", ("num_units", "hidden_units", "n_neurons", "num_nodes_per_layer", "units", "width", "neurons", "hidden_size", "layer_size", "num_units_in_hidden_layer"), "int", low=1),
    Param("activation", ("activation_function", "act"), "choice", choices=("identity", "logistic", "tanh", "relu"), renamed=(("sigmoid", "logistic"), ("linear", "identity"))),
    Param("solver", ("optimizer",), "choice", choices=("lbfgs", "sgd", "adam"), renamed=(("Adam", "adam"), ("SGD", "sgd"), ("LBFGS", "lbfgs"))),
    Param("alpha", ("l2", "l2_regularization", "weight_decay", "l2_penalty", "regularization"), "float", low=0.0),
    # MLPClassifier's own default is the string 'auto' (min(200, rows)).
    Param("batch_size", ("batch",), "int", low=1, choices=("auto",)),
    Param("learning_rate", ("lr_schedule", "learning_rate_schedule"), "choice", choices=("constant", "invscaling", "adaptive"), read_when=("solver", ("sgd",))),
    Param("learning_rate_init", ("learning_rate", "lr", "lrate", "initial_lr", "init_lr", "eta0"), "float", low=1e-8),
    Param("power_t", (), "float", low=0.0),
    Param("max_iter", ("epochs", "num_epochs", "n_epochs", "iterations", "n_iter", "iter", "epoch"), "int", low=1),
    Param("shuffle", (), "bool"),
    Param("tol", ("tolerance",), "float", low=0.0),
    Param("momentum", (), "float", low=0.0, high=1.0),
    Param("nesterovs_momentum", ("nesterov",), "bool"),
    Param("early_stopping", (), "bool", renamed=(("valid", True), ("train", False), ("off", False))),
    Param("validation_fraction", (), "float", low=1e-3, high=1 - 1e-3),
    Param("beta_1", ("beta1",), "float", low=0.0, high=1 - 1e-9),
    Param("beta_2", ("beta2",), "float", low=0.0, high=1 - 1e-9),
    Param("epsilon", ("adam_epsilon",), "float", low=1e-12),
    Param("n_iter_no_change", ("patience",), "int", low=1),
    Param("max_fun", (), "int", low=1),
)

# Settings only some solvers read (scikit-learn's MLP documentation): a space that searches them
# without searching the solver gets the solver that reads them (issue 14).
GRADIENT = ("learning_rate_init", "batch_size", "shuffle", "early_stopping", "validation_fraction", "n_iter_no_change")
READERS = (
    Reader("solver", "adam", (*GRADIENT, "beta_1", "beta_2", "epsilon")),
    # eta0 is SGD's name for its step size: learning_rate_init when sgd is picked, stated unused otherwise
    # (as Adam's step size it ran at up to 100x Adam's default, issue 14). It never picks sgd by itself:
    # spaces give it SGDClassifier's range (up to 1.0), on which the MLP's momentum SGD diverges (R24).
    Reader("solver", "sgd", (*GRADIENT, "learning_rate", "power_t", "momentum", "nesterovs_momentum"), names=("eta0",)),
    Reader("solver", "lbfgs", ("max_fun",)),
)

FAMILY = Family(
    name="mlp",
    title="neural network (scikit-learn MLP)",
    aliases=("mlp", "nn", "ann", "dnn", "mlpclassifier", "mlpregressor", "neuralnet", "neuralnetwork", "neuralnetworks", "multilayerperceptron", "perceptron", "fcnet", "feedforward"),
    estimators={
        "classification": "sklearn.neural_network.MLPClassifier",
        "regression": "sklearn.neural_network.MLPRegressor",
    },
    params=PARAMS,
    # Epochs, as in SMAC3's own MLP example and for every other network (issue 22): the budget is
    # max_iter. `tol` may still end training earlier once the loss stops improving; a budget above
    # that point costs no more than it.
    fidelity=Fidelity("count", "max_iter", (10, 200), "number of epochs (max_iter)", default=200),
    repeat=Repeat("hidden_layer_sizes", "n_units", "n_layers", 100, 1),
    readers=READERS,
    scale=True,
    standardize_target=True,
    priority=40,
)
