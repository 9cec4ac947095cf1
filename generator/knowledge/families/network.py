"""Neural networks trained in PyTorch or TensorFlow: the settings every architecture shares, and the MLP.

The `arg` of each parameter is the variable the generated train() assigns; choice values are
canonical (Keras spellings for activations) and the network plan maps them per framework.
"""

from .spec import Family, Fidelity, Param


def spellings(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """Each (spelling, canonical) pair plus its lower-, upper- and title-case variants."""
    out: dict[str, str] = {}
    for spelling, canonical in pairs:
        for variant in (spelling, spelling.lower(), spelling.upper(), spelling.title()):
            out.setdefault(variant, canonical)
    return tuple(out.items())


ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "leaky_relu", "gelu", "selu", "silu", "linear")
ACTIVATION_NAMES = spellings(
    ("relu", "relu"), ("tanh", "tanh"), ("sigmoid", "sigmoid"), ("logistic", "sigmoid"), ("elu", "elu"),
    ("leaky_relu", "leaky_relu"), ("leakyrelu", "leaky_relu"), ("LeakyReLU", "leaky_relu"), ("gelu", "gelu"),
    ("selu", "selu"), ("silu", "silu"), ("swish", "silu"), ("identity", "linear"), ("linear", "linear"), ("ReLU", "relu"),
)
# Lowercase canonical names match any case; the network plan maps them to optimizer classes.
OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop", "adagrad")

# Settings of the optimizer, the loss and the training loop: every architecture has them.
TRAINING = (
    Param("learning_rate", ("lr", "lrate", "learning_rate_init", "initial_lr", "init_lr", "eta0", "base_lr", "initial_learning_rate"), "float", low=1e-8),
    Param("lr_schedule", ("learning_rate", "learning_rate_schedule", "schedule", "scheduler", "lr_scheduler", "scheduler_type", "lr_schedule_type"), "choice",
          choices=("constant", "adaptive", "invscaling", "cosine", "step"),
          renamed=(("none", "constant"), ("None", "constant"), ("fixed", "constant"), ("plateau", "adaptive"), ("reduce_on_plateau", "adaptive"),
                   ("reducelronplateau", "adaptive"), ("cosine_annealing", "cosine"), ("cosineannealing", "cosine"), ("cosineannealinglr", "cosine"),
                   ("steplr", "step"), ("step_decay", "step"))),
    Param("optimizer_name", ("optimizer", "solver", "optim", "optimizer_type"), "choice", choices=OPTIMIZERS),
    Param("momentum", ("sgd_momentum", "rmsprop_momentum"), "float", low=0.0, high=0.999),
    Param("nesterov", ("nesterovs_momentum", "use_nesterov", "sgd_nesterov"), "bool"),
    Param("beta_1", ("beta1", "adam_beta1", "adam_beta_1"), "float", low=0.0, high=0.9999),
    Param("beta_2", ("beta2", "adam_beta2", "adam_beta_2"), "float", low=0.0, high=0.99999),
    Param("rho", ("rmsprop_rho", "rmsprop_alpha"), "float", low=0.0, high=0.9999),
    Param("epsilon", ("eps", "adam_epsilon"), "float", low=1e-12),
    Param("weight_decay", ("l2", "l2_regularization", "l2_penalty", "l2_reg", "alpha", "regularization", "regularization_strength", "reg_strength"), "float", low=0.0),
    Param("l1", ("l1_regularization", "l1_penalty", "l1_reg"), "float", low=0.0),
    Param("batch_size", ("batch", "minibatch_size", "mini_batch_size"), "int", low=1),
    Param("epochs", ("num_epochs", "n_epochs", "max_epochs", "max_iter", "epoch"), "int", low=1),
    Param("patience", ("n_iter_no_change", "early_stopping_patience"), "int", low=1),
    Param("dropout", ("dropout_rate", "dropout_prob", "drop_rate", "p_dropout"), "float", low=0.0, high=0.95),
    Param("activation", ("activation_function", "act", "activation_fn", "nonlinearity"), "choice", choices=ACTIVATIONS, renamed=ACTIVATION_NAMES),
    Param("norm", ("use_batch_norm", "batch_norm", "batchnorm", "use_batchnorm", "batch_normalization", "use_bn"), "choice", choices=("none", "batchnorm"), renamed=(("True", "batchnorm"), ("False", "none"))),
    Param("norm", ("normalization_strategy", "normalization_type", "norm_type", "norm_layer"), "choice", choices=("none", "batchnorm", "layernorm"), renamed=spellings(("batch_norm", "batchnorm"), ("layer_norm", "layernorm"), ("None", "none"))),
)

