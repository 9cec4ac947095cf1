"""What a train() file claims about each hyperparameter, checked against what its code does (issue 22).

A file states every hyperparameter it does not use in its R06 comment block ("X is not used: reason"); the
others it claims to use. Three claims are checked statically, on the data flow of train() (the helpers of
check_model.py and check_flow.py):

- used: the hyperparameter is read with cfg.get / cfg[...] and the value of every read reaches an argument
  of a call that is no mere conversion or report (an estimator, a pipeline step, a split), or a branch test;
- unused: a hyperparameter stated unused is never read;
- comments: a comment that maps a hyperparameter ("NAME: ...", "NAME is ARG ...", "ARG = 2 ** NAME",
  "per-layer sizes from A, B") is followed by code that reads it, and passes ARG where it names one.

`claims(source, names)` returns the findings as (hyperparameter, message) pairs; none means every claim holds.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from functools import lru_cache

from .check_flow import _cfg_key, _flow, _parents
from .check_model import _dotted, _last, _params

# Calls a value passes through unchanged in meaning: conversions, containers, arithmetic.
_THROUGH = {"int", "float", "str", "bool", "round", "min", "max", "abs", "range", "len", "list", "tuple", "set",
            "sorted", "reversed", "zip", "enumerate", "sum", "any", "all", "get", "lower", "upper", "strip",
            "split", "replace", "startswith", "endswith", "index", "dict", "iter", "next"}
_THROUGH_MODULES = {"np", "numpy", "math"}
# Calls that only report a value: reaching them is reaching nothing.
_REPORTS = {"print", "warn", "info", "debug", "warning", "error", "format", "dumps", "dump", "write", "repr",
            "hexdigest", "sha256", "encode"}
_DEPTH = 10
_R06_LINE = re.compile(r"^#\s*(.+?) is not used: ")


def stated_unused_block(source: str, names) -> set[str]:
    """The hyperparameters among `names` that the file's R06 block states unused, one `#   NAME is not used: reason`
    line each (stricter than check's R06 rule, which accepts any comment naming it with "unused" or "ignored")."""
    stated = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            match = _R06_LINE.match(token.string)
            if match:
                stated.add(match.group(1))
    return stated & set(names)


class _Flow:
    """The train() function of one file, with what following a value needs: parents, helpers, name loads."""

    def __init__(self, fn: ast.FunctionDef):
        self.fn = fn
        self.up = _parents(fn)
        self.helpers = {n.name: n for n in ast.walk(fn) if isinstance(n, ast.FunctionDef) and n is not fn}
        self.loads: dict[str, list[ast.Name]] = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self.loads.setdefault(node.id, []).append(node)

    def _scope(self, node: ast.AST) -> ast.FunctionDef:
        parent = self.up.get(node)
        while parent is not None and not isinstance(parent, ast.FunctionDef):
            parent = self.up.get(parent)
        return parent or self.fn

    def _name_loads(self, name: str, where: ast.AST) -> list[ast.Name]:
        """Loads of `name` in the function that binds it (a helper's local stays in the helper)."""
        scope = self._scope(where)
        if scope is self.fn:
            return self.loads.get(name, [])
        return [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]

    def sink(self, node: ast.AST, depth: int = 0, seen: set | None = None, returns_to: ast.AST | None = None) -> str:
        """Where the value of `node` ends up: "SVC(C=)", "branch `if ...`", ... or "" (nowhere that matters).

        Inside a helper reached through its parameter (returns_to set: as_int, as_choice), a test is the helper's
        own checking of the value (None, a valid choice), no decision of train(): only its calls and its return
        count. A `value is None` test anywhere asks whether the hyperparameter is active, not what it is.
        """
        seen = set() if seen is None else seen
        if depth > _DEPTH or id(node) in seen:
            return ""
        seen.add(id(node))
        child, parent, keyword = node, self.up.get(node), None
        while parent is not None:
            if isinstance(parent, ast.keyword):
                keyword = parent.arg
                child, parent = parent, self.up.get(parent)
                continue
            if isinstance(parent, ast.Call):
                if child is parent.func:
                    return ""
                found = self._call(parent, child, keyword, depth, seen)
                if found is not None:
                    return found
            elif isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and child is parent.test:
                return "" if returns_to is not None or _none_test(parent.test) else f"branch `{ast.unparse(parent.test)[:60]}`"
            elif isinstance(parent, ast.comprehension) and child in parent.ifs:
                return f"branch `{ast.unparse(child)[:60]}`"
            elif isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                return self._targets(targets, depth, seen, returns_to)
            elif isinstance(parent, ast.For) and child is parent.iter:  # how often the loop runs: a decision
                return f"loop `for {ast.unparse(parent.target)} in {ast.unparse(parent.iter)[:50]}`"
            elif isinstance(parent, ast.Return):
                return self._returned(parent, depth, seen, returns_to)
            elif isinstance(parent, (ast.stmt, ast.FunctionDef, ast.arguments)):
                return ""
            keyword = None if not isinstance(parent, ast.keyword) else keyword
            child, parent = parent, self.up.get(parent)
        return ""

    def _call(self, call: ast.Call, child: ast.AST, keyword: str | None, depth: int, seen: set) -> str | None:
        """The sink a call argument reaches; None: the call passes the value on (look further up)."""
        dotted = _dotted(call.func)
        name = _last(dotted)
        if name in self.helpers and isinstance(call.func, ast.Name):
            helper = self.helpers[name]
            params = _params(helper)
            if keyword is None and isinstance(child, ast.Starred):
                return ""
            param = keyword if keyword is not None else (params[call.args.index(child)] if child in call.args and call.args.index(child) < len(params) else None)
            if param is None:
                return ""
            for load in self._name_loads(param, helper.body[0]):
                found = self.sink(load, depth + 1, seen, returns_to=call)
                if found:
                    return found
            return ""
        if name in _REPORTS:
            return ""
        if name in _THROUGH or dotted.split(".")[0] in _THROUGH_MODULES:
            return None
        return f"{dotted or name}({keyword + '=' if keyword else ''})" if keyword is not None or dotted else f"{name}()"

    def _targets(self, targets: list[ast.AST], depth: int, seen: set, returns_to: ast.AST | None = None) -> str:
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and isinstance(part.ctx, ast.Store):
                    return f"attribute {ast.unparse(part)}"
                names = []
                if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Store):
                    names = [part.id]
                elif isinstance(part, ast.Subscript) and isinstance(part.ctx, ast.Store) and isinstance(part.value, ast.Name):
                    names = [part.value.id]
                for name in names:
                    for load in self._name_loads(name, part):
                        found = self.sink(load, depth + 1, seen, returns_to)
                        if found:
                            return found
        return ""

    def _returned(self, ret: ast.Return, depth: int, seen: set, returns_to: ast.AST | None) -> str:
        if returns_to is not None:
            return self.sink(returns_to, depth + 1, seen)
        scope = self._scope(ret)
        if scope is self.fn:
            return ""
        for call in ast.walk(self.fn):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == scope.name:
                found = self.sink(call, depth + 1, seen)
                if found:
                    return found
        return ""


