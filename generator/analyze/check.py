"""Static checker for train() files: the rules of RULES.md that can be checked without running code.

Works on any train() file: generated, hand-written or written by a language model. stdlib only;
a ConfigurationSpace is needed for R06 alone. Each rule is one `_rNN` function over a parsed module.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import io
import re
import tokenize
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .check_flow import FLOW_RULES
from .check_model import (
    _METRIC_FUNCS,
    CONTRACTS,
    PARAMETERS,
    RETURNS,
    Violation,
    _calls,
    _dotted,
    _is_progress,
    _last,
    _loads,
    _Module,
    _names_in,
    _normal,
    _params,
)

if TYPE_CHECKING:
    from ConfigSpace import ConfigurationSpace

# ---------------------------------------------------------------- R01 signature


def infer_contract(fn: ast.FunctionDef) -> str:
    """The contract a train() signature claims: no budget -> no-budget; dict return -> metrics."""
    if "budget" not in _params(fn):
        return "no-budget"
    returns = _normal(ast.unparse(fn.returns)) if fn.returns else ""
    return "metrics" if returns.lower().startswith("dict") else "loss"


def _r01(m: _Module) -> Iterator[Violation]:
    trains = [s for s in m.tree.body if isinstance(s, ast.FunctionDef) and s.name == "train"]
    if not trains:
        yield Violation("R01", 1, "no top-level `def train(...)` found")
        return
    for extra in trains[1:]:
        yield Violation("R01", extra.lineno, "train() is defined again; keep exactly one")
    fn, expected, returns = trains[0], PARAMETERS[m.contract], RETURNS[m.contract]
    if _normal(ast.unparse(fn.args)) != _normal(expected.replace(" = ", "=")):
        found = ast.unparse(fn.args)
        msg = f"train() parameters must be ({expected}) for contract '{m.contract}', not ({found})"
        yield Violation("R01", fn.lineno, msg)
    found = ast.unparse(fn.returns) if fn.returns else "none"
    if _normal(found) not in {_normal(r) for r in returns}:
        msg = f"train() must return `-> {returns[0]}` for contract '{m.contract}', not {found}"
        yield Violation("R01", fn.lineno, msg)


# ---------------------------------------------------------------- R03 module layout, names

_MODULE_NAMES = {"__file__", "__name__", "__doc__", "__spec__", "__builtins__"}


def _allowed_top_level(stmt: ast.stmt, index: int) -> bool:
    """Imports, train(), a leading docstring, or an `if TYPE_CHECKING:` block of imports."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(stmt, ast.FunctionDef):
        return stmt.name == "train"
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return index == 0 and isinstance(stmt.value.value, str)
    if not isinstance(stmt, ast.If) or stmt.orelse or _last(_dotted(stmt.test)) != "TYPE_CHECKING":
        return False
    return all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in stmt.body)


def _bound_names(tree: ast.AST) -> set[str]:
    """Every name bound anywhere: imports, defs, parameters, assignment/loop/with/except targets."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
    return bound


def _r03(m: _Module) -> Iterator[Violation]:
    for index, stmt in enumerate(m.tree.body):
        if _allowed_top_level(stmt, index):
            continue
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            msg = f"top-level definition '{stmt.name}' is not allowed; nest helpers inside train()"
        else:
            code = ast.unparse(stmt).splitlines()[0][:60]
            msg = f"top-level code `{code}` is not allowed; the file holds imports and train() only"
        yield Violation("R03", stmt.lineno, msg)
    stars = [n for n in ast.walk(m.tree) if isinstance(n, ast.alias) and n.name == "*"]
    if stars:
        yield Violation("R03", stars[0].lineno, "`import *` hides which names are imported")
        return
    known = _bound_names(m.tree) | set(dir(builtins)) | _MODULE_NAMES
    first: dict[str, int] = {}
    for node in ast.walk(m.tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in known:
            first[node.id] = min(first.get(node.id, node.lineno), node.lineno)
    for name, line in first.items():
        yield Violation("R03", line, f"name '{name}' is used but never imported or assigned")
    yield from _shadowing(m)


def _shadowing(m: _Module) -> Iterator[Violation]:
    """An assignment to an imported name or a nested helper's name: later uses meet the new value (issue 15)."""
    if m.train is None:
        return
    imported = {(a.asname or a.name).split(".")[0] for s in m.tree.body if isinstance(s, (ast.Import, ast.ImportFrom)) for a in s.names}
    helpers = {n.name for n in ast.walk(m.train) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n is not m.train}
    for node in ast.walk(m.train):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in imported | helpers:
            what = "an imported name" if node.id in imported else "the name of a helper defined in train()"
            yield Violation("R03", node.lineno, f"assigning '{node.id}' rebinds {what}; later uses meet the assigned value instead")


