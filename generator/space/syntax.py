"""A JSON space file's syntax, checked before the heavy imports (ConfigSpace and its sampling stack).

A file that is not valid JSON then fails at once, with the same one-paragraph error `load` gives
(issue 23: it took seconds of imports, and reading the dataset, before the syntax error).
"""

from __future__ import annotations

import json
from pathlib import Path

from trainfn_gen.errors import GeneratorError

from .formats import format_name


def parse_json(text: str, name: str) -> object:
    """json.loads, a syntax error as the one-paragraph GeneratorError of every command."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        raise GeneratorError(message, source=name) from None


def check_syntax(space, fmt: str | None = None) -> None:
    """Parse `space` when it is a JSON file (by --format, its suffix, or a first '{' for a file without a
    known suffix); anything else (another format, an object, a folder, a missing file) is left to `load`."""
    if not isinstance(space, (str, Path)):
        return
    path = Path(space)
    if not path.is_file():
        return
    chosen = format_name(fmt) if fmt else None
    suffix = path.suffix.lower()
    if fmt is None and suffix in (".yaml", ".yml", ".pcs", ".py"):
        return
    if fmt is not None and chosen != "json":
        return
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # load says why
    if not text.strip():
        return  # load's "the file is empty"
    if chosen == "json" or suffix == ".json" or text.lstrip().startswith("{"):
        parse_json(text, path.name)


__all__ = ["check_syntax", "parse_json"]
