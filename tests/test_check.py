"""The static train() checker: hand-written example files plus small inline sources per rule."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from ConfigSpace import ConfigurationSpace
from trainfn_gen.analyze.check import check_file, check_source, format_report
from trainfn_gen.analyze.check_model import Violation

EXAMPLES = Path(__file__).parent / "check_examples"

HEADER = """\
from typing import Any, Dict, Union

import joblib
import numpy as np
from ConfigSpace import Configuration
from sklearn.model_selection import train_test_split


def train(
    cfg: Configuration, dataset: Any, seed: int, budget: int = None, model_dir: str = None
) -> float:
    X_train, X_val, y_train, y_val = train_test_split(dataset["X"], dataset["y"], random_state=seed, stratify=dataset["y"])
    epochs = int(budget) if budget is not None else 10
    print(f"training for {epochs} epochs")
    if model_dir:
        joblib.dump(cfg, model_dir)
"""
BODY_LINE = HEADER.count("\n") + 1  # line number of the first body line appended to HEADER


def module(body: str) -> str:
    """A clean train() module (no violations) with `body` appended inside train()."""
    return HEADER + textwrap.indent(textwrap.dedent(body), "    ")


def found(violations: list[Violation], rule: str | None = None) -> list[tuple[str, int]]:
    return [(v.rule, v.line) for v in violations if rule is None or v.rule == rule]


# ---------------------------------------------------------------- example files


def test_header_is_clean():
    assert check_source(module("pass\n")) == []


def test_good_file_passes_with_its_space():
    space = ConfigurationSpace(
        {
            "n_estimators": (10, 500),
            "max_depth": (1, 30),
            "criterion": ["gini", "entropy"],
            "max_features": (0.1, 1.0),
            "oob_score": [True, False],
        }
    )
    assert check_file(EXAMPLES / "good_rf_loss.py", space=space) == []
    assert check_file(str(EXAMPLES / "good_rf_loss.py"), contract="loss") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("try_except_constant.py", [("R04", 12)]),
        ("wrong_signature.py", [("R01", 9), ("R01", 9)]),
        ("example_usage.py", [("R03", 10), ("R03", 13), ("R03", 30)]),
        ("hardcoded_shapes.py", [("R05", 13), ("R05", 14), ("R05", 18)]),
        ("train_metrics.py", [("R16", 21), ("R16", 24)]),
        ("no_budget_use.py", [("R12", 10)]),
        ("no_model_saving.py", [("R20", 9), ("R20", 9), ("R22", 9)]),
        ("undefined_name.py", [("R03", 12), ("R03", 16)]),
    ],
)
def test_bad_examples(name, expected):
    assert found(check_file(EXAMPLES / name)) == expected


def test_undefined_names_are_named():
    messages = [v.message for v in check_file(EXAMPLES / "undefined_name.py")]
    assert "'RandomForestClassifier'" in messages[0] and "'accuracy_score'" in messages[1]


def test_missing_and_misspelled_hyperparameters():
    space = ConfigurationSpace(
        {
            "n_estimators": (10, 500),
            "max_depth": (1, 30),
            "bootstrap": [True, False],
            "criterion": ["gini", "entropy"],
        }
    )
    violations = check_file(EXAMPLES / "missing_hyperparameters.py", space=space)
    assert found(violations) == [("R06", 10), ("R06", 10), ("R06", 13)]
    text = " ".join(v.message for v in violations)
    assert "'max_depth'" in text and "'criterion'" in text and "'bootstrap'" not in text
    assert "did you mean 'max_depth'" in violations[2].message
    assert check_file(EXAMPLES / "missing_hyperparameters.py") == []  # R06 needs a space


def test_train_metrics_cites_the_training_names():
    first, second = check_file(EXAMPLES / "train_metrics.py")
    assert "(train_pred, y_train)" in first.message  # labels=... on line 22 is not a metric input
    assert "model.score()" in second.message and "(X, y)" in second.message


# ---------------------------------------------------------------- R01 signature, contracts


@pytest.mark.parametrize("returns", ["Dict[str, Union[float, int]]", "dict[str, float | int]"])
def test_metrics_signature_is_inferred_and_accepted(returns):
    source = module("pass\n").replace(") -> float:", f") -> {returns}:")
    assert check_source(source) == []
    assert check_source(source, contract="metrics") == []
    assert found(check_source(source, contract="loss")) == [("R01", 9)]


def test_no_budget_contract():
    source = (
        module("pass\n")
        .replace("budget: int = None, ", "")
        .replace("int(budget) if budget is not None else 10", "10")
    )
    assert check_source(source) == []
    assert check_source(source, contract="no-budget") == []
    assert found(check_source(source, contract="loss")) == [("R01", 9)]
    assert found(check_source(module("pass\n"), contract="no-budget")) == [("R01", 9)]


def test_missing_duplicate_and_unknown_contract():
    assert found(check_source("import os\n")) == [("R01", 1)]
    twice = module("pass\n") + "\n\n" + HEADER[HEADER.index("def train") :]
    assert ("R01", 20) in found(check_source(twice))
    with pytest.raises(ValueError, match="unknown contract"):
        check_source(module("pass\n"), contract="accuracy")


# ---------------------------------------------------------------- R03 layout and names


def test_syntax_error_is_a_violation():
    violations = check_source("import os\n\ndef train(:\n    pass\n")
    assert found(violations) == [("R03", 3)]
    assert "not valid Python" in violations[0].message


def test_scope_analysis_has_no_false_positives():
    body = """\
    def helper(a, *rest, scale=2, **kw):
        return [a * scale for _ in rest if (n := len(kw)) or n]
    with open(model_dir or "x") as handle:
        handle.read()
    for i, (u, v) in enumerate(zip(X_train, y_train)):
        helper(i, u, v)
    square = lambda z: z * z  # noqa: E731
    del square
    match epochs:
        case {"k": k, **others}:
            print(k, others)
        case [first, *tail]:
            print(first, tail)
    print(__file__, __name__, len(X_val), y_val, np.pi)
    """
    assert check_source(module(body)) == []


def test_star_import_and_type_checking_block():
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os\n" + module(
        "pass\n"
    )
    assert check_source(source) == []
    starred = "from math import *\n" + module("print(pi)\n")
    assert found(check_source(starred)) == [("R03", 1)]


# ---------------------------------------------------------------- R04 error masking


def test_error_masking_calls():
    body = """\
    import contextlib
    import warnings
    with contextlib.suppress(ValueError):
        pass
    warnings.filterwarnings("ignore")
    warnings.simplefilter(action="ignore", category=FutureWarning)
    warnings.simplefilter("error")
    np.seterr(all="ignore")
    try:
        pass
    finally:
        pass
    """
    start = BODY_LINE
    assert found(check_source(module(body))) == [
        ("R04", start + 2),
        ("R04", start + 4),
        ("R04", start + 5),
        ("R04", start + 7),
        ("R04", start + 8),
    ]


# ---------------------------------------------------------------- R05 shapes


def test_hard_coded_shapes_flagged_and_hyperparameter_defaults_not():
    body = """\
    from tensorflow import keras
    units = int(cfg.get("units") or 64)
    n_features = 64
    model = keras.Sequential([keras.layers.Dense(units, input_shape=(28, 28, 1))])
    model.add(keras.layers.Dense(64, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    labels = keras.utils.to_categorical(y_train, 10)
    flat = X_train.reshape(-1, 1), X_val.reshape(len(X_val), -1), X_val.reshape(-1, 28 * 28)
    n_classes = len(np.unique(y_train))
    """
    start = BODY_LINE
    assert found(check_source(module(body))) == [
        ("R05", start + 2),
        ("R05", start + 3),
        ("R05", start + 5),
        ("R05", start + 7),
        ("R05", start + 8),
    ]


def test_hidden_layer_widths_are_no_hard_coded_shapes():
    """Issue 25: a literal width produced by one layer and consumed by the next, or a convolution's output channels,
    is the author's choice; a flatten size computed by hand (320) and a class count (10) are data dimensions."""
    body = """\
    from torch import nn
    net = nn.Sequential(nn.Linear(X.shape[1], 128), nn.ReLU(), nn.Linear(128, len(np.unique(y))))
    conv = nn.Sequential(nn.Conv2d(1, 10, kernel_size=5), nn.Flatten(), nn.Linear(320, 50), nn.Linear(50, 10))
    """
    start = BODY_LINE
    assert found(check_source(module(body)), "R05") == [("R05", start + 2), ("R05", start + 2)]
    messages = [v.message for v in check_source(module(body)) if v.rule == "R05"]
    assert sorted(m.split("literal ")[1].split(",")[0] for m in messages) == ["10", "320"], messages


# ---------------------------------------------------------------- R06 comments


def test_unused_comment_must_say_unused():
    space = ConfigurationSpace({"alpha": (0.1, 1.0)})
    said = module("# alpha is unused: this model has no regularization.\n")
    mentioned = module("# alpha tunes the regularization.\n")
    assert check_source(said, space=space) == []
    assert found(check_source(mentioned, space=space)) == [("R06", 9)]
    assert check_source(module("alpha = float(cfg['alpha'])\nprint(alpha)\n"), space=space) == []
    assert [v.rule for v in check_source(module("alpha = float(cfg['alpha'])\n"), space=space)] == ["R06"]  # read, never used (issue 25)


# ---------------------------------------------------------------- R12 budget


def test_budget_read_but_not_converted():
    source = module("pass\n").replace("int(budget)", "budget")
    assert found(check_source(source)) == [("R12", 13)]
    assert "int() or float()" in check_source(source)[0].message


# ---------------------------------------------------------------- R16 metrics


def test_predictions_on_training_data_are_tracked():
    body = """\
    from sklearn.metrics import mean_squared_error, r2_score
    model = joblib.load("m")
    fitted = model.predict(X_train)
    again = np.clip(fitted, 0, 1)
    print(mean_squared_error(y_val, fitted), r2_score(y_val, model.predict(X_val)))
    print(mean_squared_error(y_val, model.predict(X_val)))
    """
    assert found(check_source(module(body))) == [("R16", BODY_LINE + 4)]


def test_derived_training_data_two_hops_and_reused_names():
    body = """\
    from sklearn.metrics import accuracy_score, r2_score
    model, scaler = joblib.load("m")
    scaled = scaler.transform(X_train)
    fitted = model.predict(scaled)
    pred = model.predict(X_train)
    pred = model.predict(X_val)
    print(r2_score(y_val, fitted), accuracy_score(y_val, pred))
    """
    violations = check_source(module(body))
    assert found(violations) == [("R16", BODY_LINE + 6)]
    assert "r2_score() is computed on training data (fitted)" in violations[0].message


def test_whole_data_is_fine_without_a_split():
    source = (
        module("pass\n").replace(
            'X_train, X_val, y_train, y_val = train_test_split(dataset["X"], dataset["y"], '
            "random_state=seed, stratify=dataset[\"y\"])",
            'X, y = dataset["X"], dataset["y"]',
        )
        + "    from sklearn.metrics import accuracy_score\n    print(accuracy_score(y, y))\n"
    )
    assert check_source(source) == []


# ---------------------------------------------------------------- R20 saving


def test_model_dir_used_but_no_save_call():
    source = module("pass\n").replace("joblib.dump(cfg, model_dir)", "print(model_dir)")
    violations = check_source(source)
    assert found(violations) == [("R20", 9)]
    assert "no save call" in violations[0].message
    torch_saved = source.replace("print(model_dir)", "torch.save(cfg, model_dir)")
    assert check_source("import torch\n" + torch_saved) == []


# ---------------------------------------------------------------- R22 progress


def test_printing_in_nested_loops_floods():
    body = """\
    import logging
    logger = logging.getLogger(__name__)
    for epoch in range(epochs):
        for batch in range(3):
            print(batch)
            if batch % 100 == 0:
                logger.info("batch %d", batch)
        logger.info("epoch %d", epoch)
    """
    assert found(check_source(module(body))) == [("R22", BODY_LINE + 4)]


def test_logging_counts_as_progress():
    source = module("pass\n").replace('print(f"training for {epochs} epochs")', "pass")
    assert found(check_source(source)) == [("R22", 9)]
    logged = source.replace("    pass\n    if", '    logging.info("start")\n    if', 1)
    assert check_source("import logging\n" + logged) == []


# ---------------------------------------------------------------- report


def test_format_report_is_ruffs_form():
    violations = [
        Violation("R05", 14, "reshape() gets the literal 784", 9),
        Violation("R04", 12, "try/except masks errors; let errors propagate"),
        Violation("R03", 14, "name 'x' is used but never imported or assigned", 5),
    ]
    assert format_report("train.py", violations) == (
        "train.py:12:1: R04 try/except masks errors; let errors propagate\n"
        "train.py:14:5: R03 name 'x' is used but never imported or assigned\n"
        "train.py:14:9: R05 reshape() gets the literal 784\n"
        "Found 3 violations (R03, R04, R05)."
    )
    assert format_report("train.py", []) == "All checks passed."


def test_a_local_that_rebinds_an_import_or_a_helper_is_named():
    """Issue 15: a selector named like an import (`train_test_split = cfg.get(...)`) broke train() and check passed it."""
    body = """\
    def as_choice(value):
        return str(value)

    train_test_split = as_choice(cfg.get("train_test_split"))
    as_choice = None
    """
    violations = [v for v in check_source(module(body)) if v.rule == "R03"]
    assert [(v.line, v.message) for v in violations] == [
        (BODY_LINE + 3, "assigning 'train_test_split' rebinds an imported name; later uses meet the assigned value instead"),
        (BODY_LINE + 4, "assigning 'as_choice' rebinds the name of a helper defined in train(); later uses meet the assigned value instead"),
    ]
