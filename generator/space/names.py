"""Hyperparameter-name normalization: prefixes, delimiters and compact family tokens."""

from __future__ import annotations

import math
import re

_SEPARATORS = re.compile(r"[.\-\s]+")
# A word boundary inside camelCase: a lowercase letter or digit, then a capitalized word or a final capital
# (`maxDepth`, `svcC`); a run of capitals stays one word (`OpenML_task_id`, `kernelRBF`).
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z](?:[a-z]|[^A-Za-z]|$))")


def snake(name: str) -> str:
    """`min.node.size` / `Max-Depth` / `maxDepth` / `svcC` -> `min_node_size` / `Max_Depth` / `max_Depth` /
    `svc_C`: words joined by `_`, their case kept (for `C`-like names); callers lowercase to compare."""
    return _CAMEL.sub("_", _SEPARATORS.sub("_", name.strip())).strip("_")


def compact(value: str) -> str:
    """A family token in any style -> lowercase letters and digits: `Random_Forest` -> `randomforest`."""
    return re.sub(r"[^a-z0-9]", "", str(value).lower())


def path_segments(name: str) -> list[str]:
    """The steps of a path name: `a:b:c` (auto-sklearn) or `a__b__c` (scikit-learn Pipeline), without a
    trailing `__choice__` (`...:rescaling:__choice__` is the rescaling choice); a plain name is one segment."""
    parts = name.split(":") if ":" in name else name.split("__") if "__" in name.strip("_") else [name]
    if parts[-1] in ("__choice__", "choice") and len(parts) > 1:
        parts = parts[:-1]
    return [part for part in parts if part]


def split_prefix(name: str, is_family_token) -> tuple[str | None, str]:
    """Split a name into (family token, base name) for the delimiters `:`, `__`, `.` and `_`.

    The family token is the first segment (`svm.cost`, `rf_max_depth`, `svm__C`) or, for colon
    paths, any segment before the last (`classifier:random_forest:max_features`). Returns
    (None, snake(name)) when no segment is a family token.
    """
    parts = path_segments(name)
    if len(parts) > 1:
        for part in reversed(parts[:-1]):
            if is_family_token(compact(part)):
                return compact(part), snake(parts[-1])
        return None, snake(parts[-1])
    name = parts[0]
    if "." in name:
        head, tail = name.split(".", 1)
        if is_family_token(compact(head)):
            return compact(head), snake(tail)
    tokens = re.split(r"[_\s-]+", snake(name))
    for size in (3, 2, 1):
        if len(tokens) > size and is_family_token(compact("".join(tokens[:size]))):
            return compact("".join(tokens[:size])), snake("_".join(tokens[size:]))
    return None, snake(name)


_LOG_MARKERS = (
    (re.compile(r"^(.+)_log10$|^log10_(.+)$", re.IGNORECASE), 10.0),
    (re.compile(r"^(.+)_log2$|^log2_(.+)$", re.IGNORECASE), 2.0),
    (re.compile(r"^(.+)_(?:log|ln)$|^(?:log|ln)_(.+)$", re.IGNORECASE), math.e),
)


def split_log(base: str) -> tuple[str, float | None]:
    """A log-encoded name -> (plain name, base): `initial_lr_log10` -> (`initial_lr`, 10), `log_C` -> (`C`, e)."""
    plain, log_base, _ = decode_name(base)
    return plain, log_base


# hyperopt / HPOlib's quantization prefix: `Q16_LOG_nhid1` holds log(value), value a multiple of 16.
_QUANTUM = re.compile(r"^Q(\d+(?:\.\d+)?)_(.+)$", re.IGNORECASE)


def decode_name(base: str) -> tuple[str, float | None, float | None]:
    """An encoded name -> (plain name, log base, quantum): the value is log_base ** x (exp(x) for base e),
    rounded to a multiple of the quantum. `Q16_LOG_nhid1` -> (`nhid1`, e, 16), `LOG2_C` -> (`C`, 2, None),
    `Q1_LOG_lr_anneal_start` -> (`lr_anneal_start`, e, 1), `lr` -> (`lr`, None, None)."""
    quantum = None
    match = _QUANTUM.match(base)
    if match and float(match.group(1)) > 0:
        quantum, base = float(match.group(1)), match.group(2)
    for pattern, log_base in _LOG_MARKERS:
        match = pattern.match(base)
        if match:
            return match.group(1) or match.group(2), log_base, quantum
    return base, None, quantum


_NUMERIC_ALTERNATIVE = re.compile(r"^(.+?)_(?:numeric|value|val|float|num|number)$", re.IGNORECASE)


def split_numeric_alternative(base: str) -> str | None:
    """`gamma_numeric` / `max_features_value` -> `gamma` / `max_features`: the numeric form of a setting
    whose other hyperparameter holds its named values ('scale', 'auto'); None for other names."""
    match = _NUMERIC_ALTERNATIVE.match(base)
    return match.group(1) if match else None