def _none_test(test: ast.AST) -> bool:
    """`x is None`, `x is not None`, `x == None`: whether a value is there, not what it is."""
    return isinstance(test, ast.Compare) and all(isinstance(c, ast.Constant) and c.value is None for c in test.comparators)


def _train(tree: ast.Module) -> ast.FunctionDef | None:
    return next((s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "train"), None)


def reads(fn: ast.FunctionDef, cfg: str) -> dict[str, list[ast.AST]]:
    """hyperparameter -> the nodes that read it (`cfg.get("name"...)`, `cfg["name"]`)."""
    found: dict[str, list[ast.AST]] = {}
    for node in ast.walk(fn):
        key = _cfg_key(node, cfg)
        if key:
            found.setdefault(key[0], []).append(node)
    return found


def used_claims(source: str, names) -> Iterator[tuple[str, str]]:
    """(a) and (b): hyperparameters stated used whose value reaches nothing; ones stated unused that are read."""
    tree = ast.parse(source)
    fn = _train(tree)
    if fn is None:
        return
    cfg = _cfg_name_of(fn)
    unused = stated_unused_block(source, names)
    found = reads(fn, cfg)
    flow = _Flow(fn)
    for name in names:
        nodes = found.get(name, [])
        if name in unused:
            if nodes:
                lines = ", ".join(str(n.lineno) for n in nodes)
                yield name, f"stated unused in a comment, but read at line {lines}"
            continue
        if not nodes:
            yield name, f"stated used (not in the R06 block), but never read with {cfg}.get('{name}')"
            continue
        for node in nodes:
            if not flow.sink(node):
                yield name, f"read at line {node.lineno} (`{_line(source, node)}`), but the value reaches no estimator or step argument and no branch"


