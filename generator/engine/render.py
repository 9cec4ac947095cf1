"""Plan -> source text with the vetted Jinja snippets. Knows no family by name."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from .plan import Plan


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Strict templates: an undefined name fails loudly instead of rendering nothing."""
    folder = Path(str(resources.files("trainfn_gen.snippets")))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render(plan: Plan) -> str:
    return environment().get_template("train.py.jinja").render(plan=plan)
