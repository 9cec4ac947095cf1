"""Random-forest train() for the `loss` contract: the checker's clean, hand-written reference."""
# ruff: noqa: RUF013

import hashlib
import json
import os
from typing import Any

import joblib
import numpy as np
from ConfigSpace import Configuration
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split


def train(
    cfg: Configuration,
    dataset: Any,
    seed: int,
    budget: int = None,
    model_dir: str = None,
) -> float:
    X = np.asarray(dataset["X"])
    y = np.asarray(dataset["y"])
    if "X_test" in dataset and "y_test" in dataset:
        X_fit, y_fit = X, y
        X_eval, y_eval = np.asarray(dataset["X_test"]), np.asarray(dataset["y_test"])
    else:
        _, counts = np.unique(y, return_counts=True)
        stratify = y if counts.min() >= 2 else None
        X_fit, X_eval, y_fit, y_eval = train_test_split(
            X, y, test_size=0.2, random_state=seed, stratify=stratify
        )

    n_estimators = int(cfg.get("n_estimators") or 100)
    if budget is not None:
        n_estimators = max(1, min(int(budget), 1000))
    max_depth = cfg.get("max_depth")
    max_depth = None if max_depth is None else max(1, int(max_depth))
    criterion = str(cfg.get("criterion") or "gini")
    if criterion not in ("gini", "entropy", "log_loss"):
        criterion = "gini"
    max_features = float(cfg.get("max_features") or 1.0)
    # 'oob_score' is unused: the loss comes from the held-out split, not out-of-bag samples.

    np.random.seed(seed)
    model = RandomForestClassifier(
        n_estimators=n_estimators,
        max_depth=max_depth,
        criterion=criterion,
        max_features=min(max(max_features, 1e-3), 1.0),
        random_state=seed,
        n_jobs=-1,
    )
    model.fit(X_fit, y_fit)
    accuracy = float(accuracy_score(y_eval, model.predict(X_eval)))
    print(f"random forest: {n_estimators} trees, validation accuracy {accuracy:.4f}")

    if model_dir is not None:
        os.makedirs(model_dir, exist_ok=True)
        config = {k: str(v) for k, v in dict(cfg).items()}
        key = hashlib.sha1(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]
        path = os.path.join(model_dir, f"rf_{key}_seed{seed}_budget{budget}.joblib")
        joblib.dump({"model": model, "config": config, "accuracy": accuracy}, path)
    return -accuracy