def _cfg_name_of(fn: ast.FunctionDef) -> str:
    params = _params(fn)
    return params[0] if params else "cfg"


def _line(source: str, node: ast.AST) -> str:
    return source.splitlines()[node.lineno - 1].strip()[:80]


# ---------------------------------------------------------------- (c) comments that map a hyperparameter

_PREFIX = re.compile(r"^#\s*(?:(?:R\d\d\s*)+:\s*)?(?:the searched\s+)?")
_SUBJECT_VERBS = r"(?::(?=\s|$)|\s+is\b|\s+sets\b|\s+replaces\b|\s+holds\b)"
_LIST = re.compile(r"\bfrom\s+((?:[^\s,;]+(?:,\s*|\s+and\s+))*[^\s,;]+)")


def _mentioned(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w:.]){re.escape(name)}(?!\w|[:.]\w)", text) is not None


def comment_mappings(comment: str, names) -> tuple[set[str], dict[str, str]]:
    """The hyperparameters a comment maps (its subject, the names it builds from) and the argument it maps them to."""
    text = _PREFIX.sub("", comment.strip())
    mapped, arguments = set(), {}
    for name in names:
        if not _mentioned(name, comment):
            continue
        escaped = re.escape(name)
        if re.match(rf"{escaped}{_SUBJECT_VERBS}", text):
            mapped.add(name)
            replaced = re.match(rf"{escaped}\s+replaces\s+(\S+)", text)
            if replaced and replaced.group(1) in names:
                mapped.add(replaced.group(1))
        listed = _LIST.search(text)
        if listed and name in re.split(r",\s*|\s+and\s+", listed.group(1).rstrip(";")):
            mapped.add(name)
        argument = re.search(rf"\b(\w+)\s*=\s*(?:\d+|e)\s*\*\*\s*{escaped}(?![\w:])", text) \
            or re.match(rf"{escaped}\s+is\s+(\w*_\w*)\b", text) \
            or re.match(rf"{escaped}:\s+the\s+(\w+)\s+of\s+each\b", text)
        if argument and name in mapped:
            arguments[name] = argument.group(1)
    return mapped, arguments


def _next_code(tree: ast.Module, source: str, line: int) -> ast.AST | None:
    """The code a comment on `line` describes: the outermost statement or keyword argument on the next code line
    (its own line, for a comment after code)."""
    lines = source.splitlines()
    own = lines[line - 1].split("#", 1)[0].strip()
    target = line
    if not own:
        target = next((i for i in range(line + 1, len(lines) + 1) if lines[i - 1].strip() and not lines[i - 1].strip().startswith("#")), None)
    if target is None:
        return None
    best = None
    for node in ast.walk(tree):
        starts = isinstance(node, (ast.stmt, ast.keyword)) and getattr(node, "lineno", None) == target
        if starts and (best is None or (node.end_lineno - node.lineno) > (best.end_lineno - best.lineno)):
            best = node
    if best is None:  # a comment in the middle of an expression: the statement holding that line
        for node in ast.walk(tree):
            holds = isinstance(node, ast.stmt) and not isinstance(node, ast.FunctionDef) and node.lineno <= target <= node.end_lineno
            if holds and (best is None or node.lineno >= best.lineno):
                best = node
    return best


