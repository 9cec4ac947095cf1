"""Hyperparameters that are not a model's: what they are and what train() does with them (R06).

Data only: the rule engine looks names up here after the families have had their say.
"""

from __future__ import annotations

# snake-case name -> why train() does not pass it to the estimator.
NOT_MODEL = {
    "random_state": "the seed comes from SMAC's `seed` argument (R21)",
    "seed": "the seed comes from SMAC's `seed` argument (R21)",
    "rng": "the seed comes from SMAC's `seed` argument (R21)",
    "n_jobs": "each trial runs single-threaded; parallelism comes from SMAC's workers",
    "nthread": "each trial runs single-threaded; parallelism comes from SMAC's workers",
    "num_threads": "each trial runs single-threaded; parallelism comes from SMAC's workers",
    "verbose": "train() prints its own few progress lines (R22)",
    "verbosity": "train() prints its own few progress lines (R22)",
    "warm_start": "train() fits once per call, so there is nothing to warm-start from",
    "task_id": "it names the dataset, which SMAC passes as `dataset`",
    "openml_task_id": "it names the dataset, which SMAC passes as `dataset`",
    "dataset": "it names the dataset, which SMAC passes as `dataset`",
    "instance": "it names the dataset, which SMAC passes as `dataset`",
    "repl": "a replication index: repetitions come from SMAC's seeds",
    "copy_x": "a memory option with no effect on the result",
    "cache_size": "a memory option with no effect on the result",
    "data_preprocessor": "auto-sklearn's switch for its data-preprocessing pipeline; the imputation, rescaling and encoding settings are honoured",
    "data_preprocessing": "auto-sklearn's switch for its data-preprocessing pipeline; the imputation, rescaling and encoding settings are honoured",
}

# SMAC's own arguments under another name (the seed, the instance or dataset, a replication index): never
# warned about when unused, since train() takes them from SMAC itself.
SMAC_OWN = frozenset({"random_state", "seed", "rng", "task_id", "openml_task_id", "dataset", "instance", "repl"})

# Parameters of model families this version cannot generate: placed as unused, never guessed.
OTHER_FAMILY_PARAMS: dict[str, str] = {}

# Preprocessing roles: snake-case names (after any prefix) -> role.
PREPROCESSING = {
    "use_one_hot_encoding": "one_hot",
    "one_hot_encoding": "one_hot",
    "one_hot": "one_hot",
    "onehot": "one_hot",
    "use_onehot": "one_hot",
    "scaler": "scaler",
    "scaling": "scaler",
    "rescaling": "scaler",
    "normalize": "scaler",
    "normalization": "scaler",
    "feature_scaling": "scaler",
    "imputation_strategy": "imputer",
    "imputation_strategy_numerical": "imputer",
    "numerical_strategy": "imputer",
    "imputer": "imputer",
    "imputation": "imputer",
    "num_impute_selected_cpo": "imputer",
    "impute": "imputer",
    "imputation_strategy_categorical": "categorical_imputer",
    "categorical_strategy": "categorical_imputer",
    "categorical_imputation": "categorical_imputer",
    "imputation_categorical": "categorical_imputer",
    "categorical_encoding": "one_hot",
    "encoding": "one_hot",
    "polynomial_features": "polynomial",
    "use_polynomial_features": "polynomial",
    "poly_features": "polynomial",
    "use_poly_features": "polynomial",
    "use_polynomial": "polynomial",
    "feature_engineering": "polynomial",
    "use_feature_engineering": "polynomial",
    "polynomial_features_degree": "polynomial_degree",
    "poly_features_degree": "polynomial_degree",
    "use_pca": "pca",
    "apply_pca": "pca",
    "pca": "pca",
    "feature_preprocessor": "feature_preprocessor",
    "feature_preprocessing": "feature_preprocessor",
    "preprocessor": "feature_preprocessor",
    "preprocessing": "feature_preprocessor",
    "pca_n_components": "pca_components",
    "pca_components": "pca_components",
    "n_pca_components": "pca_components",
    "pca_keep_variance": "pca_components",
    "keep_variance": "pca_components",
    "pca_variance": "pca_components",
    "whiten": "pca_whiten",
    "pca_whiten": "pca_whiten",
    "balancing_strategy": "balancing",
    "balancing": "balancing",
    "class_balancing": "balancing",
    "balance_classes": "balancing",
    "class_weighting": "balancing",
}

# Colon paths whose last two segments name a preprocessing setting (`feature_preprocessor:polynomial:degree`);
# alone, `polynomial_degree` is an SVM kernel degree.
PATH_ROLES = {"polynomial_degree": "polynomial_degree", "pca_n_components": "pca_components", "pca_keep_variance": "pca_components", "pca_whiten": "pca_whiten"}

# A setting that only means something under a parent preprocessing switch: (parent role, child base) -> role.
# `poly_degree` under `use_feature_engineering` is the polynomial degree, not an SVM kernel degree.
CHILD_ROLES = {
    ("polynomial", "poly_degree"): "polynomial_degree",
    ("polynomial", "polynomial_degree"): "polynomial_degree",
    ("polynomial", "degree"): "polynomial_degree",
    ("pca", "n_components"): "pca_components",
    ("pca", "components"): "pca_components",
}

