"""`trainfn-gen explain`: what the rule engine decided for a space, read from api.analyze (Detection + Plan).

Nothing here decides anything: the argument, the cast and the clipped bounds of each hyperparameter are
read back from the plan's final expressions (the `as_int` / `as_float` / `as_choice` calls the generated
train() makes), the rest from the Detection and the family registry.
"""

from __future__ import annotations

import ast
import difflib
import itertools
import json
import math
import shlex
import textwrap

from trainfn_gen.data.profile import Profile
from trainfn_gen.engine.detect import AUTO, family_estimator
from trainfn_gen.engine.expressions import printable
from trainfn_gen.engine.options import Options
from trainfn_gen.engine.pipeline import analyze_space
from trainfn_gen.knowledge import roles
from trainfn_gen.knowledge.families import BY_NAME
from trainfn_gen.space.load import read_model
from trainfn_gen.space.model import native
from trainfn_gen.space.names import snake

CASTS = {"as_int": "int", "as_float": "float", "as_choice": "choice"}
LOG_WORDS = {2.0: "log2", 10.0: "log10", math.e: "ln"}
WIDTH = 100  # the text fits 100 columns: long lines wrap, long cells wrap within their column
HOW_COLUMN = 26  # narrower than this, the "how" of each row goes on lines of its own
# (column, narrowest width) in the order the table's columns give up room: space, family, argument, name.
SHRINK = ((1, 16), (2, 14), (3, 14), (0, 24))


def explain(space_path, options: Options, fmt: str | None = None, profile: Profile | None = None) -> dict:
    """The explanation as plain data (what --json prints); raises GeneratorError like generate.

    `space_path`: a path, a ConfigurationSpace or a dict (api.resolve_space).
    """
    space = read_model(space_path, fmt)
    detection, plan = analyze_space(space, space.source, options, fmt, profile)
    branches = {}
    for branch in plan.branches:
        branches.setdefault(branch.family, branch)
    # A network's settings are read in its own lines (the network plan), not in an estimator call.
    network = [*plan.network.common, *(line for branch in plan.network.branches for line in branch.lines)] if plan.network else []
    rows = []
    if detection.selector:
        rows.append({"name": detection.selector, "space": _space(space[detection.selector]), "status": "selector", "reason": "selects the model family"})
    for placement in detection.placements:
        row = {"name": placement.name, "space": _space(space[placement.name])}
        if placement.uses:
            row["status"] = "used"
            row["uses"] = [_use(placement.name, use, branches, detection.task, network) for use in placement.uses]
        elif placement.role:
            row["status"] = "preprocessing"
            row["role"] = placement.role
            row["call"] = _read(placement.name, plan.preprocessing.args)
            if placement.step:  # `robust_scaler_q_min` -> RobustScaler.quantile_range[0]
                member = "" if placement.step.index is None else f"[{placement.step.index}]"
                row["argument"] = f"{placement.step.cls}.{placement.step.arg}{member}"
            if placement.role == "balancing":
                # How class balancing reaches each estimator (class_weight, fit sample weights or not at all).
                row["reaches"] = [{"family": branch.family, "value": branch.value, "how": branch.balancing} for branch in plan.branches if branch.balancing]
        else:
            # "unknown": no rule understood it (a warning from generate; --strict refuses it).
            row["status"] = "unknown" if placement.unknown else "unused"
        row["reason"] = placement.reason
        rows.append(row)
    return {
        "source": detection.source,
        "task": detection.task,
        "task_decided_at_run_time": detection.task == AUTO,
        "contract": options.contract,
        "facade": options.facade,
        "selector": _selector(detection) if detection.selector else None,
        "budget": {"low": plan.budget.low, "high": plan.budget.high} if plan.budget else None,
        "cross_validation": {"folds": plan.cv, "reason": plan.cv_reason},
        "fidelities": [_fidelity(name, branches, plan) for name in detection.families],
        "hyperparameters": rows,
        "correction": _correction(space, detection),
    }


CORRECTIONS = "--map HP=Class.argument, --unused HP, --family VALUE=FAMILY"


