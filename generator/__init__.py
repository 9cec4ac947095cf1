"""trainfn-gen: deterministic SMAC train() generator (load -> detect -> plan -> render -> format -> write).

The Python API, for notebooks and scripts (documented in README.md, "Python API"):

- ``generate(space, *, task=None, contract="loss", facade="hpo", ...) -> str``: the train() source;
- ``explain(space, ...) -> dict``: the detection as data (what ``trainfn-gen explain --json`` prints);
- ``load_train(source) -> callable``: train() from generated source text or a file, nothing written;
- ``optimize(space, X, y, ...) -> OptimizeResult``: what ``trainfn-gen run`` does (needs the run extra);
- ``load_model(path) -> model``: the model a generated train() saved (``run``'s DIR/best), with ``predict``;
  networks are rebuilt from their saved architecture (torch/tensorflow load on that call only);
- ``GeneratorError``: bad input or a refusal, one paragraph naming the source and hyperparameter;
- ``GeneratorWarning``: a hyperparameter no rule understands, generated as unused.

``space`` is a ConfigurationSpace, a dict in ConfigSpace's dictionary format or a path. Importing
this package is light: ConfigSpace, black and jinja2 load on the first call that needs them. (The
module behind `trainfn-gen explain` is `explanation`, so that no submodule import ever replaces the
function `trainfn_gen.explain`.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainfn_gen.errors import GeneratorError

__version__ = "0.1.0"

if TYPE_CHECKING:
    from trainfn_gen.commands.public import (
        GeneratorWarning,
        OptimizeResult,
        explain,
        generate,
        load_train,
        optimize,
    )
    from trainfn_gen.run.loader import load_model

_PUBLIC = ("GeneratorWarning", "OptimizeResult", "explain", "generate", "load_train", "optimize")
__all__ = ["GeneratorError", "GeneratorWarning", "OptimizeResult", "__version__", "explain", "generate", "load_model", "load_train", "optimize"]


def __getattr__(name: str):
    """Load the API on first use (PEP 562), so that `trainfn-gen --help` imports nothing heavy."""
    if name in _PUBLIC:
        from trainfn_gen.commands import public

        return getattr(public, name)
    if name == "load_model":
        from trainfn_gen.run.loader import load_model

        return load_model
    raise AttributeError(f"module 'trainfn_gen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC, "load_model"})
