"""The rule engine: space -> Detection (selector, hyperparameter -> family argument, task). No code text."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, replace

from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge import estimators, foreign, preprocessors, roles
from trainfn_gen.knowledge.families import BY_NAME, FAMILIES, Family, Param
from trainfn_gen.knowledge.network_spaces import (
    index_choice,
    index_keeps,
    index_reason,
    refuse_architecture_search,
)
from trainfn_gen.knowledge.values import estimator_value, fits
from trainfn_gen.space.model import SpaceModel, native
from trainfn_gen.space.names import (
    compact,
    decode_name,
    path_segments,
    snake,
    split_log,
    split_numeric_alternative,
)

from . import step_settings
from .corrections import UNUSED_REASON, family_classes, snapshot_param
from .selector import (
    KNOWN_NAMES,
    ROLE_NAMES,
    TOKENS,
    condition_parts,
    families_for_value,
    find_selector,
    name_prefix,
    refuse_forbidden_values,
    selector_families,
    selector_values,
)
from .step_settings import StepSetting

# The task when the space does not say: the generated train() decides from y at run time.
AUTO = "auto"
TASK_WORDS = (("regressor", "regression"), ("svr", "regression"), ("classifier", "classification"), ("svc", "classification"))


@dataclass(frozen=True)
class Use:
    """One hyperparameter feeding one estimator argument of one family."""

    family: str
    param: Param
    log_base: float | None = None  # the space holds log_base ** value (a log-encoded name or range)
    alternative: bool = False  # `gamma_numeric`: replaces the family's other `gamma` hyperparameter when active
    user: bool = False  # the user's --map HP=Class.argument: it wins the argument over a detected mapping


@dataclass(frozen=True)
class Placement:
    """What the rule engine decided for one hyperparameter."""

    name: str
    base: str
    uses: tuple[Use, ...] = ()
    role: str | None = None
    reason: str = ""
    # Not understood by any rule: generated as unused, named in a warning (--strict refuses instead).
    unknown: bool = False
    step: StepSetting | None = None  # role "step_setting": the step's class and argument it sets


@dataclass(frozen=True)
class Detection:
    source: str
    task: str
    selector: str | None
    choices: tuple[tuple[str, str], ...]
    families: tuple[str, ...]
    placements: tuple[Placement, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        """One line per hyperparameter that no rule understood (generated as unused)."""
        return tuple(f"hyperparameter '{p.name}' is not used by train(): {p.reason}" for p in self.placements if p.unknown)


def detect(
    space: SpaceModel, source: str, task: str | None = None, family: str | None = None, framework: str | None = None, strict: bool = False,
    maps: tuple = (), unused: tuple = (), value_families: tuple = (),
) -> Detection:
    """Run the rules over a space; raise GeneratorError with a specific reason when refusing.

    A hyperparameter that no rule understands is placed as unused with `unknown` set (a warning);
    `strict` refuses it instead, naming it. The user's corrections (corrections.py) come first:
    `maps` (HP, Class, argument) places HP on that argument, `unused` HPs are placed unused,
    `value_families` (selector value, family) decide what a selector value trains.
    """
    refuse_architecture_search(space, source)
    _check_corrections(space, source, maps, unused)
    user_values = dict(value_families)
    split = None if family or user_values else _split_selector(space)
    if split:
        user_values = split[1]
    selector = find_selector(space, source, user_values)
    if user_values:
        _check_values(space, selector, user_values, source)
    if selector in unused or selector in (m[0] for m in maps):
        option = "--unused" if selector in unused else "--map"
        raise GeneratorError(f"{option} names the selector, which chooses the model; pass --family FAMILY to train one family, or --family VALUE=FAMILY to correct a value.", source=source, hyperparameter=selector)
    value_families = selector_families(space, selector, source, user_values) if selector and not family else {}
    if selector:
        refuse_forbidden_values(space, selector, source)
    groups = _group(space, selector, value_families, {m[0]: m for m in maps}, set(unused))
    _refuse_index_grid(space, groups, source)
    chosen = _choose_families(space, groups, value_families, family, source, framework)
    task = task or _infer_task(space, selector, chosen, groups, source)
    _check_task(chosen, task, source)
    placements = tuple(
        _place(space, name, groups[name], chosen, task, source, selector, family)
        for name in space
        if name != selector
    )
    placements = _same_when_scaled(space, _read_where_active(space, placements), set(chosen.values()))
    unknown = [p for p in placements if p.unknown]
    if strict and unknown:
        raise GeneratorError(f"{unknown[0].reason} (--strict refuses what no rule understands).", source=source, hyperparameter=unknown[0].name)
    if not family:
        _refuse_foreign(space, placements, source)
    if family and selector:
        reason = f"it selects the model, and this file trains only --family {family}"
        placements = (Placement(selector, snake(selector), reason=reason), *placements)
        selector = None
    choices = tuple((str(value), chosen[value]) for value in value_families) if selector else ()
    families = tuple(dict.fromkeys(f for _, f in choices)) if selector else (chosen[None],)
    if split and selector == split[0]:
        # The selector is also the argument of the branches it does not swap (SVC's kernel): placed as that use.
        hp = space[selector]
        uses = tuple(Use(f, p) for f in dict.fromkeys(families) for p in BY_NAME[f].params_for(task) if BY_NAME[f].split and p.arg == BY_NAME[f].split.arg and fits(p, hp))
        placements = (*placements, Placement(selector, snake(selector), uses=uses, reason="it selects the model and is the kernel of the branches it does not swap"))
    return Detection(source, task, selector, choices, families, placements)


def _check_corrections(space, source: str, maps, unused) -> None:
    """Every hyperparameter a correction names is in the space, and none is both mapped and unused."""
    names = [("--map", m[0], f"{m[0]}={m[1]}.{m[2]}") for m in maps] + [("--unused", name, name) for name in unused]
    for option, name, shown in names:
        if name not in space:
            close = difflib.get_close_matches(name, list(space), n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            raise GeneratorError(f"{option} '{shown}': the space has no hyperparameter '{name}'{hint}.", source=source)
    both = sorted({m[0] for m in maps} & set(unused))
    if both:
        raise GeneratorError(f"--map and --unused both name hyperparameter '{both[0]}'; give it one of them.", source=source, hyperparameter=both[0])


def _split_selector(space) -> tuple[str, dict] | None:
    """A family's choice argument that is a selector in disguise (Family.split): a categorical read as that argument,
    holding the split value and others, where a setting active only under the split value is one of the other
    family's own arguments. Returns (its name, {value: family}); only for a space without another selector."""
    if find_selector(space, "", {}) is not None:
        return None
    for family in FAMILIES:
        split = family.split
        if split is None:
            continue
        params = [p for p in family.params if p.arg == split.arg]
        for hp in space.values():
            base = name_prefix(hp.name)[1]
            matching = [p for p in params if _named(p, split_log(base)[0].lower()) and fits(p, hp)]
            if not hp.is_categorical or not matching:
                continue
            meaning = {v: estimator_value(matching[0], v) for v in hp.choices}
            if split.value not in meaning.values() or len(set(meaning.values())) < 2:
                continue
            own = {compact(a) for a in split.own}
            for child in space.children_of(hp.name):
                allowed = space.active_values(child.name).get(hp.name, set())
                if allowed and {meaning.get(v) for v in allowed} == {split.value} and compact(name_prefix(child.name)[1]) in own:
                    return hp.name, {str(v): split.family if m == split.value else family.name for v, m in meaning.items()}
    return None


