"""--dataset -> Profile: what the data says about the task and the code paths train() needs.

Readers: CSV and Parquet (pandas; Parquet only when pyarrow is importable), `.npz` (arrays X and y,
optionally X_test and y_test), `.npy` (one 2-D numeric array, the target a column) and `sklearn:NAME`
(the datasets scikit-learn ships, no download). pandas and numpy are imported only here, only when
--dataset is used (the `data` extra). Every bad input is one GeneratorError naming the file and the
line or column at fault.

The profile chooses code paths, never constants (R05): the generated train() still reads every size
from the data it gets. Rules, documented in README.md:
- task: text, boolean or categorical targets are classification; numbers are classification when they
  are all whole and take at most max(20, 5% of the rows) distinct values, else regression;
- imbalanced: the largest class has at least IMBALANCE_RATIO times the rows of the smallest;
- stratifiable: every class has two rows and the classes fit in a 20% validation split (as the
  generated stratify_labels decides at run time);
- X kind: 2-D is tabular; 4-D is image-shaped ((N, C, H, W) or (N, H, W, C)); 3-D is image-shaped
  (N, H, W) when its last two sizes are equal or it holds uint8 pixels, else a sequence (N, T, F).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from trainfn_gen.errors import GeneratorError

IMBALANCE_RATIO = 4.0
KEPT_NOTE = (
    "The encoder and imputer stay in the code even when the profile finds no categorical columns or missing values, "
    "so the same train() accepts other data (R24); every size is read from the data at run time (R05)."
)
MAX_CLASSES, CLASS_SHARE = 20, 0.05
SKLEARN_DATASETS = ("breast_cancer", "diabetes", "digits", "iris", "wine")
SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet", ".npz": "npz", ".npy": "npy"}


@dataclass(frozen=True)
class Profile:
    source: str
    task: str
    x_kind: str
    missing: bool
    categorical: tuple[str, ...]
    classes: int | None
    stratifiable: bool
    imbalance: float | None
    has_test: bool
    target: str | None = None
    rows: int | None = None  # rows of X (not X_test): --cv auto decides on it (cv.py)

    @property
    def imbalanced(self) -> bool:
        return self.imbalance is not None and self.imbalance >= IMBALANCE_RATIO

    @property
    def default_metric(self) -> str | None:
        """balanced_accuracy for imbalanced classes; else the task's default (None)."""
        return "balanced_accuracy" if self.imbalanced else None

    def summary(self, metric: str | None, flattens: bool = True) -> tuple[str, ...]:
        """Docstring lines stating what the profile found and which code paths it chose."""
        target = f" (target '{self.target}')" if self.target else ""
        if self.task == "classification":
            found = f"classification, {self.classes} classes, largest/smallest class {self.imbalance:.3g}"
            if self.imbalanced:
                found += f" >= {IMBALANCE_RATIO:g}: imbalanced, so class_weight=\"balanced\" where the estimator takes it"
                if metric == "balanced_accuracy":
                    found += " and the metric balanced_accuracy"
            found += "; stratified split" if self.stratifiable else "; too few rows per class to stratify"
        else:
            found = "regression (continuous target)"
        shape = {"tabular": "tabular X", "image": "image-shaped X", "sequence": "sequence X (samples, steps, features)"}[self.x_kind]
        if self.x_kind != "tabular":
            shape += ", flattened per sample" if flattens else ", kept in its shape for the network"
        columns = f"categorical columns {', '.join(self.categorical)}" if self.categorical else "no categorical columns"
        test = "; X_test/y_test given" if self.has_test else ""
        return (
            f"Data profiled from {self.source}{target}: {found}; {shape}; {columns}; {'missing values' if self.missing else 'no missing values'}{test}.",
            KEPT_NOTE,
        )


def profile_dataset(spec: str, target: str | None = None) -> Profile:
    """Read a dataset (path or sklearn:NAME) and profile it."""
    data, name, column = load_dataset(spec, target)
    return profile_data(data, name, column)


