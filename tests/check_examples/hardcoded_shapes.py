# ruff: noqa
from typing import Any

import numpy as np
import torch
from ConfigSpace import Configuration
from sklearn.model_selection import train_test_split
from torch import nn


def train(cfg: Configuration, dataset: Any, seed: int, budget: int = None, model_dir: str = None) -> float:
    torch.manual_seed(seed)
    num_classes = 10
    X = np.asarray(dataset["X"], dtype=np.float32).reshape(-1, 784)
    y = np.asarray(dataset["y"]).reshape(-1)
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=seed, stratify=y)
    units = int(cfg.get("units") or 64)
    model = nn.Sequential(nn.Linear(784, units), nn.ReLU(), nn.Linear(units, num_classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=float(cfg.get("lr") or 1e-3))
    epochs = int(budget) if budget is not None else 10
    xb, yb = torch.from_numpy(X_train), torch.from_numpy(y_train).long()
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")
    with torch.no_grad():
        accuracy = (model(torch.from_numpy(X_val)).argmax(1).numpy() == y_val).mean()
    if model_dir:
        torch.save(model.state_dict(), f"{model_dir}/model_{hash(str(dict(cfg)))}_{seed}.pt")
    return -float(accuracy)
