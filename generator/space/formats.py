"""The search-space file formats the loader reads, and the other spellings a user may type for them."""

from __future__ import annotations

FORMATS = ("json", "yaml", "pcs", "pcs_new", "python")
# What else a user may type for a format: the suffixes the error messages list, and the dialects' other spellings.
FORMAT_ALIASES = {"yml": "yaml", "py": "python", "pcs-new": "pcs_new", "pcsnew": "pcs_new"}


def format_name(value: str) -> str | None:
    """json / yaml / pcs / pcs_new / python for a name, a suffix (".yml") or another spelling; None if unknown."""
    key = " ".join(str(value).split()).lower().lstrip(".")
    return key if key in FORMATS else FORMAT_ALIASES.get(key)
