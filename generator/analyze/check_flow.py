"""Rules of `check` that follow values through train(): where a value comes from decides the finding, not its name.

R02 loss sign, R07 config values into torch/numpy without a cast, R08/R10 inactive conditional hyperparameters,
R13 pandas-only methods on data that may be numpy, R16 objective on the rows the model was fitted on (and the
training loss of a network loop). Imported by check.py, whose helpers these rules share.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace

from trainfn_gen.space.hyperparameters import active_values

from .check_model import (
    _METRIC_FUNCS,
    Violation,
    _calls,
    _dotted,
    _is_progress,
    _last,
    _Module,
    _names_in,
)


def _at(rule: str, node: ast.AST, message: str) -> Violation:
    return Violation(rule, node.lineno, message, node.col_offset + 1)


def _assignments(fn: ast.FunctionDef) -> dict[str, list[ast.AST]]:
    """name -> the values assigned to it (tuple targets give the whole value; AugAssign counts too)."""
    values: dict[str, list[ast.AST]] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign):
            for name in _names_in(node.targets):
                values.setdefault(name, []).append(node.value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name) and node.value:
            values.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend") \
                and isinstance(node.func.value, ast.Name) and node.args:
            values.setdefault(node.func.value.id, []).append(node.args[0])  # losses.append(loss.item())
    return values


def _flow(fn: ast.FunctionDef, seeds: set[str], through=lambda value: True, rounds: int = 4) -> set[str]:
    """Names whose value comes from `seeds` (through assignments for which `through(value)` holds)."""
    reach = set(seeds)
    values = _assignments(fn)
    for _ in range(rounds):
        grown = {name for name, assigned in values.items() if any(_names_in([v]) & reach and through(v) for v in assigned)}
        if grown <= reach:
            break
        reach |= grown
    return reach


def _cfg_name(m: _Module) -> str:
    return m.params[0] if m.params else "cfg"


def _cfg_key(node: ast.AST, cfg: str) -> tuple[str, bool] | None:
    """("name", defaulted) for `cfg["name"]` (defaulted False) and `cfg.get("name"[, default])`."""
    if isinstance(node, ast.Subscript) and _dotted(node.value) == cfg:
        key = node.slice
        return (key.value, False) if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    if isinstance(node, ast.Call) and _dotted(node.func) in (f"{cfg}.get", f"dict({cfg}).get") and node.args:
        key = node.args[0]
        default = node.args[1] if len(node.args) > 1 else None
        defaulted = default is not None and not (isinstance(default, ast.Constant) and default.value is None)
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value, defaulted
    return None


def _parents(node: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(node) for child in ast.iter_child_nodes(parent)}


# ---------------------------------------------------------------- R08 / R10 inactive conditional hyperparameters


def _too_wide(test: ast.AST, cfg: str, holders: dict[str, str], allowed: dict[str, set]) -> str:
    """`cfg.get("kernel") in ["poly", "sigmoid"]` where the child is active under "poly" alone: the parent's name."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.In)):
        return ""
    key = _cfg_key(test.left, cfg)
    parent = key[0] if key else holders.get(test.left.id, "") if isinstance(test.left, ast.Name) else ""
    right = test.comparators[0]
    items = right.elts if isinstance(right, (ast.List, ast.Tuple, ast.Set)) else [right]
    values = {i.value for i in items if isinstance(i, ast.Constant)}
    if parent in allowed and values and len(values) == len(items) and values - allowed[parent]:
        return parent
    return ""


def _mentions(test: ast.AST, names: set[str], holders: dict[str, str]) -> bool:
    """A test that names one of `names` (as a string, or a variable read from the config)."""
    for node in ast.walk(test):
        if isinstance(node, ast.Constant) and node.value in names:
            return True
        if isinstance(node, ast.Name) and holders.get(node.id) in names:
            return True
    return False


def _none_tested(fn: ast.FunctionDef, name: str) -> bool:
    """`name is None`, `name is not None`, `if name`, `name or x`, `x if name else y` somewhere in train()."""
    for node in ast.walk(fn):
        none = isinstance(node, ast.Compare) and any(isinstance(c, ast.Constant) and c.value is None for c in node.comparators)
        if none and name in _names_in([node.left]):
            return True
        if isinstance(node, (ast.If, ast.IfExp, ast.While)) and isinstance(node.test, ast.Name) and node.test.id == name:
            return True
        if isinstance(node, ast.BoolOp) and isinstance(node.values[0], ast.Name) and node.values[0].id == name:
            return True
    return False


