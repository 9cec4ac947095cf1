# ruff: noqa
from typing import Any

import joblib
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split


def train(config, dataset, seed=0, budget=None):
    X_train, X_val, y_train, y_val = train_test_split(dataset["X"], dataset["y"], random_state=seed, stratify=dataset["y"])
    n_estimators = int(budget) if budget is not None else int(config.get("n_estimators"))
    model = RandomForestClassifier(n_estimators=n_estimators, random_state=seed)
    model.fit(X_train, y_train)
    score = model.score(X_val, y_val)
    print(f"accuracy {score:.3f}")
    return -score
