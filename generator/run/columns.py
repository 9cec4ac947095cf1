"""The data a `run` trained on, recorded in best/metadata.json, and new data checked against it (issue 23).

`describe(dataset, target, task)` records what the model takes: a table's feature columns in order with
their dtypes (and the values each non-numeric column held), or an array's row shape and dtype; the
target's name and, for a classifier, its classes. `conform(X, described, source)` makes new data fit
that record before the model sees it: a missing or an extra column, or a value that cannot be converted
to the column's dtype, is a GeneratorError naming the file and the column; columns in another order are
put in the trained order, a target column is dropped and values a category column never held in training
are named, each as a note (the one-hot encoder of the generated train() ignores an unseen value: those
rows are predicted with that column's indicators all zero).

Imports pandas and numpy only when called.
"""

from __future__ import annotations

from trainfn_gen.errors import GeneratorError

MAX_CATEGORIES = 1000  # a non-numeric column with more distinct values records none (unseen values are not named)
SHOWN = 5  # unseen values named in a note


def describe(dataset: dict, target: str | None, task: str | None) -> dict:
    """metadata.json's `columns`, `input`, `target`, `task` and `classes` for the training rows of `dataset`."""
    import numpy as np

    X = dataset["X"]
    found: dict = {"target": target, "task": task, "classes": None}
    if hasattr(X, "columns") and hasattr(X, "dtypes"):
        columns = []
        for name in X.columns:
            column = X[name]
            entry = {"name": str(name), "dtype": str(column.dtype)}
            if not _numeric_dtype(column.dtype):
                values = sorted({str(v) for v in column.dropna().unique()})
                entry["categories"] = values if len(values) <= MAX_CATEGORIES else None
            columns.append(entry)
        found["columns"] = columns
        found["input"] = {"kind": "table", "shape": [len(columns)], "dtype": "mixed"}
    else:
        array = np.asarray(X)
        found["columns"] = None
        found["input"] = {"kind": "array", "shape": list(array.shape[1:]), "dtype": str(array.dtype)}
    if task == "classification":
        y = np.ravel(np.asarray(dataset["y"]))
        try:
            found["classes"] = [v.item() if hasattr(v, "item") else v for v in np.unique(y[~_missing(y)])]
        except TypeError:  # labels of mixed types do not sort: named as text
            found["classes"] = sorted({str(v) for v in y[~_missing(y)]})
    return found


def _numeric_dtype(dtype) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(dtype)) and not pd.api.types.is_bool_dtype(dtype)


def _missing(values):
    import pandas as pd

    return pd.isna(values)


def _where(row: int, line_offset: int | None) -> str:
    return f"line {row + line_offset}" if line_offset else f"row {row + 1} of the data"