def _check_values(space, selector: str | None, user_values: dict, source: str) -> None:
    """--family VALUE=FAMILY: the space has a selector and VALUE is one of its values."""
    if selector is None:
        raise GeneratorError(
            f"--family '{next(iter(user_values))}={next(iter(user_values.values()))}' names a selector value, but the space has "
            "no categorical hyperparameter that selects the model; pass --family FAMILY to train one family.",
            source=source,
        )
    values = [str(v) for v in space[selector].choices]
    for value, family in user_values.items():
        if value not in values:
            raise GeneratorError(f"--family '{value}={family}': '{value}' is not a value of the selector (its values: {', '.join(values)}).", source=source, hyperparameter=selector)


def _check_task(chosen: dict, task: str, source: str) -> None:
    """R17: a classification-only family (logistic regression, naive Bayes, LDA/QDA) under regression is refused."""
    for family in dict.fromkeys(chosen.values()):
        if task != AUTO and task not in BY_NAME[family].estimators:
            tasks = " and ".join(BY_NAME[family].estimators)
            raise GeneratorError(
                f"the {BY_NAME[family].title} has no {task} estimator (it does {tasks} only); "
                "pass the other --task, or choose another family.",
                source=source,
            )


@dataclass(frozen=True)
class _Group:
    """Where a hyperparameter points before families are chosen: selector values, a prefix, or nothing."""

    key: object
    candidates: tuple[str, ...]
    base: str
    how: str
    mapped: tuple[str, str, str] | None = None  # the user's --map (HP, Class, argument)
    unused: bool = False  # the user's --unused


def _group(space, selector, value_families, maps: dict | None = None, unused: set | None = None) -> dict[str, _Group]:
    groups = {}
    for name in space:
        if name == selector:
            continue
        token, base = (None, snake(name)) if snake(name).lower() in KNOWN_NAMES else name_prefix(name)
        values = sorted(selector_values(space, name, selector), key=str)
        candidates = tuple(dict.fromkeys(f for v in values for f in value_families.get(v, ())))
        if token in TOKENS and not _claims((*TOKENS[token], *candidates), base, space[name]):
            # A prefix is evidence of a family only when that family, or a family of the selector value it
            # is active under, knows the rest of the name (`lr_scheduler` is a network's scheduler, not a
            # logistic regression's setting; `gb:max_iter` under `gradient_boosting` is HistGradientBoosting's).
            # A colon path's last segment stays the setting's name.
            token, base = None, base if len(path_segments(name)) > 1 else snake(name)
        if values:
            group = _Group(("value", tuple(values)), candidates, base, f"active when {selector} is {', '.join(map(str, values))}")
        elif token in roles.OTHER_FAMILY_TOKENS:
            group = _Group(("other", token), (), base, f"prefix '{token}'")
        elif token:
            group = _Group(("token", token), TOKENS[token], base, f"prefix '{token}'")
        else:
            group = _Group(None, (), base, "name")
        groups[name] = replace(group, mapped=(maps or {}).get(name), unused=name in (unused or ()))
    return groups