def _guarded(node: ast.AST, fn: ast.FunctionDef, up: dict, names: set[str], holders: dict[str, str], helpers: set[str],
             depth: int = 0, wide=lambda test: False) -> bool:
    """node runs only under a test that names `names` (or is handed to one of the file's helpers).

    Inside a class or function nested in train(), every place that names it must be guarded instead. A test
    for which `wide(test)` holds (a parent value under which the hyperparameter is inactive) guards nothing.
    """
    parent, child = up.get(node), node
    while parent is not None and parent is not fn:
        test = getattr(parent, "test", None)
        if isinstance(parent, (ast.If, ast.IfExp, ast.While)) and child is not test and _mentions(test, names, holders):
            in_body = child in parent.body if isinstance(parent.body, list) else child is parent.body
            return not (in_body and wide(test))  # an else branch: the values left, not checked
        if isinstance(parent, ast.BoolOp) and any(_mentions(v, names, holders) for v in parent.values if v is not child):
            return True
        if isinstance(parent, ast.Call) and _last(_dotted(parent.func)) in helpers:
            return True  # a helper of the file's own takes the value (and handles None itself)
        if isinstance(parent, ast.FunctionDef) and isinstance(up.get(parent), ast.ClassDef):
            child, parent = parent, up.get(parent)  # a method: guarded where its class is used
            continue
        if isinstance(parent, (ast.FunctionDef, ast.ClassDef)) and depth < 3:
            uses = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == parent.name and isinstance(n.ctx, ast.Load)]
            return bool(uses) and all(_guarded(u, fn, up, names, holders, helpers, depth + 1, wide) for u in uses)
        child, parent = parent, up.get(parent)
    return False


def r08_r10(m: _Module) -> Iterator[Violation]:
    if m.train is None or m.space is None:
        return
    conditional = {name: {p.name for p in parents} for name, parents in m.space.parents_of.items() if parents}
    if not conditional:
        return
    cfg, fn = _cfg_name(m), m.train
    up = _parents(fn)
    helpers = {n.name for n in ast.walk(fn) if isinstance(n, ast.FunctionDef) and n is not fn}
    holders = {}  # variable -> hyperparameter it was read into
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            key = _cfg_key(node.value, cfg)
            if key:
                holders[node.targets[0].id] = key[0]
    for node in ast.walk(fn):
        key = _cfg_key(node, cfg)
        if not key or key[0] not in conditional or key[1]:
            continue
        name, guard = key[0], {key[0], *conditional[key[0]]}
        ifexp = up.get(node)
        wide = _too_wide(ifexp.test, cfg, holders, active_values(m.space, name)) if isinstance(ifexp, ast.IfExp) and ifexp.body is node else ""
        if wide:
            values = ", ".join(repr(v) for v in sorted(active_values(m.space, name)[wide], key=str))
            yield _at("R10", node, f"{cfg}.get('{name}') is read when `{ast.unparse(ifexp.test)}`, but '{name}' is active only for {wide} in {{{values}}}: None otherwise")
            continue
        allowed = active_values(m.space, name)

        def wide(test: ast.AST, allowed=allowed) -> bool:
            return bool(_too_wide(test, cfg, holders, allowed))

        if _guarded(node, fn, up, guard, holders, helpers, wide=wide):
            continue
        parents = ", ".join(sorted(conditional[name]))
        if isinstance(node, ast.Subscript):
            yield _at("R08", node, f"{cfg}['{name}'] raises KeyError when '{name}' is inactive (it depends on {parents}); use {cfg}.get('{name}') and a default")
            continue
        target = up.get(node)
        if isinstance(target, ast.Assign) and len(target.targets) == 1 and isinstance(target.targets[0], ast.Name):
            variable = target.targets[0].id
            uses = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == variable and isinstance(n.ctx, ast.Load)]
            if _none_tested(fn, variable) or all(_guarded(u, fn, up, guard, holders, helpers, wide=wide) for u in uses):
                continue
        yield _at("R10", node, f"{cfg}.get('{name}') is None when '{name}' is inactive (it depends on {parents}) and is used without a None test")


# ---------------------------------------------------------------- R02 loss sign

_ERROR_FUNCS = {"mean_squared_error", "mean_absolute_error", "root_mean_squared_error", "log_loss", "zero_one_loss",
                "median_absolute_error", "mean_absolute_percentage_error", "hinge_loss", "brier_score_loss",
                "mean_squared_log_error", "cross_entropy", "mse_loss", "l1_loss", "nll_loss"}
_SCORE_FUNCS = _METRIC_FUNCS - _ERROR_FUNCS - {"log_loss"} | {"cross_val_score"}
_ERROR_NAME = re.compile(r"(^|_)(loss|mse|mae|rmse|error|err|nll)(_|$)", re.IGNORECASE)
_SCORE_NAME = re.compile(r"(^|_)(acc|accuracy|f1|auc|r2|score|scores|precision|recall)(_|$)", re.IGNORECASE)
_WRAPPERS = {"float", "round", "mean", "item", "max", "min", "abs", "median"}


def _unwrap(node: ast.AST) -> ast.AST:
    """`float(np.mean(x))`, `x.item()` -> x."""
    while True:
        if isinstance(node, ast.Call) and _last(_dotted(node.func)) in _WRAPPERS and node.args and _last(_dotted(node.func)) != "item":
            node = node.args[0]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("item", "mean"):
            node = node.func.value
        else:
            return node


def _kind(node: ast.AST, values: dict[str, list[ast.AST]], depth: int = 0) -> str:
    """"error", "score" or "" for an expression: by the function that computed it, else by its name."""
    node = _unwrap(node)
    if isinstance(node, ast.Call):
        name = _last(_dotted(node.func))
        if name in _ERROR_FUNCS or name.endswith("_loss") or name in ("criterion", "loss_fn", "loss_function"):
            return "error"
        if name == "cross_val_score":
            scoring = next((k.value for k in node.keywords if k.arg == "scoring"), None)
            neg = isinstance(scoring, ast.Constant) and str(scoring.value).startswith("neg_")
            return "error-negated" if neg else "score"
        if name in _SCORE_FUNCS or (name == "score" and isinstance(node.func, ast.Attribute)):
            return "score"
        return ""
    if isinstance(node, ast.Name):
        assigned = values.get(node.id, [])
        if depth < 3 and len(assigned) == 1:
            found = _kind(assigned[0], values, depth + 1)
            if found:
                return found
        if _ERROR_NAME.search(node.id):
            return "error"
        if _SCORE_NAME.search(node.id):
            return "score"
    return ""


