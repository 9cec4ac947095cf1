"""Convolutional networks (PyTorch / TensorFlow): convolution blocks, then dense layers."""

from .network import ACTIVATION_NAMES, ACTIVATIONS, DENSE, TRAINING
from .spec import Family, Fidelity, Param

# Per-layer filter counts: `filters_2`, `num_conv_filters_l1`, and channels named by their layer: `n_channels_conv_0`.
FILTERS = r"(?:(?:n_|num_)?(?:conv_|cnn_)?(?:filters|channels)_(?:conv_?|layer_?|l)?|(?:n_|num_)?conv_?(?=\d+_(?:filters|channels)$))(\d+)(?:_(?:filters|channels))?"
FAMILY = Family(
    name="cnn",
    title="convolutional network (CNN)",
    aliases=("cnn", "convnet", "convolutional", "convolutionalnetwork", "cnnclassifier", "cnnregressor", "conv2d", "conv1d"),
    estimators={"classification": "network.CNN", "regression": "network.CNN"},
    params=(
        Param("activation", ("activation_cnn", "activation_conv", "conv_activation"), "choice", choices=ACTIVATIONS, renamed=ACTIVATION_NAMES),
        Param("dense_activation", ("activation_mlp", "activation_dense", "dense_activation", "fc_activation"), "choice", choices=ACTIVATIONS, renamed=ACTIVATION_NAMES),
        *TRAINING,
        Param("conv_layers", ("num_conv_layers", "n_conv_layers", "conv_layers", "layers", "num_layers", "n_layers", "num_conv_blocks"), "int", low=1, high=16),
        Param("dense_layers", ("num_dense_layers", "n_dense_layers", "num_hidden_layers", "n_hidden_layers", "num_fc_layers", "n_fc_layers", "fc_layers"), "int", low=0, high=16),
        Param("filters", ("num_filters", "n_filters", "conv_filters", "channels", "num_channels"), "int", low=1),
        Param("first_filters", ("num_filters_first_layer", "filters_first_layer", "initial_filters", "base_filters", "start_filters"), "int", low=1),
        Param("layer_filters", (), "int", low=1, pattern=FILTERS),
        Param("kernel_size", ("kernel", "filter_size", "conv_kernel_size"), "int", low=1),
        Param("kernel_size", (), "int", low=1, pattern=r"kernel_size_(?:layer_?|l)?(\d+)"),
        Param("pooling", ("pooling_type", "pool", "pool_type"), "choice", choices=("max", "avg"), renamed=(("average", "avg"), ("mean", "avg"), ("maxpool", "max"), ("avgpool", "avg"), ("MAX", "max"), ("AVG", "avg"))),
        Param("pool_size", ("pooling_size", "pool_kernel", "pool_kernel_size", "pooling_kernel_size"), "int", low=1, high=16),
        Param("global_pooling", ("global_avg_pooling", "global_average_pooling", "use_global_pooling", "use_global_avg_pooling", "global_pool"), "bool"),
        Param("use_conv", ("use_cnn", "use_convolution", "use_conv_layers"), "bool"),
        Param("augmentation", ("data_augmentation", "augment", "use_augmentation"), "choice", choices=("none", "horizontal_flip", "random_rotation"), renamed=(("True", "horizontal_flip"), ("False", "none"), ("flip", "horizontal_flip"), ("rotation", "random_rotation"), ("None", "none"))),
        Param("rotation_degree", ("random_rotation_degree", "rotation_range", "max_rotation", "rotation_degrees"), "float", low=0.0, high=180.0),
        *DENSE,
    ),
    fidelity=Fidelity("count", "epochs", (5, 50), "number of training epochs", default=20),
    seeded=False,
    snippet="network/cnn",
    priority=42,
    network="cnn",
)