def _claims(families, base: str, hp) -> bool:
    """Does one of these families know `base` (an argument or alias, log-encoded or not, or a name it lists
    as inert), or is it a setting of known meaning outside the models (a role, a data fraction)?"""
    lowered = split_log(base)[0].lower()
    if any(_named(p, lowered) for f in families for p in BY_NAME[f].params) or any(_inert(f, base) for f in families):
        return True
    return lowered in ROLE_NAMES or any(_match(BY_NAME[f], base, hp, None) for f in families)


def _inert(family: str, base: str) -> str:
    """The reason the family states this name unused although it knows it (Family.inert), or ""."""
    plain = decode_name(base)[0].lower()
    return next((why for pattern, why in BY_NAME[family].inert if re.fullmatch(pattern, plain)), "")


def _named(param: Param, name: str) -> bool:
    """Is `name` the argument or one of its aliases, compared by letters and digits alone
    (`batchsize`, `batch_size` and `Batch-Size` are one name)?"""
    return compact(name) in {compact(n) for n in param.names()}


def _match(family: Family, base: str, hp, task: str | None) -> Param | None:
    use = _use(family, base, hp, task)
    return use.param if use else None


def _use(family: Family, base: str, hp, task: str | None) -> Use | None:
    """The family argument this name feeds, with the log base when the value is log-encoded."""
    plain, log_base = split_log(base)
    lowered = plain.lower()
    convention = _convention(hp.name)
    params = family.params_for(task)
    # A convention's own meaning first (auto-sklearn's max_features exponent), then the plain ones.
    for param in (*(p for p in params if p.convention and p.convention == convention), *(p for p in params if not p.convention)):
        named = _named(param, lowered) or (param.pattern and re.fullmatch(param.pattern, lowered))
        if named and fits(param, hp) and _range_fits(param, hp, log_base):
            if log_base is None and _log2_range(param, hp):
                # A strictly positive argument given a range below zero: a log2 exponent (HPOBench, LIBSVM grids).
                log_base = 2.0
            if log_base is not None and not hp.is_numeric_range:
                continue
            return Use(family.name, param, log_base, alternative=param.alternative)
    stem = split_numeric_alternative(plain)
    if stem and hp.is_numeric_range:
        use = _use(family, stem, hp, task)
        return Use(use.family, use.param, use.log_base, alternative=True) if use else None
    return None


def _convention(name: str) -> str:
    """The naming convention that gives some names their meaning: auto-sklearn's `classifier:<family>:<name>` paths."""
    segments = path_segments(name)
    heads = ("classifier", "regressor", "preprocessor", "featurepreprocessor")
    return "autosklearn" if len(segments) >= 3 and compact(segments[0]) in heads else ""


def _grid_index(param: Param, hp) -> bool:
    """An integer range from 0 for a strictly positive real argument: HPOlib's index into a grid of
    values that only the file's comments hold (`C [0, 10]i`), not the value itself."""
    return param.kind == "float" and hp.is_integer and param.low is not None and param.low > 0 and hp.lower == 0


def _refuse_index_grid(space, groups, source: str) -> None:
    """Issue 22: an HPOlib grid (`C [0, 10]i`, `gamma [0, 10]i`: every value an index into a list the file's comments
    hold) is refused before any family vote, which would otherwise follow a name that happens to fit as an integer
    (XGBoost's gamma, a minimum split loss, from 0). The evidence: a name that means a strictly positive real argument
    of some family, searched as integers from 0; the grid: at least half of the searched settings are integer ranges
    or index choices from 0. The user's --map / --unused on those names take them out."""
    searched = [n for n, hp in space.items() if n in groups and not hp.is_constant and not groups[n].mapped and not groups[n].unused]
    from_zero = [n for n in searched if index_choice(space[n]) or (space[n].is_integer and space[n].is_numeric_range and space[n].lower == 0)]
    evidence = [n for n in from_zero if any(_named(p, split_log(groups[n].base)[0].lower()) and _grid_index(p, space[n]) for f in FAMILIES for p in f.params)]
    if evidence and 2 * len(from_zero) >= len(searched):
        shown = ", ".join(f"'{n}' [{native(space[n].lower)}, {native(space[n].upper)}]" for n in evidence[:3])
        raise GeneratorError(
            f"{len(from_zero)} of its {len(searched)} searched hyperparameters are integers from 0, and {shown} "
            f"{'names a' if len(evidence) == 1 else 'name'} strictly positive real argument{'' if len(evidence) == 1 else 's'}: "
            "the values index a grid kept only in the file's comments (an HPOlib habit), which ConfigSpace does not "
            "read, so no train() can pass the value meant. Write the values themselves (e.g. `C [0.03125, 32768] [1] log`), "
            "or correct one reading with --map HP=Class.argument or --unused HP.",
            source=source,
            hyperparameter=evidence[0],
        )


def _range_fits(param: Param, hp, log_base: float | None = None) -> bool:
    """The range conditions of a parameter whose meaning depends on the space's type or scale."""
    if _grid_index(param, hp) and log_base is None:
        return False
    if param.float_range and not (hp.is_numeric_range and not hp.is_integer):
        return False
    if param.range_above is not None and not (hp.is_numeric_range and hp.upper > param.range_above):
        return False
    return not (param.range_max is not None and not (hp.is_numeric_range and hp.upper <= param.range_max))