def _returned(fn: ast.FunctionDef) -> Iterator[tuple[ast.Return, ast.AST]]:
    """(return statement, the loss it returns) of train() itself (not of nested helpers); a dict's "loss" value."""
    stack = list(fn.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Dict):
                value = next((v for k, v in zip(value.keys, value.values) if isinstance(k, ast.Constant) and k.value in ("loss", "cost")), None)
            if value is not None:
                yield node, value
        stack.extend(ast.iter_child_nodes(node))


def _negated(node: ast.AST) -> ast.AST | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return node.operand
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for a, b in ((node.left, node.right), (node.right, node.left)):
            if isinstance(a, ast.Constant) and a.value == -1:
                return b
    return None


def r02(m: _Module) -> Iterator[Violation]:
    if m.train is None:
        return
    values = _assignments(m.train)
    for ret, value in _returned(m.train):
        if isinstance(value, ast.Name) and len(values.get(value.id, [])) == 1:
            value = values[value.id][0]  # `loss = -mse; return loss`
        inner = _negated(value)
        code = ast.unparse(ret.value)[:60]
        if inner is not None and _kind(inner, values) == "error":
            yield _at("R02", ret, f"`return {code}` returns a negated error: SMAC minimizes it, so it maximizes the error; return the error itself")
        elif inner is None and _kind(value, values) == "score":
            yield _at("R02", ret, f"`return {code}` returns a score that grows with quality: SMAC minimizes it; return 1 - score or -score")


# ---------------------------------------------------------------- R16 objective on the rows the model was fitted on

_FIT = {"fit", "partial_fit", "fit_transform", "train_on_batch"}
_PREDICT = {"predict", "predict_proba", "predict_log_proba", "decision_function", "transform"}


def _rows(node: ast.AST) -> bool:
    """Rows named by a constant key or attribute of a name: `dataset["X"]`, `data.X_train` (not a slice or a call)."""
    if isinstance(node, ast.Subscript):
        return isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)


def r16_flow(m: _Module) -> Iterator[Violation]:
    if m.train is None:
        return
    fn = m.train
    fitted = set()
    for call, dotted in _calls(fn):
        if _last(dotted) in _FIT and isinstance(call.func, ast.Attribute) and len(call.args) >= 1:
            fitted |= {a.id for a in call.args[:2] if isinstance(a, ast.Name)}
            fitted |= {ast.unparse(a) for a in call.args[:2] if _rows(a)}  # fit(dataset["X"], dataset["y"])
    values = _assignments(fn)
    derived = set(fitted)  # the rows passed to fit(), and what predict() makes of them
    for _ in range(2):
        for name, assigned in values.items():
            if assigned and all(any(_last(d) in _PREDICT and _names_in(c.args) & derived for c, d in _calls(v)) for v in assigned):
                derived.add(name)
    for call, dotted in _calls(fn):
        name = _last(dotted)
        method = name == "score" and isinstance(call.func, ast.Attribute)
        if name in _METRIC_FUNCS or method:
            args = [a.id if isinstance(a, ast.Name) else ast.unparse(a) for a in call.args if isinstance(a, ast.Name) or _rows(a)]
            used = set(args) & derived
            if used and len(used) == len(args):
                yield _at("R16", call, f"{dotted}() is computed on the rows the model was fitted on ({', '.join(sorted(used))}); evaluate on held-out rows")
    yield from _training_loss(m)
    yield from _training_accuracy(m)


def _training_loss(m: _Module) -> Iterator[Violation]:
    """A returned value that comes from the loss a network loop calls .backward() on."""
    fn = m.train
    seeds = set()
    for call, dotted in _calls(fn):
        if _last(dotted) == "backward" and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            seeds.add(call.func.value.id)
    if not seeds:
        return
    reach = _flow(fn, seeds)
    values = _assignments(fn)
    for ret, value in _returned(fn):
        names = _names_in([value])
        if isinstance(value, ast.Name):  # the last value given to the name before the return decides (issue 25:
            before = [v for v in values.get(value.id, []) if v.lineno <= ret.lineno]  # a validation loss reuses `loss`)
            latest = max(before, key=lambda v: v.lineno, default=None)
            if latest is not None and id(latest) not in _in_training_loops(fn) and not (_names_in([latest]) & reach) \
                    and not _item_of(latest, reach):
                continue
        if isinstance(value, ast.Name) or names & reach:
            hit = names & reach
            if hit:
                yield _at("R16", ret, f"train() returns the training loss of its network loop ({', '.join(sorted(hit))}); return the loss on held-out rows")


def _in_training_loops(fn: ast.FunctionDef) -> set[int]:
    """ids of every node inside a for/while loop that calls .backward()."""
    loops = [n for n in ast.walk(fn) if isinstance(n, (ast.For, ast.While)) and any(_last(d) == "backward" for _, d in _calls(n))]
    return {id(n) for loop in loops for n in ast.walk(loop)}


