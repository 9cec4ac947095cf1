"""Issue 22 item 2: every hyperparameter a train() file states used changes the fitted model's predictions.

For each hyperparameter stated used (not in the R06 block, see claims.py), pairs of configurations that differ in
it alone are fitted by calling train() with model_dir (each call in a forked process, through sweep.py), the saved
model is loaded back, and its predict_proba / decision_function / predict on probe rows (never seen in training)
are compared. The bases are chosen so that the hyperparameter is relevant: its parents set so that it is active,
then each categorical setting of that base changed once (an SVM's degree under kernel='poly', a selector branch
that reads it), related categoricals first; the values are the range's ends and every other categorical value.
A hyperparameter is inert when no tried pair changes the predictions. The data exercise the usual steps: missing
numbers (imputers), text columns (encoders), skewed numbers (scalers, transformers), three unbalanced classes
(class weights) or a regression target, as the file's task says.

`effect(source, space)` returns one `Effect` per hyperparameter; `make effect-gate`, tests/test_effect_gate.py
and (issue 25) audit use it.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from trainfn_gen.analyze import sweep
from trainfn_gen.space.hyperparameters import active_values

from .claims import branch_guards, stated_unused_block

STATED_BUDGET = re.compile(r"budget in \[([0-9.eE+-]+), ([0-9.eE+-]+)\]")
TASK = re.compile(r"^Task: (classification|regression)", re.MULTILINE)
NETWORK = re.compile(r"^(import|from) (torch|tensorflow|keras)\b", re.MULTILINE)
CONVOLUTION = re.compile(r"\bConv(\{dims\}|[123])[dD]\b")
# Count-like settings start at their lower bound in a base (cheap fits); their own pairs still reach the upper one.
CHEAP = re.compile(r"n_estimators|iter|round|epoch|trees|num_boost|n_components|target_dim", re.IGNORECASE)
STATUSES = ("effect", "inert", "crash", "slow", "unused", "fixed", "no valid pair")
SLOW_PAIRS = 2  # pairs with a fit past the time limit before a hyperparameter is given up as "slow"


@dataclass
class Effect:
    """One hyperparameter: its status (one of STATUSES), what was tried, and the pair that showed the effect."""

    name: str
    status: str
    tried: list[str] = field(default_factory=list)
    detail: str = ""


def task_of(source: str) -> str:
    found = TASK.search(source)
    return found.group(1) if found else "classification"


def is_network(source: str) -> bool:
    return NETWORK.search(source) is not None


def full_budget(source: str) -> float | None:
    """The highest budget a multi-fidelity file states (`budget in [a, b]`), None for the other facades."""
    stated = STATED_BUDGET.search(source)
    return float(stated.group(2)) if stated else None


def effect_data(task: str, rows: int = 300, probes: int = 100, seed: int = 0, classes: int = 3):
    """(dataset dict, with the probe rows as its test split; probe rows): a DataFrame with 16 numbers (missing values in four, two skewed, one weak, one
    nearly a copy of another, six noise) and two text columns (one with rare levels and missing values); three
    unbalanced classes (55/30/15 %), or two (70/30 %) with `classes=2`, or a target in the hundreds. 25 columns
    after encoding: enough that sqrt and log2 of the feature count differ (a forest's max_features)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n = rows + probes
    numbers = rng.normal(size=(n, 16))
    numbers[:, 6] = np.exp(numbers[:, 6])  # skewed: scalers and power transforms differ on it
    numbers[:, 7] = 100 * numbers[:, 7] + 40  # another scale: standardizing matters
    numbers[:, 9] = numbers[:, 0] + 0.05 * numbers[:, 9]  # nearly collinear: rank tolerances and pruning matter
    levels = rng.choice(list("abcdef"), size=n, p=[0.4, 0.25, 0.15, 0.1, 0.06, 0.04])
    other = rng.choice(["x", "y", "z"], size=n)
    shift = {"a": 0.0, "b": 1.0, "c": -1.0, "d": 2.0, "e": -2.0, "f": 0.5}
    signal = (numbers[:, 0] + 0.8 * numbers[:, 1] * numbers[:, 2] - 0.5 * numbers[:, 3] ** 2 + 0.3 * np.log(numbers[:, 6])
              + 0.05 * numbers[:, 8] + np.array([shift[v] for v in levels]) + 0.5 * (other == "y") + 0.3 * rng.normal(size=n))
    if task == "classification":
        cuts = np.quantile(signal, [0.55, 0.85] if classes == 3 else [0.7])
        y = np.digitize(signal, cuts)
    else:
        y = 50.0 * signal + 150.0
    frame = pd.DataFrame(numbers, columns=[f"f{i}" for i in range(16)])
    for column in range(4):
        frame.loc[rng.random(n) < 0.05, f"f{column}"] = np.nan
    level = pd.Series(levels, dtype=object)
    level[rng.random(n) < 0.05] = np.nan  # NaN, not None: what SimpleImputer takes for missing in a text column
    frame["level"] = level
    frame["other"] = other
    probe_rows = frame.iloc[rows:].reset_index(drop=True)
    # The probes as the given test split: one fit on all rows (R14), whatever --cv the file was generated with.
    return {"X": frame.iloc[:rows].reset_index(drop=True), "y": y[:rows], "X_test": probe_rows, "y_test": y[rows:]}, probe_rows


def image_data(task: str, rows: int = 300, probes: int = 100, seed: int = 0, classes: int = 3):
    """(dataset dict, probe rows) of 8x8 grey images, for a convolutional network: image augmentation (flips,
    rotations) only acts on images. A bright blob off-centre whose place (left, right, top) is the class, or, for
    regression, whose column sets the target; noise everywhere. Not symmetric, so a flip changes what is learned."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = rows + probes
    images = rng.normal(scale=0.5, size=(n, 8, 8)).astype(np.float32)
    column = rng.integers(0, 8, size=n)
    row = rng.integers(0, 3, size=n)
    images[np.arange(n), row, column] += 3.0
    images[np.arange(n), row + 1, np.minimum(column + 1, 7)] += 1.5
    if task == "classification":
        y = np.digitize(column + 0.5 * row, np.quantile(column + 0.5 * row, [0.55, 0.85] if classes == 3 else [0.7]))
    else:
        y = 20.0 * column + 5.0 * row + rng.normal(size=n) + 100.0
    return {"X": images[:rows], "y": y[:rows], "X_test": images[rows:], "y_test": y[rows:]}, images[rows:]


# ---------------------------------------------------------------- configurations


def _everything(space, config: dict) -> dict:
    values = {n: hp.default_value for n, hp in space.items()}
    values.update(config)
    return values


def valid(space, config: dict) -> dict | None:
    """`config` with inactive settings dropped and newly active ones at their defaults, or None when it is invalid."""
    from ConfigSpace import Configuration
    from ConfigSpace.util import deactivate_inactive_hyperparameters

    try:
        values = deactivate_inactive_hyperparameters(_everything(space, config), space)
        Configuration(space, values=dict(values)).check_valid_configuration()
    except Exception:  # noqa: BLE001 - forbidden, illegal or inactive: not a configuration SMAC would pass
        return None
    return {k: sweep.as_native(v) for k, v in dict(values).items()}


def vary(space, base: dict, name: str, value) -> dict | None:
    """`base` with `name` set to `value` (its children at their defaults), None when invalid or `name` inactive."""
    config = valid(space, {**base, name: value})
    return config if config is not None and config.get(name) == value else None


def repaired(space, config: dict, name: str, value) -> dict | None:
    """`config` with `name` set to `value`, another setting changed too where a forbidden clause requires it (a base
    need not be the default: `classifier == 'svm' && n_neighbors == 5` is forbidden in one written space)."""
    from trainfn_gen.space.hyperparameters import choice_values, is_numeric_range

    found = vary(space, config, name, value)
    if found is not None:
        return found
    changed = {**config, name: value}
    for other, hp in space.items():
        if other == name or other not in changed:
            continue
        tries = [hp.lower, hp.upper, hp.default_value] if is_numeric_range(hp) else list(choice_values(hp))
        for candidate in map(sweep.as_native, tries):
            if candidate != changed[other]:
                found = valid(space, {**changed, other: candidate})
                if found is not None and found.get(name) == value:
                    return found
    return None


def cheap(space, config: dict, at: str = "lower") -> dict:
    """`config` with count-like settings at their lower bound (or, `at="default"`, their defaults) where that stays valid."""
    from trainfn_gen.space.hyperparameters import is_numeric_range

    for name in sorted(config):
        hp = space[name]
        if CHEAP.search(name) and is_numeric_range(hp):
            value = sweep.as_native(hp.lower if at == "lower" else hp.default_value)
            if config[name] != value:
                config = vary(space, config, name, value) or config
    return config


def _activating(space, name: str) -> dict[str, list]:
    """parent -> values under which `name` is active, the cheapest first: the values of an EqualsCondition or
    InCondition; for `num_layers > 2` on an integer, 3 (the smallest count above), then the upper bound."""
    from trainfn_gen.space.hyperparameters import is_numeric_range

    found = {parent: sorted(values, key=str) for parent, values in active_values(space, name).items()}
    for condition in space.parent_conditions_of.get(name, []):
        for part in getattr(condition, "components", None) or [condition]:
            kind, parent = type(part).__name__, part.parent
            if kind not in ("GreaterThanCondition", "LessThanCondition") or not is_numeric_range(parent):
                continue
            step = 1 if "Integer" in type(parent).__name__ else (parent.upper - parent.lower) / 1000
            nearest = part.value + step if kind == "GreaterThanCondition" else part.value - step
            end = parent.upper if kind == "GreaterThanCondition" else parent.lower
            found.setdefault(parent.name, []).extend(sweep.as_native(v) for v in (nearest, end) if parent.lower <= v <= parent.upper)
    return found


def activate(space, config: dict | None, name: str, depth: int = 0) -> dict | None:
    """`config` changed as little as possible so that `name` is active: each parent set to a value that activates it."""
    if config is None:  # an earlier step found no way to activate it
        return None
    if name in config or depth > 8:
        return config if name in config else None
    for parent, values in _activating(space, name).items():
        config = activate(space, config, parent, depth + 1)
        if config is None:
            return None
        if config.get(parent) not in values:
            changed = next((c for c in (repaired(space, config, parent, v) for v in values) if c), None)
            if changed is None:
                return None
            config = changed
    return config if name in config else None


def _related(space, name: str) -> list[str]:
    """Categorical settings, those that share a parent with `name` or are its parents first, then unconditioned ones."""
    from trainfn_gen.space.hyperparameters import is_categorical

    parents = {p.name for p in space.parents_of.get(name, [])}
    ancestry = set(parents)
    for parent in parents:
        ancestry |= {p.name for p in space.parents_of.get(parent, [])}

    def rank(other: str) -> int:
        theirs = {p.name for p in space.parents_of.get(other, [])}
        if other in ancestry or theirs & ancestry or (theirs and theirs == parents):
            return 0
        return 1 if not theirs else 2

    names = [n for n, hp in space.items() if is_categorical(hp) and n != name]
    return sorted(names, key=rank)


def guarded(space, config: dict | None, guards: dict[str, tuple[bool, set]]) -> dict | None:
    """`config` with each selector the code tests around the read (claims.branch_guards) set to a value under which
    train() reads the hyperparameter: the random forest's settings under classifier='RandomForest' in a flat space."""
    from trainfn_gen.space.hyperparameters import choice_values

    for selector, (positive, values) in guards.items():
        if config is None or selector not in config or selector not in space or (config[selector] in values) == positive:
            continue
        wanted = [v for v in map(sweep.as_native, choice_values(space[selector])) if (v in values) == positive]
        config = next((c for c in (repaired(space, config, selector, v) for v in wanted) if c), config)
    return config


def bases(space, name: str, limit: int = 10, samples: int = 20, skip: set[str] = frozenset(),
          guards: dict[str, tuple[bool, set]] | None = None, siblings: set[str] = frozenset()) -> list[dict]:
    """Configurations where `name` is active and (likely) relevant: see the module's docstring. `skip`: settings
    stated unused, never varied (a task id with a hundred values would crowd out the settings that matter);
    `guards`: the selector tests around the code's read of `name` (claims.branch_guards), satisfied first."""
    from trainfn_gen.space.hyperparameters import choice_values, is_numeric_range

    default = valid(space, {}) or {}
    guards = guards or {}
    start = activate(space, guarded(space, activate(space, cheap(space, default), name), guards), name)
    full = activate(space, guarded(space, activate(space, default, name), guards), name)  # counts at their defaults
    found: list[dict] = []

    def add(config: dict | None, into: list[dict]) -> None:
        if config and name in config and config not in found and config not in into:
            into.append(config)

    for config in (start, full):
        add(config, found)
    categorical, numeric = [], []
    if start:
        # Every categorical setting changed once, one value of each in turn (round robin), related ones first.
        # Settings the code reads in the same branch as `name` first (kernel beside degree); the selectors that
        # decide whether it is read at all stay as the guards set them.
        others = [o for o in _related(space, name) if o in start and o not in skip and o not in guards]
        choices = {o: [sweep.as_native(v) for v in choice_values(space[o]) if sweep.as_native(v) != start[o]] for o in others}
        for other in others:
            if other in siblings:  # every value of a sibling: kernel='poly' is the one where degree matters
                for value in choices[other]:
                    add(repaired(space, start, other, value), found)
        for index in range(max((len(v) for v in choices.values()), default=0)):
            for other in others:
                if index < len(choices[other]) and other not in siblings:
                    add(repaired(space, start, other, choices[other][index]), categorical)
        # Each number at its ends: a regularization that zeroes every weight hides an imputer, a large leaf a split size.
        for other, hp in space.items():
            if other != name and other in start and other not in skip and is_numeric_range(hp):
                for end in (hp.lower, hp.upper):
                    if sweep.as_native(end) != start[other]:
                        add(vary(space, start, other, sweep.as_native(end)), numeric)
    for index in range(max(len(categorical), len(numeric))):  # interleaved, so that a cap keeps both kinds
        for group in (categorical, numeric):
            if index < len(group):
                add(group[index], found)
    space.seed(0)
    for config in space.sample_configuration(samples):
        config = {k: sweep.as_native(v) for k, v in dict(config).items()}
        if name in config:
            add(cheap(space, config), found)
            break
    return found[:limit]


def sampled_bases(space, name: str, count: int = 8, samples: int = 400) -> list[dict]:
    """Bases drawn at random where `name` is active, tried when the chosen bases show no effect: combinations of
    other settings that the library reads `name` under (an elastic-net penalty for l1_ratio, goss boosting for
    top_rate, the primal-and-dual loss for dual) without knowing which. Count-like settings at their defaults."""
    space.seed(1)
    found: list[dict] = []
    for config in space.sample_configuration(samples):
        config = {k: sweep.as_native(v) for k, v in dict(config).items()}
        # Counts at their defaults, not their lower bounds: some settings act only after a number of rounds
        # (LightGBM's GOSS samples from round 1 / learning_rate on).
        config = cheap(space, config, at="default")
        if name in config and config not in found:
            found.append(config)
            if len(found) >= count:
                break
    return found


def crossed_bases(space, name: str, chosen: list[dict], skip: set[str] = frozenset()) -> list[dict]:
    """Each chosen base with one other number at one end of its range: a setting read under one choice only, whose
    effect shows at another setting's end (an MLP's learning-rate schedule under solver='sgd' at a large step size,
    where the loss stalls within the epochs)."""
    from trainfn_gen.space.hyperparameters import is_numeric_range

    found: list[dict] = []
    for base in chosen:
        for other, hp in space.items():
            if other == name or other not in base or other in skip or not is_numeric_range(hp):
                continue
            for end in (hp.upper, hp.lower):
                config = vary(space, base, other, sweep.as_native(end))
                if config and name in config and config not in chosen and config not in found:
                    found.append(config)
    return found


def other_values(space, name: str, current) -> list:
    """The values tried against `current`: the range's ends (and the geometric middle of a log range), every other choice."""
    from trainfn_gen.space.hyperparameters import choice_values, is_integer, is_numeric_range

    hp = space[name]
    if is_numeric_range(hp):
        low, high = sweep.as_native(hp.lower), sweep.as_native(hp.upper)
        values = [high, low]
        if getattr(hp, "log", False) and low > 0:
            middle = math.sqrt(low * high)
            values.append(round(middle) if is_integer(hp) else middle)
    else:
        values = [sweep.as_native(v) for v in choice_values(hp)]
    out = []
    for value in values:
        if value != current and value not in out:
            out.append(value)
    return out


def pairs(space, name: str, limit: int = 16, skip: set[str] = frozenset(),
          guards: dict[str, tuple[bool, set]] | None = None, siblings: set[str] = frozenset(),
          chosen: list[dict] | None = None, every: bool = False) -> Iterator[tuple[dict, dict]]:
    """(base, varied) configurations that differ in `name` alone (and in the children it activates), at most `limit`:
    every value against the first two bases (against each base with `every`), then the first value left against each
    further base. `chosen`: these bases instead of bases()'s."""
    count = 0
    if chosen is None:
        chosen = bases(space, name, skip=skip, guards=guards, siblings=siblings)
    for index, base in enumerate(chosen):
        values = other_values(space, name, base[name])
        for value in values if index < 2 or every else values[:1]:
            varied = vary(space, base, name, value)
            if varied is None:
                continue
            yield base, varied
            count += 1
            if count >= limit:
                return


# ---------------------------------------------------------------- fitting


def _work(file: Path, data: dict, probes, budget: float | None, root: Path,
          load_network: Callable[[Path], object] | None = None) -> Callable[[dict], dict]:
    def run(call: dict) -> dict:
        import joblib

        folder = Path(tempfile.mkdtemp(dir=root))
        try:
            train = sweep.load_train(file)
            sweep.quietly(sweep.invoke, train, call["config"], data, 0, numpy=False, budget=budget, model_dir=str(folder))
            # A network's folder also holds its input transformer (NAME.preprocess.joblib): the network comes first.
            saved = sorted((p for p in folder.iterdir() if p.suffix in (".joblib", ".pt", ".keras") and not p.name.endswith(".preprocess.joblib")),
                           key=lambda p: (p.suffix == ".joblib", p.name))
            if not saved:
                return {"status": "crash", "error": "train() saved no model (.joblib, .pt or .keras)"}
            if saved[0].suffix != ".joblib" and load_network is None:
                return {"status": "crash", "error": f"train() saved a network ({saved[0].name}); pass load_network to compare it"}
            # A network is rebuilt from its weights and the JSON beside them, as a user loads it.
            model = joblib.load(saved[0]) if saved[0].suffix == ".joblib" else load_network(saved[0])
            return {"status": "ok", "outputs": sweep.quietly(sweep.model_outputs, model, probes)}
        except Exception as error:  # noqa: BLE001 - a crash is a result of this configuration
            return {"status": "crash", "error": f"{type(error).__name__}: {error}".splitlines()[0][:200]}

    return run


def differ(a: list, b: list) -> bool:
    import numpy as np

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape != b.shape or not np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)