def load_dataset(spec: str, target: str | None = None) -> tuple[dict, str, str | None]:
    """The dataset dict train() would get ({"X", "y"} plus X_test/y_test), its name and target column."""
    if spec.startswith("sklearn:"):
        return _sklearn(spec.partition(":")[2], target, spec)
    path = Path(spec)
    if path.is_dir():
        raise GeneratorError("is a folder, not a dataset file.", source=path.name)
    if not path.exists():
        raise GeneratorError("no such dataset file.", source=path.name)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        accepted = "CSV (.csv, .tsv, .txt), Parquet (.parquet, .pq), NumPy (.npz, .npy) or sklearn:NAME"
        raise GeneratorError(f"cannot tell the dataset format from the suffix '{path.suffix}'; accepted: {accepted}.", source=path.name)
    if kind in ("npz", "npy") and target is not None and kind == "npz":
        raise GeneratorError("--target names a column of a table (CSV, Parquet, .npy); an .npz file holds X and y already.", source=path.name)
    reader = {"csv": _csv, "parquet": _parquet, "npz": _npz, "npy": _npy}[kind]
    data, column = reader(path, target)
    return data, path.name, column


def _pandas(name: str):
    if importlib.util.find_spec("pandas") is None:
        raise GeneratorError("reading a dataset needs pandas and numpy (pip install 'trainfn-gen[data]').", source=name)
    import pandas

    return pandas


def _csv(path: Path, target: str | None) -> tuple[dict, str]:
    pd = _pandas(path.name)
    separator = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        frame = pd.read_csv(path, sep=separator)
    except pd.errors.EmptyDataError:
        raise GeneratorError("the file is empty.", source=path.name) from None
    except pd.errors.ParserError as exc:
        detail = " ".join(str(exc).split()).replace("Error tokenizing data. C error: ", "").rstrip(".")
        raise GeneratorError(f"malformed CSV: {detail}.", source=path.name) from None
    except UnicodeDecodeError as exc:
        raise GeneratorError(f"not UTF-8 text (byte {exc.start}).", source=path.name) from None
    return _split_table(frame, target, path.name, header_lines=1)


def _parquet(path: Path, target: str | None) -> tuple[dict, str]:
    pd = _pandas(path.name)
    if importlib.util.find_spec("pyarrow") is None:
        raise GeneratorError("reading Parquet needs pyarrow, which is not installed (pip install pyarrow); or save the data as CSV or .npz.", source=path.name)
    try:
        frame = pd.read_parquet(path, engine="pyarrow")
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types; we name the file
        detail = " ".join(str(exc).split()).rstrip(".")
        raise GeneratorError(f"not a readable Parquet file: {detail}.", source=path.name) from None
    return _split_table(frame, target, path.name, header_lines=None)


SHOW_ALL_COLUMNS = 50  # a table up to this wide has its every column named in an error


def _column_hint(column: str, columns: list[str]) -> str:
    """'did you mean 'x'? the columns are ...': close names (case-insensitive), and every column of a table
    up to SHOW_ALL_COLUMNS wide (a wider one: the first 12 and the count)."""
    import difflib

    lowered: dict[str, str] = {}
    for name in columns:
        lowered.setdefault(name.lower(), name)
    close = [lowered[match] for match in difflib.get_close_matches(column.lower(), list(lowered), n=3, cutoff=0.6)]
    guess = f"did you mean {' or '.join(repr(name) for name in close)}? " if close else ""
    if len(columns) <= SHOW_ALL_COLUMNS:
        shown = ", ".join(columns)
    else:
        shown = ", ".join(columns[:12]) + f", ... ({len(columns)} columns)"
    return f"{guess}{'The' if guess else 'the'} columns are {shown}"