def _item_of(value: ast.AST, reach: set[str]) -> bool:
    """`x.item()` of a reached name."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "item" \
        and bool(_names_in([value.func.value]) & reach)


def _training_accuracy(m: _Module) -> Iterator[Violation]:
    """Predictions compared (==) with labels of the rows a network loop trained on (issue 25): the labels of the
    loader the loop that calls .backward() iterates, or the tensors it slices its batches from."""
    fn = m.train
    training, loops = set(), []
    for node in ast.walk(fn):
        if isinstance(node, ast.For):
            loops.append(node)
    for loop in loops:
        if any(_last(d) == "backward" for _, d in _calls(loop)):
            if isinstance(loop.iter, ast.Name):
                training.add(loop.iter.id)
            training |= {n.value.id for n in ast.walk(loop) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)
                         and isinstance(n.slice, ast.Slice)}
    if not training:
        return
    trained_loops = [loop for loop in loops if any(_last(d) == "backward" for _, d in _calls(loop))]
    inside = {id(n) for loop in trained_loops for n in ast.walk(loop)}
    batches = {}  # loop variable -> the loader it iterates
    for loop in loops:
        if isinstance(loop.iter, ast.Name):
            for name in _names_in([loop.target]):
                batches[name] = loop.iter.id
    values = _assignments(fn)
    for node in ast.walk(fn):
        if not isinstance(node, ast.Compare) or id(node) in inside or not any(isinstance(op, ast.Eq) for op in node.ops):
            continue
        for operand in (node.left, *node.comparators):
            if not isinstance(operand, ast.Name):
                continue
            sources = {operand.id} | {batches.get(n) for v in values.get(operand.id, []) for n in _names_in([v])} | {batches.get(operand.id)}
            hit = sources & training
            if hit:
                yield _at("R16", node, f"predictions are compared with `{operand.id}`, labels of the rows the network was trained on ({', '.join(sorted(hit))}); score held-out rows")
                break


# ---------------------------------------------------------------- R13 pandas-only methods, R07 casts

_PANDAS_ONLY = {"values", "iloc", "loc", "to_numpy", "columns", "select_dtypes", "fillna", "isnull", "isna", "dropna",
                "value_counts", "nunique", "dtypes", "index", "apply", "unique", "iat", "at", "to_frame", "drop"}


def _data_names(fn: ast.FunctionDef, dataset: str) -> set[str]:
    """Names that hold dataset["X"] / ["y"] (or splits of them) as given, numpy or pandas."""
    def is_data(value: ast.AST) -> bool:
        if isinstance(value, ast.Subscript) and _dotted(value.value) == dataset:
            return True
        return isinstance(value, ast.Call) and _last(_dotted(value.func)) == "train_test_split"

    seeds = {n for n, assigned in _assignments(fn).items() if assigned and all(is_data(v) for v in assigned)}
    return seeds


def _guarded_types(fn: ast.FunctionDef) -> set[str]:
    """Names tested with isinstance() or hasattr() somewhere: their code handles both kinds."""
    return {a.id for call, d in _calls(fn) if d in ("isinstance", "hasattr") for a in call.args[:1] if isinstance(a, ast.Name)}


def r13(m: _Module) -> Iterator[Violation]:
    if m.train is None or len(m.params) < 2:
        return
    fn = m.train
    dataset = "dataset" if "dataset" in m.params else m.params[1]
    for node in ast.walk(fn):  # `if not isinstance(X, pd.DataFrame): raise ...` rejects the numpy form outright
        test = node.test if isinstance(node, ast.If) else None
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Call)
        if negated and _dotted(test.operand.func) == "isinstance" and isinstance(node.body[0], ast.Raise):
            kinds = ast.unparse(test.operand.args[1]) if len(test.operand.args) > 1 else ""
            if re.search(r"DataFrame|Series", kinds) and not re.search(r"ndarray", kinds):
                yield _at("R13", node, f"`{ast.unparse(test)}` raises on numpy input; accept numpy arrays and pandas objects alike")
    names = _data_names(fn, dataset) - _guarded_types(fn)
    for node in ast.walk(fn):
        if not isinstance(node, ast.Attribute) or node.attr not in _PANDAS_ONLY:
            continue
        target = node.value
        while isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute) and target.func.attr in _BOTH:
            target = target.func.value  # X.astype(np.float32).values: astype keeps a numpy array numpy
        direct = isinstance(target, ast.Subscript) and _dotted(target.value) == dataset
        if direct or (isinstance(target, ast.Name) and target.id in names):
            what = ast.unparse(target)
            yield _at("R13", node, f"`{what}.{node.attr}` is pandas-only; {what} may be a numpy array: convert with np.asarray() first")


_INT_KEYWORDS = {"batch_size", "num_layers", "hidden_size", "in_features", "out_features", "in_channels", "out_channels",
                 "kernel_size", "stride", "padding", "num_workers", "embedding_dim", "num_embeddings", "nhead", "num_heads"}
_INT_TAKERS = {"Linear", "Conv1d", "Conv2d", "Conv3d", "LSTM", "GRU", "RNN", "BatchNorm1d", "BatchNorm2d", "LayerNorm",
               "Embedding", "zeros", "ones", "empty", "arange", "randn", "rand"}
_BOTH = {"astype", "copy", "reshape", "squeeze", "round", "clip"}  # numpy and pandas have them
_LIBRARIES = ("torch", "numpy", "tensorflow", "keras")
_CASTS = {"int", "float", "str", "bool", "round"}


def _library_names(tree: ast.Module) -> set[str]:
    """Local names bound to torch / numpy / tensorflow modules or their members."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] in _LIBRARIES}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in _LIBRARIES:
            bound |= {a.asname or a.name for a in node.names}
    return bound