def _log2_range(param: Param, hp) -> bool:
    return param.kind == "float" and param.low is not None and param.low > 0 and hp.is_numeric_range and hp.lower < 0 and not hp.log


def _score(family: Family, names, space, groups) -> int:
    """How many names the family takes; a data-fraction name (`subsample`) does not vote, it may mean either."""
    return sum(1 for n in names if _votes(family, groups[n], space[n]))


def _own_names(family: Family, names, space, groups) -> int:
    """How many names are the family's own argument names, not aliases: between families that take as many
    names, the one whose estimator spells them so wins (`max_leaf_nodes` is HistGradientBoosting's own
    argument and only an alias for LightGBM). Networks do not count: a network space stays the scikit-learn
    MLP when every setting maps onto it (R18), whatever the spelling."""
    if family.network:
        return 0
    own = 0
    for n in names:
        param = _match(family, groups[n].base, space[n], None) if _votes(family, groups[n], space[n]) else None
        own += param is not None and compact(split_log(groups[n].base)[0]) == compact(param.arg)
    return own


def _votes(family: Family, group: _Group, hp) -> bool:
    """Does this name vote for the family? The user's --map votes for its class's family, --unused for none."""
    if group.unused:
        return False
    if group.mapped:
        return family.name in family_classes(group.mapped[1])
    return group.base.lower() not in roles.DATA_FRACTION and _match(family, group.base, hp, None) is not None


def _allowed(candidates, framework: str | None, source: str, what: str) -> tuple[str, ...]:
    """R18: --framework sklearn keeps only scikit-learn families; torch/tensorflow drop the scikit-learn MLP."""
    if framework == "sklearn":
        kept = tuple(f for f in candidates if not BY_NAME[f].network)
    elif framework:
        kept = tuple(f for f in candidates if f != "mlp")
    else:
        kept = tuple(candidates)
    if not kept:
        raise GeneratorError(
            f"{what} names a {BY_NAME[candidates[0]].title}, which --framework sklearn cannot train; "
            "use --framework torch or --framework tensorflow.",
            source=source,
        )
    return kept


def _one_network_framework(chosen: dict) -> dict:
    """R18: once one branch needs a deep-learning framework, every network branch uses it (no scikit-learn MLP beside it)."""
    if any(BY_NAME[f].network for f in chosen.values()):
        return {value: "network" if f == "mlp" else f for value, f in chosen.items()}
    return chosen


def _choose_families(space, groups, value_families, forced: str | None, source: str, framework: str | None = None) -> dict:
    """Resolve each selector value (or the whole space) to exactly one family."""
    if forced:
        if forced not in BY_NAME:
            raise GeneratorError(f"--family '{forced}' is not a family this version knows ({', '.join(BY_NAME)}).", source=source)
        return {None: forced}
    if value_families:
        chosen = {}
        for value, candidates in value_families.items():
            candidates = _allowed(candidates, framework, source, f"the selector's value '{value}'")
            names = [n for n, g in groups.items() if g.key == ("value", (value,)) or (g.key and g.key[0] == "token" and set(g.candidates) & set(candidates))]
            chosen[value] = _best(candidates, names, space, groups)
        return _one_network_framework(chosen)
    tokens = {g.key[1] for g in groups.values() if g.key and g.key[0] == "token" and _is_model_name(g.base)}
    token_families = {_best(_allowed(TOKENS[t], framework, source, f"the prefix '{t}'"), [n for n, g in groups.items() if g.key == ("token", t)], space, groups) for t in tokens}
    others = {roles.OTHER_FAMILY_TOKENS[g.key[1]] for g in groups.values() if g.key and g.key[0] == "other"}
    if len(token_families) + len(others) > 1:
        found = ", ".join(sorted({BY_NAME[f].title for f in token_families} | others))
        raise GeneratorError(
            f"the space mixes several model families ({found}) but has no categorical hyperparameter that "
            "selects one; add a selector (e.g. `classifier` with one value per family) or pass --family NAME "
            "to generate for one family.",
            source=source,
        )
    candidates = tuple(token_families) or _allowed(tuple(f.name for f in FAMILIES), framework, source, "the space")
    names = [n for n in groups if _is_model_name(groups[n].base)]
    best = _best(candidates, names, space, groups)
    claimants = [f for f in candidates if _score(BY_NAME[f], names, space, groups)]
    if len(names) == 1 and len(claimants) > 1 and not token_families:
        found = ", ".join(BY_NAME[f].title for f in claimants)
        raise GeneratorError(
            f"the space's only model hyperparameter '{names[0]}' belongs to several families ({found}), so "
            "nothing says which model to train; add a categorical selector (e.g. `classifier`) or pass "
            "--family NAME.",
            source=source,
            hyperparameter=names[0],
        )
    if _score(BY_NAME[best], names, space, groups) == 0:
        searched = _searched(space)
        raise GeneratorError(foreign.refusal(searched, _values(space, searched), 0), source=source)
    return {None: best}


def _searched(space) -> list[str]:
    """The hyperparameters a space searches: every one but its constants."""
    return [name for name in space if not space[name].is_constant]


def _values(space, names) -> list[str]:
    return [str(v) for name in names for v in space[name].choices]


