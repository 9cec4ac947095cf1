"""Black, in-process, with a fixed mode: a user's own black configuration never changes the output."""

from __future__ import annotations

import black

MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=100)

# black.format_str formats twice whenever the first pass changed anything (always, for rendered templates):
# the second pass only settles rare magic-trailing-comma cases and doubles the cost (R23). One pass gives the
# same bytes on every golden and corpus output; tests/test_golden.py and tests/test_fuzz.py assert that the
# result is black-stable, so a template that ever needs the second pass fails there. Public API as fallback.
_FORMAT_ONCE = getattr(black, "_format_str_once", None)


def format_source(source: str) -> str:
    if _FORMAT_ONCE is None:
        return black.format_str(source, mode=MODE)
    return _FORMAT_ONCE(source, mode=MODE)