class Fitter:
    """train() of one file on the effect data: `outputs(config)` (cached) in a forked process per call."""

    def __init__(self, source: str, task: str | None = None, timeout: float = 120.0, classes: int = 3, jobs: int = 1,
                 load_network: Callable[[Path], object] | None = None):
        self.source = source
        self.task = task or task_of(source)
        self.folder = tempfile.TemporaryDirectory(prefix="trainfn-effect-")
        self.file = Path(self.folder.name) / "train_under_test.py"
        self.file.write_text(source, encoding="utf-8")
        # A convolutional network gets images (its augmentation acts on images only), other files a table.
        data, probes = (image_data if CONVOLUTION.search(source) else effect_data)(self.task, classes=classes)
        sweep.preload(self.file)
        self.work = _work(self.file, data, probes, full_budget(source), Path(self.folder.name), load_network)
        self.timeout = timeout
        self.jobs = jobs
        self.cache: dict[str, dict] = {}
        self.calls = 0

    def outputs(self, config: dict) -> dict:
        return self.both(config)[0]

    def both(self, *configs: dict) -> list[dict]:
        """outputs() of each configuration; the ones not cached yet are fitted side by side (`jobs` processes)."""
        keys = [json.dumps(c, sort_keys=True, default=str) for c in configs]
        todo = {k: c for k, c in zip(keys, configs) if k not in self.cache}
        if todo:
            self.calls += len(todo)
            results = sweep.run_all([{"config": c} for c in todo.values()], self.work, min(self.jobs, len(todo)), self.timeout)
            self.cache.update(zip(todo, results))
        return [self.cache[k] for k in keys]

    def close(self) -> None:
        self.folder.cleanup()


