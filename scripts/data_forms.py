"""Issue 27: the data forms users pass x one golden train() per family -> fits / clear error / library traceback.

A "clear error" is a ValueError raised by the generated file's own code (the last traceback frame is in the
file) whose message names dataset['X'] or dataset['y'] (or X_test / y_test); any other exception is a library
traceback. Each call uses the space's default configuration (budget=None, seed 0) on small digits /
breast_cancer subsets. Prints a Markdown table (one row per form, one column per family).

    .venv/bin/python scripts/data_forms.py                 # the goldens of the working tree
    .venv/bin/python scripts/data_forms.py --ref 0243bd4   # the goldens of a commit (before)
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse
from ConfigSpace import ConfigurationSpace
from sklearn.datasets import load_breast_cancer, load_digits

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = {
    "random forest": "25_loss_hpo",
    "gradient boosting": "46_loss_hpo",
    "SVM": "05_loss_hpo",
    "linear": "logreg_loss_hpo",
    "kNN": "knn_loss_hpo",
    "sklearn MLP": "07_loss_hpo",
    "XGBoost": "xgboost_loss_hpo",
    "LightGBM": "lightgbm_loss_hpo",
    "PyTorch": "11_torch_loss_hpo",
    "TensorFlow": "11_tensorflow_metrics_hpo",
}


def forms() -> dict[str, dict]:
    """Form name -> dataset: the forms the issue lists, on 150 rows of digits (8 x 8 images) or breast_cancer."""
    X, y = load_digits(return_X_y=True)
    X, y = X[:150], y[:150]
    images = X.reshape(-1, 8, 8)
    Xb, yb = load_breast_cancer(return_X_y=True)
    Xb, yb = Xb[:150], yb[:150]
    frame = pd.DataFrame(Xb[:, :5], columns=[f"f{i}" for i in range(5)]).assign(
        colour=pd.Categorical(np.array(["red", "blue", "green"])[np.arange(150) % 3]),
        flag=np.arange(150) % 2 == 0,
        when=pd.date_range("2024-01-01", periods=150, freq="D"),
        text=np.array(["a", "b"], dtype=object)[np.arange(150) % 2],
    )
    with_inf, with_nan = X.copy(), X.copy()
    with_inf[::7, 10] = np.inf
    with_nan[::7, 10] = np.nan
    y_nan = yb.astype(float)
    y_nan[::9] = np.nan
    small = np.array([0] * 19 + [1])
    return {
        "2-D float64": {"X": X, "y": y},
        "2-D float32": {"X": X.astype(np.float32), "y": y},
        "2-D uint8": {"X": X.astype(np.uint8), "y": y},
        "list of rows": {"X": X.tolist(), "y": y.tolist()},
        "sparse CSR": {"X": scipy.sparse.csr_matrix(X), "y": y},
        "images (N, 1, 8, 8)": {"X": images[:, None], "y": y},
        "images (N, 8, 8)": {"X": images, "y": y},
        "images (N, 8, 8, 1) uint8": {"X": images[..., None].astype(np.uint8), "y": y},
        "DataFrame cat/bool/datetime/object": {"X": frame, "y": pd.Series(yb)},
        "string labels": {"X": Xb, "y": np.array(["benign", "malignant"])[yb]},
        "(N, 1) labels": {"X": Xb, "y": yb.reshape(-1, 1)},
        "inf in X": {"X": with_inf, "y": y},
        "NaN in X": {"X": with_nan, "y": y},
        "NaN in y": {"X": Xb, "y": y_nan},
        "one-hot y (error expected)": {"X": X, "y": np.eye(10)[y]},
        "one class (error expected)": {"X": X, "y": np.zeros(150, dtype=int)},
        "20 rows, one class of 1 row (error expected)": {"X": Xb[:20], "y": small},
        "20 rows, 16/4 classes": {"X": Xb[:20], "y": np.array([0] * 16 + [1] * 4)},
        "images with NaN": {"X": np.where(np.arange(64).reshape(8, 8) == 3, np.nan, images)[:, None], "y": y},
    }


def outcome(train, path: Path, cfg: dict, data: dict, model_dir: str) -> str:
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loss = train(cfg, data, seed=0, model_dir=model_dir)
    except Exception as error:  # noqa: BLE001 - the table records whatever was raised, and where
        last = traceback.extract_tb(error.__traceback__)[-1]
        own = Path(last.filename).resolve() == path.resolve()
        if own and isinstance(error, ValueError) and "dataset[" in str(error):
            return "clear error"
        return f"traceback ({type(error).__name__}: {str(error).splitlines()[0][:50]})"
    value = loss["loss"] if isinstance(loss, dict) else loss
    return "fits" if np.isfinite(value) else f"non-finite loss {value}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", help="read the goldens at this git commit (default: the working tree)")
    parser.add_argument("--families", help="comma-separated family names (default: all)")
    args = parser.parse_args()
    cases = {case["name"]: case for case in json.loads((ROOT / "golden" / "cases.json").read_text())}
    chosen = args.families.split(",") if args.families else list(FAMILIES)
    scratch = Path(tempfile.mkdtemp(prefix="data_forms_"))
    table = {}
    for family in chosen:
        name = FAMILIES[family]
        path = scratch / f"{name}.py"
        if args.ref:
            path.write_text(subprocess.run(["git", "-C", str(ROOT), "show", f"{args.ref}:golden/{name}.py"], check=True, capture_output=True, text=True).stdout)
        else:
            path.write_text((ROOT / "golden" / f"{name}.py").read_text())
        spec = importlib.util.spec_from_file_location(f"forms_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            space = ConfigurationSpace.from_json(ROOT / "golden" / "spaces" / cases[name]["space"])
        cfg = dict(space.get_default_configuration())
        for form, data in forms().items():
            table.setdefault(form, {})[family] = outcome(module.train, path, cfg, data, str(scratch / "models"))
        print(f"{family}: done", file=sys.stderr)
    print("| form | " + " | ".join(chosen) + " |")
    print("|---" * (len(chosen) + 1) + "|")
    for form, row in table.items():
        print(f"| {form} | " + " | ".join(row[family] for family in chosen) + " |")


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    main()