def _split_table(frame, target: str | None, name: str, header_lines: int | None) -> tuple[dict, str]:
    """A table -> X (every other column) and y (the target column, by default the last)."""
    columns = [str(c) for c in frame.columns]
    if len(columns) < 2:
        raise GeneratorError(f"needs at least two columns (features and the target), found {len(columns)}.", source=name)
    if len(frame) < 2:
        raise GeneratorError(f"needs at least two rows, found {len(frame)}.", source=name)
    column = columns[-1] if target is None else target
    if column not in columns:
        raise GeneratorError(f"no column named '{column}' for --target; {_column_hint(column, columns)}.", source=name)
    position = columns.index(column)
    y = frame.iloc[:, position]
    missing = y.isna().to_numpy().nonzero()[0]
    if len(missing):
        where = f" (first at line {missing[0] + 1 + header_lines})" if header_lines else f" (first in row {missing[0]})"
        raise GeneratorError(f"column '{column}': the target has {len(missing)} missing value(s){where}; drop those rows or choose another --target.", source=name)
    return {"X": frame.drop(columns=frame.columns[position]), "y": y}, column


def _load_numpy(path: Path):
    import zipfile

    import numpy as np

    with path.open("rb") as handle:
        magic = handle.read(6)
    if not (magic == b"\x93NUMPY" or zipfile.is_zipfile(path)):
        raise GeneratorError("not a readable NumPy file (neither an .npy array nor an .npz archive).", source=path.name)

    try:
        return np.load(path, allow_pickle=False)
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise GeneratorError("holds Python objects (pickled arrays), which are not read; save plain numeric or text arrays.", source=path.name) from None
        raise GeneratorError(f"not a readable NumPy file: {' '.join(str(exc).split()).rstrip('.')}.", source=path.name) from None
    except (OSError, EOFError) as exc:
        raise GeneratorError(f"not a readable NumPy file: {' '.join(str(exc).split()).rstrip('.') or type(exc).__name__}.", source=path.name) from None


def _npz(path: Path, target: str | None) -> tuple[dict, None]:
    _pandas(path.name)
    import zipfile

    try:
        archive = _load_numpy(path)
    except zipfile.BadZipFile:
        raise GeneratorError("not a readable .npz archive (not a zip file).", source=path.name) from None
    if not hasattr(archive, "files"):
        raise GeneratorError("holds a single array; an .npz file needs arrays named X and y (np.savez(path, X=X, y=y)).", source=path.name)
    names = set(archive.files)
    missing = [key for key in ("X", "y") if key not in names]
    if missing:
        raise GeneratorError(f"has no array named {' or '.join(missing)}; found {', '.join(sorted(names)) or 'none'} (expected X, y and optionally X_test, y_test).", source=path.name)
    if ("X_test" in names) != ("y_test" in names):
        raise GeneratorError("has only one of X_test and y_test; give both or neither.", source=path.name)
    try:
        data = {key: archive[key] for key in ("X", "y", "X_test", "y_test") if key in names}
    except ValueError:
        raise GeneratorError("holds Python objects (pickled arrays), which are not read; save plain numeric or text arrays.", source=path.name) from None
    for x_key, y_key in (("X", "y"), ("X_test", "y_test")):
        if x_key not in data:
            continue
        X, y = data[x_key], data[y_key]
        if X.ndim < 2 or X.ndim > 4:
            raise GeneratorError(f"array {x_key} has shape {X.shape}; it needs one row per sample and 2 to 4 dimensions.", source=path.name)
        if y.ndim != 1 and not (y.ndim == 2 and y.shape[1] == 1):
            raise GeneratorError(f"array {y_key} has shape {y.shape}; it needs one target per sample (one dimension).", source=path.name)
        if len(X) != len(y):
            raise GeneratorError(f"arrays {x_key} and {y_key} disagree: {len(X)} rows against {len(y)}.", source=path.name)
    if "X_test" in data and data["X_test"].shape[1:] != data["X"].shape[1:]:
        raise GeneratorError(f"X_test has shape {data['X_test'].shape[1:]} per sample, X has {data['X'].shape[1:]}.", source=path.name)
    return data, None