# Dense (fully connected) layers: the MLP's body and the CNN's head. `nhid1` is hyperopt's hidden width.
# Per-layer widths: `units_2`, `n_units_l0`, `nhid1`, and the layer named first: `hidden_layer1`, `layer_3_units`.
DENSE_UNITS = r"(?:(?:n_|num_)?(?:dense_|hidden_|fc_|mlp_)?(?:units|size|neurons|nodes)_(?:layer_?|l)?|nhid_?|hidden_layer_?|(?:hidden_|dense_|fc_)?layer_?(?=\d+_(?:units|size|neurons|width)$))(\d+)(?:_(?:units|size|neurons|width))?"
DENSE = (
    Param("hidden_layer_sizes", ("hidden_layers", "layer_sizes", "hidden_sizes", "architecture"), "sizes"),
    Param("units", ("num_units", "n_units", "hidden_units", "n_neurons", "neurons", "width", "hidden_size", "layer_size", "num_units_in_hidden_layer", "num_nodes_per_layer", "hidden_layer_sizes", "dense_units", "num_fc_units", "fc_units", "dense_size", "nhid"), "int", low=1),
    Param("layer_units", (), "int", low=1, pattern=DENSE_UNITS),
)

# Per-layer settings besides widths (ParamNet, hyperopt's deepnet): `dropout_k` / `l2_reg_k` belong to
# the layer whose width is `num_units_k`; a dropout indexed below every width (`dropout_0`) is the input's.
LAYER_DROPOUT = r"(?:dropout|dropout_rate|dropout_prob|drop_rate|p_dropout)_(?:layer_?|l)?(\d+)"
LAYER_L2 = r"(?:l2|l2_reg|l2_regularization|l2_penalty|weight_decay)_(?:layer_?|l)?(\d+)"
PER_LAYER = (
    Param("layer_dropout", (), "float", low=0.0, high=0.95, pattern=LAYER_DROPOUT),
    Param("layer_l2", (), "float", low=0.0, pattern=LAYER_L2),
    # Auto-PyTorch's shaped MLP (LCBench): the widest layer and the largest dropout of a funnel.
    Param("max_units", ("max_neurons", "max_width"), "int", low=1),
    Param("max_dropout", ("max_dropout_rate",), "float", low=0.0, high=0.95),
)

# Knobs of published network spaces that the generated PyTorch / Keras loop does not have.
IGNORED = (
    (r"weight_norm(?:_\d+)?", "a max-norm bound on each unit's incoming weights (deepnet's weight_norm); the generated layers have no weight constraint"),
    (r"base_epsilon(?:_\d+)?", "deepnet's per-layer learning rate (base_epsilon, log-encoded); the generated optimizer has one learning rate for every layer"),
    (r"(?:lr_)?anneal(?:ing)?_start", "the step at which hyperopt's nnet starts annealing the learning rate; the generated loop keeps the learning rate of its schedule"),
    (r"(?:dist|init|init_dist|scale_heur|scale_mult|init_scale)_?\d*", "the initial weights' distribution or scale (hyperopt's nnet); the layers keep the framework's default initialization"),
)

MLP = Family(
    name="network",
    title="neural network (MLP)",
    aliases=("mlp", "nn", "ann", "dnn", "mlpclassifier", "mlpregressor", "neuralnet", "neuralnetwork", "neuralnetworks", "multilayerperceptron", "perceptron", "fcnet", "feedforward", "fnn"),
    estimators={"classification": "network.MLP", "regression": "network.MLP"},
    params=(
        Param("activation", ("activation_mlp", "activation_dense", "dense_activation"), "choice", choices=ACTIVATIONS, renamed=ACTIVATION_NAMES),
        *TRAINING,
        # 0 hidden layers is a linear model (deepnet's depth 0).
        Param("n_layers", ("num_layers", "n_hidden_layers", "num_hidden_layers", "hidden_layer_depth", "depth", "layers", "n_layer", "num_dense_layers", "n_dense_layers", "dense_layers"), "int", low=0, high=64),
        *DENSE,
        *PER_LAYER,
    ),
    inert=IGNORED,
    fidelity=Fidelity("count", "epochs", (5, 50), "number of training epochs", default=20),
    seeded=False,
    snippet="network/mlp",
    priority=41,
    network="mlp",
)
FAMILY = MLP