def _correction(space, detection) -> dict:
    """The options that change a reading, with an example from this space: an unused hyperparameter mapped
    onto an argument of a trained family's estimator that accepts its values, else a used one made unused."""
    from trainfn_gen.engine.corrections import snapshot_param
    from trainfn_gen.knowledge import estimators
    from trainfn_gen.knowledge.values import fits

    taken = {(use.family, use.param.arg) for p in detection.placements for use in p.uses}
    unused = sorted((p for p in detection.placements if not p.uses and not p.role and not space[p.name].is_constant), key=lambda p: not p.unknown)
    task = "classification" if detection.task == AUTO else detection.task
    for placement in unused:
        for family in (BY_NAME[f] for f in detection.families):
            path = family.estimators.get(task) or next(iter(family.estimators.values()))
            if not estimators.known(path):
                continue
            params = [p for p in family.params_for(task) if p.passed and not p.pattern and estimators.has(path, p.arg) and (family.name, p.arg) not in taken]
            params += [snapshot_param(path, arg, None) for arg in estimators.arguments(path) if arg not in {p.arg for p in family.params} and (family.name, arg) not in taken]
            # The argument whose name is closest to the hyperparameter's words; none that merely takes its values.
            name = snake(placement.name).lower()
            words = {w for w in name.split("_") if len(w) > 2}
            scored = [(bool(words & set(p.arg.split("_"))), difflib.SequenceMatcher(None, name, p.arg).ratio(), p.arg, p)
                      for p in params if p.arg not in roles.SMAC_OWN and _fits(fits, p, space[placement.name])]
            best = max(scored, key=lambda item: item[:3], default=None)
            if best is not None and (best[0] or best[1] >= 0.75):
                example = f"--map {shlex.quote(printable(placement.name))}={path.rsplit('.', 1)[1]}.{best[3].arg}"
                return {"options": CORRECTIONS, "example": example}
    used = next((p for p in detection.placements if p.uses), None)
    return {"options": CORRECTIONS, "example": f"--unused {shlex.quote(printable(used.name))}" if used else ""}


def _fits(fits, param, hp) -> bool:
    try:
        return fits(param, hp)
    except (TypeError, ValueError):
        return False


# ConfigSpace's class names, which --json has always shown for hyperparameters with listed values.
_TYPE_NAMES = {"categorical": "CategoricalHyperparameter", "ordinal": "OrdinalHyperparameter", "constant": "Constant"}


def _space(hp) -> dict:
    if hp.is_categorical:
        return {"type": _TYPE_NAMES[hp.kind], "choices": [native(v) for v in hp.choices], "default": native(hp.default_value)}
    return {
        "type": "int" if hp.is_integer else "float",
        "range": [native(hp.lower), native(hp.upper)],
        "log": bool(hp.log),
        "default": native(hp.default_value),
    }


def _selector(detection) -> dict:
    return {
        "name": detection.selector,
        "choices": [{"value": value, "family": BY_NAME[family].title, "estimator": family_estimator(family, detection.task)} for value, family in detection.choices],
    }


def _fidelity(name: str, branches: dict, plan) -> dict:
    family = BY_NAME[name]
    fidelity = family.fidelity
    entry = {"family": family.title, "kind": fidelity.kind, "argument": fidelity.arg or None, "meaning": fidelity.meaning}
    branch = branches.get(family.title)
    mapping = None
    if plan.budget and branch is not None:
        if branch.rows_budget:
            mapping = f"fraction of training rows = {branch.rows_budget}"
            if branch.valid_budget:
                mapping += f"; fraction of validation rows scored = {branch.valid_budget}"
        for arg in branch.args:
            if arg.comment.startswith("R12:"):
                mapping = arg.comment.removeprefix("R12:").strip()
    entry["budget_mapping"] = mapping
    return entry


