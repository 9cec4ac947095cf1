"""Black, in-process, with a fixed mode: a user's own black configuration never changes the output."""

from __future__ import annotations

import black

MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=100)


def format_source(source: str) -> str:
    return black.format_str(source, mode=MODE)