_INT_CHECKERS = {"DataLoader", "LSTM", "GRU", "RNN"}  # callees that test isinstance(value, int) and reject numpy integers (measured, torch 2.13)


def _int_valued(hp) -> bool:
    """Integer hyperparameters, and categorical/ordinal/constant ones with an int or bool value."""
    from trainfn_gen.space.hyperparameters import choice_values, is_categorical, is_integer

    if is_integer(hp):
        return True
    return is_categorical(hp) and any(isinstance(v, (int, bool)) for v in choice_values(hp))


def r07(m: _Module) -> Iterator[Violation]:
    if m.train is None:
        return
    fn, cfg = m.train, _cfg_name(m)
    libraries = _library_names(m.tree)
    if not libraries:
        return

    def uncast(value: ast.AST) -> bool:
        return not any(isinstance(c, ast.Call) and _last(_dotted(c.func)) in _CASTS for c in ast.walk(value))

    def integral(value: ast.AST) -> bool:
        """A read of a hyperparameter whose values may be ints (numpy.float64 is a float; numpy.int64 is no int)."""
        key = _cfg_key(value, cfg)
        return bool(key) and (m.space is None or (key[0] in m.space and _int_valued(m.space[key[0]])))

    from trainfn_gen.space.hyperparameters import is_integer

    def categorical(value: ast.AST) -> bool:
        """A read of a numeric categorical (or of an unknown space): SMAC gives it as a numpy scalar; an Integer
        hyperparameter arrives as a Python int."""
        key = _cfg_key(value, cfg)
        return bool(key) and (m.space is None or key[0] not in m.space or not is_integer(m.space[key[0]]))

    assignments = _assignments(fn)
    raw = {n for n, assigned in assignments.items() if assigned and all(integral(v) for v in assigned)}
    numpy_raw = {n for n in raw if any(categorical(v) for v in assignments[n])}
    raw = _flow(fn, raw, through=lambda v: uncast(v) and not isinstance(v, ast.Call))
    for call, dotted in _calls(fn):
        if dotted.split(".")[0] not in libraries or _last(dotted) in _CASTS:
            continue
        args = [*call.args, *(k.value for k in call.keywords)]
        if m.space is None:  # types unknown: only where torch and numpy want an int
            sized = _last(dotted) in _INT_TAKERS
            args = [*(call.args if sized else []), *(k.value for k in call.keywords if k.arg in _INT_KEYWORDS)]
        layer = dotted.startswith(("nn.", "torch.nn.")) and _last(dotted) not in _INT_CHECKERS  # torch layers take numpy ints
        for arg in args:
            if (isinstance(arg, ast.Name) and arg.id in raw) or integral(arg):
                numpy = (isinstance(arg, ast.Name) and arg.id in numpy_raw) or (not isinstance(arg, ast.Name) and categorical(arg))
                if numpy and not layer:
                    yield _at("R07", arg, f"{dotted}() gets `{ast.unparse(arg)}` uncast from the configuration; a numpy.int64 may arrive, which is no int: wrap it in int()")
                else:
                    what = "a numpy integer, which it accepts" if numpy else "a Python int (an Integer hyperparameter)"
                    yield replace(_at("R07", arg, f"{dotted}() gets `{ast.unparse(arg)}` uncast from the configuration; it arrives as {what}: int() would make it explicit"), severity="note")
    yield from _r07_isinstance(m, fn, cfg, assignments)


_PYTHON_TYPES = {"int", "float", "bool", "str"}
_NUMPY_AWARE = {"integer", "floating", "number", "generic", "Integral", "Real", "Number", "int64", "float64", "bool_", "str_"}


def _r07_isinstance(m: _Module, fn: ast.FunctionDef, cfg: str, assignments: dict[str, list[ast.AST]]) -> Iterator[Violation]:
    """isinstance(value, int) on a read of a numeric categorical (issue 25, p16: batch_size in [32, 64, 128]): SMAC
    gives it as numpy.int64, which is no int, so the test is always False and its fallback always runs."""
    from trainfn_gen.space.hyperparameters import choice_values, is_categorical

    if m.space is None:
        return

    def numpy_typed(value: ast.AST) -> str | None:
        key = _cfg_key(value, cfg)
        numeric = key and key[0] in m.space and is_categorical(m.space[key[0]]) \
            and any(isinstance(v, (int, float, bool)) for v in choice_values(m.space[key[0]]))
        return key[0] if numeric else None

    for call, dotted in _calls(fn):
        if dotted != "isinstance" or len(call.args) != 2:
            continue
        subject, types = call.args
        names = {_last(_dotted(t)) for t in (types.elts if isinstance(types, ast.Tuple) else [types])}
        if not names & _PYTHON_TYPES or names & _NUMPY_AWARE:
            continue
        name = numpy_typed(subject)
        if name is None and isinstance(subject, ast.Name):
            name = next((numpy_typed(v) for v in assignments.get(subject.id, []) if numpy_typed(v)), None)
        if name:
            yield _at("R07", call, f"isinstance({ast.unparse(subject)}, {ast.unparse(types)}) is False for the numpy scalar SMAC gives "
                                   f"the numeric categorical '{name}': the test always fails; convert with int()/float() first")


