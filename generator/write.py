"""Write generated text atomically, only when the bytes change."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import GeneratorError


def write_if_changed(path: str | Path, text: str) -> str:
    """Write `text` to `path` via a temporary file and os.replace (creating missing folders); returns created/identical/updated."""
    path = Path(path)
    if path.is_dir():
        raise GeneratorError("the output path is a folder; give a file name such as train.py.", source=str(path))
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return "identical"
    status = "updated" if path.exists() else "created"
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise GeneratorError(f"the output folder {folder} is a file, not a folder.", source=str(path))
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)  # as black and ruff do: -o into a new folder creates it
        except OSError as exc:
            raise GeneratorError(f"cannot create the output folder {folder} ({exc.strerror}).", source=str(path)) from None
    if path.exists() and not os.access(path, os.W_OK):
        raise GeneratorError("the output file is read-only; make it writable or choose another path.", source=str(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise GeneratorError(f"cannot write the output file ({exc.strerror}).", source=str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        # No partial file: the temporary goes, an existing output stays byte-identical.
        Path(temporary).unlink(missing_ok=True)
        raise GeneratorError(f"cannot write the output file ({exc.strerror}).", source=str(path)) from None
    return status
