"""generate(): the one function the CLI, the tests and the hook call."""

from __future__ import annotations

from pathlib import Path

from .detect import AUTO, Detection, detect
from .errors import GeneratorError
from .format import format_source
from .load import load_space
from .options import Options
from .plan import Plan, build_plan
from .profile import Profile
from .render import render
from .scoring import metric_task


def analyze(space_path: str | Path, options: Options, fmt: str | None = None, profile: Profile | None = None) -> tuple[Detection, Plan]:
    """Load the space, run the rule engine and build the plan (what `explain` shows)."""
    space = load_space(space_path, fmt)
    source = Path(space_path).name
    task = resolve_task(space, source, options, profile)
    detection = detect(space, source, task=task, family=options.family, framework=options.framework, strict=options.strict)
    return detection, build_plan(space, detection, options, profile)


def resolve_task(space, source: str, options: Options, profile: Profile | None) -> str | None:
    """--task, else the metric's task, else the data's; each must agree with the others and with the space."""
    if options.task:
        return options.task  # the user's word beats the profile (e.g. whole-number regression targets)
    said = [(t, who) for t, who in ((metric_task(options.metric), f"--metric {options.metric}"), (profile and profile.task, f"the data in {profile.source if profile else ''}")) if t]
    if not said:
        return None
    space_task = None
    try:
        space_task = detect(space, source, family=options.family).task
    except GeneratorError:
        pass  # the space points to both tasks: the metric or the data decide
    if space_task not in (None, AUTO):
        said.append((space_task, "the space"))
    for task, who in said[1:]:
        if task != said[0][0]:
            raise GeneratorError(f"{said[0][1]} means {said[0][0]}, but {who} means {task}; they must agree (or pass --task).", source=source)
    return said[0][0]


def generate(space_path: str | Path, options: Options, fmt: str | None = None, profile: Profile | None = None) -> str:
    """Space file -> formatted train() source. Raises GeneratorError on bad input or refusal."""
    return build(space_path, options, fmt, profile)[0]


def build(space_path: str | Path, options: Options, fmt: str | None = None, profile: Profile | None = None) -> tuple[str, tuple[str, ...]]:
    """Space file -> (formatted train() source, one warning line per hyperparameter no rule understood)."""
    detection, plan = analyze(space_path, options, fmt, profile)
    return format_source(render(plan)), detection.warnings
