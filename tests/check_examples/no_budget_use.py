# ruff: noqa
from typing import Any

import joblib
from ConfigSpace import Configuration
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split


def train(cfg: Configuration, dataset: Any, seed: int, budget: int = None, model_dir: str = None) -> float:
    X_train, X_val, y_train, y_val = train_test_split(dataset["X"], dataset["y"], random_state=seed, stratify=dataset["y"])
    model = RandomForestClassifier(n_estimators=int(cfg.get("n_estimators") or 100), random_state=seed)
    model.fit(X_train, y_train)
    if model_dir:
        joblib.dump(model, f"{model_dir}/model_{hash(str(dict(cfg)))}_{seed}.joblib")
    score = model.score(X_val, y_val)
    print(f"accuracy {score:.3f}")
    return -score