# Balancing choices -> class_weight: auto-sklearn's `balancing:strategy` {none, weighting}.
BALANCING = {"weighting": "balanced", "balanced": "balanced", "true": "balanced", "none": None, "false": None}

# Data settings inside a space (YAHPO's `trainsize`, HPOBench's `subsample`): the fraction of the training
# rows a trial sees. Used only when no family of the space claims the name (GB's `subsample` is row sampling).
DATA_FRACTION = frozenset({"subsample", "trainsize", "train_size", "dataset_fraction", "data_fraction", "train_fraction", "training_fraction", "subsample_fraction"})

# Settings without a scikit-learn equivalent, placed as unused when no family claims them: name -> why.
UNSUPPORTED = {
    "respect_unordered_factors": "R ranger's ordering of factor levels; categorical columns are one-hot encoded here",
    "num_random_splits": "R ranger's random splits per node for its extratrees rule; scikit-learn forests have no such setting",
    "category_coalescence": "auto-sklearn's merging of rare categories; not generated, categories are one-hot encoded as they are",
    "minimum_fraction": "auto-sklearn's merging of rare categories, named without its step; categories are one-hot encoded as they are",
    "epoch": "a training-length fidelity of the benchmark; this model has no epochs, SMAC's budget sets the fidelity (R12)",
    "epochs": "a training-length fidelity of the benchmark; this model has no epochs, SMAC's budget sets the fidelity (R12)",
    "iter": "a training-length fidelity of the benchmark; this model has no iterations to set (R12)",
    "step": "a training-length fidelity of the benchmark; SMAC's budget sets the fidelity (R12)",
    "budget": "SMAC passes the budget as train()'s own argument (R12)",
}

# Settings of a step's class that people name otherwise than scikit-learn: (class, the setting's words) ->
# (argument, member of a tuple argument or None). auto-sklearn's robust scaler searches q_min in [0.001, 0.3] and
# q_max in [0.7, 0.999] for RobustScaler's quantile_range; its minority coalescer's minimum_fraction merges the
# categories rarer than that share of the rows, as OneHotEncoder's min_frequency does with a fraction.
STEP_SETTINGS = {
    ("RobustScaler", "q_min"): ("quantile_range", 0),
    ("RobustScaler", "q_max"): ("quantile_range", 1),
    ("RobustScaler", "quantile_min"): ("quantile_range", 0),
    ("RobustScaler", "quantile_max"): ("quantile_range", 1),
    ("OneHotEncoder", "minimum_fraction"): ("min_frequency", None),
    ("OneHotEncoder", "min_fraction"): ("min_frequency", None),
}

# Scaler choice spellings -> scikit-learn class (None: no scaling).
SCALERS = {
    "standard": "StandardScaler",
    "standardize": "StandardScaler",
    "standardscaler": "StandardScaler",
    "zscore": "StandardScaler",
    "minmax": "MinMaxScaler",
    "minmaxscaler": "MinMaxScaler",
    "robust": "RobustScaler",
    "robustscaler": "RobustScaler",
    "maxabs": "MaxAbsScaler",
    "maxabsscaler": "MaxAbsScaler",
    "quantile": "QuantileTransformer",
    "quantiletransformer": "QuantileTransformer",
    "power": "PowerTransformer",
    "powertransformer": "PowerTransformer",
    "normalizer": "Normalizer",
    "normalize": "Normalizer",
    "none": None,
    "noscaler": None,
    "passthrough": None,
    "false": None,
    "true": "StandardScaler",
}

# The scalers above that transform each feature by an increasing affine map (or not at all): they keep every
# split a tree can make, so a tree family trains the same model after any of them (Family.scale_free).
AFFINE_SCALERS = frozenset({"StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", None})

IMPUTERS = {
    "mean": "mean",
    "median": "median",
    "most_frequent": "most_frequent",
    "mode": "most_frequent",
    "constant": "constant",
    "constant_zero": "constant",
    "zero": "constant",
    # mlr's impute.* names (YAHPO): `hist` draws from the column's histogram; the median is the closest
    # deterministic fill scikit-learn has.
    "impute.mean": "mean",
    "impute.median": "median",
    "impute.hist": "median",
}

# Prefix tokens and selector values of families this version does not generate (refused by name).
OTHER_FAMILY_TOKENS = {
    "catboost": "CatBoost",
}

# Names that only deep-learning frameworks have: the scikit-learn MLP cannot honour them (refused
# under --framework sklearn; without it such a space becomes a PyTorch network).
DEEP_LEARNING_PARAMS = frozenset({
    "dropout", "dropout_rate", "kernel_size", "num_filters", "filters", "embedding_size",
    "embedding_dim", "lstm_units", "gru_units", "num_conv_layers", "use_batch_norm",
    "batch_norm", "data_augmentation", "l1_regularization", "activation_cnn", "activation_mlp",
})

# Time-series forecasting settings: a forecasting pipeline (detrending, seasonal decomposition, lags) is
# not a train() over (X, y); a space with them is refused by name.
TIME_SERIES = frozenset({
    "detrend", "detrending", "seasonality", "seasonality_decomp", "seasonal_decomposition", "seasonal_period",
    "differencing", "lags", "n_lags", "num_lags", "lag", "forecast_horizon", "horizon", "window_size", "lookback",
})
