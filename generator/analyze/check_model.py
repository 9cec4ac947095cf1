"""What every rule of `check` reads: the parsed train() module, one finding, and the AST helpers the rules share.

check.py (the signature, structure and output rules) and check_flow.py (the rules that follow values) both build
on this module; neither imports the other's rules' helpers.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ConfigSpace import ConfigurationSpace

CONTRACTS = ("loss", "metrics", "no-budget")
_HEAD = "cfg: Configuration, dataset: Any, seed: int"
PARAMETERS = {
    "loss": f"{_HEAD}, budget: int = None, model_dir: str = None",
    "metrics": f"{_HEAD}, budget: int = None, model_dir: str = None",
    "no-budget": f"{_HEAD}, model_dir: str = None",
}
RETURNS = {
    "loss": ("float",),
    "metrics": ("Dict[str, Union[float, int]]", "dict[str, float | int]"),
    "no-budget": ("float",),
}


@dataclass(frozen=True)
class Violation:
    """One broken rule: its id, the 1-based line in the file, one sentence, and the 1-based column."""

    rule: str
    line: int
    message: str
    col: int = 1
    severity: str = "error"  # "error": it can break the call or mislead SMAC; "note": it cannot (issue 25), shown apart


@dataclass
class _Module:
    """What every rule needs: the tree, the source, train() (if any), the contract and the space."""

    tree: ast.Module
    source: str
    train: ast.FunctionDef | None
    contract: str
    space: ConfigurationSpace | None
    multi_fidelity: bool = False

    @property
    def line(self) -> int:
        return self.train.lineno if self.train else 1

    @property
    def params(self) -> list[str]:
        return _params(self.train) if self.train else []


# ---------------------------------------------------------------- helpers


def _params(fn: ast.FunctionDef) -> list[str]:
    return [a.arg for a in fn.args.posonlyargs + fn.args.args]


def _dotted(node: ast.AST) -> str:
    """`np.random.seed` for a callee; only the attribute chain when it starts at a call."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _last(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def _calls(node: ast.AST) -> Iterator[tuple[ast.Call, str]]:
    """Every call under node, with its dotted callee name."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            yield sub, _dotted(sub.func)


def _loads(node: ast.AST, name: str) -> list[ast.Name]:
    names = [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == name]
    return [n for n in names if isinstance(n.ctx, ast.Load)]


def _names_in(nodes: list[ast.AST]) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def _normal(text: str) -> str:
    """Annotation text without module prefixes or spaces: `typing.Dict[...]` -> `Dict[...]`."""
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", text).replace(" ", "")


# Metric functions whose arguments tell which rows are scored (R16).
_METRIC_FUNCS = {"accuracy_score", "balanced_accuracy_score", "f1_score", "precision_score",
                 "recall_score", "roc_auc_score", "log_loss", "mean_squared_error", "r2_score",
                 "root_mean_squared_error", "mean_absolute_error", "median_absolute_error",
                 "mean_absolute_percentage_error", "matthews_corrcoef", "zero_one_loss",
                 "top_k_accuracy_score", "explained_variance_score"}


_LOG_METHODS = {"debug", "info", "warning", "error", "critical", "exception", "log"}


def _is_progress(dotted: str) -> bool:
    """print(), or a log call on `logging`, `log` or a `*logger`."""
    *receivers, method = dotted.lower().split(".")
    logs = any(r in ("logging", "log") or r.endswith("logger") for r in receivers)
    return dotted == "print" or (logs and method in _LOG_METHODS)
