"""Cross-validation inside the generated train() (issue 17): the --cv option and its `auto` choice.

`--cv K` (K >= 2) scores every configuration as the mean over K seeded folds; `--cv none` keeps the 20%
holdout; `--cv auto` (the default) picks AUTO_FOLDS folds when a profiled dataset (--dataset) has fewer
than AUTO_MAX_ROWS rows, where one holdout is a coarse and noisy objective, else the holdout. Without a
profile there is nothing to decide on, so auto keeps the holdout.
"""

from __future__ import annotations

from trainfn_gen.errors import GeneratorError

# The row count under which `--cv auto` cross-validates, from BENCHMARKS.md "Cross-validation: ranking
# quality and cost" (scripts/bench_cv.py): against 10x repeated 5-fold, 5-fold ranks 30 configurations
# better than one holdout by +0.07 to +0.16 Spearman up to 569 rows, and by at most +0.03 from 1,797 rows up,
# where 5-fold's 4-5x cost buys little; the switch lies between the two, so a round 1,000.
AUTO_MAX_ROWS = 1000
AUTO_FOLDS = 5
CHOICES = ("auto", "none")


def parse_cv(value) -> str | int:
    """`auto`, `none` or an int K >= 2 from a flag, a TOML value or a Python argument; else one error."""
    text = str(value).strip().lower() if not isinstance(value, bool) else ""
    if text in CHOICES:
        return text
    if isinstance(value, int) and not isinstance(value, bool) or text.isdigit():
        folds = int(text)
        if folds >= 2:
            return folds
    raise GeneratorError(f"--cv {value!r} is not a number of folds; use an integer K >= 2 (K-fold cross-validation), none (one 20% holdout) or auto (5 folds for a profiled dataset under {AUTO_MAX_ROWS} rows, else the holdout).")


def resolve_cv(cv: str | int, rows: int | None) -> tuple[int | None, str]:
    """(the number of folds, None for the holdout; the reason, for the docstring and explain)."""
    if isinstance(cv, int):
        return cv, f"--cv {cv}"
    if cv == "none":
        return None, "--cv none"
    if rows is None:
        return None, "--cv auto without a profiled dataset"
    if rows < AUTO_MAX_ROWS:
        return AUTO_FOLDS, f"--cv auto: the profiled dataset has {rows} rows, fewer than {AUTO_MAX_ROWS}"
    return None, f"--cv auto: the profiled dataset has {rows} rows, at least {AUTO_MAX_ROWS}"


def summary_lines(cv: int | None, reason: str, budget: bool, contract: str) -> tuple[str, ...]:
    """Docstring lines on the validation scheme; none for the holdout, so those files stay as they were."""
    if not cv:
        return ()
    stds = " Contract `metrics`: each metric is the mean over the folds and `NAME_std` its standard deviation." if contract == "metrics" else ""
    lines = [
        (f"{cv}-fold cross-validation ({reason}): stratified for classification when every class has {cv} rows, else plain "
        f"K-fold, shuffled with the seed, so every configuration of a seed sees the same folds; the loss is the mean over the folds.{stds} "
        "Preprocessing and early stopping are fitted on each fold's training rows only (R16)."),
        (f"dataset['fold'] (an int in 0..{cv - 1}, e.g. a SMAC instance) scores that fold only (its metrics; `_std` 0); "
        "a given X_test/y_test replaces the folds: one fit on all of X, y, scored on the test split (R14). "
        "With model_dir, the model is refitted on all rows after the folds and saved; its JSON lists each fold's metrics (R20)."),
    ]
    if budget:
        lines.append("Under cross-validation the budget applies to each fold's fit (rows: the share of that fold's training rows; iterations: per fit) and to the refit.")
    return tuple(lines)
