"""Issue 16: `trainfn-gen run` on realistic trouble. Each test failed on the run command before issue 16.

- crashed and NaN-returning trials get a finite crash cost and the run goes on (SMAC's default crash
  cost, inf, ended the run with "Input y contains NaN"); progress lines say "crashed" and the error;
  the summary groups the crashes; a missing matplotlib is a note, not a traceback after the run;
- the train file's imports are checked before SMAC starts (one paragraph, nothing written);
- --trial-walltime is SMAC's trial_walltime_limit (a slow trial is a timeout, the run continues);
- a rerun refuses without --overwrite / --resume; --resume is SMAC's continuation of the same scenario;
- run takes generate's options (--target, --metric, pyproject defaults) and profiles the data: a
  classification space on a float target is refused;
- the summary fits 100 columns, shows the values the budget set, and the model row of a network
  names the weights, not the preprocessing file.
Small: iris, 3-6 trials of a few milliseconds each.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from ConfigSpace import Categorical, ConfigurationSpace, Integer
from trainfn_gen.commands.cli import main

pytest.importorskip("smac")

from trainfn_gen.run.optimize import read_data
from trainfn_gen.run.report import RunResult, first_error_line, format_result, saved_config
from trainfn_gen.run.trial import adapt, crash_cost, imported_modules

CRASHY = '''"""Crashes on deep trees, returns NaN for entropy."""


def train(cfg, dataset, seed, budget=None, model_dir=None):
    if cfg["max_depth"] > 5:
        raise RuntimeError(f"max_depth {cfg['max_depth']} is too deep\\nsecond line of the message")
    if cfg["criterion"] == "entropy":
        return float("nan")
    return -cfg["n_estimators"] / 30.0
'''

SLOW = '''import time


def train(cfg, dataset, seed, budget=None, model_dir=None):
    if cfg["criterion"] == "entropy":
        time.sleep(20)
    return -cfg["n_estimators"] / 30.0
'''


def _space(path: Path) -> Path:
    space = ConfigurationSpace(seed=0)
    space.add([Integer("n_estimators", (5, 30), default=10), Integer("max_depth", (2, 8), default=4), Categorical("criterion", ["gini", "entropy"])])
    space.to_json(path)
    return path


def _invoke(*args: str):
    return CliRunner().invoke(main, ["run", *args])


def _history(out: Path) -> list[dict]:
    return json.loads(next(out.glob("smac/*/*/runhistory.json")).read_text())["data"]


def test_crashed_and_nan_trials_get_a_finite_cost_and_the_run_goes_on(tmp_path, monkeypatch):
    (tmp_path / "crashy.py").write_text(CRASHY)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # not installed: a note, never a lost summary
    out = tmp_path / "out"
    result = _invoke(str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--train", str(tmp_path / "crashy.py"), "--trials", "6", "--output-dir", str(out))
    assert result.exit_code == 0, result.output + repr(result.exception)
    history = _history(out)
    crashed = [trial for trial in history if trial["status"] == 2]  # StatusType.CRASHED
    assert len(history) == 6 and crashed, "the run reaches 6 trials although some crash"
    assert all(math.isfinite(trial["cost"]) for trial in history)
    assert {trial["cost"] for trial in crashed} == {0.0}, "accuracy's worst value is the crash cost"
    progress = [line for line in result.output.splitlines() if line.startswith("[")]
    assert len(progress) == 6 and all("eta" in line for line in progress)
    crash_lines = [line for line in progress if " crashed " in line]
    assert len(crash_lines) == len(crashed)
    assert all("RuntimeError: max_depth" in line or "ValueError: train() returned a non-finite loss" in line for line in crash_lines)
    assert "second line" not in result.output, "only the error's first line is shown"
    table = result.output[result.output.index("-----") :]
    assert re.search(rf"^crashed trials\s+{len(crashed)}$", table, re.MULTILINE)
    grouped = [line for line in table.splitlines() if line.startswith("  ") and "x  " in line and "Error" in line]
    assert sum(int(line.split("x", 1)[0]) for line in grouped) == len(crashed)
    assert "no plot: matplotlib is not installed" in table
    assert all(len(line) <= 100 for line in result.output.splitlines())


def test_a_missing_import_of_the_train_file_is_one_paragraph_before_smac_starts(tmp_path):
    (tmp_path / "needs.py").write_text("import json\nfrom not_installed_pkg_xyz.models import Forest\n\n\ndef train(cfg, dataset, seed, budget=None, model_dir=None):\n    return 0.0\n")
    out = tmp_path / "out"
    result = _invoke(str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--train", str(tmp_path / "needs.py"), "--output-dir", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("trainfn-gen: error: needs.py: train() imports not_installed_pkg_xyz.models")
    assert "pip install not_installed_pkg_xyz" in result.stderr
    assert not out.exists(), "nothing written"


def test_imports_in_try_blocks_are_optional():
    source = "import os\ntry:\n    import torch\nexcept ImportError:\n    torch = None\n\ndef train():\n    from sklearn.svm import SVC\n"
    assert imported_modules(source) == ["os", "sklearn.svm"]


def test_trial_walltime_is_smacs_limit_and_a_timeout_does_not_stop_the_run(tmp_path):
    (tmp_path / "slow.py").write_text(SLOW)
    out = tmp_path / "out"
    result = _invoke(str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--train", str(tmp_path / "slow.py"), "--trials", "4", "--trial-walltime", "1", "--output-dir", str(out))
    assert result.exit_code == 0, result.output + repr(result.exception)
    scenario = json.loads(next(out.glob("smac/*/*/scenario.json")).read_text())
    assert scenario["trial_walltime_limit"] == 1
    history = _history(out)
    timeouts = [trial for trial in history if trial["status"] == 3]  # StatusType.TIMEOUT
    assert len(history) == 4 and timeouts and all(t["time"] < 10 for t in history)
    assert sum(" timeout " in line for line in result.output.splitlines()) == len(timeouts)
    assert re.search(rf"^timed-out trials\s+{len(timeouts)}$", result.output, re.MULTILINE)


def test_a_rerun_refuses_unless_overwrite_or_resume(tmp_path):
    space = str(_space(tmp_path / "forest.json"))
    (tmp_path / "quick.py").write_text("def train(cfg, dataset, seed, budget=None, model_dir=None):\n    return -cfg['n_estimators'] / 30.0\n")
    out = tmp_path / "out"
    common = [space, "--dataset", "sklearn:iris", "--train", str(tmp_path / "quick.py"), "--output-dir", str(out)]
    first = _invoke(*common, "--trials", "3")
    assert first.exit_code == 0, first.output
    history = next(out.glob("smac/*/*/runhistory.json"))
    before = history.read_bytes()
    again = _invoke(*common, "--trials", "3")
    assert again.exit_code == 1 and len(again.stderr.splitlines()) == 1
    assert "holds a previous run" in again.stderr and "--overwrite" in again.stderr and "--resume" in again.stderr
    assert history.read_bytes() == before, "the previous run is untouched"
    other = _invoke(*common, "--trials", "2", "--resume")
    assert other.exit_code == 1 and "n_trials: 3 -> 2" in other.stderr and "may only be raised" in other.stderr
    resumed = _invoke(*common, "--trials", "3", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert re.search(r"^trials submitted\s+3$", resumed.output, re.MULTILINE) and history.read_bytes() == before, "SMAC continued the finished run"
    replaced = _invoke(*common, "--trials", "2", "--overwrite")
    assert replaced.exit_code == 0, replaced.output
    assert len(_history(out)) == 2


QUICK = "def train(cfg, dataset, seed, budget=None, model_dir=None):\n    return -cfg['n_estimators'] / 30.0 + cfg['max_depth'] / 100.0\n"


def test_resume_with_more_trials_extends_the_run(tmp_path):
    """Issue 23: `--resume --trials 20` after a 12-trial run refused ("n_trials: 12 -> 20")."""
    (tmp_path / "quick.py").write_text(QUICK)
    out = tmp_path / "out"
    common = [str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--train", str(tmp_path / "quick.py"), "--output-dir", str(out), "--save-models", "none"]
    first = _invoke(*common, "--trials", "12")
    assert first.exit_code == 0, first.output
    before = {(trial["config_id"], trial["seed"], trial["cost"]) for trial in _history(out)}
    assert len(_history(out)) == 12
    more = _invoke(*common, "--trials", "20", "--resume")
    assert more.exit_code == 0, more.output + repr(more.exception)
    history = _history(out)
    assert len(history) == 20 and all(trial["status"] == 1 for trial in history), history
    assert before <= {(trial["config_id"], trial["seed"], trial["cost"]) for trial in history}, "the 12 trials are kept"
    assert re.search(r"^trials submitted\s+20$", more.output, re.MULTILINE) and re.search(r"^trials finished\s+20$", more.output, re.MULTILINE)
    assert sum(line.startswith("[") for line in more.output.splitlines()) == 8, "8 more trials evaluated"
    assert "n_trials 12 -> 20" in more.output


INTERRUPTED = """import os

