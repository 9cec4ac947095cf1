"""The user's corrections of a reading: --map HP=Class.argument, --unused HP, --family VALUE=FAMILY.

Parsed and checked here against the families and the estimator snapshot (knowledge/estimators.py);
what needs the space (does HP exist, is the class's family trained) is checked by the rule engine
(detect.py), which places the corrected hyperparameters through the same Param machinery as a
detected one. A mapped argument that the family table lacks gets a Param built from the snapshot's
declared types and intervals (`snapshot_param`).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping

from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge import estimators
from trainfn_gen.knowledge.families import BY_NAME, FAMILIES, Param

# The reason every --unused hyperparameter is stated with (R06 comment, explain, warning).
UNUSED_REASON = "unused by the user's --unused"


def _items(value, what: str) -> tuple[str, ...]:
    """A repeatable option's values: one string, an iterable of strings, or None."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        items = tuple(value)
    except TypeError:
        raise GeneratorError(f"{what} takes a string or a list of strings, not {type(value).__name__}.") from None
    for item in items:
        if not isinstance(item, str):
            raise GeneratorError(f"{what} takes strings, not {type(item).__name__} ({item!r}).")
    return items


def class_paths() -> dict[str, tuple[str, ...]]:
    """Short estimator class name (and dotted path) -> the families whose estimator it is, in registry order.

    Only classes of the estimator snapshot: the networks' own classes have no declared arguments."""
    found: dict[str, list[str]] = {}
    for family in FAMILIES:
        for path in family.estimators.values():
            if estimators.known(path):
                for key in (path.rsplit(".", 1)[1], path):
                    found.setdefault(key, [])
                    if family.name not in found[key]:
                        found[key].append(family.name)
    return {k: tuple(v) for k, v in found.items()}


def _class_path(name: str) -> str:
    family = BY_NAME[class_paths()[name][0]]
    return next(p for p in family.estimators.values() if name in (p, p.rsplit(".", 1)[1]))


def _suggest(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def parse_maps(value) -> tuple[tuple[str, str, str], ...]:
    """--map values ("HP=Class.argument", or the API's {HP: "Class.argument"}) -> sorted (HP, Class, argument).

    The class must be an estimator class of a family and the argument one that class declares."""
    if isinstance(value, Mapping):
        pairs = []
        for hp, target in value.items():
            if not isinstance(hp, str) or not isinstance(target, str):
                raise GeneratorError(f"map takes {{hyperparameter: 'Class.argument'}} strings, not {hp!r}: {target!r}.")
            pairs.append((hp, target, f"{hp}={target}"))
    else:
        pairs = []
        for item in _items(value, "--map"):
            hp, equals, target = item.rpartition("=")
            if not equals or not hp or not target:
                raise GeneratorError(f"--map '{item}': write HP=Class.argument (e.g. --map lrate=MLPClassifier.learning_rate_init).")
            pairs.append((hp, target, item))
    classes = class_paths()
    maps: dict[str, tuple[str, str, str]] = {}
    for hp, target, shown in pairs:
        name, dot, arg = target.rpartition(".")
        if not dot or not name or not arg:
            raise GeneratorError(f"--map '{shown}': write HP=Class.argument (e.g. --map lrate=MLPClassifier.learning_rate_init).")
        if name not in classes:
            short = sorted(k for k in classes if "." not in k)
            raise GeneratorError(
                f"--map '{shown}': '{name}' is not an estimator class the families know{_suggest(name, short)}; "
                f"the classes are: {', '.join(short)}."
            )
        path = _class_path(name)
        declared = estimators.arguments(path)
        if arg not in declared:
            raise GeneratorError(
                f"--map '{shown}': {name} has no argument '{arg}'{_suggest(arg, declared)}; its arguments are: {', '.join(declared)}."
            )
        if hp in maps:
            raise GeneratorError(f"--map '{shown}': hyperparameter '{hp}' is mapped twice; give one --map per hyperparameter.")
        maps[hp] = (hp, path.rsplit(".", 1)[1], arg)
    return tuple(maps[hp] for hp in sorted(maps))


def parse_unused(value) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(_items(value, "--unused"))))


