"""Detection, pass 1: finding the selector and what its values train, and following conditions up to it.

Reads the space model only (space/model.py). `detect` (detect.py) calls these first; the later passes
(grouping, family choice, placement) use the tokens, the name prefixes and the condition parts defined here.
"""

from __future__ import annotations

import functools

from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge import roles
from trainfn_gen.knowledge.families import BY_NAME, FAMILIES
from trainfn_gen.knowledge.network_spaces import network_words
from trainfn_gen.space.model import Condition, Forbidden, SpaceModel
from trainfn_gen.space.names import compact, snake, split_prefix

SELECTOR_WORDS = ("classifier", "regressor", "model", "estimator", "algorithm", "learner", "choice", "method", "clf")
VALUE_SUFFIXES = ("classifier", "regressor", "clf", "reg", "model", "estimator")

def _token_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for family in FAMILIES:
        for alias in family.aliases:
            index.setdefault(alias, []).append(family.name)
    return {token: tuple(names) for token, names in index.items()}


TOKENS = _token_index()
NETWORK_FAMILIES = {f.name for f in FAMILIES if f.network}
# Every argument name and alias any family knows, plus the role names: such a name is never split
# into a prefix and a rest (`boosting_rounds`, `lr_schedule`).
ROLE_NAMES = frozenset([*roles.NOT_MODEL, *roles.PREPROCESSING, *roles.DATA_FRACTION, *roles.UNSUPPORTED])
KNOWN_NAMES = frozenset([n.lower() for f in FAMILIES for p in f.params for n in p.names()]) | ROLE_NAMES


def families_for_value(value) -> tuple[str, ...]:
    """A selector value or prefix token in any style -> the families it may name."""
    token = compact(value)
    if token in TOKENS:
        return TOKENS[token]
    for suffix in VALUE_SUFFIXES:
        if token.endswith(suffix) and token[: -len(suffix)] in TOKENS:
            return TOKENS[token[: -len(suffix)]]
    # The user's own name for a network (`cnn_regressor_v2`, `mlp_auto`): one of its words names one.
    return network_words(value, TOKENS, NETWORK_FAMILIES)



def find_selector(space: SpaceModel, source: str, user_values: dict | None = None) -> str | None:
    best, best_rank = None, None
    for hp in space.values():
        if not hp.is_categorical:
            continue
        values = hp.choices
        mapped = [v for v in values if str(v) in (user_values or {}) or families_for_value(v)]
        named = any(word in hp.name.lower() for word in SELECTOR_WORDS)
        if not named and snake(hp.name).lower() in KNOWN_NAMES and len(mapped) < len(values):
            continue  # a model's own categorical (LightGBM boosting_type: gbdt, rf, dart, goss)
        if len(mapped) >= 2 or (mapped and named):
            rank = (named, len(mapped), -len(hp.name))
            if best_rank is None or rank > best_rank:
                best, best_rank = hp.name, rank
    return best


def selector_families(space, selector: str, source: str, user_values: dict | None = None) -> dict:
    mapping = {}
    for value in space[selector].choices:
        found = (user_values[str(value)],) if str(value) in (user_values or {}) else families_for_value(value)
        if not found and compact(value) in roles.OTHER_FAMILY_TOKENS:
            raise GeneratorError(
                f"the selector's value '{value}' names {roles.OTHER_FAMILY_TOKENS[compact(value)]}, which this version "
                "does not generate; remove the value or pass --family NAME to generate one family.",
                source=source,
                hyperparameter=selector,
            )
        if not found:
            known = ", ".join(f.title for f in FAMILIES)
            raise GeneratorError(
                f"the selector's value '{value}' names no model family this version generates "
                f"(it knows: {known}); remove the value or pass --family to generate one family.",
                source=source,
                hyperparameter=selector,
            )
        mapping[value] = found
    return mapping


def refuse_forbidden_values(space, selector: str, source: str) -> None:
    """A selector value that every configuration forbids leaves its family unreachable: refuse it by name."""
    for clause in space.forbiddens:
        parts = _forbidden_parts(clause)
        if parts is None:
            continue
        on_selector = [values for name, values in parts if name == selector]
        others_always = all(_always_forbidden(space, name, values) for name, values in parts if name != selector)
        if len(on_selector) != 1 or not others_always:
            continue
        for value in space[selector].choices:
            if value in on_selector[0]:
                found = families_for_value(value)
                what = f"the {BY_NAME[found[0]].title}" if found else "its model"
                raise GeneratorError(
                    "a forbidden clause excludes every configuration with "
                    f"{selector} = '{value}', so {what} can never be trained; remove the value from the selector "
                    "or narrow the forbidden clause.",
                    source=source,
                    hyperparameter=selector,
                )


def _forbidden_parts(clause: Forbidden) -> list[tuple[str, set]] | None:
    """A forbidden clause as (hyperparameter, forbidden values) pairs that must all hold; None for relations."""
    if clause.parts:
        if clause.operator != "and":
            return None
        parts = []
        for component in clause.parts:
            inner = _forbidden_parts(component)
            if inner is None:
                return None
            parts += inner
        return parts
    if clause.name is None:
        return None
    return [(clause.name, set(clause.values))]


def _always_forbidden(space, name: str, values: set) -> bool:
    """True when the clause part on `name` holds in every configuration: unconditional and every value listed."""
    hp = space[name]
    return not space.conditions_of(name) and hp.is_categorical and set(hp.choices) <= values


def selector_values(space, name: str, selector: str | None) -> set:
    """Selector values under which `name` is active, following conditions up to the selector."""
    if not selector:
        return set()
    found: set = set()
    stack, seen = [name], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for condition in space.conditions_of(current):
            for parent, values in condition_parts(condition, space):
                if parent == selector:
                    found.update(values)
                else:
                    stack.append(parent)
    return found


def condition_parts(condition: Condition, space: SpaceModel):
    """(parent, the parent's values under which the condition holds) per part; an empty set when unknown."""
    if condition.is_conjunction:
        for component in condition.parts:
            yield from condition_parts(component, space)
        return
    parent = condition.parent
    if condition.operator in ("in", "=="):
        yield parent, set(condition.values)
    elif condition.operator == "!=" and space[parent].is_categorical:
        yield parent, {v for v in space[parent].choices if v != condition.values[0]}
    else:
        yield parent, set()



def is_token(token: str) -> bool:
    return token in TOKENS or token in roles.OTHER_FAMILY_TOKENS


@functools.lru_cache(maxsize=4096)
def name_prefix(name: str) -> tuple[str | None, str]:
    """split_prefix with the family tokens, read once per name (the passes below ask again and again)."""
    return split_prefix(name, is_token)
