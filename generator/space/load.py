"""Search-space file -> ConfigurationSpace, always through ConfigSpace's own readers.

Formats: ConfigSpace JSON (the 0.2/0.4 files SMAC 2 and YAHPO save, and 1.x `to_json`),
ConfigSpace YAML, SMAC pcs (classic and pcs_new) and a Python file defining `get_configspace()`
(run in a child process with a time limit: python_space.py).
Every bad input is one GeneratorError naming the file, plus the line or hyperparameter when known.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

from ConfigSpace import ConfigurationSpace
from trainfn_gen.errors import GeneratorError

from .formats import FORMATS, format_name
from .model import SpaceModel, space_model
from .syntax import parse_json as _parse_json

_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".pcs": "pcs?", ".py": "python"}
_PCS_LINE = re.compile(r"(?m)^\s*[^\s#|{]+\s+(\w+\s+)?[\[{][^\]}]*[\]}]\s*\[")
_PCS_NEW_LINE = re.compile(r"(?m)^\s*[^\s#|{]+\s+(real|integer|categorical|ordinal)\s*[\[{]")
_PCS_UNPARSED = re.compile(r"Could not parse(?: condition)?: (.+)")
_HP_IN_MESSAGE = re.compile(r"(?i)(?:hyperpara\w* |value for )'([^',]+)[',]")
_PCS_CONDITION = re.compile(r"^\s*([^\s#|{]+)\s*\|(.*)$")
_PCS_CLAUSE_PARENT = re.compile(r"(?:^|&&|\|\|)\s*([^\s=!<>]+)\s*(?:==|!=|<|>|in\b)")
# ConfigSpace's readers take time that grows about 4x per link of a chain of conditions (a chain of 13
# hyperparameters reads in about 1 s, 15 in 10 s, 17 in minutes); real spaces chain 2 to 5.
MAX_CHAIN = 13


def load_space(path: str | Path, fmt: str | None = None) -> ConfigurationSpace:
    """Read a search space; `fmt` (one of FORMATS) forces the format, else suffix, then content."""
    path = Path(path)
    text = _read_text(path)
    chosen = _choose_format(path, text, fmt)
    if chosen == "python":
        from .python_space import load_python

        space = load_python(path)
    elif chosen in ("json", "yaml"):
        parse = _parse_json if chosen == "json" else _parse_yaml
        space = _from_dict(parse(text, path.name), chosen.upper(), path.name)
    else:
        _check_chains(_pcs_parents(text), path.name)
        space = _load_pcs(text, path.name, chosen)
    if len(space) == 0:
        raise GeneratorError("the search space has no hyperparameters.", source=path.name)
    return space


def read_space(space, fmt: str | None = None) -> tuple[ConfigurationSpace, str]:
    """A ConfigurationSpace, a dict (ConfigSpace's dictionary format) or a path -> (space, where it came from).

    The second item names the source in the generated header and in error paragraphs: the file's name,
    `<ConfigurationSpace NAME>` for an object, `<dict>` for a dict; control characters escaped.
    """
    if isinstance(space, ConfigurationSpace):
        name = getattr(space, "name", None)
        source = printable(f"<ConfigurationSpace {name}>" if name else "<ConfigurationSpace>")
        if len(space) == 0:
            raise GeneratorError("the search space has no hyperparameters.", source=source)
        return space, source
    if isinstance(space, Mapping):
        return load_mapping(copy.deepcopy(dict(space))), "<dict>"  # ConfigSpace pops keys of the items it reads
    if isinstance(space, (str, os.PathLike)):
        return load_space(space, fmt), printable(Path(space).name)
    raise GeneratorError(f"a search space is a ConfigurationSpace, a dict or a path to a file, not {type(space).__name__}.")


def printable(text: str) -> str:
    """`text` on one line: control characters (newlines included) written as their escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def read_model(space, fmt: str | None = None) -> SpaceModel:
    """read_space(), then the space read once into its model: what every later stage queries."""
    configspace, source = read_space(space, fmt)
    return space_model(configspace, source, fmt)


def load_mapping(data: object, source: str = "<dict>") -> ConfigurationSpace:
    """A space given as ConfigSpace's dictionary format (what `to_json` writes), read in memory."""
    space = _from_dict(data, "dictionary", source)
    if len(space) == 0:
        raise GeneratorError("the search space has no hyperparameters.", source=source)
    return space


def _read_text(path: Path) -> str:
    """The file's text; a folder, a missing, unreadable or empty file is an error."""
    if path.is_dir():
        raise GeneratorError("is a folder, not a search-space file.", source=path.name)
    if not path.exists():
        raise GeneratorError("no such file.", source=path.name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeneratorError(f"not UTF-8 text (byte {exc.start}).", source=path.name) from None
    except OSError as exc:
        raise GeneratorError(f"cannot be read: {exc.strerror}.", source=path.name) from None
    if not text.strip():
        raise GeneratorError("the file is empty.", source=path.name)
    return text


def _choose_format(path: Path, text: str, fmt: str | None) -> str:
    """`fmt` if given, else by suffix, else by content; "pcs?" means either pcs dialect."""
    if fmt is not None and format_name(fmt) is None:
        message = f"unknown search-space format '{fmt}'; accepted formats: {', '.join(FORMATS)}."
        raise GeneratorError(message, source=path.name)
    chosen = format_name(fmt) if fmt else _SUFFIXES.get(path.suffix.lower()) or _sniff(text)
    if chosen is None:
        raise GeneratorError(
            "cannot tell the search-space format from the file's name or content; accepted "
            "formats: json (.json), yaml (.yaml, .yml), pcs or pcs_new (.pcs), python (.py).",
            source=path.name,
        )
    return chosen


def _sniff(text: str) -> str | None:
    """Guess the format of a file whose suffix says nothing."""
    if text.lstrip().startswith("{"):
        return "json"
    if re.search(r"(?m)^def get_configspace\s*\(", text):
        return "python"
    if _PCS_LINE.search(text):
        return "pcs?"
    return "yaml" if re.search(r"(?m)^hyperparameters\s*:", text) else None


def _parse_yaml(text: str, name: str) -> object:
    try:
        import yaml  # PyYAML: optional here, as for ConfigSpace's own from_yaml
    except ImportError:
        message = "reading YAML needs PyYAML, which is not installed (pip install pyyaml)."
        raise GeneratorError(message, source=name) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise GeneratorError(f"malformed YAML{where}: {problem}.", source=name) from None


def _from_dict(data: object, kind: str, name: str) -> ConfigurationSpace:
    """ConfigSpace's dictionary format (what to_json / to_yaml write, and the 0.2/0.4 files)."""
    if not isinstance(data, dict):
        found = type(data).__name__
        message = f"expected a {kind} mapping with a 'hyperparameters' list, found {found}."
        raise GeneratorError(message, source=name)
    _check_chains(_mapping_parents(data.get("conditions")), name)
    what = f"not a valid ConfigSpace {kind} space"
    return _run_reader(lambda: ConfigurationSpace.from_serialized_dict(data), what, name)


def _mapping_parents(conditions: object) -> dict[str, set[str]]:
    """child -> parents of the conditions of a dictionary-format space (conjunctions included)."""
    parents: dict[str, set[str]] = {}
    pending = list(conditions) if isinstance(conditions, list) else []
    while pending:
        condition = pending.pop()
        if not isinstance(condition, dict):
            continue
        if isinstance(condition.get("child"), str) and isinstance(condition.get("parent"), str):
            parents.setdefault(condition["child"], set()).add(condition["parent"])
        if isinstance(condition.get("conditions"), list):
            pending.extend({"child": condition.get("child"), **part} if isinstance(part, dict) else part for part in condition["conditions"])
    return parents


def _pcs_parents(text: str) -> dict[str, set[str]]:
    """child -> parents of the condition lines (`child | parent == value && ...`) of a pcs file."""
    parents: dict[str, set[str]] = {}
    for line in text.splitlines():
        match = _PCS_CONDITION.match(line.split("#", 1)[0])
        if match:
            parents.setdefault(match[1], set()).update(_PCS_CLAUSE_PARENT.findall(match[2]))
    return parents


def _check_chains(parents: dict[str, set[str]], name: str) -> None:
    """Refuse, before ConfigSpace reads it, a chain of conditions longer than MAX_CHAIN hyperparameters."""
    longest: dict[str, list[str]] = {}

    def chain(child: str, seen: frozenset) -> list[str]:
        if child not in longest:
            above = [chain(parent, seen | {child}) for parent in sorted(parents.get(child, ())) if parent not in seen]
            longest[child] = [child, *max(above, key=len, default=[])]
        return longest[child]

    deepest = max((chain(child, frozenset()) for child in sorted(parents)), key=len, default=[])
    if len(deepest) > MAX_CHAIN:
        links = " -> ".join(f"'{hp}'" for hp in deepest[:4])
        raise GeneratorError(
            f"its conditions chain {len(deepest)} hyperparameters ({links} -> ... -> '{deepest[-1]}', each active only "
            f"when the next has a value); ConfigSpace's reader takes time that grows about 4x per link (15: about "
            f"10 s, 20: hours), so trainfn-gen reads chains of at most {MAX_CHAIN}. Real spaces chain 2 to 5: condition "
            "the deep hyperparameters on one parent (e.g. a layer count with 'greater than' conditions) instead.",
            source=name,
            hyperparameter=deepest[0],
        )


def _load_pcs(text: str, name: str, dialect: str) -> ConfigurationSpace:
    """Read pcs; "pcs?" tries the dialect the content points to first, then the other."""
    if dialect != "pcs?":
        return _read_pcs(text, name, dialect)
    first, second = ("pcs_new", "pcs") if _PCS_NEW_LINE.search(text) else ("pcs", "pcs_new")
    try:
        return _read_pcs(text, name, first)
    except GeneratorError as error:
        with contextlib.suppress(GeneratorError):
            return _read_pcs(text, name, second)
        raise error from None


def _read_pcs(text: str, name: str, dialect: str) -> ConfigurationSpace:
    def read() -> ConfigurationSpace:
        from ConfigSpace.read_and_write import pcs, pcs_new  # warns on import: deprecated

        return (pcs_new if dialect == "pcs_new" else pcs).read(text.splitlines())

    return _run_reader(read, f"not a valid SMAC {dialect} space", name, text)


def _run_reader(
    read: Callable[[], ConfigurationSpace], what: str, name: str, pcs_text: str | None = None
) -> ConfigurationSpace:
    """Call a ConfigSpace reader, its warnings silenced (0.2 `default`, deprecated pcs)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read()
    except Exception as exc:  # noqa: BLE001 - ConfigSpace raises many types; we name the file
        raise _reader_error(exc, what, name, pcs_text) from None


def _reader_error(exc: Exception, what: str, name: str, pcs_text: str | None) -> GeneratorError:
    """ConfigSpace's complaint as one paragraph, with the hyperparameter and pcs line it names."""
    detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
    detail = " ".join(str(detail).split()).rstrip(".")
    match = _HP_IN_MESSAGE.search(detail)
    hyperparameter, line = (match[1] if match else None), None
    if isinstance(exc, KeyError) and " " not in detail:  # a failed lookup by name
        if pcs_text is None:
            detail = f"no hyperparameter or field named '{detail}'"
        else:
            hyperparameter, detail = detail, f"'{detail}' is used but never defined"
    if pcs_text is not None:
        if isinstance(getattr(exc, "line", None), str):  # pyparsing, on a forbidden clause
            detail = f"Could not parse: {exc.line}"
        line = _pcs_line_number(pcs_text, detail)
    at = f"line {line}: " if line else ""
    return GeneratorError(f"{at}{what}: {detail}.", source=name, hyperparameter=hyperparameter)


def _pcs_line_number(text: str, detail: str) -> int | None:
    """The line the pcs reader quoted (it strips comments and quotes, and gives no number)."""
    quoted = _PCS_UNPARSED.match(detail)
    for number, line in enumerate(text.splitlines(), 1):
        if quoted and " ".join(re.sub(r"#.*|[\"']", "", line).split()) == quoted[1]:
            return number
    return None