def parse_family(value, canonical) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """--family values -> (the one family trained alone or None, sorted (selector value, family) pairs).

    Each value is FAMILY or VALUE=FAMILY (the API also takes {VALUE: FAMILY}); `canonical` turns a
    family's name or display name into its name (None if unknown)."""
    if isinstance(value, Mapping):
        items = [(str(k), v) for k, v in value.items()]
    else:
        items = [(item.rpartition("=")[0] if "=" in item else None, item.rpartition("=")[2]) for item in _items(value, "--family")]
    plain: list[str] = []
    pairs: dict[str, str] = {}
    for key, name in items:
        if not isinstance(name, str):
            raise GeneratorError(f"--family takes family names, not {type(name).__name__} ({name!r}).")
        family = canonical(name)
        if family is None:
            known = ", ".join(f.name for f in FAMILIES)
            what = f"--family '{key}={name}'" if key is not None else f"--family '{name}'"
            raise GeneratorError(f"{what}: '{name}' is not a family this version knows{_suggest(name, [f.name for f in FAMILIES])}; the families are: {known}.")
        if key is None:
            plain.append(family)
        elif key in pairs and pairs[key] != family:
            raise GeneratorError(f"--family: the selector value '{key}' is given two families ({pairs[key]}, {family}).")
        else:
            pairs[key] = family
    if len(set(plain)) > 1:
        raise GeneratorError(f"--family names {len(set(plain))} families ({', '.join(dict.fromkeys(plain))}); give one family, or VALUE=FAMILY per selector value.")
    if plain and pairs:
        raise GeneratorError("--family FAMILY trains one family alone, so it cannot be combined with --family VALUE=FAMILY.")
    return (plain[0] if plain else None), tuple(sorted(pairs.items()))


def family_classes(cls: str) -> tuple[str, ...]:
    """The families whose estimator class is `cls` (a short name of parse_maps)."""
    return class_paths().get(cls, ())


def snapshot_param(path: str, arg: str, task: str | None) -> Param:
    """A Param for an argument the family table lacks, from the snapshot's declared types, intervals and options.

    Numbers become "int" or "float" within the declared interval (an open bound nudged inside, so
    clipping yields an accepted value); strings become a choice of the declared options; a boolean
    argument is "bool". None is kept where the argument accepts it."""
    record = estimators.argument(path, arg)
    types = set(record.get("types", ()))
    none_values = ("None", "none") if "None" in types else ()
    declared_options = tuple(estimators.options(path, arg))
    if "bool" in types and not record.get("intervals") and not declared_options:
        return Param(arg, (), "bool", none_values=none_values, task=task)
    interval = estimators.interval(path, arg, "float") or estimators.interval(path, arg, "int")
    numeric = interval is not None or types & {"int", "float"}
    if not numeric and (declared_options or "str" in types):
        return Param(arg, (), "choice", choices=declared_options, none_values=none_values, task=task)
    kind = "int" if interval is not None and interval.type == "int" or (interval is None and types & {"int"} and "float" not in types) else "float"
    low = high = None
    if interval is not None:
        low, high = interval.left, interval.right
        if low is not None and interval.closed not in ("left", "both"):
            low = low + 1 if kind == "int" else math.nextafter(float(low), math.inf) if low != 0 else 1e-12
        if high is not None and interval.closed not in ("right", "both"):
            high = high - 1 if kind == "int" else math.nextafter(float(high), -math.inf)
    return Param(arg, (), kind, low=low, high=high, choices=declared_options, none_values=none_values, task=task)


__all__ = ["UNUSED_REASON", "class_paths", "family_classes", "parse_family", "parse_maps", "parse_unused", "snapshot_param"]
