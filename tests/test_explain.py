"""`trainfn-gen explain`: the rule engine's decisions (api.analyze) as a table and as JSON.

Pinned on corpus spaces: R06 (every hyperparameter is listed, used or unused with the reason), R09
(bounds clipped to what the estimator accepts, renamed values), R11 (selector value -> family), R12
(the fidelity a budget maps to), and the task decided at run time when the space does not say.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from trainfn_gen.commands.cli import main
from trainfn_gen.commands.explanation import to_text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "automl-agent"
GOLDEN_SPACES = ROOT / "golden" / "spaces"


def explain(*args) -> CliRunner:
    return CliRunner().invoke(main, ["explain", *map(str, args)])


def explain_json(*args) -> dict:
    result = explain(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def unwrapped(*args) -> str:
    """The text table laid out without a width limit, so that phrases read whole (the CLI wraps at 100)."""
    return to_text(explain_json(*args), width=10_000)


def rows(data: dict) -> dict:
    return {row["name"]: row for row in data["hyperparameters"]}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_selector_families_and_clipped_bounds_on_corpus_02():
    data = explain_json(CORPUS / "02.json", "--facade", "multi-fidelity")
    assert data["task"] == "classification" and data["task_decided_at_run_time"] is False
    assert data["selector"] == {
        "name": "classifier",
        "choices": [
            {"value": "SVM", "family": "support vector machine", "estimator": "SVC"},
            {"value": "RandomForest", "family": "random forest", "estimator": "RandomForestClassifier"},
        ],
    }
    assert data["budget"] == {"low": 10, "high": 100}
    fidelities = {f["family"]: f for f in data["fidelities"]}
    assert fidelities["random forest"]["argument"] == "n_estimators"
    assert "the searched rf_n_estimators is the number of trees at the full budget 100" in fidelities["random forest"]["budget_mapping"]
    assert fidelities["support vector machine"]["kind"] == "rows"
    by_name = rows(data)
    use = by_name["svm_C"]["uses"][0]
    assert (use["family"], use["argument"], use["cast"], use["bounds"]) == ("support vector machine", "C", "float", [0.001, 1000.0])
    assert by_name["classifier"]["status"] == "selector"
    assert by_name["rf_n_estimators"]["uses"][0]["expression"].endswith("round(as_int(cfg.get('rf_n_estimators'), 100, 10, 200) * budget / 100))")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_unused_reason_and_task_at_run_time_on_corpus_16():
    data = explain_json(CORPUS / "16.json")
    assert data["task"] == "auto" and data["task_decided_at_run_time"] is True
    assert data["budget"] is None
    l1 = rows(data)["l1_ratio"]
    assert l1["status"] == "unused" and "logistic regression" in l1["reason"]
    text = unwrapped(CORPUS / "16.json")
    assert "task: auto" in text and "decides from y at run time" in text
    assert "unused: a parameter of logistic regression" in text
    assert "'gradient_boosting'" in text and "GradientBoostingClassifier / GradientBoostingRegressor" in text


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_every_hyperparameter_listed_once_on_corpus_39():
    data = explain_json(CORPUS / "39.json", "--facade", "hyperband")
    names = [row["name"] for row in data["hyperparameters"]]
    space = json.loads((CORPUS / "39.json").read_text())
    assert sorted(names) == sorted(hp["name"] for hp in space["hyperparameters"])
    bootstrap = rows(data)["bootstrap"]["uses"][0]
    assert bootstrap["cast"] == "bool" and bootstrap["renamed"] == {}
    max_samples = rows(data)["max_samples"]["uses"][0]
    assert max_samples["expression"].endswith("if bootstrap else None")
    assert data["fidelities"][0]["budget_mapping"].startswith("the searched n_estimators is the number of trees at the full budget")


def test_log_encoding_and_renamed_values():
    data = explain_json(GOLDEN_SPACES / "svm_log_names.json")
    by_name = rows(data)
    cost = by_name["cost_log10"]["uses"][0]
    assert cost["log_base"] == 10.0 and cost["log_encoding"] == "C = 10 ** cost_log10"
    assert by_name["kernel"]["uses"][0]["renamed"] == {"radial": "rbf", "polynomial": "poly"}
    assert "log10-encoded: C = 10 ** cost_log10" in unwrapped(GOLDEN_SPACES / "svm_log_names.json")


def test_preprocessing_roles_are_shown():
    by_name = rows(explain_json(GOLDEN_SPACES / "autosklearn_like.json"))
    scaler = by_name["data_preprocessor:feature_type:numerical_transformer:rescaling:__choice__"]
    assert scaler["status"] == "preprocessing" and scaler["role"] == "scaler"
    assert scaler["call"]["cast"] == "choice"


def test_json_shape_is_stable_and_deterministic():
    first = explain(GOLDEN_SPACES / "17.json", "--json").stdout
    assert first == explain(GOLDEN_SPACES / "17.json", "--json").stdout
    data = json.loads(first)
    assert list(data) == ["source", "task", "task_decided_at_run_time", "contract", "facade", "selector", "budget", "cross_validation", "fidelities", "hyperparameters", "correction"]
    for row in data["hyperparameters"]:
        assert list(row)[:3] == ["name", "space", "status"]
        assert row["status"] in ("used", "selector", "preprocessing", "unused")
        for use in row.get("uses", []):
            assert list(use)[:4] == ["family", "estimator", "argument", "expression"]


def test_bad_input_is_the_same_paragraph_as_generate(tmp_path):
    (tmp_path / "bad.json").write_text('{"hyperparameters": [', encoding="utf-8")
    explained = explain(tmp_path / "bad.json", "--task", "classification")
    generated = CliRunner().invoke(main, ["generate", str(tmp_path / "bad.json"), "--task", "classification"])
    assert explained.exit_code == generated.exit_code == 1
    assert explained.stdout == ""
    assert explained.stderr == generated.stderr and len(explained.stderr.splitlines()) == 1


WILD = ROOT.parent / "shared" / "wild"


@pytest.mark.parametrize("space", [GOLDEN_SPACES / "02.json", GOLDEN_SPACES / "svm_log_names.json", WILD / "configspace_auto-sklearn_2017_11_17.pcs"], ids=lambda p: p.name)
def test_text_fits_100_columns(space):
    # Issue 19: auto-sklearn's names reached 319 columns; long cells now wrap within their column,
    # and the reason ("how") moves under its row when the other columns leave it too little room.
    if not space.exists():
        pytest.skip("shared wild spaces not present")
    result = explain(space)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= 100, max(lines, key=len)
    names = [row["name"] for row in explain_json(space)["hyperparameters"]]
    # every hyperparameter's name still starts a line of the table
    assert all(any(line.startswith(name[:20]) for line in lines) for name in names)
