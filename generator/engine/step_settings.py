"""Settings of the space's own preprocessing steps, read by their words (issue 22).

`robust_scaler_q_min`, `rescaling:quantile_transformer:n_quantiles`, `one_hot_minimum_fraction`, or a plain `q_min`
active only under `scaler = robust`: each names an argument of the scikit-learn class a step of the space runs
(a scaler choice's class, the one-hot encoder). The argument is the class's own, as the estimator snapshot
declares it, or the one roles.STEP_SETTINGS gives where people name it otherwise (auto-sklearn's q_min is the
lower member of RobustScaler's quantile_range). A name that names a step but no argument of it stays unused,
with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainfn_gen.knowledge import estimators, roles
from trainfn_gen.space.model import (
    FALSE_WORDS,
    TRUE_WORDS,
    native,
)
from trainfn_gen.space.names import compact, snake

# The step words of the one-hot encoder (`one_hot_encoding:minimum_fraction`, `onehot_min_frequency`).
ENCODER_WORDS = frozenset({"onehot", "onehotencoding", "onehotencoder", "categoricalencoding", "encoding", "encoder"})
ENCODER = "OneHotEncoder"


@dataclass(frozen=True)
class StepSetting:
    """cls: the scikit-learn class (sklearn.preprocessing); arg: its argument; index: the member of a tuple
    argument; percent: the space gives a fraction (all values <= 1) of an argument in percent."""

    cls: str
    arg: str
    index: int | None = None
    percent: bool = False
    switch: bool = False  # `use_minimum_fraction`: on, the argument takes its setting's value; off, its default

    @property
    def path(self) -> str:
        return f"sklearn.preprocessing.{self.cls}"

    @property
    def shown(self) -> str:
        member = "" if self.index is None else f"[{self.index}]"
        if self.switch:
            return f"the switch of {self.cls}'s {self.arg} (off: its default)"
        return f"{self.cls}'s {self.arg}{member}" + (" (the fraction in percent)" if self.percent else "")


# Step token -> class, for every scaler a name may name (roles.SCALERS: `robust_scaler`, `quantile`).
SCALER_CLASSES = {token: cls for token, cls in roles.SCALERS.items() if cls}


def read(space, name: str, scalers: list) -> tuple[StepSetting | None, str] | None:
    """(the setting, the reason) for a name that names a setting of one of the space's steps; (None, why) for a
    name that names a step the space does not run, or none of the step's arguments; None for any other name.

    With a scaler choice in the space, a scaler setting belongs to a value of that choice; without one, the
    scaler it names runs always (preprocessing.always_on)."""
    step = _step(space, name, SCALER_CLASSES, scalers)
    if step is None:
        return None
    cls, words, where = step
    run = {roles.SCALERS.get(compact(native(v))) for hp in scalers for v in hp.choices}
    if cls != ENCODER and scalers and cls not in run:
        return None, f"{where} would run {cls}, which no value of {', '.join(hp.name for hp in scalers)} runs"
    setting = _argument(cls, words, space[name])
    if setting is None:
        return None, f"{where} runs {cls}, which has no argument '{words}'"
    return setting, f"{setting.shown}, {where}" + ("" if scalers or cls == ENCODER else " (it runs in every trial: the space has no scaler choice)")


def _step(space, name: str, classes: dict[str, str], scalers: list) -> tuple[str, str, str] | None:
    """(class, the setting's own words, where the step comes from)."""
    segments = space[name].segments
    if len(segments) >= 2:
        head = compact(segments[-2])
        if head in classes:
            return classes[head], snake(segments[-1]).lower(), f"the {segments[-2]} step"
        if head in ENCODER_WORDS:
            return ENCODER, snake(segments[-1]).lower(), "the one-hot encoder"
    words = snake(segments[-1]).lower().split("_")
    for cut in range(len(words) - 1, 0, -1):  # the longest leading words that name a step
        head = "".join(words[:cut])
        if head in classes:
            return classes[head], "_".join(words[cut:]), f"the {'_'.join(words[:cut])} step"
        if head in ENCODER_WORDS:
            return ENCODER, "_".join(words[cut:]), "the one-hot encoder"
    scaler_names = {hp.name for hp in scalers}
    for condition in space.conditions_of(name):
        parent = condition.parent  # None for a conjunction
        value = list(condition.values) if condition.operator == "in" else condition.values[0] if condition.values else None
        if parent is not None and parent in scaler_names and compact(str(value)) in classes:
            return classes[compact(str(value))], snake(segments[-1]).lower(), f"active when {parent} is {value}"
    return None


def _argument(cls: str, words: str, hp) -> StepSetting | None:
    if words.startswith("use_") and hp is not None and hp.is_categorical and {str(native(v)).lower() for v in hp.choices} <= {*TRUE_WORDS, *FALSE_WORDS}:
        setting = _argument(cls, words[4:], None)
        return None if setting is None else StepSetting(cls, setting.arg, setting.index, switch=True)
    known = roles.STEP_SETTINGS.get((cls, words))
    if known:
        arg, index = known
        percent = index is not None and hp is not None and hp.is_numeric_range and float(hp.upper) <= 1.0
        return StepSetting(cls, arg, index, percent)
    if estimators.has(f"sklearn.preprocessing.{cls}", words) and (hp is None or hp.is_numeric_range or hp.is_categorical):
        return StepSetting(cls, words)
    return None