def comment_claims(source: str, names) -> Iterator[tuple[str, str]]:
    """(c): comments that map a hyperparameter (or onto an argument) where the next code does not read (pass) it."""
    tree = ast.parse(source)
    fn = _train(tree)
    if fn is None:
        return
    cfg = _cfg_name_of(fn)
    names = list(names)
    unused = stated_unused_block(source, names)
    found = reads(fn, cfg)
    up = _parents(fn)
    holders: dict[str, set[str]] = {}  # hyperparameter -> variables that hold its value (computed when asked)

    def held(name: str) -> set[str]:
        if name not in holders:
            seeds = set()
            for node in found.get(name, []):
                parent = up.get(node)
                while parent is not None and not isinstance(parent, ast.stmt):
                    parent = up.get(parent)
                if isinstance(parent, ast.Assign):
                    seeds |= {t.id for t in parent.targets if isinstance(t, ast.Name)}
            holders[name] = _flow(fn, seeds) if seeds else set()
        return holders[name]

    def reads_it(node: ast.AST, name: str) -> bool:
        walked = list(ast.walk(node))
        if any((_cfg_key(n, cfg) or ("",))[0] == name for n in walked):
            return True
        return any(isinstance(n, ast.Name) and n.id in held(name) for n in walked)

    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT or "is not used" in token.string:
            continue
        mapped, arguments = comment_mappings(token.string, [n for n in names if n not in unused])
        if not mapped:
            continue
        line = token.start[0]
        code = _next_code(tree, source, line)
        text = token.string.strip()[:90]
        for name in sorted(mapped):
            if code is None or not reads_it(code, name):
                yield name, f"line {line}: the comment `{text}` maps it, but the code next to it does not read it"
                continue
            argument = arguments.get(name)
            if argument is None:
                continue
            passed = [k for k in ast.walk(code) if isinstance(k, ast.keyword) and k.arg == argument and reads_it(k.value, name)]
            if not passed:
                yield name, f"line {line}: the comment `{text}` maps it onto {argument}=, but the code next to it does not pass {argument}= from it"


# ---------------------------------------------------------------- the branch that reads a hyperparameter


def _selector_test(test: ast.AST, holders: dict[str, str], cfg: str) -> tuple[str, bool, set] | None:
    """(hyperparameter, positive, values) for `algorithm == 'SVM'`, `cfg.get("kernel") in ('poly',)`, `x != 'a'`."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.In, ast.NotEq, ast.NotIn)):
        return None
    key = _cfg_key(test.left, cfg)
    name = key[0] if key else holders.get(test.left.id) if isinstance(test.left, ast.Name) else None
    right = test.comparators[0]
    items = right.elts if isinstance(right, (ast.List, ast.Tuple, ast.Set)) else [right]
    if name is None or not all(isinstance(i, ast.Constant) for i in items):
        return None
    return name, isinstance(test.ops[0], (ast.Eq, ast.In)), {i.value for i in items}


def branch_guards(source: str, name: str) -> dict[str, tuple[bool, set]]:
    """The selector tests around the first read of `name`: hyperparameter -> (positive, values): under
    `if algorithm == 'SVM'` (algorithm read from 'classifier') {'classifier': (True, {'SVM'})}; in an else branch,
    (False, the values tested before). Which configurations make train() read it at all (issue 22's bases)."""
    return _all_guards(source).get(name, {})


@lru_cache(maxsize=4)
def _all_guards(source: str) -> dict[str, dict[str, tuple[bool, set]]]:
    """branch_guards for every hyperparameter the file reads (one parse per file)."""
    tree = ast.parse(source)
    fn = _train(tree)
    if fn is None:
        return {}
    cfg = _cfg_name_of(fn)
    holders = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            keys = {k[0] for k in (_cfg_key(n, cfg) for n in ast.walk(node.value)) if k}
            if len(keys) == 1:
                holders[node.targets[0].id] = keys.pop()
    up = _parents(fn)
    out = {}
    for name, found in reads(fn, cfg).items():
        guards: dict[str, tuple[bool, set]] = {}
        child, parent = found[0], up.get(found[0])
        while parent is not None and parent is not fn:
            if isinstance(parent, (ast.If, ast.IfExp)) and child is not parent.test:
                test = _selector_test(parent.test, holders, cfg)
                if test and test[0] != name:
                    selector, positive, values = test
                    in_body = child in parent.body if isinstance(parent.body, list) else child is parent.body
                    positive = positive if in_body else not positive
                    had = guards.get(selector)
                    if had is None:
                        guards[selector] = (positive, set(values))
                    elif not had[0] and not positive:
                        had[1].update(values)  # elif chains: every value tested before the else
            child, parent = parent, up.get(parent)
        out[name] = guards
    return out


def claims(source: str, names) -> list[tuple[str, str]]:
    """Every broken claim of a train() file about the hyperparameters `names`: (hyperparameter, message)."""
    names = list(names)
    return sorted(set(used_claims(source, names)) | set(comment_claims(source, names)))


__all__ = ["branch_guards", "claims", "comment_claims", "comment_mappings", "reads", "stated_unused_block", "used_claims"]
