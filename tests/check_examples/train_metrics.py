# ruff: noqa
from typing import Any, Dict, Union

import joblib
from ConfigSpace import Configuration
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss
from sklearn.model_selection import train_test_split


def train(
    cfg: Configuration, dataset: Any, seed: int, budget: int = None, model_dir: str = None
) -> Dict[str, Union[float, int]]:
    X, y = dataset["X"], dataset["y"]
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=seed, stratify=y)
    max_iter = int(budget) if budget is not None else 100
    model = LogisticRegression(C=float(cfg.get("C") or 1.0), max_iter=max_iter)
    model.fit(X_train, y_train)
    train_pred = model.predict(X_train)
    val_pred = model.predict(X_val)
    accuracy = accuracy_score(y_train, train_pred)
    f1 = f1_score(y_val, val_pred, average="macro")
    loss = log_loss(y_val, model.predict_proba(X_val), labels=sorted(set(y_train)))
    fit_score = model.score(X, y)
    if model_dir:
        joblib.dump(model, f"{model_dir}/model_{hash(str(dict(cfg)))}_{seed}.joblib")
    print(f"accuracy {accuracy:.3f} f1 {f1:.3f} fit {fit_score:.3f}")
    return {"loss": -accuracy, "accuracy": accuracy, "f1": f1, "log_loss": loss}