def _floor_divided(value: ast.AST, values: dict[str, list[ast.AST]], depth: int = 2) -> bool:
    """The expression holds a floor division, directly or through the assignments of its names (`depth` levels)."""
    if any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.FloorDiv) for n in ast.walk(value)):
        return True
    return depth > 0 and any(_floor_divided(v, values, depth - 1) for n in _names_in([value]) for v in values.get(n, []))


def r24_layer_sizes(m: _Module) -> Iterator[Violation]:
    """A dense layer after convolutions whose input size is computed by hand with floor divisions of the image size
    (issue 25): a convolution without padding, a kernel larger than the map or one more pooling than the image allows
    makes it wrong, and the first call with such a configuration crashes (R24)."""
    if m.train is None:
        return
    calls = list(_calls(m.train))
    if not any(_last(d) in ("Conv1d", "Conv2d", "Conv3d") for _, d in calls):
        return
    values = _assignments(m.train)
    for call, dotted in calls:
        if _last(dotted) == "Linear" and call.args and not isinstance(call.args[0], ast.Constant) and _floor_divided(call.args[0], values):
            yield _at("R24", call.args[0], f"{dotted}() gets `{ast.unparse(call.args[0])}`, a flatten size computed by hand from the image size; "
                      "an unpadded convolution or a kernel larger than the map makes it wrong for some configurations: measure it with a forward pass of a dummy batch")


def r11_dead_branches(m: _Module) -> Iterator[Violation]:
    """An if/elif chain on a categorical hyperparameter whose tests already cover every choice of the space: its else
    branch never runs (issue 25: code and hyperparameters there are dead, and read names the space may lack)."""
    if m.train is None or m.space is None:
        return
    from trainfn_gen.space.hyperparameters import choice_values, is_categorical

    cfg, values = _cfg_name(m), _assignments(m.train)

    def key_of(node: ast.AST) -> str | None:
        if isinstance(node, ast.Name) and len(values.get(node.id, [])) == 1:
            node = values[node.id][0]
        key = _cfg_key(node, cfg)
        return key[0] if key and key[0] in m.space and is_categorical(m.space[key[0]]) else None

    def tested(test: ast.AST) -> tuple[str | None, set]:
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.In)):
            right = test.comparators[0]
            consts = [right] if isinstance(test.ops[0], ast.Eq) else list(getattr(right, "elts", []))
            if consts and all(isinstance(c, ast.Constant) for c in consts):
                return key_of(test.left), {c.value for c in consts}
        return None, set()

    inner = set()
    for node in ast.walk(m.train):
        if not isinstance(node, ast.If) or id(node) in inner:
            continue
        key, covered, branch = None, set(), node
        while True:
            name, consts = tested(branch.test)
            if name is None or (key and name != key):
                key = None
                break
            key, covered = name, covered | consts
            if len(branch.orelse) == 1 and isinstance(branch.orelse[0], ast.If):
                branch = branch.orelse[0]
                inner.add(id(branch))
                continue
            break
        defensive = all(isinstance(n, (ast.Raise, ast.Pass, ast.Expr)) for n in branch.orelse)  # `else: raise ...` guards
        if key and branch.orelse and not defensive and set(map(str, choice_values(m.space[key]))) <= set(map(str, covered)):
            first = branch.orelse[0]
            yield Violation("R11", first.lineno, f"dead branch: the tests above cover every choice of '{key}' in the space, so this else branch never runs")


def r05_square_images(m: _Module) -> Iterator[Violation]:
    """The square root of the feature count taken as an image side (issue 25): the data is assumed to be square
    single-channel images; any other table is reshaped wrongly or refused."""
    if m.train is None:
        return
    values = _assignments(m.train)
    unpacked = {t.elts[-1].id for node in ast.walk(m.train) if isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "shape" for t in node.targets if isinstance(t, ast.Tuple) and len(t.elts) == 2
                and isinstance(t.elts[-1], ast.Name)}  # n_samples, n_features = X.shape

    def features(node: ast.AST, depth: int = 2) -> bool:
        """A feature count: `X.shape[1]` (or [-1]), a conversion or arithmetic of one, or a name assigned one. A
        call's result is not (np.sqrt(mean_squared_error(...)) is an RMSE, whatever its arguments' shapes)."""
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape":
            index = node.slice
            return isinstance(index, ast.Constant) and index.value in (1, -1) or isinstance(index, ast.UnaryOp) and ast.unparse(index) == "-1"
        if isinstance(node, ast.Call):
            return _last(_dotted(node.func)) in ("int", "float", "prod") and any(features(a, depth) for a in node.args)
        if isinstance(node, ast.BinOp):
            return features(node.left, depth) or features(node.right, depth)
        if isinstance(node, ast.IfExp):  # X.shape[1] if X.ndim > 1 else 1
            return features(node.body, depth) or features(node.orelse, depth)
        if isinstance(node, ast.Name):
            return node.id in unpacked or (depth > 0 and any(features(v, depth - 1) for v in values.get(node.id, [])))
        return False

    for call, dotted in _calls(m.train):
        if _last(dotted) in ("sqrt", "isqrt") and call.args and features(call.args[0]):
            yield _at("R05", call, f"`{ast.unparse(call)}` takes the feature count for a square image; the data may be any table: "
                      "reshape only data that arrives as images")


