"""`trainfn-gen predict DIR/best new.csv`: the refit model of a run predicts a table, checked first (issue 23).

The table is read as `run --dataset` reads one (pandas, CSV/TSV or Parquet) and conformed to the columns
best/metadata.json records (columns.conform): a missing or extra column or a value that cannot take the
column's dtype is a GeneratorError naming the file and the column, and nothing is written; columns in
another order, a target column and category values unseen in training are notes. The predictions (class
labels as y held them) are one column named after the target (else "prediction"), written atomically.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from trainfn_gen.errors import GeneratorError

from .loader import CheckedColumns, load_model

TABLES = {".csv": ",", ".tsv": "\t", ".txt": ","}
PARQUET = (".parquet", ".pq")


def read_table(path: Path):
    """The new rows as a DataFrame (every column: the target, if present, is dropped later)."""
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix in PARQUET:
        try:
            return pd.read_parquet(path)
        except Exception as error:  # noqa: BLE001 - pyarrow raises several types; we name the file
            raise GeneratorError(f"not a readable Parquet file: {' '.join(str(error).split()).rstrip('.')}.", source=path.name) from None
    if suffix not in TABLES:
        raise GeneratorError(f"cannot tell the table format from the suffix '{path.suffix}'; predict reads CSV (.csv, .tsv, .txt) or Parquet (.parquet, .pq).", source=path.name)
    try:
        frame = pd.read_csv(path, sep=TABLES[suffix])
    except pd.errors.EmptyDataError:
        raise GeneratorError("the file is empty.", source=path.name) from None
    except pd.errors.ParserError as error:
        raise GeneratorError(f"malformed CSV: {' '.join(str(error).split()).rstrip('.')}.", source=path.name) from None
    except UnicodeDecodeError as error:
        raise GeneratorError(f"not UTF-8 text (byte {error.start}).", source=path.name) from None
    if frame.empty:
        raise GeneratorError("has no rows to predict.", source=path.name)
    return frame


def predict_table(model_path: str | Path, data_path: str | Path):
    """(the predictions as a one-column DataFrame, the notes) for the table at data_path."""
    import numpy as np
    import pandas as pd

    data_path = Path(data_path)
    model = load_model(model_path)
    frame = read_table(data_path)
    notes: list[str] = []
    name = "prediction"
    if isinstance(model, CheckedColumns):
        offset = 2 if data_path.suffix.lower() in TABLES else None  # a CSV's header is line 1
        X, notes = model.conform(frame, source=data_path.name, line_offset=offset)
        name = model.described.get("target") or name
        model = model.model
    else:
        X = frame
        notes.append(f"not checked: {Path(model_path)} has no metadata.json recording the training columns (a best/ folder of an earlier run)")
    try:
        predicted = np.asarray(model.predict(X))
    except GeneratorError as error:
        raise GeneratorError(error.message, source=data_path.name) from None
    except Exception as error:  # noqa: BLE001 - the model's own refusal, as one paragraph naming the file
        first = (str(error).splitlines() or [""])[0]
        raise GeneratorError(f"the model could not predict these rows: {type(error).__name__}: {first}", source=data_path.name) from None
    if predicted.ndim > 1 and predicted.shape[1] == 1:
        predicted = predicted[:, 0]
    return pd.DataFrame({name: predicted}), notes


def write_atomically(frame, output: Path) -> None:
    """The CSV at output, complete or not at all (a temporary file in its folder, then os.replace)."""
    output = Path(output)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["predict_table", "read_table", "write_atomically"]