def _names(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


def conform(X, described: dict, source: str | None = None, line_offset: int | None = None):
    """(X as the model takes it, the notes). Raises GeneratorError (naming `source` and the column) on data
    the model cannot take; `line_offset`: a row's line in the file is its index + this (a CSV's header: 2)."""
    if described.get("columns") is None:
        return _conform_array(X, described, source, line_offset)
    import pandas as pd

    columns = described["columns"]
    trained = [c["name"] for c in columns]
    notes: list[str] = []
    if not hasattr(X, "columns"):
        import numpy as np

        if np.ndim(X) != 2 or np.shape(X)[1] != len(trained):
            raise GeneratorError(
                f"X has rows of shape {np.shape(X)[1:]}; the model was trained on a table with the {len(trained)} columns {_names(trained, 50)}: give a pandas DataFrame with those columns.",
                source=source,
            )
        X = pd.DataFrame(np.asarray(X, dtype=object) if any(not _numeric_dtype(c["dtype"]) for c in columns) else X, columns=trained)
        notes.append(f"X has no column names: its {len(trained)} columns are taken as the training columns in their order")
    given = [str(c) for c in X.columns]
    X = X.set_axis(given, axis=1)
    target = described.get("target")
    if target is not None and target in given and target not in trained:
        X = X.drop(columns=[target])
        given = [c for c in given if c != target]
        notes.append(f"column '{target}' is the target the model predicts; it was dropped")
    missing = [name for name in trained if name not in given]
    extra = [name for name in given if name not in trained]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"column{'s' if len(missing) > 1 else ''} {_names(missing)} {'are' if len(missing) > 1 else 'is'} missing")
        if extra:
            parts.append(f"column{'s' if len(extra) > 1 else ''} {_names(extra)} {'were' if len(extra) > 1 else 'was'} not in the training data")
        raise GeneratorError(f"{' and '.join(parts)}; the model takes the {len(trained)} columns {_names(trained)} (best/metadata.json lists them).", source=source)
    if given != trained:
        X = X[trained]
        notes.append("the columns were in another order; they were put in the trained order")
    converted = {}
    for entry in columns:
        name, dtype = entry["name"], entry["dtype"]
        column = X[name]
        if str(column.dtype) == dtype:
            converted[name] = column
        elif _numeric_dtype(dtype):
            numbers = pd.to_numeric(column, errors="coerce")
            bad = numbers.isna() & column.notna()
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0])
                raise GeneratorError(
                    f"column '{name}': value {column.iloc[row]!r} ({_where(row, line_offset)}) is not a number; the model was trained on {dtype} values there.", source=source
                )
            converted[name] = numbers.astype(dtype) if not (numbers.isna().any() and dtype.startswith("int")) else numbers.astype("float64")
        elif dtype == "bool":
            mapped = column.map(lambda v: {"true": True, "false": False, "1": True, "0": False}.get(str(v).strip().lower()) if not pd.isna(v) else v)
            bad = mapped.isna() & column.notna()
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0])
                raise GeneratorError(f"column '{name}': value {column.iloc[row]!r} ({_where(row, line_offset)}) is not True or False; the model was trained on bool values there.", source=source)
            converted[name] = mapped.astype(bool) if not mapped.isna().any() else mapped
        elif dtype == "category":
            converted[name] = column.astype(str).where(column.notna()).astype("category")
        else:
            text = column.astype(str).where(column.notna())
            try:
                converted[name] = text.astype(dtype)  # the training dtype (object, or pandas' str)
            except (TypeError, ValueError):
                converted[name] = text.astype(object)
    X = pd.DataFrame(converted, index=X.index)
    for entry in columns:
        known = entry.get("categories")
        if known is None:
            continue
        seen = set(known)
        unseen = sorted({str(v) for v in X[entry["name"]].dropna().unique()} - seen)
        if unseen:
            shown = ", ".join(repr(v) for v in unseen[:SHOWN]) + (f" and {len(unseen) - SHOWN} more" if len(unseen) > SHOWN else "")
            notes.append(f"column '{entry['name']}': value{'s' if len(unseen) > 1 else ''} {shown} never seen in training (predicted as no known category)")
    return X, notes


def _conform_array(X, described: dict, source: str | None, line_offset: int | None):
    """Array-trained models: a table of the right number of values per row becomes an array of the trained
    dtype and row shape; an array passes as it is (load_model's shape check reads it)."""
    import numpy as np

    shape = described.get("input", {}).get("shape")
    if not hasattr(X, "columns") or shape is None:
        return X, []
    width = int(np.prod(shape)) if shape else 1
    if X.shape[1] != width:
        raise GeneratorError(
            f"has {X.shape[1]} columns; the model was trained on an array of {width} values per row (shape {tuple(shape)}), so the table needs {width} columns (their names are not read).",
            source=source,
        )
    dtype = described["input"]["dtype"]
    try:
        values = X.to_numpy(dtype=dtype if np.dtype(dtype).kind in "biuf" else None)
    except (TypeError, ValueError):
        import pandas as pd

        for position, name in enumerate(X.columns):
            bad = pd.to_numeric(X[name], errors="coerce").isna() & X[name].notna()
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0])
                raise GeneratorError(f"column {position + 1} ('{name}'): value {X[name].iloc[row]!r} ({_where(row, line_offset)}) is not a number; the model was trained on {dtype} values.", source=source) from None
        raise
    return values.reshape(len(values), *shape), []


__all__ = ["conform", "describe"]