def _refuse_foreign(space, placements, source: str) -> None:
    """A space of which less than half is a model's setting is something else (a solver's, a program's): refuse it.

    A model argument's name whose values no rule accepts still counts as a model's setting (it is unused,
    with a warning); only names no rule knows are strangers.
    """
    searched = set(_searched(space))
    strangers = [p for p in placements if p.name in searched and p.unknown and split_log(p.base)[0].lower() not in KNOWN_NAMES]
    understood = len(searched) - len(strangers)
    if understood * 2 < len(searched) or foreign.decisive([p.base for p in strangers]):
        names = [p.name for p in strangers]
        raise GeneratorError(foreign.refusal(sorted(searched), _values(space, searched), understood, names), source=source)


def _is_model_name(base: str) -> bool:
    return base not in roles.NOT_MODEL and base not in roles.PREPROCESSING


def _best(candidates, names, space, groups) -> str:
    """The candidate family that claims most of `names`; ties go to the family listed first."""
    order = {f.name: i for i, f in enumerate(FAMILIES)}
    return max(candidates, key=lambda f: (_score(BY_NAME[f], names, space, groups), _own_names(BY_NAME[f], names, space, groups), -order[f]))


def _infer_task(space, selector, chosen, groups, source) -> str:
    hints: dict[str, str] = {}
    if selector:
        for value in space[selector].choices:
            for word, task in TASK_WORDS:
                if word in compact(value):
                    hints.setdefault(task, f"selector value '{value}'")
    for name in space:
        if _role(space, name, snake(name)) == "balancing" or _role(space, name, name_prefix(name)[1]) == "balancing":
            hints.setdefault("classification", f"'{name}' (class balancing)")
    families = set(chosen.values())
    for family in sorted(families):
        if len(BY_NAME[family].estimators) == 1:
            only = next(iter(BY_NAME[family].estimators))
            hints.setdefault(only, f"the {BY_NAME[family].title}, which is {only}-only")
    for name in space:
        # auto-sklearn's paths: `classifier:bernoulli_nb:alpha`, `regressor:__choice__`.
        segments = space[name].segments
        head = compact(segments[0]) if len(segments) > 1 or name.endswith("__choice__") else ""
        for word, task in (("classifier", "classification"), ("regressor", "regression")):
            if head == word:
                hints.setdefault(task, f"'{name}'")
    for name, group in groups.items():
        if _preprocessing_step(name) or group.mapped or group.unused:
            continue  # `preprocessor:select_rates:alpha` says nothing about the model's task
        for family in _families_for(group, chosen):
            for task in ("classification", "regression"):
                param = _match(BY_NAME[family], group.base, space[name], task)
                other = _match(BY_NAME[family], group.base, space[name], _other(task))
                if param is not None and other is None:
                    hints.setdefault(task, f"'{name}'")
    if not hints and selector:
        # Weakest hint, used alone: auto-sklearn's `classifier:__choice__` / `regressor:__choice__`.
        named = {task for word, task in TASK_WORDS if word in compact(selector)}
        if len(named) == 1:
            return next(iter(named))
    if len(hints) == 1:
        return next(iter(hints))
    if len(hints) == 2:
        raise GeneratorError(
            f"the space points to both tasks (classification: {hints['classification']}, regression: "
            f"{hints['regression']}); pass --task classification or --task regression.",
            source=source,
        )
    # Nothing says which task: train() decides from the target's dtype at run time (--task fixes it).
    return AUTO


def _other(task: str) -> str:
    return "regression" if task == "classification" else "classification"


def _read_where_active(space, placements: tuple[Placement, ...]) -> tuple[Placement, ...]:
    """Each setting the estimator reads only under some values of another argument (Param.read_when), which the
    space's conditions make active only under other values of it, is stated unused: SGD's epsilon active for
    loss='modified_huber' alone (auto-sklearn's space), which scikit-learn reads for the huber losses only."""
    by_name = {p.name: p for p in placements}
    out = []
    for placement in placements:
        reason = ""
        for use in placement.uses:
            if use.user or use.param.read_when is None:
                continue
            other, readers = use.param.read_when
            # The space's forbidden clauses may leave the setting one value wherever the estimator reads it (corpus
            # 26: learning_rate='adaptive' forbidden with optimizer='sgd', the only solver that reads it).
            for feeder in placements:
                feeds = [u.param for u in feeder.uses if u.family == use.family and u.param.arg == other]
                hp = space[placement.name]
                if not feeds or feeder.name == placement.name or not hp.is_categorical or not space[feeder.name].is_categorical:
                    continue
                reading = [v for v in space[feeder.name].choices if estimator_value(feeds[0], v) in readers]
                left = [v for v in hp.choices if any(not _forbidden(space, {feeder.name: r, placement.name: v}) for r in reading)]
                if reading and len(left) <= 1:
                    shown = " / ".join(map(repr, (native(r) for r in reading)))
                    reason = (f"{use.param.arg} is read only when {other} is {' / '.join(map(repr, readers))} ({feeder.name} {shown}), "
                              f"and there the space's forbidden clauses leave it {'only ' + repr(native(left[0])) if left else 'no value'}: it would change nothing")
            for parent, values in space.active_values(placement.name).items():
                feeds = [u.param for u in getattr(by_name.get(parent), "uses", ()) if u.family == use.family and u.param.arg == other]
                if not feeds:
                    continue
                given = {estimator_value(feeds[0], v) for v in values}
                if not given & set(readers):
                    shown = ", ".join(sorted(map(repr, given)))
                    reason = (f"the space makes it active only when {parent} is {shown}, and {use.param.arg} is read only when "
                              f"{other} is {' / '.join(map(repr, readers))}: it would change nothing")
        out.append(Placement(placement.name, placement.base, reason=reason) if reason else placement)
    return tuple(out)