def r06_read_unused(m: _Module) -> Iterator[Violation]:
    """A hyperparameter read into a name that is never used (issue 25): changing it changes nothing."""
    if m.train is None:
        return
    cfg = _cfg_name(m)
    loaded = {n.id for n in ast.walk(m.train) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    for node in ast.walk(m.train):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            key = _cfg_key(node.value, cfg) or next((_cfg_key(c, cfg) for c in ast.walk(node.value) if _cfg_key(c, cfg)), None)
            for target in targets:
                if key and isinstance(target, ast.Name) and target.id not in loaded:
                    yield _at("R06", node, f"'{key[0]}' is read into `{target.id}`, which is never used: the hyperparameter changes nothing")


def r21_torch_unseeded(m: _Module) -> Iterator[Violation]:
    """PyTorch used and torch.manual_seed never called: initialisation and shuffling differ between identical calls."""
    networks = ("Linear", "Conv1d", "Conv2d", "Conv3d", "LSTM", "GRU", "RNN", "DataLoader", "Sequential")
    if m.train is None or not any(_last(_dotted(c.func)) in networks for c in ast.walk(m.tree) if isinstance(c, ast.Call)):
        return
    if "torch" not in _library_names(m.tree) and not re.search(r"^\s*(import torch|from torch)", m.source, re.MULTILINE):
        return
    if not any(_last(d) in ("manual_seed", "seed_everything", "set_seed") for _, d in _calls(m.tree)):
        yield Violation("R21", m.train.lineno, "PyTorch is never seeded (torch.manual_seed(seed)): the same configuration and seed give another loss")


_SAVES = {"save", "dump", "save_model", "savez", "save_weights"}


def r20_model_names(m: _Module) -> Iterator[Violation]:
    """A model file whose name holds no trace of the configuration (issue 25): trials of other configurations with the
    same seed overwrite it (R20: unique name from the configuration hash, seed and budget)."""
    if m.train is None:
        return
    cfg, values = _cfg_name(m), _assignments(m.train)
    for call, dotted in _calls(m.train):
        if _last(dotted) not in _SAVES or len(call.args) < 1:
            continue
        for arg in call.args[:2]:
            path = values[arg.id][-1] if isinstance(arg, ast.Name) and values.get(arg.id) else arg
            texts = [n for n in ast.walk(path) if isinstance(n, ast.JoinedStr)]
            if texts and "model_dir" in _names_in([path]) and not ({cfg, "config_hash", "hash", "digest", "config_id", "budget"} & _names_in([path])) \
                    and not any(_last(_dotted(c.func)) in ("hash", "sha256", "md5", "hexdigest", "uuid4") for c in ast.walk(path) if isinstance(c, ast.Call)):
                yield _at("R20", call, f"the model file `{ast.unparse(path)}` is named without the configuration: trials of other configurations overwrite it")
                break


_CLASSIFIERS = re.compile(r"(Classifier|^SVC$|^LinearSVC$|^NuSVC$|^LogisticRegression(CV)?$|^GaussianNB$|^MultinomialNB$|^BernoulliNB$|"
                          r"CrossEntropyLoss|^NLLLoss$|^BCELoss$|^BCEWithLogitsLoss$|^cross_entropy$|^nll_loss$|"
                          r"^accuracy_score$|^balanced_accuracy_score$|^f1_score$|^roc_auc_score$|^log_loss$)")
_REGRESSORS = re.compile(r"(Regressor|^SVR$|^LinearSVR$|^NuSVR$|^LinearRegression$|^Ridge$|^Lasso$|^ElasticNet$|^MSELoss$|^L1Loss$|"
                         r"^SmoothL1Loss$|^HuberLoss$|^mse_loss$|^mean_squared_error$|^mean_absolute_error$|^r2_score$|"
                         r"^root_mean_squared_error$)")


def _task(m: _Module) -> str | None:
    """'classification' or 'regression' when every estimator, loss and metric train() calls names the one task;
    None when none does or both do (a function written for either task)."""
    names = {_last(d) for _, d in _calls(m.train)}
    classify, regress = any(_CLASSIFIERS.search(n) for n in names), any(_REGRESSORS.search(n) for n in names)
    return "classification" if classify and not regress else "regression" if regress and not classify else None


def r14_r15_split(m: _Module) -> Iterator[Violation]:
    """The internal split (issue 25). R14: train_test_split in a classification train() without stratify (a class may
    be missing from the validation rows, and the score's class mix changes with the seed), or with a fixed
    random_state instead of the seed. R15: a transformer fitted (fit_transform / fit) on the rows that are split
    afterwards: the validation rows leak into preprocessing."""
    if m.train is None:
        return
    task = _task(m)
    seed = m.params[2] if len(m.params) > 2 else "seed"
    for call, dotted in _calls(m.train):
        if _last(dotted) != "train_test_split" or not call.args:
            continue
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        stratify = keywords.get("stratify")
        if task == "classification" and (stratify is None or (isinstance(stratify, ast.Constant) and stratify.value is None)):
            yield _at("R14", call, "train_test_split() of a classification task without stratify: a class may be missing from the "
                                   "validation rows; pass stratify=y (when every class has two rows or more)")
        state = keywords.get("random_state")
        if isinstance(state, ast.Constant) and isinstance(state.value, int) and not isinstance(state.value, bool):
            yield _at("R14", call, f"train_test_split(random_state={state.value}): the split ignores the seed; pass random_state={seed}")
        first = call.args[0]
        if not isinstance(first, ast.Name):
            continue
        for node in ast.walk(m.train):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or node.lineno >= call.lineno:
                continue
            fits = node.func.attr == "fit_transform" or (node.func.attr == "fit" and len(node.args) == 1)
            if fits and any(isinstance(a, ast.Name) and a.id == first.id for a in node.args[:1]) and _assigned_to(m.train, node, first.id):
                yield _at("R15", node, f"{_dotted(node.func) or node.func.attr}() is fitted on `{first.id}` before train_test_split() "
                                       f"(line {call.lineno}) divides it: the validation rows leak into preprocessing; fit on the "
                                       "training part only")


def _assigned_to(fn: ast.FunctionDef, call: ast.Call, name: str) -> bool:
    """A fit_transform whose result is assigned back to `name` (X = scaler.fit_transform(X)), or a bare fit() whose
    transformer later transforms `name` (scaler.fit(X); X = scaler.transform(X))."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and name in _names_in(node.targets):
            if node.value is call:
                return True
            if call.func.attr == "fit" and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute) \
                    and node.value.func.attr == "transform" and _dotted(node.value.func.value) == _dotted(call.func.value):
                return True
    return False


_FEW_LINES = 20  # R22: progress lines a call may print


def _most_iterations(node: ast.AST, m: _Module, values: dict[str, list[ast.AST]]) -> int | None:
    """The largest count `range(node)` can reach: a literal, or the upper bound of the hyperparameter the name is
    read from (None: unknown, e.g. a hyperparameter without a space to read its bound from)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.Call) and _dotted(node.func) == "int" and node.args:
        return _most_iterations(node.args[0], m, values)
    cfg = _cfg_name(m)
    key = _cfg_key(node, cfg)
    if key is None and isinstance(node, ast.Name) and len(values.get(node.id, [])) == 1:
        value = values[node.id][0]
        key = _cfg_key(value, cfg) or next((_cfg_key(c, cfg) for c in ast.walk(value) if _cfg_key(c, cfg)), None)
        if key is None:
            return _most_iterations(value, m, values) if isinstance(value, ast.Constant) else 0
    if key is None:
        return 0
    if m.space is None or key[0] not in m.space:
        return None
    hp = m.space[key[0]]
    bounds = [v for v in (getattr(hp, "upper", None), *getattr(hp, "sequence", ()), *getattr(hp, "choices", ())) if isinstance(v, (int, float))]
    return int(max(bounds)) if bounds else 0


