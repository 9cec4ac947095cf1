"""--metric -> how the generated train() scores the validation rows (R02 R16), every string final.

Sign convention (R02): the loss is minimized. Score metrics (accuracy, balanced_accuracy, f1, roc_auc,
r2) are reported positive and the loss is their negative; error metrics (log_loss, mse, rmse, mae) are
the loss as they are. The `metrics` contract keeps its fixed keys whatever the metric; only its `loss`
follows the chosen metric.

roc_auc and log_loss need class scores: the code calls predict_proba when the fitted model has it and
falls back to decision_function for roc_auc (scores rank the rows just as well, and AUC needs only a
ranking). SVC has no predict_proba unless built with probability=True, so for roc_auc it is built with
decision_function_shape="ovr" (one score column per class; the setting changes neither its fit nor
its predictions, issue 14), and only for log_loss, which needs probabilities, it is wrapped in
CalibratedClassifierCV(..., ensemble=False) (what scikit-learn 1.9 recommends instead of the
deprecated SVC(probability=True)): sigmoid calibration on unshuffled 5-fold predictions,
deterministic, about six fits instead of one.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainfn_gen.errors import GeneratorError

from .choices import METRICS
from .expressions import Imports

TASK_OF = {
    **dict.fromkeys(("accuracy", "balanced_accuracy", "f1", "roc_auc", "log_loss"), "classification"),
    **dict.fromkeys(("mse", "rmse", "mae", "r2"), "regression"),
}
DEFAULT = {"classification": "accuracy", "regression": "mse"}
NEEDS_PROBABILITIES = ("roc_auc", "log_loss")
# Classifiers without predict_proba: calibrated for log_loss (R02).
CALIBRATE = ("sklearn.svm.SVC",)
# ... and the argument that gives their decision_function one column per class, for roc_auc.
DECISION_COLUMNS = {"sklearn.svm.SVC": ("decision_function_shape", "ovr")}
_SCORES = 'model.predict_proba(X_valid) if hasattr(model, "predict_proba") else model.decision_function(X_valid)'
_PROBABILITIES = "model.predict_proba(X_valid)"
_AVERAGED = 'average="macro", zero_division=0'
# name: (sklearn.metrics function, its call, a score (True) or an error (False), words for the docstring)
_TABLE = {
    "accuracy": ("accuracy_score", "accuracy_score(y_valid, y_pred)", True, "accuracy"),
    "balanced_accuracy": ("balanced_accuracy_score", "balanced_accuracy_score(y_valid, y_pred)", True, "balanced accuracy"),
    "precision": ("precision_score", f"precision_score(y_valid, y_pred, {_AVERAGED})", True, "macro precision"),
    "recall": ("recall_score", f"recall_score(y_valid, y_pred, {_AVERAGED})", True, "macro recall"),
    "f1": ("f1_score", f"f1_score(y_valid, y_pred, {_AVERAGED})", True, "macro F1"),
    "roc_auc": ("roc_auc_score", "ovr_roc_auc(y_valid, {scores}, {classes})", True, "ROC AUC (one-vs-rest macro average for more than two classes)"),
    "log_loss": ("log_loss", "log_loss(y_valid, {probabilities}, labels={classes})", False, "log loss"),
    "mse": ("mean_squared_error", "mean_squared_error(y_valid, y_pred)", False, "mean squared error"),
    "rmse": ("mean_squared_error", "np.sqrt(mean_squared_error(y_valid, y_pred))", False, "root mean squared error"),
    "mae": ("mean_absolute_error", "mean_absolute_error(y_valid, y_pred)", False, "mean absolute error"),
    "r2": ("r2_score", "r2_score(y_valid, y_pred)", True, "R²"),
}
# The fixed keys of the `metrics` contract (RULES.md), per task.
CONTRACT_KEYS = {
    "classification": ("accuracy", "balanced_accuracy", "precision", "recall", "f1"),
    "regression": ("mse", "mae", "r2"),
}


@dataclass(frozen=True)
class Scoring:
    """name: the metric; lines: statements computing `name` from the fitted model; loss: the returned
    loss; entries: the `metrics` contract's (key, expression) pairs after `loss`; report: the f-string
    body of the progress line; predicts: whether y_pred = model.predict(X_valid) is needed."""

    name: str
    var: str
    title: str
    lines: tuple[str, ...]
    loss: str
    entries: tuple[tuple[str, str], ...]
    report: str
    predicts: bool

    def loss_of(self, cv: int | None) -> str:
        """The returned loss: the last fit's variable, or under cross-validation the mean in `metrics`."""
        return self.loss.replace(self.var, f'metrics["{self.name}"]') if cv else self.loss


def metric_task(metric: str | None) -> str | None:
    """The task a metric implies (None when no metric is given)."""
    return TASK_OF[metric] if metric else None


def check_metric(metric: str | None, task: str, source: str, where: str = "the task") -> None:
    """A metric of the other task is a one-paragraph error."""
    if metric and task in TASK_OF.values() and TASK_OF[metric] != task:
        fitting = ", ".join(m for m in METRICS if TASK_OF[m] == task)
        raise GeneratorError(f"--metric {metric} is a {TASK_OF[metric]} metric, but {where} is {task}; use one of {fitting}.", source=source)


def build_scoring(task: str, metric: str | None, contract: str, imports: Imports, helpers: set, classes: str = "model.classes_", probabilities: str | None = None) -> Scoring:
    """The scoring of one task; `metric` None means the task's default (accuracy / mse); `classes` is the
    expression for the original class labels in the order of the probability columns; `probabilities`
    the variable holding them where the model is no scikit-learn estimator (a network)."""
    metric = metric or DEFAULT[task]
    function, call, is_score, title = _TABLE[metric]
    lines = []
    if metric == "roc_auc":
        helpers.add("ovr_roc_auc")
        if not probabilities:
            lines.append(f"scores = {_SCORES}")
    names = {function}
    if contract == "metrics":
        names.update(_TABLE[key][0] for key in CONTRACT_KEYS[task])
    for name in sorted(names):
        imports.name(f"sklearn.metrics.{name}")
    var = "log_loss_value" if metric == "log_loss" else metric  # not the name of the imported function
    call = call.format(classes=classes, probabilities=probabilities or _PROBABILITIES, scores=probabilities or "scores")
    lines.append(f"{var} = float({call})")
    entries = tuple((key, var if key == metric else f"float({_TABLE[key][1]})") for key in CONTRACT_KEYS[task]) if contract == "metrics" else ()
    predicts = metric not in NEEDS_PROBABILITIES or contract == "metrics"
    fmt = ".4f" if is_score else ".6g"
    return Scoring(metric, var, title, tuple(lines), f"-{var}" if is_score else var, entries, f"{metric} {{{var}:{fmt}}}", predicts)
