"""`trainfn-gen sync`: regenerate every target of `[tool.trainfn-gen.targets.NAME]` in pyproject.toml.

A target names a `space`, an `output` (both relative to the pyproject's folder) and any option of
`trainfn-gen generate` (task, contract, facade, min_budget, max_budget, family, format, metric,
framework, strict, dataset, target, scenario; and the corrections of a reading: map = ["HP=Class.argument", ...],
unused = ["HP", ...], family = ["VALUE=FAMILY", ...]): the keys accepted are read from the `generate`
command itself. Unknown keys are refused. The settings of `[tool.trainfn-gen]` itself (all but
`output`) are every target's defaults, as they are generate's; a target's own keys win.

Targets are independent: each is generated in memory, then written with write_if_changed (atomic,
only when the bytes change). A target that fails (bad key, unreadable space, refusal) is reported
with one paragraph naming it, its output is left untouched, the other targets still proceed, and
the command exits 1.
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click
from trainfn_gen.errors import GeneratorError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PYPROJECT = "pyproject.toml"
TABLE = "tool.trainfn-gen.targets"
REQUIRED = ("space", "output")
# `allow_outside = true`: the table's explicit word that its output may lie outside the pyproject's folder.
OUTSIDE = "allow_outside"


@dataclass(frozen=True)
class Target:
    name: str
    space: Path
    output: Path
    shown: str  # the output path as written in pyproject.toml, for reports
    settings: dict  # generate option name (click's parameter name) -> value (the project's defaults, then the table's)
    given: frozenset = frozenset()  # the names the target's own table sets (they beat a scenario's values)


@dataclass(frozen=True)
class Result:
    target: str
    output: str
    status: str  # created / identical / updated (sync); missing / stale / up to date (check); error
    detail: str = ""  # the error paragraph, or the unified diff of a stale target


def find_pyproject(start: Path) -> Path:
    """The first pyproject.toml in `start` or one of its parents."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / PYPROJECT
        if candidate.is_file():
            return candidate
    raise GeneratorError(f"no {PYPROJECT} in this folder or any parent; give one with --config.", source=str(start))


def generate_options(generate: click.Command) -> dict[str, click.Option]:
    """Target key -> the `generate` option it sets, read from the command (so new options pass through)."""
    keys: dict[str, click.Option] = {}
    for param in generate.params:
        if not isinstance(param, click.Option) or param.name in ("output", "force"):
            continue
        for flag in param.opts:
            if flag.startswith("--"):
                keys[flag[2:]] = param
                keys[flag[2:].replace("-", "_")] = param
    return keys


