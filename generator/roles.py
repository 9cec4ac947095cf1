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
}

# Parameters of model families this version cannot generate: placed as unused, never guessed.
OTHER_FAMILY_PARAMS = {
    "l1_ratio": "elastic-net / logistic regression",
    "penalty": "linear models",
    "solver": "linear models",
    "n_neighbors": "k-nearest neighbours",
    "weights": "k-nearest neighbours",
    "p": "k-nearest neighbours",
    "leaf_size": "k-nearest neighbours",
    "var_smoothing": "naive Bayes",
    "reg_alpha": "XGBoost / LightGBM",
    "reg_lambda": "XGBoost / LightGBM",
    "colsample_bytree": "XGBoost / LightGBM",
    "min_child_weight": "XGBoost / LightGBM",
    "num_leaves": "LightGBM",
}

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
    "none": None,
    "noscaler": None,
    "passthrough": None,
    "false": None,
    "true": "StandardScaler",
}

IMPUTERS = {
    "mean": "mean",
    "median": "median",
    "most_frequent": "most_frequent",
    "mode": "most_frequent",
    "constant": "constant",
    "constant_zero": "constant",
    "zero": "constant",
}

# Prefix tokens and selector values of families this version does not generate (refused by name).
OTHER_FAMILY_TOKENS = {
    "knn": "k-nearest neighbours",
    "kneighbors": "k-nearest neighbours",
    "aknn": "k-nearest neighbours",
    "lr": "logistic regression",
    "logreg": "logistic regression",
    "logisticregression": "logistic regression",
    "glmnet": "elastic-net models",
    "dt": "decision trees",
    "decisiontree": "decision trees",
    "rpart": "decision trees",
    "nb": "naive Bayes",
    "naivebayes": "naive Bayes",
    "xgb": "XGBoost",
    "xgboost": "XGBoost",
    "lgbm": "LightGBM",
    "lightgbm": "LightGBM",
}

# Names that only deep-learning frameworks have: the scikit-learn MLP cannot honour them (refused
# under --framework sklearn; without it such a space becomes a PyTorch network).
DEEP_LEARNING_PARAMS = frozenset({
    "dropout", "dropout_rate", "kernel_size", "num_filters", "filters", "embedding_size",
    "embedding_dim", "lstm_units", "gru_units", "num_conv_layers", "use_batch_norm",
    "batch_norm", "data_augmentation", "l1_regularization", "activation_cnn", "activation_mlp",
})