# ---------------------------------------------------------------- R04 error masking

_TRY_NODES = tuple(t for t in (ast.Try, getattr(ast, "TryStar", None)) if t is not None)


def _masking(call: ast.Call, name: str) -> str | None:
    """Why a call masks errors or warnings, or None."""
    values = [*call.args, *(k.value for k in call.keywords)]
    ignore = any(isinstance(v, ast.Constant) and v.value == "ignore" for v in values)
    if name == "suppress":
        return "contextlib.suppress() masks errors; let them propagate"
    if name in ("filterwarnings", "simplefilter") and ignore:
        return f"warnings.{name}('ignore') hides warnings; let them show"
    if name in ("seterr", "errstate") and ignore:
        return f"{name}(... 'ignore') masks numeric errors; let them surface"
    return None


def _r04(m: _Module) -> Iterator[Violation]:
    for node in ast.walk(m.tree):
        if isinstance(node, _TRY_NODES):
            what = "try/except masks errors" if node.handlers else "try/finally hides the flow"
            yield Violation("R04", node.lineno, f"{what}; let errors propagate")
    for call, name in _calls(m.tree):
        reason = _masking(call, _last(name))
        if reason:
            yield Violation("R04", call.lineno, reason)


# ---------------------------------------------------------------- R05 hard-coded shapes

_ALL = None  # every positional argument
_SHAPE_ARGS: dict[str, tuple[int, ...] | None] = {
    **dict.fromkeys(["reshape", "Reshape", "view", "Input"], _ALL),
    **dict.fromkeys(["to_categorical", "one_hot"], (1,)),
    **dict.fromkeys(["Linear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d"], (0, 1)),
    **dict.fromkeys(["ConvTranspose2d", "ConvTranspose3d"], (0, 1)),
}
_SHAPE_KWARGS = {"shape", "newshape"}  # only for the callees above
_DIM_KWARGS = {"input_shape", "input_dim", "input_size", "in_features", "out_features",
               "in_channels", "out_channels", "num_classes", "n_classes", "num_class"}
_DIM_NAMES = _DIM_KWARGS | {"nb_classes", "n_features", "num_features", "nb_features", "n_inputs",
                            "num_inputs", "n_outputs", "num_outputs", "output_dim", "output_size",
                            "n_samples", "num_samples"}