def r22_per_iteration(m: _Module) -> Iterator[Violation]:
    """A print or log call run on every pass of a loop whose count may exceed a few dozen lines (issue 25: one line per
    epoch with epochs up to 100), not under an `if` that thins it out."""
    if m.train is None:
        return
    values = _assignments(m.train)
    for loop in ast.walk(m.train):
        if not (isinstance(loop, ast.For) and isinstance(loop.iter, ast.Call) and _dotted(loop.iter.func) == "range" and loop.iter.args):
            continue
        count = _most_iterations(loop.iter.args[1] if len(loop.iter.args) > 1 else loop.iter.args[0], m, values)
        if count is not None and count <= _FEW_LINES:
            continue
        for statement in loop.body:
            call = statement.value if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) else None
            if call is not None and _is_progress(_dotted(call.func)):
                most = f"up to {count}" if count else "one per pass"
                yield _at("R22", call, f"{_dotted(call.func)}() on every pass of the loop at line {loop.lineno}: {most} lines per call; "
                                       "report every few passes or once at the end")


_RECURRENT = ("LSTM", "GRU", "RNN")


def r17_one_sequence(m: _Module) -> Iterator[Violation]:
    """A table fed to a batch_first recurrent layer after `.unsqueeze(0)` (issue 25, p22): the rows become the time
    steps of one sequence, a batch of one, so the network gives one output for the whole table and the loss
    broadcasts it against every label: it predicts a constant."""
    if m.train is None:
        return
    batch_first = any(_last(d) in _RECURRENT and any(k.arg == "batch_first" and isinstance(k.value, ast.Constant) and k.value.value is True
                                                      for k in c.keywords) for c, d in _calls(m.tree))
    if not batch_first:
        return
    for call, dotted in _calls(m.train):
        if _last(dotted) == "unsqueeze" and len(call.args) == 1 and isinstance(call.args[0], ast.Constant) and call.args[0].value == 0 \
                and isinstance(call.func, ast.Attribute):
            yield _at("R17", call, f"`{ast.unparse(call)}` makes the table one sequence (its rows the time steps, a batch of one) for a "
                                   "batch_first recurrent layer: the network gives one output for all rows, a constant prediction; "
                                   "unsqueeze(1) makes each row a sequence of one step")


FLOW_RULES = (r02, r05_square_images, r06_read_unused, r07, r08_r10, r11_dead_branches, r13, r14_r15_split, r16_flow, r17_one_sequence, r20_model_names, r21_torch_unseeded,
              r22_per_iteration, r24_layer_sizes)