# Roles whose steps leave the family's own standardized features as they are (the other ones scale or reduce them).
KEEPS_SCALE = frozenset({"imputer", "categorical_imputer", "one_hot", "balancing", "data_fraction"})


def _forbidden(space: SpaceModel, values: dict) -> bool:
    """Whether a forbidden clause of the space rejects these values (a clause about other settings does not)."""
    return space.forbidden(values)


def _same_when_scaled(space, placements: tuple[Placement, ...], trained: set[str]) -> tuple[Placement, ...]:
    """Choices whose values all give the same model, stated unused with why (issue 22): SVC's gamma among 'scale' and
    'auto' after the family's own StandardScaler (no other scaling or feature step in the space), and a scaler among
    per-feature affine ones (roles.AFFINE_SCALERS) when every family trained is a tree family (Family.scale_free)."""
    steps = {p.role for p in placements if p.role} - KEEPS_SCALE
    out = []
    for placement in placements:
        hp = space[placement.name]
        values = [str(native(v)) for v in hp.choices] if hp.is_categorical else []
        reason = ""
        if placement.role == "scaler" and values and trained and all(BY_NAME[f].scale_free for f in trained):
            classes = {roles.SCALERS.get(compact(v), "?") for v in values}
            if classes <= roles.AFFINE_SCALERS:
                titles = " / ".join(dict.fromkeys(BY_NAME[f].title for f in sorted(trained)))
                reason = (f"the {titles} splits on the order of each feature's values, which every choice here "
                          f"({', '.join(values)}) keeps: the same model whatever its value, so no scaler runs")
        for use in placement.uses:
            same = use.param.same_when_scaled
            # A choice that activates other settings (gamma='auto' -> gamma_numeric, corpus 01) or names a numeric
            # companion ('value' -> gamma_value, read as given) matters through them: the values themselves must be these.
            alone = not space.children_of(placement.name)
            if same and alone and not use.user and not steps and BY_NAME[use.family].scale and values and set(values) <= set(same[0]):
                reason = same[1]
        out.append(Placement(placement.name, placement.base, reason=reason) if reason else placement)
    return tuple(out)


def _place(space, name, group: _Group, chosen: dict, task: str, source: str, selector, forced) -> Placement:
    hp = space[name]
    base = group.base
    if group.unused:
        return Placement(name, base, reason=UNUSED_REASON)
    if group.mapped:
        return _place_mapped(space, name, group, chosen, task, source)
    if _integer_variance(hp, name):
        return Placement(name, base, reason=(
            f"it names the share of the variance PCA keeps, but its values are the integers {native(hp.lower)}..{native(hp.upper)}: "
            "no integer is such a share, nor does it mean a component count (the file's comment that gives its meaning is not part of "
            "the space), so PCA runs with the n_components it takes when the space sets none"))
    feature = preprocessors.placement(hp, name)
    if feature:  # `feature_preprocessor:<value>:<setting>`: a setting of that step, or unused with the reason
        return Placement(name, base, role="feature_setting" if feature[0] else None, reason=feature[1])
    if forced and group.key and group.key[0] == "value" and not any(forced in families_for_value(v) for v in group.key[1]):
        return Placement(name, base, reason=f"active only when {selector} is {', '.join(map(str, group.key[1]))}; this file trains only --family {forced}")
    if forced and group.key and group.key[0] == "token" and group.candidates and forced not in group.candidates:
        owner = " / ".join(BY_NAME[f].title for f in group.candidates)
        return Placement(name, base, reason=f"a parameter of the {owner} (prefix '{group.key[1]}'); this file trains only --family {forced}")
    role = _role(space, name, base) if not group.candidates else None
    if role:
        return Placement(name, base, role=role, reason="preprocessing setting")
    if base.lower() in roles.NOT_MODEL and not group.candidates:
        return Placement(name, base, reason=roles.NOT_MODEL[base.lower()])
    step = _preprocessing_step(name)
    if step and not group.candidates:
        return _step_setting(space, name, base) or Placement(name, base, reason=f"a setting of the {step} step, which runs with scikit-learn's defaults")
    if group.key and group.key[0] == "other":
        owner = roles.OTHER_FAMILY_TOKENS[group.key[1]]
        if not forced:
            raise GeneratorError(f"its prefix '{group.key[1]}' names {owner}, which this version does not generate.", source=source, hyperparameter=name)
        return Placement(name, base, reason=f"a parameter of {owner} (prefix '{group.key[1]}'); generating for --family {chosen[None]}")
    families = _families_for(group, chosen)
    uses = tuple(use for f in families if (use := _use(BY_NAME[f], base, hp, task)))
    if index_choice(hp):
        # 0..k-1 standing for values in the file's comments: kept only where they can be the values themselves.
        uses = tuple(use for use in uses if index_keeps(use.param))
        if not uses:
            return Placement(name, base, reason=index_reason(space, name))
    if uses:
        return Placement(name, base, uses=uses, reason=group.how)
    if not group.candidates and (placed := _step_setting(space, name, base)):
        return placed
    if base.lower() in roles.DATA_FRACTION and hp.is_numeric_range:
        return Placement(name, base, role="data_fraction", reason="the fraction of training rows a trial sees")
    inert = [why for f in families if (why := _inert(f, base))]
    if inert or index_reason(space, name):
        return Placement(name, base, reason=inert[0] if inert else index_reason(space, name))
    if base.lower() in roles.UNSUPPORTED:
        return Placement(name, base, reason=roles.UNSUPPORTED[base.lower()])
    reason, unknown = _unused_reason(space, name, base, families, task, source, selector)
    if unknown and hp.is_constant:
        # A constant is the same in every trial: nothing to search, nothing to refuse.
        return Placement(name, base, reason=f"a constant ({_describe(hp)}) that no rule maps onto the {_titles(families)}; it is the same in every trial")
    return Placement(name, base, reason=reason, unknown=unknown)