def _literal_size(node: ast.AST) -> bool:
    """An int literal > 1, or a tuple/list/product holding one: a hard-coded size."""
    if isinstance(node, (ast.Tuple, ast.List)):
        return any(_literal_size(e) for e in node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _literal_size(node.left) and _literal_size(node.right)
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value > 1


def _shape_args(call: ast.Call, name: str) -> list[ast.AST]:
    """The arguments of a call that hold a data dimension."""
    args = [k.value for k in call.keywords if k.arg in _DIM_KWARGS]
    if name in _SHAPE_ARGS:
        positions = _SHAPE_ARGS[name]
        args += [a for i, a in enumerate(call.args) if positions is _ALL or i in positions]
        args += [k.value for k in call.keywords if k.arg in _SHAPE_KWARGS]
    activation = next((k.value for k in call.keywords if k.arg == "activation"), None)
    if name == "Dense" and activation and re.search("softmax|sigmoid", ast.unparse(activation)):
        args += call.args[:1] + [k.value for k in call.keywords if k.arg == "units"]
    return args


_LAYERS = {"Linear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"}


def _widths(tree: ast.AST) -> set[int]:
    """Literal sizes that are hidden-layer widths, chosen by the author, no data dimension (issue 25): a literal both
    produced by one layer (its output size) and consumed by another (its input). A convolution's output channels are
    widths too (_r05)."""
    outs, ins = set(), set()
    for call, dotted in _calls(tree):
        value = [a.value if isinstance(a, ast.Constant) and type(a.value) is int else None for a in call.args[:2]]
        if _last(dotted) in _LAYERS and len(value) == 2:
            outs.add(value[1])
            ins.add(value[0])
    return (outs & ins) - {None}


def _r05(m: _Module) -> Iterator[Violation]:
    widths = _widths(m.tree)
    for call, dotted in _calls(m.tree):
        name = _last(dotted)
        for arg in filter(_literal_size, _shape_args(call, name)):
            channels = name.startswith("Conv") and len(call.args) > 1 and arg is call.args[1]
            if channels or (name in _LAYERS and isinstance(arg, ast.Constant) and arg.value in widths and any(arg is a for a in call.args[:2])):
                continue  # a hidden-layer width, no hard-coded shape of the data
            msg = f"{name}() gets the literal {ast.unparse(arg)}, a hard-coded shape; use the data"
            yield Violation("R05", arg.lineno, msg)
    for node in ast.walk(m.tree):
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or not _literal_size(node.value):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id.lower() in _DIM_NAMES:
                code = f"{target.id} = {ast.unparse(node.value)}"
                msg = f"`{code}` hard-codes a data dimension; derive it from the data"
                yield Violation("R05", node.lineno, msg)


# ---------------------------------------------------------------- R06 hyperparameter names

_UNUSED_WORDS = re.compile(r"unused|not used|ignored|no effect", re.IGNORECASE)


def _cfg_reads(tree: ast.AST, cfg: str) -> Iterator[tuple[str, int]]:
    """(name, line) for every `cfg.get("<name>", ...)` and `cfg["<name>"]` with a literal name."""
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Call) and _dotted(node.func) == f"{cfg}.get" and node.args:
            key = node.args[0]
        elif isinstance(node, ast.Subscript) and _dotted(node.value) == cfg:
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            yield key.value, node.lineno


def _stated_unused(name: str, comments: list[str]) -> bool:
    """Some `#` comment names the hyperparameter exactly and says it is unused."""
    pattern = re.compile(rf"(?<![\w:]){re.escape(name)}(?![\w:])")
    return any(pattern.search(c) and _UNUSED_WORDS.search(c) for c in comments)


