"""`--dataset` of `trainfn-gen run`: a spec -> the dataset dict a generated train() takes (R13, R14).

`load_dataset(spec)` is the one entry point (a richer dataset profiler can replace or wrap it):
`sklearn:NAME` for the datasets scikit-learn ships (no download), or a path to a .csv (last column
is the target) or a .npz (arrays X and y, optionally X_test and y_test).
"""

from __future__ import annotations

from pathlib import Path

from trainfn_gen.errors import GeneratorError

# Datasets bundled with scikit-learn; the fetch_* ones (california_housing, ...) need a download.
SKLEARN_DATASETS = ("iris", "wine", "breast_cancer", "digits", "diabetes")


def load_dataset(spec: str) -> dict:
    """`sklearn:iris`, `data.csv` or `data.npz` -> {"X", "y"[, "X_test", "y_test"]} of numpy arrays."""
    if spec.startswith("sklearn:"):
        return _sklearn(spec.split(":", 1)[1])
    path = Path(spec)
    if not path.is_file():
        raise GeneratorError(
            f"--dataset '{spec}' is neither sklearn:NAME ({', '.join(SKLEARN_DATASETS)}) nor an existing .csv or .npz file."
        )
    if path.suffix.lower() == ".csv":
        return _csv(path)
    if path.suffix.lower() == ".npz":
        return _npz(path)
    raise GeneratorError(f"--dataset '{spec}': only .csv (last column = target) and .npz (X, y) files are read.", source=path.name)


def _sklearn(name: str) -> dict:
    from sklearn import datasets

    if name not in SKLEARN_DATASETS:
        raise GeneratorError(
            f"--dataset sklearn:{name} is not one of the datasets scikit-learn ships ({', '.join(SKLEARN_DATASETS)}); "
            "others need a download, so save them as .csv or .npz and pass the path."
        )
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return {"X": X, "y": y}


def _csv(path: Path) -> dict:
    import pandas as pd

    frame = pd.read_csv(path)
    if frame.shape[1] < 2 or frame.shape[0] < 2:
        raise GeneratorError("a .csv dataset needs a header, at least one feature column and the target as the last column, and two rows.", source=path.name)
    return {"X": frame.iloc[:, :-1], "y": frame.iloc[:, -1].to_numpy()}


def _npz(path: Path) -> dict:
    import numpy as np

    with np.load(path, allow_pickle=False) as arrays:
        missing = [key for key in ("X", "y") if key not in arrays]
        if missing:
            raise GeneratorError(f"the .npz file has no array {missing[0]!r} (it holds {', '.join(arrays.files)}).", source=path.name)
        data = {key: arrays[key] for key in ("X", "y", "X_test", "y_test") if key in arrays}
    if ("X_test" in data) != ("y_test" in data):
        raise GeneratorError("the .npz file holds only one of X_test and y_test; give both or neither.", source=path.name)
    return data