def _use(name: str, use, branches: dict, task: str, network: list) -> dict:
    family = BY_NAME[use.family]
    branch = branches.get(family.title)
    args = [*branch.assignments, *branch.args] if branch else network if family.network else []
    entry = {"family": family.title, "estimator": family_estimator(use.family, task), "argument": use.param.arg}
    own = [a for a in args if a.name == use.param.arg]
    entry.update(_read(name, own or args))
    if own and own[0].comment and f"cfg.get({name!r})" in own[0].expr:
        entry["note"] = own[0].comment  # the code comment on the argument (a condition it needs, ...)
    entry["log_base"] = use.log_base
    if use.log_base is not None:
        entry["log_encoding"] = f"{use.param.arg} = {_base(use.log_base)} ** {name}" if use.log_base != math.e else f"{use.param.arg} = exp({name})"
    return entry


def _base(base: float) -> str:
    return str(int(base)) if float(base).is_integer() else repr(base)


def _read(name: str, args) -> dict:
    """The cast, default, clipped bounds or choices of `cfg.get(name)` in the plan's expressions."""
    for arg in args:
        for node in ast.walk(ast.parse(arg.expr, mode="eval")):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CASTS and node.args):
                continue
            read = node.args[0]
            if not (isinstance(read, ast.Call) and read.args and isinstance(read.args[0], ast.Constant) and read.args[0].value == name):
                continue
            values = [_value(a) for a in node.args[1:]]
            found = {"expression": arg.expr, "cast": CASTS[node.func.id], "default": values[0]}
            if node.func.id == "as_choice":
                choices = values[1]
                renamed = {k: v for k, v in choices.items() if v != k and not (isinstance(v, bool) and str(v) == k)} if isinstance(choices, dict) else {}
                if isinstance(choices, dict) and choices and all(isinstance(v, bool) for v in choices.values()):
                    found["cast"] = "bool"
                found["choices"] = list(choices)
                found["renamed"] = renamed
            else:
                found["bounds"] = values[1:3]
                if "n_features **" in arg.expr:
                    found["bounds_note"] = f"the argument is n_features ** {name}"
                elif "n_features" in arg.expr and "min(" in arg.expr:
                    found["bounds_note"] = "at most the number of features"
            return found
    return {"expression": None, "cast": None}


def _value(node):
    """A literal of the plan's expression, or its source text when it is code (`StandardScaler()`)."""
    if isinstance(node, ast.Dict):
        return {_value(k): _value(v) for k, v in zip(node.keys, node.values)}
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def to_json(explanation: dict) -> str:
    return json.dumps(explanation, indent=2, ensure_ascii=False, default=repr) + "\n"


def to_text(explanation: dict, width: int = WIDTH) -> str:
    """The human-readable table, in `width` columns (the CLI's: 100)."""
    e = explanation
    lines = [f"{e['source']}: contract {e['contract']}, facade {e['facade']}"]
    if e["task_decided_at_run_time"]:
        lines.append("task: auto (the space does not say; train() decides from y at run time: float target = regression, labels = classification; --task fixes it)")
    else:
        lines.append(f"task: {e['task']}")
    if e["selector"]:
        lines.append(f"selector: {e['selector']['name']}")
        lines += [f"  {c['value']!r:<24} -> {c['family']} ({c['estimator']})" for c in e["selector"]["choices"]]
    if e["budget"]:
        lines.append(f"budget: [{e['budget']['low']:g}, {e['budget']['high']:g}] (R12)")
    else:
        lines.append(f"budget: not used (the {e['facade']} facade passes budget=None)" if e["contract"] != "no-budget" else "budget: none (contract no-budget)")
    folds, reason = e["cross_validation"]["folds"], e["cross_validation"]["reason"]
    lines.append(f"validation: {folds}-fold cross-validation ({reason})" if folds else f"validation: one 20% holdout ({reason})")
    for fidelity in e["fidelities"]:
        target = fidelity["argument"] or "training rows"
        mapped = f": {fidelity['budget_mapping']}" if fidelity["budget_mapping"] else ""
        lines.append(f"  fidelity of {fidelity['family']}: {target} ({fidelity['meaning'] or fidelity['kind']}){mapped}")
    table = [("hyperparameter", "space", "family", "argument", "how")]
    for row in e["hyperparameters"]:
        space = _space_text(row["space"])
        if row["status"] == "used":
            for index, use in enumerate(row["uses"]):
                table.append((row["name"] if index == 0 else "", space if index == 0 else "", use["family"], use["argument"], _how(use)))
        elif row["status"] == "selector":
            table.append((row["name"], space, "(selector)", "", row["reason"]))
        elif row["status"] == "preprocessing":
            table.append((row["name"], space, "(preprocessing)", row.get("argument", row["role"]), _how(row["call"])))
            for reach in row.get("reaches", ()):
                table.append(("", "", "", "", f"balancing with {reach['value'] or reach['family']}: {reach['how']}"))
        else:
            table.append((row["name"], space, "", "", f"{row['status']}: {row['reason']}"))
    lines = [wrapped for line in lines for wrapped in _wrap(line, width)]
    lines.append("")
    lines += _table(table, width)
    correction = e["correction"]
    example = f" (e.g. {correction['example']})" if correction["example"] else ""
    lines += ["", *_wrap(f"to correct a reading: {correction['options']}{example}", width)]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _wrap(line: str, width: int) -> list[str]:
    """A line of at most `width` columns, continued under its own indentation plus two."""
    indent = " " * (len(line) - len(line.lstrip()) + 2)
    return textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [""]