def stated_unused(source: str, names) -> set[str]:
    """The hyperparameters among `names` that a comment of `source` states unused (R06's rule; audit honours it too)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    comments = [t.string for t in tokens if t.type == tokenize.COMMENT]
    return {name for name in names if _stated_unused(name, comments)}


def _r06(m: _Module) -> Iterator[Violation]:
    if m.space is None:
        return
    space_names = list(m.space.keys())
    cfg = m.params[0] if m.params else "cfg"
    reads = sorted(set(_cfg_reads(m.tree, cfg)), key=lambda r: (r[1], r[0]))
    tokens = tokenize.generate_tokens(io.StringIO(m.source).readline)
    comments = [t.string for t in tokens if t.type == tokenize.COMMENT]
    for name in space_names:
        if name not in {read for read, _ in reads} and not _stated_unused(name, comments):
            msg = f"hyperparameter '{name}' is never read with {cfg}.get('{name}')"
            yield Violation("R06", m.line, f"{msg} nor stated unused in a comment")
    for name, line in reads:
        if name not in space_names:
            close = difflib.get_close_matches(name, space_names, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            msg = f"'{name}' is read from {cfg} but is no hyperparameter of the space{hint}"
            yield Violation("R06", line, msg)


# ---------------------------------------------------------------- R12 budget


_BUDGET_IGNORED = re.compile(r"budget\s*(=|is)\s*None|budget\b.*\b(ignored|not used|unused)", re.IGNORECASE)


def _r12(m: _Module) -> Iterator[Violation]:
    if m.train is not None and "budget" not in m.params and m.multi_fidelity:
        msg = "train() has no budget parameter, but a multi-fidelity facade passes budget=; map it onto the fidelity"
        yield Violation("R12", m.line, msg)
    if m.train is None or m.contract == "no-budget" or "budget" not in m.params:
        return
    uses = _loads(m.train, "budget")
    converted = any(d in ("int", "float") and _loads(c, "budget") for c, d in _calls(m.train))
    tokens = tokenize.generate_tokens(io.StringIO(m.source).readline)
    if any(t.type == tokenize.COMMENT and _BUDGET_IGNORED.search(t.string) for t in tokens):
        return  # a full-fidelity facade: the file states that budget is None and unused
    if not uses:
        msg = "budget is never read; ignore it when None, else map it onto the fidelity"
        yield Violation("R12", m.line, msg)
    elif not converted:
        line = min(u.lineno for u in uses)
        yield Violation("R12", line, "budget is never converted with int() or float()")


# ---------------------------------------------------------------- R16 metrics on training data

_METRIC_METHODS = {"score", "evaluate"}
_METRIC_KWARGS = {"y_true", "y_pred", "y_score", "y_prob", "y_proba", "probas_pred", "X", "y", "x"}
_DERIVE = {"predict", "predict_proba", "predict_log_proba", "decision_function", "transform",
           "fit_transform"}
_SPLIT_NAME = re.compile(r"(^|_)(val|valid|validation|test|holdout)(_|$)", re.IGNORECASE)


def _training_names(fn: ast.FunctionDef) -> set[str]:
    """Names holding training data: `*train*`, X/y once a split exists, predictions made on them.

    Flow-insensitive, so a name counts as derived only when every assignment to it is.
    """
    names = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
    training = {n for n in names if "train" in n.lower()}
    split = any(_last(d) == "train_test_split" for _, d in _calls(fn))
    if split or any(_SPLIT_NAME.search(n) for n in names):
        training |= names & {"X", "y", "x", "Y"}
    assigns = [n for n in ast.walk(fn) if isinstance(n, ast.Assign)]
    for _ in range(2):  # two hops: scaled = transform(X_train); pred = predict(scaled)
        derived: dict[str, bool] = {}  # True while every assignment derives from training data
        for node in assigns:
            calls = _calls(node.value)
            hit = any(_last(d) in _DERIVE and _names_in(c.args) & training for c, d in calls)
            for name in _names_in(node.targets):
                derived[name] = derived.get(name, True) and hit
        training |= {name for name, hit in derived.items() if hit}
    return training


def _r16(m: _Module) -> Iterator[Violation]:
    if m.train is None:
        return
    training = _training_names(m.train)
    for call, dotted in _calls(m.train):
        name = _last(dotted)
        method = name in _METRIC_METHODS and isinstance(call.func, ast.Attribute)
        if name in _METRIC_FUNCS or method:
            args = [*call.args, *(k.value for k in call.keywords if k.arg in _METRIC_KWARGS)]
            used = ", ".join(sorted(_names_in(args) & training))
            if used:
                msg = f"{dotted}() is computed on training data ({used}); use the validation split"
                yield Violation("R16", call.lineno, msg)


# ---------------------------------------------------------------- R20 model saved

_SAVE_CALLS = {"save", "save_model", "save_weights", "save_pretrained"}
_DUMPS = {"dump", "joblib.dump", "pickle.dump", "dill.dump", "cloudpickle.dump"}


def _r20(m: _Module) -> Iterator[Violation]:
    if m.train is None or "model_dir" not in m.params:
        return
    if not _loads(m.train, "model_dir"):
        msg = "model_dir is never used; save the trained model there when it is given"
        yield Violation("R20", m.line, msg)
    if not any(_last(d) in _SAVE_CALLS or d in _DUMPS for _, d in _calls(m.train)):
        msg = "no save call (joblib.dump, torch.save, model.save, pickle.dump) stores the model"
        yield Violation("R20", m.line, msg)


# ---------------------------------------------------------------- R22 progress

def _flooding(node: ast.AST, depth: int = 0, guarded: bool = False) -> Iterator[ast.Call]:
    """Progress calls in a loop nested in another loop, not under an `if` inside the inner one."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.For, ast.AsyncFor, ast.While)):
            yield from _flooding(child, depth + 1, False)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from _flooding(child, 0, False)
        else:
            call = isinstance(child, ast.Call) and _is_progress(_dotted(child.func))
            if call and depth >= 2 and not guarded:
                yield child
            yield from _flooding(child, depth, guarded or isinstance(child, (ast.If, ast.IfExp)))


