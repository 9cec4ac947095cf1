"""How a space's values map onto an estimator argument (a family's Param): conversion, fit and clipping."""

from __future__ import annotations

import math
import re
from typing import Any

from trainfn_gen.space.model import (
    FALSE_WORDS,
    TRUE_WORDS,
    native,
)

from .families.spec import NUMERIC_KINDS, Param


class Unmapped(ValueError):
    """A space value that the estimator argument cannot take."""


def estimator_value(param: Param, raw: Any) -> Any:
    """One categorical/constant space value -> the value the estimator argument takes, or Unmapped."""
    raw = native(raw)
    text = str(raw)
    if text in param.none_values:
        return None
    renamed = dict(param.renamed)
    if text in renamed:
        return renamed[text]
    if param.kind == "choice":
        if text in param.choices or (text.lower() in param.choices and not isinstance(raw, bool)):
            return text if text in param.choices else text.lower()
        raise Unmapped(text)
    if param.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise Unmapped(text)
    if param.kind == "sizes":
        return parse_sizes(raw)
    if text in param.choices:
        return text  # a named value of a numeric argument (MLP batch_size 'auto')
    if isinstance(raw, bool):
        raise Unmapped(text)
    if isinstance(raw, float) and not math.isfinite(raw):
        return _non_finite(param, raw)
    if isinstance(raw, float) and param.kind == "int":
        # R07 R24: a float choice (`100.0`, `5.5`) of an int-only argument becomes the nearest int.
        return round(raw)
    if isinstance(raw, (int, float)):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"[-+]?\d+", raw.strip()):
        return int(raw)
    if isinstance(raw, str) and re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", raw.strip()):
        return float(raw)
    raise Unmapped(text)


def _non_finite(param: Param, raw: float):
    """inf is "no limit": None where the argument takes None, else its bound; NaN and an unbounded inf are refused."""
    if math.isnan(raw):
        raise Unmapped(str(raw))
    if raw > 0 and param.none_values:
        return None
    bound = param.high if raw > 0 else param.low
    if bound is None:
        raise Unmapped(str(raw))
    return bound


def parse_sizes(raw: Any) -> tuple[int, ...]:
    """Layer sizes written as `"(64, 32)"`, `"64-32"`, `"[100]"`, `"64x2"` or `128` -> a tuple of ints."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return (raw,)
    text = str(raw).strip()
    repeat = re.fullmatch(r"(\d+)\s*[x*]\s*(\d+)", text)
    if repeat:
        return (int(repeat.group(1)),) * int(repeat.group(2))
    numbers = re.findall(r"\d+", text)
    if not numbers or re.search(r"[^\d\s,()\[\]\-_;|]", text):
        raise Unmapped(text)
    return tuple(int(n) for n in numbers)


def fits(param: Param, hp) -> bool:
    """Can this hyperparameter feed this argument (types and, for choices, every value)?"""
    if hp.is_numeric_range:
        return param.kind in NUMERIC_KINDS or (param.kind == "sizes" and hp.is_integer)
    values = hp.choices
    if not values:
        return False
    try:
        mapped = [estimator_value(param, v) for v in values]
    except Unmapped:
        return False
    if param.kind in NUMERIC_KINDS:
        numbers = [v for v in mapped if v is not None and v not in param.choices]
        if not all(isinstance(v, (int, float)) for v in numbers):
            return False
        # Some value must be one the estimator accepts; the others are clipped (R09).
        return not numbers or any(clip_number(param, v) == v for v in numbers)
    return True


def number_bounds(param: Param, value) -> tuple[float | None, float | None]:
    """What the estimator accepts for one numeric value: an int count, or a float fraction for int_or_fraction."""
    if param.kind == "int_or_fraction" and isinstance(value, float):
        return param.fraction_low, param.fraction_high
    return param.low, param.high


def clip_number(param: Param, value):
    """A numeric categorical value clipped into what the estimator accepts (the type kept)."""
    low, high = number_bounds(param, value)
    if low is not None and value < low:
        value = type(value)(low) if isinstance(value, float) or float(low).is_integer() else low
    if high is not None and value > high:
        value = type(value)(high) if isinstance(value, float) or float(high).is_integer() else high
    return value