def effect_of(fitter: Fitter, space, name: str, limit: int = 16, skip: set[str] = frozenset(),
              binary: Callable[[], Fitter] | None = None) -> Effect:
    """Whether `name` changes the predictions: the first pair that does, else every pair tried (inert / crash).

    When the chosen bases show no effect, bases drawn at random (sampled_bases), then the chosen ones with another
    number at an end (crossed_bases) are tried, then, for a classifier,
    the same pairs on two classes (`binary()` gives that fitter): a setting can matter only there (liblinear, which
    the code replaces for more than two classes)."""
    tried, crashes, start = [], [], None
    guards = branch_guards(fitter.source, name)
    siblings = {o for o in space if o != name and guards and branch_guards(fitter.source, o) == guards}
    chosen = bases(space, name, skip=skip, guards=guards, siblings=siblings)
    drawn = [b for b in (guarded(space, c, guards) for c in sampled_bases(space, name)) if b and name in b and b not in chosen]
    crossed = crossed_bases(space, name, chosen, skip)
    rounds = [(fitter, chosen, limit, False, ""), (fitter, drawn, limit, True, ""), (fitter, crossed, limit, False, "")]
    if binary is not None and fitter.task == "classification":
        rounds.append((None, chosen[:2] + drawn[:2], limit // 2, False, " (two classes)"))
    slow: list[str] = []  # a fit past the time limit is a cost of that configuration, not a wrong claim
    for round_fitter, round_bases, round_limit, every, suffix in rounds:
        if round_fitter is None:
            round_fitter = binary()
        for base, varied in pairs(space, name, round_limit, skip, chosen=round_bases, every=every):
            if len(slow) >= SLOW_PAIRS:
                break
            start = start or base
            first, second = round_fitter.both(base, varied)
            if "timeout" in (first["status"], second["status"]):
                slow.append(f"{base[name]!r} -> {varied[name]!r}")
                continue
            if first["status"] != "ok" or second["status"] != "ok":
                crashes.append(next(r["error"] for r in (first, second) if r["status"] != "ok"))
                continue
            # The base: its parents and related choices, and what differs from the first base (the setting made relevant).
            shown = _context(space, name) | {k for k in base if k != name and start.get(k) != base[k]}
            where = ", ".join(f"{k}={v!r}" for k, v in sorted(base.items()) if k != name and k in shown)
            tried.append(f"{base[name]!r} -> {varied[name]!r}" + (f" [{where}]" if where else "") + suffix)
            if differ(first["outputs"], second["outputs"]):
                if crashes:  # a valid configuration must never crash (R24), whatever else it shows
                    return Effect(name, "crash", tried, f"{len(crashes)} configuration(s) crashed: {crashes[0]}")
                late = f" ({len(slow)} pair(s) past the {round_fitter.timeout:g} s limit: {'; '.join(slow)})" if slow else ""
                return Effect(name, "effect", tried, tried[-1] + late)
    if crashes:
        return Effect(name, "crash", tried, f"{len(crashes)} configuration(s) crashed: {crashes[0]}")
    if slow and not tried:
        return Effect(name, "slow", slow, f"every pair tried had a fit past the {fitter.timeout:g} s limit: {'; '.join(slow)}")
    if tried:
        return Effect(name, "inert", tried, f"{len(tried)} pair(s), no change in predictions")
    return Effect(name, "fixed" if len(other_values(space, name, None)) < 2 else "no valid pair", [], "no two valid configurations that differ in it alone were found")


def _context(space, name: str) -> set[str]:
    """The settings worth naming next to a pair: the hyperparameter's parents and the categorical siblings."""
    return {p.name for p in space.parents_of.get(name, [])} | set(_related(space, name)[:3])


def effect(source: str, space, names: list[str] | None = None, *, task: str | None = None, limit: int = 16,
           timeout: float = 120.0, progress: Callable[[Effect], None] | None = None, jobs: int = 1,
           load_network: Callable[[Path], object] | None = None) -> list[Effect]:
    """One Effect per hyperparameter of `space` (or of `names`): stated unused ones are "unused" and not fitted.
    `jobs`: the two fits of a pair run side by side (2 halves the wall time on two cores). `load_network(path)`
    rebuilds a saved network (.pt / .keras) with predict / predict_proba: run's loader, passed in by the caller
    (analyze does not import run).

    The base configuration is fitted twice first: when the same configuration gives other predictions (R21),
    every hyperparameter is reported as a crash with that reason, since no comparison would mean anything.
    """
    names = list(space) if names is None else names
    unused = stated_unused_block(source, list(space))
    fitter = Fitter(source, task, timeout, jobs=jobs, load_network=load_network)
    binary: list[Fitter] = []

    def two_classes() -> Fitter:
        if not binary:
            binary.append(Fitter(source, task, timeout, classes=2, jobs=jobs, load_network=load_network))
        return binary[0]

    results = []
    try:
        start = valid(space, {}) or {}
        first = fitter.outputs(cheap(space, start))
        fitter.cache.clear()
        again = fitter.outputs(cheap(space, start))
        reproducible = first["status"] != "ok" or again["status"] != "ok" or not differ(first["outputs"], again["outputs"])
        for name in names:
            if name in unused:
                result = Effect(name, "unused", [], "stated unused (R06)")
            elif not reproducible:
                result = Effect(name, "crash", [], "the same configuration and seed give other predictions (R21)")
            else:
                result = effect_of(fitter, space, name, limit, unused, two_classes)
            results.append(result)
            if progress:
                progress(result)
    finally:
        for each in (fitter, *binary):
            each.close()
    return results


__all__ = ["Effect", "Fitter", "bases", "crossed_bases", "effect", "effect_data", "effect_of", "image_data", "is_network", "other_values", "pairs", "sampled_bases", "task_of", "vary"]
