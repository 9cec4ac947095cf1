"""[tool.trainfn-gen] in the user's pyproject.toml -> default values of the flags of every command.

The first pyproject.toml found from the current folder upwards is the project's (as black and ruff
find theirs). Keys are the long names of `generate`'s flags, with dashes or underscores
(`min-budget`, `min_budget`, `format`, `output`); each applies to every command that has the flag
(generate, explain, run; and the targets of sync, see sync.py), and flags on the command line win.
Sub-tables such as `[tool.trainfn-gen.targets.NAME]` belong to sync and are skipped. A repeatable
flag takes a string or a list of strings (`map = ["lrate=MLPClassifier.learning_rate_init"]`,
`unused = ["x"]`, `family = ["a=svm"]`). Relative paths
(output, dataset, scenario) are relative to the folder of pyproject.toml.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from trainfn_gen.errors import GeneratorError

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, as the tomli package
    import tomli as tomllib

PATH_SETTINGS = ("output", "dataset", "scenario")


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def project_defaults(command: click.Command, start: Path | None = None, reference: click.Command | None = None) -> dict:
    """{parameter name: value} for `command` from [tool.trainfn-gen]; {} without one.

    `reference` (generate) names the valid keys: a key of the reference that `command` lacks is
    skipped (explain has no --output), a key of neither is an error.
    """
    path = find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return {}
    return table_defaults(command, path, reference)


def read_table(path: Path) -> dict:
    """The [tool.trainfn-gen] table of `path` ({} without one)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise GeneratorError(f"malformed TOML: {exc}.", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GeneratorError(f"cannot be read: {exc}.", source=str(path)) from None
    table = data.get("tool", {}).get("trainfn-gen", {})
    if not isinstance(table, dict):
        raise GeneratorError("[tool.trainfn-gen] must be a table of generate settings.", source=str(path))
    return table


def _long_names(command: click.Command) -> dict:
    by_key = {}
    for param in command.params:
        # --force is a word for one command line, never a project-wide default (issue 15).
        if isinstance(param, click.Option) and param.name != "force":
            for opt in param.opts:
                if opt.startswith("--"):
                    by_key[opt[2:].replace("-", "_")] = param
    return by_key


def convert(param: click.Parameter, value, ctx):
    """A TOML value for a flag: a repeatable flag (--map, --unused, --family) takes a string or a list of them."""
    if not getattr(param, "multiple", False):
        return param.type.convert(value, param, ctx)
    values = value if isinstance(value, list) else [value]
    return tuple(param.type.convert(item, param, ctx) for item in values)


def table_defaults(command: click.Command, path: Path, reference: click.Command | None = None) -> dict:
    """project_defaults() of the pyproject.toml at `path`."""
    table = read_table(path)
    by_key = _long_names(command)
    valid = _long_names(reference) if reference is not None else by_key
    defaults = {}
    for key, value in table.items():
        if isinstance(value, dict):
            continue  # a sub-table of another command, e.g. [tool.trainfn-gen.targets.NAME]
        if key.replace("-", "_") not in valid:
            known = ", ".join(sorted(k.replace("_", "-") for k in valid))
            raise GeneratorError(f"[tool.trainfn-gen]: unknown setting '{key}'; the settings are the flags of generate: {known}.", source=str(path))
        param = by_key.get(key.replace("-", "_"))
        if param is None:
            continue  # a flag this command does not have
        try:
            converted = convert(param, value, None)
        except click.BadParameter as exc:
            raise GeneratorError(f"[tool.trainfn-gen]: setting '{key}': {exc.message}", source=str(path)) from None
        if key.replace("-", "_") in PATH_SETTINGS and isinstance(converted, str) and not converted.startswith("sklearn:"):
            converted = str(path.parent / converted)
        defaults[param.name] = converted
    return defaults
