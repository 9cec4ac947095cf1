"""Generation options: contract, facade, task and budget range, validated once."""

from __future__ import annotations

from dataclasses import dataclass

from trainfn_gen.errors import GeneratorError

from .choices import FACADES, facade_name  # noqa: F401 - FACADES re-exported (scenario.py reads it here)
from .corrections import parse_family, parse_maps, parse_unused
from .cv import parse_cv
from .scoring import METRICS, check_metric

CONTRACTS = ("loss", "metrics", "no-budget")
TASKS = ("classification", "regression")
MULTI_FIDELITY = ("multi-fidelity", "hyperband")
# R18: one framework for the neural networks of a file; None: scikit-learn's MLP when the space
# fits it, else PyTorch.
FRAMEWORKS = ("torch", "tensorflow", "sklearn")


@dataclass(frozen=True)
class Options:
    task: str | None = None
    contract: str = "loss"
    facade: str = "hpo"
    min_budget: float | None = None
    max_budget: float | None = None
    family: str | None = None
    metric: str | None = None  # scoring.METRICS; None: accuracy / mse by task (balanced_accuracy for imbalanced data)
    notes: tuple[str, ...] = ()  # extra docstring lines (the SMAC scenario read)
    framework: str | None = None
    strict: bool = False  # refuse a hyperparameter that no rule understands instead of warning
    cv: str | int = "auto"  # cv.py: folds K >= 2, "none" (the 20% holdout) or "auto" (decided from the profile)
    # The user's corrections of a reading (corrections.py), sorted: --map HP=Class.argument as (HP, Class,
    # argument), --unused HP, --family VALUE=FAMILY as (VALUE, FAMILY).
    maps: tuple[tuple[str, str, str], ...] = ()
    unused: tuple[str, ...] = ()
    value_families: tuple[tuple[str, str], ...] = ()

    @property
    def uses_budget(self) -> bool:
        return self.facade in MULTI_FIDELITY


def make_options(task=None, contract="loss", facade="hpo", min_budget=None, max_budget=None, family=None, metric=None, framework=None, strict=False, cv="auto", map=None, unused=None) -> Options:
    """Validate and normalize user-facing option values (SMAC class names accepted for facades)."""
    found = facade_name(facade) if facade else "hpo"
    if found is None:
        raise GeneratorError(f"unknown facade '{facade}'; use one of blackbox, hpo, multi-fidelity, hyperband (or SMAC's class names).")
    facade = found
    if contract not in CONTRACTS:
        raise GeneratorError(f"unknown contract '{contract}'; use one of {', '.join(CONTRACTS)}.")
    if task is not None and task not in TASKS:
        raise GeneratorError(f"unknown task '{task}'; use classification or regression.")
    if contract == "no-budget" and facade in MULTI_FIDELITY:
        raise GeneratorError(f"the no-budget contract has no budget argument, so it cannot serve the {facade} facade; use --contract loss or metrics.")
    if (min_budget is not None or max_budget is not None) and facade not in MULTI_FIDELITY:
        raise GeneratorError(f"--min-budget/--max-budget need a multi-fidelity facade (multi-fidelity or hyperband), not {facade}.")
    if metric is not None and metric not in METRICS:
        raise GeneratorError(f"unknown metric '{metric}'; use one of {', '.join(METRICS)}.")
    check_metric(metric, task, None, "--task")
    if framework is not None and framework not in FRAMEWORKS:
        raise GeneratorError(f"unknown framework '{framework}'; use one of {', '.join(FRAMEWORKS)}.")
    value_families: tuple = ()
    if isinstance(family, str) and "=" not in family:
        from .choices import family_name

        family = family_name(family) or family  # a display name means its family; an unknown one is refused by detect
    elif family is not None:  # --family VALUE=FAMILY (repeatable), the API's {VALUE: FAMILY}
        from .choices import family_name

        family, value_families = parse_family(family, family_name)
    return Options(task, contract, facade, min_budget, max_budget, family, metric, framework=framework, strict=bool(strict), cv=parse_cv("auto" if cv is None else cv),
                   maps=parse_maps(map), unused=parse_unused(unused), value_families=value_families)
