"""--scenario -> generate settings, from the scenario.json SMAC 2.x writes into its output folder.

SMAC 2's Scenario.save() writes the Scenario's fields (name, objectives, n_trials, min_budget,
max_budget, seed, ...) plus `_meta`, where a facade records itself (`_meta.facade.name`, e.g.
"MultiFidelityFacade"). We read: the facade (else multi-fidelity when the budgets are set), min/max
budget, the objective (a metric when it names one of scoring.METRICS; SMAC's default "cost" says
nothing) and n_trials (stated in the generated docstring). Settings given on the command line win.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from trainfn_gen.errors import GeneratorError

from .options import FACADES
from .scoring import METRICS


def read_scenario(path: str | Path) -> dict:
    """{setting: value} for generate (facade, min_budget, max_budget, metric) plus "note"."""
    path = Path(path)
    if path.is_dir() and (path / "scenario.json").is_file():
        path = path / "scenario.json"
    name = path.name
    if not path.is_file():
        raise GeneratorError("no such scenario file (SMAC writes scenario.json into its output folder).", source=name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GeneratorError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.", source=name) from None
    except UnicodeDecodeError as exc:
        raise GeneratorError(f"not UTF-8 text (byte {exc.start}).", source=name) from None
    if not isinstance(data, dict) or not ({"objectives", "n_trials"} & set(data)):
        raise GeneratorError("not a SMAC scenario: expected a JSON object with SMAC 2's Scenario fields (objectives, n_trials, min_budget, ...).", source=name)
    settings: dict = {}
    low, high = (_budget(data, key, name) for key in ("min_budget", "max_budget"))
    facade = ((data.get("_meta") or {}).get("facade") or {}).get("name")
    if facade is not None:
        if str(facade).replace("_", "").lower() not in FACADES:
            raise GeneratorError(f"'_meta.facade.name': unknown facade '{facade}'; expected one of SMAC 2's facades.", source=name)
        settings["facade"] = str(facade)
    elif low is not None or high is not None:
        settings["facade"] = "multi-fidelity"
    if FACADES.get(str(settings.get("facade", "")).replace("_", "").lower()) in ("multi-fidelity", "hyperband"):
        settings.update({k: v for k, v in (("min_budget", low), ("max_budget", high)) if v is not None})
    objectives = data.get("objectives", "cost")
    objectives = [objectives] if isinstance(objectives, str) else objectives
    if not isinstance(objectives, list) or len(objectives) != 1 or not isinstance(objectives[0], str):
        raise GeneratorError(f"'objectives': {objectives!r}; train() returns one loss, so the scenario needs a single objective.", source=name)
    if objectives[0] in METRICS:
        settings["metric"] = objectives[0]
    trials = data.get("n_trials")
    if trials is not None and (not isinstance(trials, int) or isinstance(trials, bool) or trials < 1):
        raise GeneratorError(f"'n_trials': {trials!r} is not a positive whole number.", source=name)
    title = f" '{data['name']}'" if data.get("name") else ""
    settings["note"] = f"SMAC scenario{title} ({name}): {trials} trials, objective '{objectives[0]}'."
    return settings


def _budget(data: dict, key: str, name: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise GeneratorError(f"'{key}': {value!r} is not a positive number.", source=name)
    return float(value)  # as the --min-budget/--max-budget flags give it
