"""generate(): the one function the CLI, the tests and the hook call."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path

from trainfn_gen.data.profile import Profile
from trainfn_gen.errors import GeneratorError
from trainfn_gen.space.load import read_model, read_space
from trainfn_gen.space.model import SpaceModel

from .detect import AUTO, Detection, detect
from .expressions import printable
from .format import format_source
from .header import header
from .options import Options, make_options
from .plan import Plan, build_plan
from .render import render
from .scoring import metric_task


def resolve_space(space, fmt: str | None = None):
    """A ConfigurationSpace, a dict or a path -> (the ConfigurationSpace, where it came from): for the run side,
    which samples configurations; generating reads the model (read_model) instead."""
    return read_space(space, fmt)


def analyze(space_path, options: Options, fmt: str | None = None, profile: Profile | None = None, scenario: str | None = None) -> tuple[Detection, Plan]:
    """Load the space, run the rule engine and build the plan (what `explain` shows).

    `space_path`: a path, a ConfigurationSpace or a dict (see resolve_space). `scenario`: the name of
    the SMAC scenario file the options were read from, recorded in the header's regenerate command.
    """
    space = read_model(space_path, fmt)
    return analyze_space(space, space.source, options, fmt, profile, scenario)


def analyze_space(space: SpaceModel, source: str, options: Options, fmt: str | None = None, profile: Profile | None = None, scenario: str | None = None) -> tuple[Detection, Plan]:
    """analyze() on a space already loaded, named `source`."""
    task = resolve_task(space, source, options, profile)
    detection = detect(space, source, task=task, family=options.family, framework=options.framework, strict=options.strict, **corrections(options))
    plan = build_plan(space, detection, options, profile)
    if fmt or scenario:  # the plan knows neither; its header's command must name them
        plan = replace(plan, header=header(source, options, fmt, profile, scenario))
    return detection, plan


# generate's settings (click's parameter names) that prepare() reads, with generate's defaults.
SETTINGS = {"task": None, "contract": "loss", "facade": "hpo", "min_budget": None, "max_budget": None, "family": None, "metric": None,
            "framework": None, "strict": False, "cv": "auto", "dataset": None, "target": None, "scenario": None, "map": None, "unused": None}


def prepare(settings: Mapping, given: Collection[str] = ()) -> tuple[Options, Profile | None, str | None]:
    """generate's settings -> (Options, the dataset's Profile, the scenario's file name), for every command.

    `settings` holds any of SETTINGS (missing ones take generate's defaults); a SMAC scenario fills
    in facade, budgets and metric except where `given` names the user's own word for them.
    """
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise GeneratorError(f"unknown setting(s) {', '.join(sorted(unknown))}; the settings are {', '.join(SETTINGS)}.")
    values = {**SETTINGS, **{k: v for k, v in settings.items() if v is not None}}
    notes, scenario = (), values.pop("scenario")
    if scenario:
        from .scenario import read_scenario

        found = read_scenario(scenario)
        notes = (found.pop("note"),)
        values.update({k: v for k, v in found.items() if k not in given})
    dataset, target = values.pop("dataset"), values.pop("target")
    options = make_options(**values)
    options = replace(options, notes=notes) if notes else options
    profile = None
    if dataset:
        from trainfn_gen.data.profile import profile_dataset

        profile = profile_dataset(os.fspath(dataset), target)
    elif target:
        raise GeneratorError("--target names a column of --dataset; give --dataset too.")
    return options, profile, Path(scenario).name if scenario else None


def resolve_task(space, source: str, options: Options, profile: Profile | None) -> str | None:
    """--task, else the metric's task, else the data's; each must agree with the others and with the space."""
    if options.task:
        return options.task  # the user's word beats the profile (e.g. whole-number regression targets)
    said = [(t, who) for t, who in ((metric_task(options.metric), f"--metric {options.metric}"), (profile and profile.task, f"the data in {profile.source if profile else ''}")) if t]
    if not said:
        return None
    space_task = None
    try:
        space_task = detect(space, source, family=options.family, **corrections(options)).task
    except GeneratorError:
        pass  # the space points to both tasks: the metric or the data decide
    if space_task not in (None, AUTO):
        said.append((space_task, "the space"))
    for task, who in said[1:]:
        if task != said[0][0]:
            raise GeneratorError(f"{said[0][1]} means {said[0][0]}, but {who} means {task}; they must agree (or pass --task).", source=source)
    return said[0][0]


def generate(space_path, options: Options, fmt: str | None = None, profile: Profile | None = None, scenario: str | None = None) -> str:
    """Space (file, ConfigurationSpace or dict) -> formatted train() source. Raises GeneratorError on bad input or refusal."""
    return build(space_path, options, fmt, profile, scenario)[0]


def corrections(options: Options) -> dict:
    """The user's corrections of a reading, as detect()'s keywords."""
    return {"maps": options.maps, "unused": options.unused, "value_families": options.value_families}


def build(space_path, options: Options, fmt: str | None = None, profile: Profile | None = None, scenario: str | None = None) -> tuple[str, tuple[tuple[str, bool], ...]]:
    """Space -> (formatted train() source, warnings): one (line, refused by strict) pair per hyperparameter
    train() does not use, other than a constant or SMAC's own seed/instance/replication parameter
    (Plan.warnings: the same pairs as the file's R06 comments)."""
    detection, plan = analyze(space_path, options, fmt, profile, scenario)
    unknown = {printable(p.name) for p in detection.placements if p.unknown}
    warnings = tuple((f"hyperparameter '{name}' is not used by train(): {reason}", name in unknown) for name, reason in plan.warnings)
    return format_source(render(plan)), warnings
