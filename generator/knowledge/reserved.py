"""Names the generated train() binds or reads: a selector's own name becomes its variable only outside them.

A selector named `make_pipeline`, `SVC` or `device` used to rebind what the code calls next (issue 15). The set
is read from the sources of the names, so a new snippet, import or family argument is out of reach at once:
every identifier of the snippets' Python text, every name the plan's imports bind, every estimator
argument of every family (rules and networks hoist them into locals), Python's keywords and builtins.
"""

from __future__ import annotations

import builtins
import keyword
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_JINJA_TAG = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)


@lru_cache(maxsize=1)
def fixed_names() -> frozenset[str]:
    """Snippet identifiers (Jinja tags left out), family argument names, keywords and builtins."""
    from .families import FAMILIES

    folder = Path(str(resources.files("trainfn_gen.snippets")))
    words = set(dir(builtins)) | set(keyword.kwlist) | set(keyword.softkwlist)
    for path in sorted(folder.rglob("*.jinja")):
        words |= set(_IDENTIFIER.findall(_JINJA_TAG.sub(" ", path.read_text(encoding="utf-8"))))
    words |= {param.arg for family in FAMILIES for param in family.params}
    return frozenset(words)


def free_variable(name: str, bound: frozenset[str] | set[str]) -> bool:
    """Can `name` be a variable of train(): an ASCII identifier outside fixed_names() and `bound` (imports, locals)?"""
    return name.isascii() and name.isidentifier() and name not in fixed_names() and name not in bound
