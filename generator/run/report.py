"""What `trainfn-gen run` shows: one progress line per finished trial, the results table, the plot.

Every line fits 100 columns. A crashed trial's line says "crashed" and the first line of its error;
the table counts submitted, finished, crashed and timed-out trials from SMAC's own run history (so
they match runhistory.json) and groups the crashes and timeouts by error.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .trial import trained_values

WIDTH = 100


def first_error_line(additional_info: dict) -> str:
    """'ValueError: message' (its first line) from the traceback SMAC keeps of a crashed trial."""
    lines = (additional_info.get("traceback") or "").rstrip().splitlines()
    header = None
    for index, line in enumerate(lines):
        if line.startswith(("  ", "Traceback")):
            header = None
        elif header is None and line.strip():
            header = index
    if header is not None:
        return lines[header].strip()
    return str(additional_info.get("error") or "unknown error").splitlines()[0]


def outcome(status_name: str, additional_info: dict, trial_walltime: float | None) -> str:
    """How a trial that did not succeed ended, in one line."""
    if status_name == "TIMEOUT":
        return f"timeout: over --trial-walltime {trial_walltime:g} s" if trial_walltime else "timeout"
    if status_name == "MEMORYOUT":
        return "memoryout: over the trial memory limit"
    return first_error_line(additional_info)


def clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def fit(line: str, width: int = WIDTH) -> str:
    return line if len(line) <= width else line[: width - 3] + "..."


def progress_callback(total: int, echo, walltime: float = math.inf, trial_walltime: float | None = None):
    """A SMAC callback printing one line per finished trial: bar, done/N, this loss (or how it failed), best, ETA."""
    from smac.callback import Callback
    from smac.runhistory import StatusType

    class Progress(Callback):
        def __init__(self):
            super().__init__()
            self.costs: list[float] = []  # this session's finished trials, in order (inf: not a success)
            self.best = math.inf
            self.before = 0  # trials finished by an earlier session (--resume)
            self.start = time.perf_counter()

        def on_start(self, smbo):
            self.before = smbo.runhistory.finished - len(self.costs)  # --resume: interrupted trials told before the loop
            self.start = time.perf_counter()
            for value in smbo.runhistory.values():
                if value.status == StatusType.SUCCESS:
                    self.best = min(self.best, float(value.cost))

        def on_tell_end(self, smbo, info, value):
            success = value.status == StatusType.SUCCESS
            cost = float(value.cost) if success else math.inf
            self.costs.append(cost)
            self.best = min(self.best, cost)
            done = self.before + len(self.costs)
            elapsed = time.perf_counter() - self.start
            eta = elapsed / len(self.costs) * max(0, total - done)
            eta = min(eta, max(0.0, walltime - elapsed))
            filled = min(20, round(20 * done / total))
            best = f"{self.best:.4f}" if math.isfinite(self.best) else "-"
            budget = f"  budget {info.budget:g}" if info.budget is not None else ""
            budget += f"  {info.instance}" if info.instance is not None else ""  # --folds-as-instances: the fold
            head = f"[{'#' * filled}{'.' * (20 - filled)}] {done:>3}/{total}"
            if success:
                echo(fit(f"{head}  loss {cost:>8.4f}  best {best:>8}  eta {clock(eta):>6}{budget}"))
            else:
                word = "timeout" if value.status == StatusType.TIMEOUT else "crashed"
                why = outcome(value.status.name, value.additional_info, trial_walltime)
                why = why.partition(": ")[2] if word == "timeout" else why
                # The best loss is unchanged by a failed trial: the room goes to the error.
                echo(fit(f"{head}  {word}  eta {clock(eta)}{budget}  {why}"))

    return Progress()


@dataclass
class RunResult:
    facade: str
    dataset: str
    submitted: int
    finished: int
    crashed: int
    timeouts: int
    seconds: float
    incumbent: dict
    loss: float
    budget: float | None
    metrics: dict
    model_path: Path | None
    plot: Path | None
    smac_dir: Path
    train_file: Path
    crash_cost: float
    crashes: list[tuple[str, int]] = field(default_factory=list)  # (first error line, how many), most first
    notes: list[str] = field(default_factory=list)
    overridden: dict = field(default_factory=dict)  # hyperparameter -> the value the budget set instead
    history: list[dict] = field(default_factory=list)  # one row per trial, in SMAC's run history order
    best: Path | None = None  # DIR/best: the incumbent refit on all rows (None: --save-models none)
    load: list[str] = field(default_factory=list)  # how to load DIR/best's model and predict
    save_models: str = "incumbent"  # run --save-models
    interrupted: bool = False  # Ctrl-C: the trials that finished are saved; --resume continues
    objective: str = ""  # the loss SMAC minimized, e.g. "-accuracy" (issue 23)
    protocol: str = ""  # how the trials validated, e.g. "5-fold CV" or "one 20% holdout"

    @property
    def not_finished(self) -> int:
        return self.submitted - self.finished


def summarize(facade, incumbent, facade_name: str, dataset: str, costs, seconds: float, model_dir: Path, output_dir: Path, train_path: Path, crash_cost: float, trial_walltime: float | None, notes: list[str], plot: bool, overrides: dict | None = None) -> RunResult:
    """The RunResult of a SMAC facade after optimize() (or after it stopped early): counts from its run history."""
    from smac.runhistory import StatusType

    history = facade.runhistory
    values = list(history.values())
    running = [value for value in values if value.status == StatusType.RUNNING]
    failed = [value for value in values if value.status not in (StatusType.SUCCESS, StatusType.RUNNING)]
    if isinstance(incumbent, list):
        incumbent = incumbent[0] if incumbent else None
    best_key, best_value = None, None
    for key, value in history.items():
        if incumbent is None or value.status != StatusType.SUCCESS or history.get_config(key.config_id) != incumbent:
            continue
        rank = (-(key.budget or 0), value.cost)
        if best_key is None or rank < (-(best_key.budget or 0), best_value.cost):
            best_key, best_value = key, value
    config = native(dict(incumbent)) if best_value is not None else {}
    metrics = {k: v for k, v in best_value.additional_info.items() if k != "output"} if best_value else {}
    loss = float(best_value.cost) if best_value else math.inf
    if best_value is not None and facade.scenario.instances:
        # Folds as instances: the incumbent's cost is its mean over the folds it ran on (SMAC's own figure).
        folds = [value for key, value in history.items() if value.status == StatusType.SUCCESS and history.get_config(key.config_id) == incumbent]
        loss = float(history.average_cost(incumbent))
        metrics = {name: sum(v.additional_info.get(name, math.nan) for v in folds) / len(folds) for name in metrics}
        notes.append(f"incumbent loss: the mean over the {len(folds)} of {len(facade.scenario.instances)} folds SMAC ran it on")
    budget = best_key.budget if best_key else None
    errors = Counter(outcome(value.status.name, value.additional_info, trial_walltime) for value in failed)
    saved = saved_config(model_dir, config, budget) if best_value else None
    path = None
    if plot:
        try:
            path = plot_best_loss(costs, output_dir / "best_loss.png", f"{facade_name} on {dataset}")
        except Exception as error:  # noqa: BLE001 - a plot never costs the summary
            notes.append(f"no plot: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    return RunResult(
        facade=facade_name,
        dataset=dataset,
        submitted=len(values),
        finished=len(values) - len(running),
        crashed=sum(1 for value in failed if value.status == StatusType.CRASHED),
        timeouts=sum(1 for value in failed if value.status == StatusType.TIMEOUT),
        seconds=seconds,
        incumbent=config,
        loss=loss,
        budget=budget,
        metrics=metrics,
        model_path=saved[0] if saved else None,
        plot=path,
        smac_dir=Path(facade.scenario.output_directory),
        train_file=train_path,
        crash_cost=crash_cost,
        crashes=errors.most_common(),
        notes=notes,
        overridden=trained_values(overrides or {}, config, budget),
        history=[
            {"config_id": key.config_id, "config": native(dict(history.get_config(key.config_id))), "seed": key.seed, "budget": key.budget, "instance": key.instance,
             "loss": float(value.cost), "status": value.status.name.lower(), "seconds": float(value.time)}
            for key, value in history.items()
        ],
    )


def native(config: dict) -> dict:
    return {name: value.item() if hasattr(value, "item") else value for name, value in config.items()}


def saved_config(model_dir: Path, config: dict, budget: float | None) -> tuple[Path, dict] | None:
    """The model file train() saved for this configuration (R20 metadata: config, seed, budget) and its metadata."""
    for meta in sorted(model_dir.glob("*.json")):
        try:
            saved = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not train()'s metadata (or unreadable): never a lost summary
        if not isinstance(saved, dict):
            continue
        same_budget = saved.get("budget") == budget or (saved.get("budget") is not None and budget is not None and math.isclose(saved["budget"], budget))
        if saved.get("config") == config and same_budget:
            # The model itself: STEM.joblib / STEM.pt / STEM.keras, not STEM.preprocess.joblib beside it.
            models = sorted(p for p in meta.parent.glob(meta.stem + ".*") if p.name == meta.stem + p.suffix and p.suffix != ".json")
            if models:
                return models[0], saved
    return None


def find_model(model_dir: Path, config: dict, budget: float | None) -> Path | None:
    found = saved_config(model_dir, config, budget)
    return found[0] if found else None


def plot_best_loss(costs: list[float], path: Path, title: str) -> Path:
    """Each trial's loss (dots) and the best loss so far (steps), in the order the trials finished."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 4))
    finite = [(i + 1, c) for i, c in enumerate(costs) if math.isfinite(c)]
    if finite:
        xs, ys = zip(*finite)
        axis.scatter(xs, ys, s=14, alpha=0.5, label="trial loss")
        best, running = math.inf, []
        for _, cost in finite:
            best = min(best, cost)
            running.append(best)
        axis.step(xs, running, where="post", label="best loss so far")
        axis.legend()
    axis.set_xlabel("trial")
    axis.set_ylabel("loss")
    axis.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def shown(path: Path | None) -> str:
    """A path relative to the current folder when it lies below it, else as it is."""
    if path is None:
        return "(none)"
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def format_result(result: RunResult) -> str:
    """The results table printed at the end of `trainfn-gen run`: two columns, at most 100 characters a line."""
    loss = f"{result.loss:.4f}" if math.isfinite(result.loss) else "- (no trial succeeded)"
    rows = [
        ("facade", result.facade),
        ("dataset", result.dataset),
        *((("objective", f"{result.objective}, {result.protocol}"),) if result.objective else ()),
        ("trials submitted", str(result.submitted)),
        ("trials finished", str(result.finished) + (f" ({result.not_finished} not finished)" if result.not_finished else "")),
        ("crashed trials", str(result.crashed)),
        ("timed-out trials", str(result.timeouts)),
        ("crash cost", f"{result.crash_cost:.6g}"),
        ("time", f"{result.seconds:.1f} s"),
        ("incumbent loss", loss + (f" (budget {result.budget:g})" if result.budget is not None else "")),
    ]
    if result.metrics:
        rows += [("incumbent metrics", "")] + [(f"  {name}", f"{value:.4f}") for name, value in result.metrics.items()]
    if result.incumbent:
        rows.append(("incumbent configuration", "(as trained)" if result.overridden else ""))
        for name, value in sorted(result.incumbent.items()):
            if name in result.overridden:
                rows.append((f"  {name}", f"{result.overridden[name]!r} (set by the budget; sampled {value!r})"))
            else:
                rows.append((f"  {name}", repr(value)))
    rows += [
        ("model", shown(result.model_path) if result.model_path else "(none saved)"),
        ("best (refit, all rows)", shown(result.best) if result.best else "(none: --save-models none)" if result.save_models == "none" else "(none: see the notes)"),
        *(("  load" if index == 0 else "", line) for index, line in enumerate(result.load)),
        ("train()", shown(result.train_file)),
        ("plot", shown(result.plot) if result.plot else "(none)"),
        ("SMAC output", shown(result.smac_dir)),
    ]
    if result.crashes:
        rows.append(("failures by error", ""))
        rows += [(f"  {count}x", error) for error, count in result.crashes]
    rows += [("note", note) for note in result.notes]
    width = min(26, max(len(name) for name, _ in rows))
    room = WIDTH - width - 2
    lines = []
    for name, value in rows:
        chunks = [value[i : i + room] for i in range(0, len(value), room)] or [""]
        if name.startswith("  ") and name.strip().endswith("x"):  # an error line: one line, cut
            chunks = [fit(value, room)]
        if len(name) > width:  # a long hyperparameter name: its own line, the value below
            lines.append(fit(name))
            chunks = [chunks[0], *chunks[1:]] if chunks[0] else chunks[1:]
            lines += [" " * (width + 2) + chunk for chunk in chunks]
            continue
        lines.append(f"{name:<{width}}  {chunks[0]}".rstrip())
        lines += [" " * (width + 2) + chunk for chunk in chunks[1:]]
    rule = "-" * min(WIDTH, max(len(line) for line in lines))
    return "\n".join([rule, *lines, rule])


__all__ = ["RunResult", "find_model", "first_error_line", "format_result", "plot_best_loss", "progress_callback", "summarize"]