def _place_mapped(space, name, group: _Group, chosen: dict, task: str, source: str) -> Placement:
    """The user's --map HP=Class.argument: HP feeds that argument of the class's family, through the family's
    Param for it (clipping, renaming, conversion) or one built from the snapshot's declaration."""
    hp_name, cls, arg = group.mapped
    shown = f"--map '{hp_name}={cls}.{arg}'"
    trained = list(dict.fromkeys(chosen.values()))
    families = [f for f in family_classes(cls) if f in trained]
    if not families:
        titles = ", ".join(BY_NAME[f].title for f in trained)
        raise GeneratorError(
            f"{shown}: {cls} is the estimator of the {BY_NAME[family_classes(cls)[0]].title}, which this file does not train "
            f"(it trains: {titles}); map onto a class of those, or pass --family (FAMILY, or VALUE=FAMILY for a selector value).",
            source=source, hyperparameter=name,
        )
    family = BY_NAME[families[0]]
    tasks = ("classification", "regression") if task == AUTO else (task,)
    paths = [family.estimators[t] for t in tasks if t in family.estimators]
    for path in paths:
        if not estimators.has(path, arg):
            declared = estimators.arguments(path)
            close = difflib.get_close_matches(arg, declared, n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise GeneratorError(
                f"{shown}: this file trains {path.rsplit('.', 1)[1]} for {task}, which has no argument '{arg}'{hint}; its arguments are: {', '.join(declared)}.",
                source=source, hyperparameter=name,
            )
    if arg in roles.SMAC_OWN:
        raise GeneratorError(f"{shown}: '{arg}' takes SMAC's seed, which train() passes itself (R21); it cannot be searched.", source=source, hyperparameter=name)
    hp = space[name]
    params = [p for p in family.params_for(task) if p.arg == arg and not p.pattern and p.passed]
    param = next((p for p in params if not p.convention), None) or (params[0] if params else snapshot_param(paths[0], arg, None))
    if not fits(param, hp):
        raise GeneratorError(
            f"{shown}: its values ({_describe(hp)}) are not accepted by the {family_estimator(family.name, task)} argument '{arg}'{_accepted(param)}.",
            source=source, hyperparameter=name,
        )
    log_base = split_log(group.base)[1]
    log_base = log_base if log_base is not None and hp.is_numeric_range else None
    use = Use(family.name, param, log_base, user=True)
    return Placement(name, group.base, uses=(use,), reason=f"mapped by the user's --map {hp_name}={cls}.{arg}")


def _integer_variance(hp, name: str) -> bool:
    """A PCA variance share (`pca:keep_variance`) given as an integer range: HPOlib's [0, 1] standing for
    values only the file's comment states; no reading of it is the space's own."""
    last = "_".join(hp.words)
    return "variance" in last and hp.is_numeric_range and hp.is_integer and ("pca" in compact(name) or last.startswith("keep"))


def _preprocessing_step(name: str) -> str | None:
    """`feature_preprocessor:fast_ica:n_components` -> `feature_preprocessor:fast_ica` (a colon path under a role)."""
    segments = path_segments(name)
    for index, segment in enumerate(segments[:-1]):
        if snake(segment).lower() in roles.PREPROCESSING or snake(segment).lower() in roles.NOT_MODEL:
            return ":".join(segments[: max(index + 2, len(segments) - 1)])
    return None


def _role(space, name: str, base: str) -> str | None:
    """The preprocessing role of a name: by itself, by its last two colon segments, or by its parent switch."""
    keys = [base.lower()]
    segments = space[name].segments
    if len(segments) > 1:
        keys.append(snake("_".join(segments[-2:])).lower())
    if keys[0] in roles.PREPROCESSING:
        return roles.PREPROCESSING[keys[0]]
    for key in keys[1:]:
        if key in roles.PREPROCESSING or key in roles.PATH_ROLES:
            return roles.PREPROCESSING.get(key) or roles.PATH_ROLES[key]
    for condition in space.conditions_of(name):
        for parent, _ in condition_parts(condition, space):
            parent_role = roles.PREPROCESSING.get(name_prefix(parent)[1].lower())
            if (parent_role, base.lower()) in roles.CHILD_ROLES:
                return roles.CHILD_ROLES[(parent_role, base.lower())]
    return _imputer_by_words(list(space[name].words) if len(segments) == 1 else snake("_".join(segments[-2:])).lower().split("_"))


def _imputer_by_words(words: list[str]) -> str | None:
    """`imputer_strategy`, `numeric_impute_strategy`, `cat_imputer_strategy`: an imputer's strategy read by its words."""
    if "strategy" not in words or not any(w.startswith("imput") for w in words):
        return None
    return "categorical_imputer" if {"categorical", "cat", "categories", "category"} & set(words) else "imputer"


def _step_setting(space, name: str, base: str) -> Placement | None:
    """A setting of a preprocessing step read by its words, when no family claims the name: `nystroem_gamma` (a
    feature preprocessor's), `robust_scaler_q_min`, `one_hot_encoding:minimum_fraction` (a scaler's, the encoder's)."""
    path = _preprocessing_step(name) is not None  # under a step's path for sure; plain words only when they read as a setting
    feature = preprocessors.placement(space[name], name, preprocessors.step_tokens(space))
    if feature and (feature[0] or path):
        return Placement(name, base, role="feature_setting" if feature[0] else None, reason=feature[1])
    setting = step_settings.read(space, name, _scalers(space))
    if setting and (setting[0] or path):
        return Placement(name, base, role="step_setting" if setting[0] else None, reason=setting[1], step=setting[0])
    return None


@functools.lru_cache(maxsize=8)
def _scalers(space: SpaceModel) -> tuple:
    """The space's scaler choices (role "scaler"), found once per space."""
    return tuple(space[n] for n in space if space[n].is_categorical and "scaler" in (_role(space, n, snake(n)), _role(space, n, name_prefix(n)[1])))


def _families_for(group: _Group, chosen: dict) -> tuple[str, ...]:
    if None in chosen:
        return (chosen[None],)
    if group.key and group.key[0] == "value":
        return tuple(dict.fromkeys(chosen[v] for v in group.key[1] if v in chosen))
    if group.key and group.key[0] == "token":
        return tuple(dict.fromkeys(f for f in chosen.values() if f in group.candidates)) or tuple(dict.fromkeys(chosen.values()))
    return tuple(dict.fromkeys(chosen.values()))


def _titles(families) -> str:
    return " / ".join(BY_NAME[f].title for f in families)


def _unused_reason(space, name, base, families, task, source, selector) -> tuple[str, bool]:
    """Why train() does not use this hyperparameter, and whether that is a guess (no rule understood it)."""
    titles = _titles(families)
    lowered = base.lower()
    for family in families:
        for param in BY_NAME[family].params_for(task):
            if _named(param, lowered) and _grid_index(param, space[name]):
                return (
                    (f"the integers [{space[name].lower}, {space[name].upper}] cannot be the {family_estimator(family, task)} "
                    f"argument '{param.arg}', which is a positive real number: they index a grid of values the space "
                    "does not hold (an HPOlib habit); write the values themselves (e.g. a log-scaled float range)"),
                    True,
                )
            if _named(param, lowered):
                return (
                    (f"its values ({_describe(space[name])}) are not accepted by the {family_estimator(family, task)} "
                    f"argument '{param.arg}'{_accepted(param)}"),
                    True,
                )
    if lowered in roles.TIME_SERIES:
        raise GeneratorError(
            f"'{base}' is a time-series forecasting setting; trainfn-gen generates train() functions that fit "
            "(X, y) for classification or regression, not forecasting pipelines with detrending, seasonal "
            "decomposition or lags. Remove the forecasting settings to generate for the models alone.",
            source=source,
            hyperparameter=name,
        )
    if base in roles.DEEP_LEARNING_PARAMS:
        raise GeneratorError(
            f"'{base}' is a deep-learning setting that the {titles} cannot honour; generate a PyTorch or "
            "TensorFlow network with --framework torch or --framework tensorflow.",
            source=source,
            hyperparameter=name,
        )
    owner = roles.OTHER_FAMILY_PARAMS.get(base) or _other_owner(base, families)
    if owner:
        where = f"the selector '{selector}'" if selector else "this space"
        return f"a parameter of {owner}, which {where} does not train; the {titles} ignores it", False
    return f"not recognized: no parameter of the {titles} and no known data or preprocessing setting", True


def _other_owner(base: str, families) -> str | None:
    """The family that owns `base`: one whose argument it is first, else one whose alias it is."""
    others = [f for f in FAMILIES if f.name not in families]
    for names_of in (lambda p: (p.arg,), Param.names):
        for family in others:
            if any(base.lower() in (n.lower() for n in names_of(p)) for p in family.params):
                return family.title
    return None


def family_estimator(family: str, task: str) -> str:
    """The estimator class name for the task; both, joined by ' / ', when the task is decided at run time."""
    estimators = BY_NAME[family].estimators
    names = [estimators[t] for t in (("classification", "regression") if task == AUTO else (task,)) if t in estimators]
    return " / ".join(n.rsplit(".", 1)[1] for n in names)


def _describe(hp) -> str:
    if hp.is_categorical:
        return ", ".join(map(str, hp.choices))
    return f"[{'?' if hp.lower is None else hp.lower}, {'?' if hp.upper is None else hp.upper}]"


def _accepted(param: Param) -> str:
    if param.choices:
        return f" (it accepts {', '.join(map(str, param.choices))})"
    if param.low is not None and param.high is not None:
        return f" (it accepts values from {param.low} to {param.high})"
    if param.low is not None:
        return f" (it accepts values of at least {param.low})"
    return ""


__all__ = ["Detection", "Placement", "Use", "detect", "family_estimator", "snake"]