CALLS = [0]


def train(cfg, dataset, seed, budget=None, model_dir=None):
    CALLS[0] += 1
    if CALLS[0] == 4 and os.environ.get("TRAINFN_TEST_INTERRUPT"):
        raise KeyboardInterrupt  # Ctrl-C during the 4th trial
    return -cfg['n_estimators'] / 30.0 + cfg['max_depth'] / 100.0
"""


def test_an_interrupt_saves_the_finished_trials_and_resume_evaluates_the_interrupted_one(tmp_path, monkeypatch):
    """Issue 23: Ctrl-C printed `Aborted!` only; --resume then left the interrupted trial RUNNING (cost 2147483647)."""
    (tmp_path / "interrupted.py").write_text(INTERRUPTED)
    out = tmp_path / "out"
    common = [str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--train", str(tmp_path / "interrupted.py"), "--output-dir", str(out), "--trials", "6", "--save-models", "none"]
    monkeypatch.setenv("TRAINFN_TEST_INTERRUPT", "1")
    stopped = _invoke(*common)
    assert stopped.exit_code == 130, stopped.output + repr(stopped.exception)
    assert "To continue this run:" in stopped.stderr and stopped.stderr.rstrip().endswith("--resume")
    assert re.search(r"^trials finished\s+3 \(1 not finished\)$", stopped.output, re.MULTILINE), stopped.output
    saved = _history(out)
    assert len(saved) == 4 and sum(trial["status"] == 1 for trial in saved) == 3
    running = [trial for trial in saved if trial["status"] == 0]  # StatusType.RUNNING
    assert len(running) == 1
    monkeypatch.delenv("TRAINFN_TEST_INTERRUPT")
    resumed = _invoke(*common, "--resume")
    assert resumed.exit_code == 0, resumed.output + repr(resumed.exception)
    history = _history(out)
    assert len(history) == 6 and all(trial["status"] == 1 for trial in history), history
    assert all(trial["cost"] < 1 for trial in history), "no trial keeps SMAC's running cost 2147483647"
    assert running[0]["config_id"] in {trial["config_id"] for trial in history if trial["status"] == 1}, "the interrupted trial was evaluated"
    assert re.search(r"^trials finished\s+6$", resumed.output, re.MULTILINE), resumed.output


def test_run_profiles_the_data_takes_target_and_project_defaults(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    rows = ["label,a,b,size"] + [f"{'xy'[i % 2]},{rng.normal():.3f},{rng.normal():.3f},{rng.normal() * 100:.3f}" for i in range(60)]
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n")
    space = str(_space(tmp_path / "forest.json"))
    monkeypatch.chdir(tmp_path)
    wrong = _invoke(space, "--dataset", "data.csv", "--output-dir", "out0")
    assert wrong.exit_code == 1 and len(wrong.stderr.splitlines()) == 1
    assert "means regression" in wrong.stderr and "classification" in wrong.stderr, "the float last column contradicts the space"
    assert not (tmp_path / "out0").exists()
    (tmp_path / "pyproject.toml").write_text('[tool.trainfn-gen]\nmetric = "f1"\noutput = "ignored_by_run.py"\n')
    result = _invoke(space, "--dataset", "data.csv", "--target", "label", "--trials", "2", "--output-dir", "out")
    assert result.exit_code == 0, result.output + repr(result.exception)
    train = (tmp_path / "out" / "train.py").read_text()
    assert "metric: macro F1" in train and "(target 'label')" in train
    # --cv auto: 60 profiled rows are cross-validated; the loss is the mean F1 over the folds.
    assert "-fold cross-validation (--cv auto: the profiled dataset has 60 rows" in train and 'return -metrics["f1"]' in train


def test_read_data_without_pandas_reads_npz_unprofiled_with_a_note(tmp_path, monkeypatch):
    np.savez(tmp_path / "d.npz", X=np.ones((6, 2)), y=np.arange(6) % 2)
    monkeypatch.setitem(sys.modules, "pandas", None)
    notes: list[str] = []
    data, profile = read_data(str(tmp_path / "d.npz"), None, notes)
    assert profile is None and data["X"].shape == (6, 2)
    assert notes and "pandas is not installed" in notes[0]


def test_crash_cost_is_the_metrics_worst_value_or_a_model_that_learned_nothing():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert crash_cost("accuracy", y) == 0.0 and crash_cost("roc_auc", y) == 0.0
    assert crash_cost("mse", y) == pytest.approx(1.25) and crash_cost("rmse", y) == pytest.approx(1.25**0.5)
    assert crash_cost("mae", y) == pytest.approx(1.0) and crash_cost("r2", y) == 0.0
    assert crash_cost("log_loss", np.array(["a", "b", "a", "b"])) == pytest.approx(math.log(2))
    with pytest.raises(ValueError, match="non-finite loss"):
        adapt(float("nan"))
    with pytest.raises(ValueError, match="non-finite loss"):
        adapt({"loss": float("inf")})


def test_first_error_line_reads_the_last_exception_of_the_traceback():
    traceback = (
        "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    f()\nKeyError: 'x'\n\n"
        "During handling of the above exception, another exception occurred:\n\n"
        "Traceback (most recent call last):\n  File \"a.py\", line 3, in <module>\n    g()\n"
        "ModuleNotFoundError: No module named 'xgboost'\nmore text\n"
    )
    assert first_error_line({"traceback": traceback, "error": "x"}) == "ModuleNotFoundError: No module named 'xgboost'"
    assert first_error_line({"error": "ValueError('a')\nb"}) == "ValueError('a')"


def _result(tmp_path: Path, **changes) -> RunResult:
    fields = {
        "facade": "MultiFidelityFacade",
        "dataset": "sklearn:digits",
        "submitted": 8,
        "finished": 8,
        "crashed": 1,
        "timeouts": 0,
        "seconds": 3.0,
        "incumbent": {"rf_n_estimators": 57, "classifier": "RandomForest", "very_long_hyperparameter_name_of_a_space": "x" * 150},
        "loss": -0.9,
        "budget": 100.0,
        "metrics": {},
        "model_path": tmp_path / ("deep/" * 20 + "model.joblib"),
        "plot": None,
        "smac_dir": tmp_path / "smac",
        "train_file": tmp_path / "train.py",
        "crash_cost": 0.0,
        "crashes": [("RuntimeError: " + "y" * 200, 1)],
        "notes": ["no plot: matplotlib is not installed"],
        "overridden": {"rf_n_estimators": 200},
    }
    fields.update(changes)
    return RunResult(**fields)


def test_summary_fits_100_columns_and_shows_the_values_the_budget_set(tmp_path):
    text = format_result(_result(tmp_path))
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "rf_n_estimators" in text and "200 (set by the budget; sampled 57)" in text
    assert "very_long_hyperparameter_name_of_a_space" in text
    joined = "".join(line.strip() for line in text.splitlines())
    assert str(tmp_path / ("deep/" * 20 + "model.joblib")).replace(" ", "") in joined, "a long path wraps, it is not cut"


def test_the_model_row_of_a_network_names_the_weights_not_the_preprocessing(tmp_path):
    stem = tmp_path / "model_abc_seed0"
    config = {"lr": 0.1}
    (tmp_path / "model_abc_seed0.json").write_text(json.dumps({"config": config, "seed": 0, "budget": None}))
    for suffix in (".preprocess.joblib", ".pt"):
        Path(f"{stem}{suffix}").write_bytes(b"x")
    path, saved = saved_config(tmp_path, config, None)
    assert path.name == "model_abc_seed0.pt" and saved["seed"] == 0


def test_budget_overrides_come_from_the_plan_and_give_the_trained_value():
    from trainfn_gen.engine.options import make_options
    from trainfn_gen.engine.pipeline import analyze
    from trainfn_gen.run.optimize import metric_named
    from trainfn_gen.run.trial import budget_overrides, trained_values

    space = Path(__file__).resolve().parent.parent / "golden" / "spaces" / "02.json"
    _, plan = analyze(space, make_options(None, facade="multi-fidelity"))
    overrides = budget_overrides(plan)
    assert "rf_n_estimators" in overrides
    # The searched value is the full-budget value; a lower budget scales it (never below the range's 10).
    assert trained_values(overrides, {"rf_n_estimators": 45}, 50.0) == {"rf_n_estimators": 22}
    assert trained_values(overrides, {"rf_n_estimators": 45}, 10.0) == {"rf_n_estimators": 10}
    assert trained_values(overrides, {"rf_n_estimators": 45}, 100.0) == {}
    assert trained_values(overrides, {"rf_n_estimators": 45}, None) == {}
    assert metric_named("macro F1") == "f1" and metric_named("mean squared error") == "mse" and metric_named("nonsense") is None


def test_without_smac_run_is_one_paragraph_naming_the_run_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "smac", None)
    result = _invoke(str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "needs the run extra (smac not installed)" in result.stderr and "trainfn-gen[run]" in result.stderr
    assert not (tmp_path / "out").exists()


def test_run_reads_the_facade_of_a_scenario_as_generate_does(tmp_path):
    scenario = Path(__file__).resolve().parent / "data" / "scenarios" / "multi_fidelity.json"
    result = _invoke(str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--scenario", str(scenario), "--contract", "no-budget", "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "cannot serve the multi-fidelity facade" in result.stderr, "the facade came from the scenario"
    assert not (tmp_path / "out").exists()


def test_a_foreign_json_in_the_models_folder_does_not_cost_the_summary(tmp_path):
    (tmp_path / "notes.json").write_text("{not json")
    (tmp_path / "list.json").write_text("[1, 2]")
    assert saved_config(tmp_path, {"lr": 0.1}, None) is None