def _npy(path: Path, target: str | None) -> tuple[dict, str]:
    _pandas(path.name)
    table = _load_numpy(path)
    if table.ndim != 2 or table.shape[1] < 2:
        raise GeneratorError(f"holds an array of shape {table.shape}; a .npy dataset is one 2-D table whose target is a column (use .npz for X and y arrays).", source=path.name)
    columns = table.shape[1]
    if target is None:
        index = columns - 1
    elif target.lstrip("-").isdigit() and -columns <= int(target) < columns:
        index = int(target) % columns
    else:
        raise GeneratorError(f"--target '{target}' is not a column index of this {columns}-column table (0 to {columns - 1}, or negative from the end).", source=path.name)
    import numpy as np

    return {"X": np.delete(table, index, axis=1), "y": table[:, index]}, str(index)


def _sklearn(name: str, target: str | None, spec: str) -> tuple[dict, str, None]:
    if name not in SKLEARN_DATASETS:
        raise GeneratorError(f"'{name}' is not a dataset scikit-learn ships; use one of {', '.join(SKLEARN_DATASETS)}.", source=spec)
    if target is not None:
        raise GeneratorError("--target applies to tables (CSV, Parquet, .npy), not to scikit-learn's datasets.", source=spec)
    _pandas(spec)
    if importlib.util.find_spec("sklearn") is None:
        raise GeneratorError("needs scikit-learn, which is not installed.", source=spec)
    from sklearn import datasets

    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return {"X": X, "y": y}, spec, None


def profile_data(data: dict, source: str, target: str | None = None) -> Profile:
    """Profile a dataset dict (numpy arrays or pandas objects)."""
    import numpy as np
    import pandas as pd

    X, y = data["X"], np.ravel(np.asarray(data["y"]))
    task = _task(y, data["y"])
    classes, stratifiable, imbalance = None, False, None
    if task == "classification":
        counts = pd.Series(y).value_counts().to_numpy()
        classes = len(counts)
        if classes < 2:
            raise GeneratorError("the target has a single class; a classifier needs at least two.", source=source)
        stratifiable = bool(counts.min() >= 2 and classes <= int(0.2 * len(y)))
        imbalance = float(counts.max() / counts.min())
    tables = [data[key] for key in ("X", "X_test") if key in data]
    if isinstance(X, pd.DataFrame):
        categorical = tuple(str(c) for c in X.select_dtypes(exclude="number").columns)
        missing = any(bool(t.isna().to_numpy().any()) for t in tables)
        kind = "tabular"
    else:
        X = np.asarray(X)
        kind = _x_kind(X)
        categorical = tuple(str(i) for i in range(X.shape[1]) if not _numeric(X[:, i])) if kind == "tabular" else ()
        missing = any(bool(pd.isna(np.asarray(t)).any()) for t in tables)
    return Profile(source, task, kind, missing, categorical, classes, stratifiable, imbalance, "X_test" in data, target, len(y))


def _task(y, original) -> str:
    import numpy as np

    dtype = getattr(original, "dtype", y.dtype)
    if y.dtype.kind not in "iuf" or str(dtype) == "category":
        return "classification"
    whole = bool(np.all(np.isfinite(y)) and np.all(np.mod(y, 1) == 0))
    distinct = len(np.unique(y))
    return "classification" if whole and distinct <= max(MAX_CLASSES, CLASS_SHARE * len(y)) else "regression"


def _x_kind(X) -> str:
    if X.ndim == 2:
        return "tabular"
    if X.ndim == 4:
        return "image"
    return "image" if X.shape[1] == X.shape[2] or X.dtype.kind == "u" else "sequence"


def _numeric(column) -> bool:
    if column.dtype.kind in "biufc":
        return True
    import pandas as pd

    return bool(pd.to_numeric(pd.Series(column), errors="coerce").notna().sum() == pd.Series(column).notna().sum())
