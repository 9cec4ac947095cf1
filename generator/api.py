"""generate(): the one function the CLI, the tests and the hook call."""

from __future__ import annotations

from pathlib import Path

from .detect import Detection, detect
from .format import format_source
from .load import load_space
from .options import Options
from .plan import Plan, build_plan
from .render import render


def analyze(space_path: str | Path, options: Options, fmt: str | None = None) -> tuple[Detection, Plan]:
    """Load the space, run the rule engine and build the plan (what `explain` shows)."""
    space = load_space(space_path, fmt)
    source = Path(space_path).name
    detection = detect(space, source, task=options.task, family=options.family, framework=options.framework)
    return detection, build_plan(space, detection, options)


def generate(space_path: str | Path, options: Options, fmt: str | None = None) -> str:
    """Space file -> formatted train() source. Raises GeneratorError on bad input or refusal."""
    _, plan = analyze(space_path, options, fmt)
    return format_source(render(plan))