def _r22(m: _Module) -> Iterator[Violation]:
    if m.train is None:
        return
    if not any(_is_progress(d) for _, d in _calls(m.train)):
        yield Violation("R22", m.line, "train() reports no progress; print or log a few lines")
    for call in _flooding(m.train):
        msg = f"{_dotted(call.func)}() in a nested loop floods the output; report per epoch"
        yield Violation("R22", call.lineno, msg)


# ---------------------------------------------------------------- entry points

RULES: tuple[Callable[[_Module], Iterator[Violation]], ...] = (
    _r01, _r03, _r04, _r05, _r06, _r12, _r16, _r20, _r22, *FLOW_RULES)


def check_source(source: str, *, filename: str = "train.py",
                 space: ConfigurationSpace | None = None,
                 contract: str | None = None, multi_fidelity: bool = False) -> list[Violation]:
    """All static violations in one train() file's source, sorted by line then rule.

    multi_fidelity: the facade passes a budget (MultiFidelityFacade, HyperbandFacade), so train() needs one (R12).
    """
    if contract is not None and contract not in CONTRACTS:
        raise ValueError(f"unknown contract {contract!r}; expected one of {', '.join(CONTRACTS)}")
    try:
        tree = ast.parse(source, filename=filename)
    except (SyntaxError, ValueError) as exc:  # ValueError: null bytes on older Pythons
        line = getattr(exc, "lineno", None) or 1
        return [Violation("R03", line, f"not valid Python: {getattr(exc, 'msg', exc)}")]
    trains = (s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "train")
    train = next(trains, None)
    resolved = contract or (infer_contract(train) if train else "loss")
    module = _Module(tree, source, train, resolved, space, multi_fidelity)
    found = {v for rule in RULES for v in rule(module)}
    named = {(v.rule, v.line) for v in found if v.col == 1}
    found = {v for v in found if v.col == 1 or v.rule != "R16" or (v.rule, v.line) not in named}  # one R16 a line
    return sorted(found, key=lambda v: (v.line, v.col, v.rule, v.message))


def check_file(path: str | Path, *, space: ConfigurationSpace | None = None,
               contract: str | None = None, multi_fidelity: bool = False) -> list[Violation]:
    """check_source() on a file read as UTF-8."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    return check_source(text, filename=str(path), space=space, contract=contract, multi_fidelity=multi_fidelity)


def format_report(path_name: str, violations: list[Violation]) -> str:
    """`<file>:<line>:<col>: <rule> <message>` lines (ruff's form) sorted by line, then a summary line."""
    from .check_output import to_text

    return to_text({path_name: violations})
