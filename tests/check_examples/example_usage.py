# ruff: noqa
from typing import Any

import joblib
import numpy as np
from ConfigSpace import Configuration
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

RANDOM_STATE = 42


def load_data():
    rng = np.random.default_rng(RANDOM_STATE)
    return {"X": rng.normal(size=(100, 4)), "y": rng.integers(0, 2, 100)}


def train(cfg: Configuration, dataset: Any, seed: int, budget: int = None, model_dir: str = None) -> float:
    X_train, X_val, y_train, y_val = train_test_split(dataset["X"], dataset["y"], random_state=seed, stratify=dataset["y"])
    n_estimators = int(budget) if budget is not None else int(cfg.get("n_estimators"))
    model = RandomForestClassifier(n_estimators=n_estimators, random_state=seed)
    model.fit(X_train, y_train)
    if model_dir:
        joblib.dump(model, f"{model_dir}/model_{hash(str(dict(cfg)))}_{seed}.joblib")
    score = model.score(X_val, y_val)
    print(f"accuracy {score:.3f}")
    return -score


if __name__ == "__main__":
    print(train({"n_estimators": 10}, load_data(), seed=0))
