"""The run folder of `trainfn-gen run`: a rerun never silently replaces a previous run.

A folder holds a previous run when SMAC's output (`DIR/smac/`), saved models (`DIR/models/`) or a
refit incumbent (`DIR/best/`) are there. Then `run` refuses unless `--overwrite` (the previous models, plot and SMAC output are removed
once every input has been checked) or `--resume` (SMAC's own continuation: the facade is built with
overwrite=False and loads the run history of the same scenario; SMAC would otherwise stop and ask on
the terminal when the scenario differs, so a different one is refused here, naming the settings).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from trainfn_gen.errors import GeneratorError


def previous_run(output_dir: Path) -> str | None:
    """What in output_dir shows a previous run, or None."""
    smac_dir, models, best = output_dir / "smac", output_dir / "models", output_dir / "best"
    if smac_dir.is_dir() and any(smac_dir.iterdir()):
        return f"SMAC output in {smac_dir}"
    if models.is_dir() and any(models.iterdir()):
        return f"saved models in {models}"
    if best.is_dir() and any(best.iterdir()):
        return f"a refit incumbent in {best}"
    return None


def differences(new: dict, old: dict, prefix: str = "") -> list[str]:
    """'key: old -> new' for every setting that differs (nested dicts by dotted keys)."""
    found = []
    for key in sorted(set(new) | set(old)):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            found += differences(b, a, f"{prefix}{key}.")
        elif a != b:
            found.append(f"{prefix}{key}: {a!r} -> {b!r}")
    return found


def check(output_dir: Path, scenario, *, overwrite: bool, resume: bool) -> str | None:
    """Refuse a rerun without --overwrite/--resume (or a --resume of another scenario); what was found, or None."""
    from smac import Scenario

    if overwrite and resume:
        raise GeneratorError("--overwrite and --resume exclude each other: replace the previous run, or continue it.")
    found = previous_run(output_dir)
    if found and not (overwrite or resume):
        raise GeneratorError(
            f"--output-dir {output_dir} holds a previous run ({found}). Pass --overwrite to replace it, "
            "--resume to continue it (SMAC's continuation, same settings), or choose another --output-dir."
        )
    smac_dir = Path(scenario.output_directory)
    if resume and (smac_dir / "scenario.json").is_file():
        old = Scenario.load(smac_dir)
        # The facade adds its _meta later; SMAC compares the rest (and would ask on the terminal).
        new, saved = Scenario.make_serializable(scenario), Scenario.make_serializable(old)
        changed = [d for d in differences(new, saved) if not d.startswith("_meta") and d.partition(":")[0] not in EXTENDABLE]
        lowered = [f"{key}: {saved[key]!r} -> {new[key]!r}" for key in EXTENDABLE if _number(new[key]) < _number(saved[key])]
        if changed or lowered:
            raise GeneratorError(
                f"--resume continues the run in {smac_dir} with its own settings, but these differ: "
                f"{'; '.join((changed + lowered)[:6])}. Pass the same options (--trials and --walltime may only be raised) or use --overwrite."
            )
    return found


# Settings a --resume may raise: the run is extended (SMAC continues it as if it had been started with them).
EXTENDABLE = ("n_trials", "walltime_limit")


def _number(value) -> float:
    return float("inf") if value in (None, "inf", "Infinity") else float(value)


def saved_scenario(scenario):
    """The scenario SMAC saved in the run folder of `scenario`, or None."""
    from smac import Scenario

    smac_dir = Path(scenario.output_directory)
    return Scenario.load(smac_dir) if (smac_dir / "scenario.json").is_file() else None


def extend(scenario) -> list[str]:
    """--resume with a raised --trials or --walltime: write them into the saved scenario (SMAC continues only an
    equal one) and mark the saved optimization unfinished, so SMAC asks for the new trials. What was raised."""
    import json

    from smac import Scenario

    smac_dir = Path(scenario.output_directory)
    saved_path, state_path = smac_dir / "scenario.json", smac_dir / "optimization.json"
    if not saved_path.is_file():
        return []
    saved = json.loads(saved_path.read_text(encoding="utf-8"))
    new = Scenario.make_serializable(scenario)
    raised = [f"{key} {saved.get(key)} -> {new[key]}" for key in EXTENDABLE if _number(new[key]) > _number(saved.get(key))]
    if not raised:
        return []
    saved.update({key: new[key] for key in EXTENDABLE})
    saved_path.write_text(json.dumps(saved, indent=2), encoding="utf-8")
    if state_path.is_file():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        state["finished"] = False
        state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    return raised


def clear(output_dir: Path) -> None:
    """--overwrite, once every input is checked: remove the previous run's SMAC output, models, best/ and plot."""
    for path in (output_dir / "smac", output_dir / "models", output_dir / "best"):  # not dask/: the new cluster's scratch space
        shutil.rmtree(path, ignore_errors=True)
    (output_dir / "best_loss.png").unlink(missing_ok=True)


__all__ = ["EXTENDABLE", "check", "clear", "differences", "extend", "previous_run", "saved_scenario"]
