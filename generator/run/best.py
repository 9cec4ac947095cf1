"""The end of `trainfn-gen run`: the incumbent refit on all the data, saved as DIR/best (issue 17).

SMAC's trials train on part of the rows (a validation split, or K-1 folds); a user wants one model
trained on everything. The refit calls the same train() once more, in this process (after a Dask
cluster is closed), with the incumbent configuration, the run's seed and the largest budget:

- the dataset has a test split (X_test, y_test): train() trains on all of X and scores on the test
  split (R14), as the trials did;
- train() does K-fold cross-validation (its docstring says so): the plain call (no dataset["fold"])
  scores every fold and saves a model refit on all rows;
- otherwise there are no held-out rows: X_test=X, y_test=y makes train() fit on all rows, and its
  metrics are labelled as measured on the training rows (the validated figure is the run history's).

DIR/best holds model.<ext> (+ model.preprocess.joblib for a tabular network) and model.json (train()'s
R20 metadata, which `trainfn_gen.load_model` reads), config.json and metadata.json.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .report import native, shown
from .trial import Target, imported_modules

CV_STATED = re.compile(r"(\d+)-fold cross-validation")
SAVE_MODELS = ("all", "incumbent", "none")
# Distribution names of the libraries metadata.json records when train() imports them.
FRAMEWORKS = {"torch": "torch", "tensorflow": "tensorflow", "keras": "keras", "xgboost": "xgboost", "lightgbm": "lightgbm"}
LOADERS = {
    ".joblib": ("import joblib", 'model = joblib.load("{path}")'),
    ".pt": ("import trainfn_gen", 'model = trainfn_gen.load_model("{folder}")'),
    ".keras": ("import trainfn_gen", 'model = trainfn_gen.load_model("{folder}")'),
}


@dataclass(frozen=True)
class Best:
    """What the refit left in DIR/best."""

    folder: Path
    model: Path | None
    metadata: dict


def cv_folds(source: str) -> int | None:
    """K when the train() docstring states "K-fold cross-validation" (the generated CV train() does), else None."""
    found = CV_STATED.search(source)
    return int(found.group(1)) if found else None


def versions(source: str) -> dict[str, str]:
    """Python, trainfn-gen, scikit-learn, numpy and the frameworks train() imports, as installed here."""
    from trainfn_gen import __version__

    found = {"python": platform.python_version(), "trainfn-gen": __version__}
    tops = {name.partition(".")[0] for name in imported_modules(source)}
    names = ["scikit-learn", "numpy", *(dist for module, dist in FRAMEWORKS.items() if module in tops)]
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def refit_data(dataset: dict, cv: int | None) -> tuple[dict, str]:
    """The dataset of the refit call and what its metrics are measured on."""
    n = len(dataset["y"])
    if "X_test" in dataset:
        return dataset, f"the given test split ({len(dataset['y_test'])} rows; trained on all {n} rows of X)"
    if cv:
        return dataset, f"{cv}-fold cross-validation of the {n} training rows (the saved model is refit on all of them)"
    # No held-out rows: score on the training rows, which makes train() fit on all of them (R14).
    return {**dataset, "X_test": dataset["X"], "y_test": dataset["y"]}, f"training rows (not a validation score; trained on all {n} rows)"


def refit(target: Target, config, dataset: dict, *, seed: int, budget: float | None, output_dir: Path, run_info: dict) -> Best:
    """Call train() with the incumbent on all rows and move what it saved into output_dir/best (replacing an
    earlier best: the caller has applied --overwrite/--resume before the run started)."""
    cv = cv_folds(target.source)
    data, measured_on = refit_data(dataset, cv)
    scratch = Path(tempfile.mkdtemp(prefix=".refit-", dir=output_dir))
    try:
        (scratch / "train").mkdir()  # a hand-written train() may expect the folder to exist
        call = Target(target.source, target.filename, data, str(scratch / "train"), target.contract, budget is not None)
        cost, info = call(config, seed=seed, budget=budget)
        saved = sorted((scratch / "train").glob("*.json"))
        folder = scratch / "best"
        folder.mkdir()
        model = None
        if saved:
            stem = saved[0].name[: -len(".json")]
            for path in sorted((scratch / "train").glob(stem + ".*")):
                path.rename(folder / ("model" + path.name[len(stem) :]))
            model = next((folder / f"model{suffix}" for suffix in LOADERS if (folder / f"model{suffix}").is_file()), None)
        values = native(dict(config))
        saved_meta = json.loads((folder / "model.json").read_text(encoding="utf-8")) if (folder / "model.json").is_file() else {}
        metadata = {
            **run_info,
            "config": values,
            "seed": seed,
            "budget": budget,
            "refit": {
                "loss": cost,
                "metrics": saved_meta.get("metrics") or {k: v for k, v in info.items() if k != "output"},
                "measured_on": measured_on,
            },
            "versions": versions(target.source),
        }
        (folder / "config.json").write_text(json.dumps(values, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (folder / "metadata.json").write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        destination = output_dir / "best"
        shutil.rmtree(destination, ignore_errors=True)
        folder.rename(destination)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Best(destination, destination / model.name if model else None, metadata)


def load_lines(best: Best) -> list[str]:
    """How to load the refit model and predict, for the run summary."""
    if best.model is None:
        return ["none: train() saved no model (it ignores model_dir); see config.json"]
    first, second = LOADERS[best.model.suffix]
    meta = best.model.with_suffix(".json")
    if best.model.suffix == ".joblib" and meta.is_file() and "classes" in json.loads(meta.read_text(encoding="utf-8")):
        first, second = LOADERS[".pt"]  # fitted on encoded labels: load_model decodes the predictions
    lines = [first, second.format(path=shown(best.model), folder=shown(best.folder)), "model.predict(X_new)"]
    if "columns" in best.metadata:
        lines.append(f"or, checked: trainfn-gen predict {shown(best.folder)} NEW.csv")
    if best.model.suffix != ".joblib":
        lines.append("(networks: model.predict_proba(X_new) for class probabilities)")
    return lines


__all__ = ["SAVE_MODELS", "Best", "cv_folds", "load_lines", "refit", "refit_data", "versions"]