def _table(table: list[tuple[str, ...]], width: int) -> list[str]:
    """The hyperparameter table in `width` columns.

    When the first four columns leave the last ("how") at least HOW_COLUMN columns, each row is one
    line and a long "how" wraps within its column. Otherwise (auto-sklearn's long names and choice
    lists) the four columns narrow in the order of SHRINK, their long cells wrap within their
    column, and each row's "how" follows on its own lines, indented, wrapped at WIDTH.
    """
    natural = [max(len(row[i]) for row in table) for i in range(4)]
    widths = _narrow(natural, width - HOW_COLUMN - 2)
    room = width - sum(widths) - 2 * len(widths)
    stacked = room < HOW_COLUMN
    if stacked:
        widths = _narrow(natural, width)
    lines = []
    for index, row in enumerate(table):
        cells = [_cell(cell, width) for cell, width in zip(row, widths)]
        if not stacked:
            cells.append(_cell(row[4], room))
        for parts in itertools.zip_longest(*cells, fillvalue="") if any(row[:4]) or not stacked else ():
            lines.append("  ".join(part.ljust(width) for part, width in zip(parts, [*widths, 0])))
        if index == 0:
            lines.append("  ".join("-" * width for width in widths) + ("" if stacked else "  ---"))
        elif stacked and row[4]:
            lines += textwrap.wrap(row[4], width, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False)
    return lines


def _narrow(widths: list[int], limit: int) -> list[int]:
    """The columns narrowed in the order of SHRINK (none below its least width) until they fit `limit`."""
    widths = list(widths)
    for column, least in SHRINK:
        excess = sum(widths) + 2 * (len(widths) - 1) - limit
        if excess > 0:
            widths[column] = max(least, widths[column] - excess)
    return widths


def _cell(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _space_text(space: dict) -> str:
    if "choices" in space:
        return "{" + ", ".join(map(str, space["choices"])) + "}"
    return f"[{space['range'][0]}, {space['range'][1]}]" + (" log" if space["log"] else "")


def _how(use: dict) -> str:
    cast = use.get("cast")
    if cast is None:
        return "(see the generated code)"
    parts = [cast]
    if "bounds" in use:
        parts.append(f"clipped to [{use['bounds'][0]}, {use['bounds'][1]}]")
        if use.get("bounds_note"):
            parts.append(use["bounds_note"])
    if use.get("renamed"):
        parts.append("renamed " + ", ".join(f"{k}->{v!r}" for k, v in use["renamed"].items()))
    if use.get("log_encoding"):
        parts.append(f"{LOG_WORDS.get(use['log_base'], 'log')}-encoded: {use['log_encoding']}")
    if "budget" in (use.get("expression") or ""):
        parts.append("budget overrides it (R12)")
    if "if " in (use.get("expression") or "") and " else None" in use["expression"]:
        parts.append("None unless " + use["expression"].rsplit(" if ", 1)[1].removesuffix(" else None"))
    if use.get("note"):
        parts.append(use["note"])
    return ", ".join(parts)


__all__ = ["explain", "to_json", "to_text"]