def read_targets(pyproject: Path, generate: click.Command) -> list[Target | Result]:
    """The targets of `pyproject` in table order; an error Result for a table that is not a valid target.

    `generate` is the CLI's generate command: its options are the keys a target may set."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GeneratorError(f"cannot read it as TOML ({exc}).", source=str(pyproject)) from None
    tables = data.get("tool", {}).get("trainfn-gen", {}).get("targets")
    if not isinstance(tables, dict) or not tables:
        raise GeneratorError(f"no [{TABLE}.NAME] table; add one with `space` and `output` keys for each file to generate.", source=str(pyproject))
    from .project import table_defaults

    defaults = {k: v for k, v in table_defaults(generate, pyproject).items() if k != "output"}
    keys = generate_options(generate)
    root = pyproject.parent
    entries: list[Target | Result] = []
    for name, table in tables.items():
        shown = str(table.get("output", "?")) if isinstance(table, dict) else "?"
        try:
            entries.append(_target(name, table, keys, root, pyproject, defaults))
        except GeneratorError as error:
            entries.append(Result(name, shown, "error", error.paragraph()))
    return entries


def _target(name: str, table, keys: dict[str, click.Option], root: Path, pyproject: Path, defaults: dict | None = None) -> Target:
    from .project import convert

    where = f"[{TABLE}.{name}]"
    if not isinstance(table, dict):
        raise GeneratorError(f"{where} must be a table with `space` and `output` keys.", source=str(pyproject))
    for key in REQUIRED:
        if not isinstance(table.get(key), str) or not table[key]:
            raise GeneratorError(f"{where} needs a `{key}` key holding a path (relative to the pyproject's folder).", source=str(pyproject))
    settings = {}
    ctx = click.Context(click.Command("sync"))
    if table.get(OUTSIDE, False) is not True:
        _inside(root, table["output"], where, pyproject)
    for key, value in table.items():
        if key in (*REQUIRED, OUTSIDE):
            continue
        if key not in keys:
            known = ", ".join(sorted({k for k in keys if "-" not in k}))
            raise GeneratorError(f"{where} has an unknown key '{key}'; a target takes `space`, `output` and the options of `trainfn-gen generate`: {known}.", source=str(pyproject))
        param = keys[key]
        try:
            settings[param.name] = convert(param, value, ctx)
        except click.BadParameter as exc:
            raise GeneratorError(f"{where} key '{key}': {exc.message}", source=str(pyproject)) from None
        if param.name in ("dataset", "scenario") and isinstance(settings[param.name], str) and not settings[param.name].startswith("sklearn:"):
            settings[param.name] = str(root / settings[param.name])
    given = frozenset(settings)
    return Target(name, root / table["space"], root / table["output"], table["output"], {**(defaults or {}), **settings}, given)


def _inside(root: Path, output: str, where: str, pyproject: Path) -> None:
    """An output must stay inside the pyproject's folder (links resolved) unless the table allows otherwise."""
    resolved, folder = Path(os.path.realpath(root / output)), Path(os.path.realpath(root))
    if not resolved.is_relative_to(folder):
        raise GeneratorError(f"{where} writes {output}, outside the pyproject's folder {folder}; keep outputs inside it or add `{OUTSIDE} = true` to the table.", source=str(pyproject))


def render_target(target: Target) -> str:
    """The train() source of one target, in memory, from the settings generate takes."""
    from trainfn_gen.engine import pipeline

    settings = dict(target.settings)
    fmt = settings.pop("fmt", None)
    if "map_" in settings:  # click's name of --map (map is a builtin)
        settings["map"] = settings.pop("map_")
    options, profile, scenario = pipeline.prepare(settings, target.given)
    return pipeline.generate(target.space, options, fmt, profile, scenario)


def sync_target(target: Target, check: bool, diff: bool, force: bool = False, inputs: tuple[Path, ...] = ()) -> Result:
    try:
        source = render_target(target)
        if check:
            return _compare(target, source, diff)
        from trainfn_gen.engine.write import write_if_changed

        return Result(target.name, target.shown, write_if_changed(target.output, source, force=force, inputs=inputs))
    except GeneratorError as error:
        return Result(target.name, target.shown, "error", error.paragraph())


def _compare(target: Target, source: str, diff: bool) -> Result:
    if not target.output.is_file():
        status = "missing"
        old = []
    else:
        current = target.output.read_bytes()
        if current == source.encode("utf-8"):
            return Result(target.name, target.shown, "up to date")
        status = "stale"
        old = current.decode("utf-8", errors="replace").splitlines(keepends=True)
    text = "".join(difflib.unified_diff(old, source.splitlines(keepends=True), f"a/{target.shown}", f"b/{target.shown}")) if diff else ""
    return Result(target.name, target.shown, status, text)


def sync(generate: click.Command, pyproject: Path | None = None, check: bool = False, diff: bool = False, force: bool = False) -> list[Result]:
    """Regenerate (or with check=True, compare) every target; one Result per target, in table order.

    No target overwrites the pyproject or any target's space (all are inputs of this command) unless `force`."""
    pyproject = Path(pyproject) if pyproject else find_pyproject(Path.cwd())
    results, outputs = [], {}
    entries = read_targets(pyproject, generate)
    inputs = (pyproject, *(entry.space for entry in entries if isinstance(entry, Target)))
    for entry in entries:
        if isinstance(entry, Result):
            results.append(entry)
            continue
        key = entry.output.resolve()
        if key in outputs:
            message = f"{pyproject}: [{TABLE}.{entry.name}] writes {entry.shown}, as target '{outputs[key]}' does; give each target its own output."
            results.append(Result(entry.name, entry.shown, "error", message))
            continue
        outputs[key] = entry.name
        results.append(sync_target(entry, check, diff, force, inputs))
    return results
