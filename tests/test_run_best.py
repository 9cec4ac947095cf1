"""Issue 17: `run` ends with the incumbent refit on all rows in DIR/best; --save-models; --folds-as-instances.

The CV tests use a hand-written train() that follows the K-fold contract of the generated one (its
docstring says "3-fold cross-validation"; dataset["fold"] selects one fold; a plain call scores every
fold and saves a model refit on all rows) and logs every call's fold, so that what SMAC passed is
visible.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import joblib
import pytest
from click.testing import CliRunner
from ConfigSpace import Categorical, ConfigurationSpace, Integer
from trainfn_gen.commands.cli import main
from trainfn_gen.data.datasets import load_dataset

pytest.importorskip("smac")

CV_TRAIN = '''"""Hand-written train() following the generated CV contract: 3-fold cross-validation.

Task: classification; metric: accuracy. Contract `loss`.
"""

import hashlib
import json
import os

import joblib
import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

LOG = {log!r}


def train(cfg, dataset, seed, budget=None, model_dir=None):
    fold = dataset.get("fold")
    with open(LOG, "a") as handle:
        handle.write(json.dumps({{"fold": fold, "rows": len(dataset["y"]), "test": "X_test" in dataset}}) + "\\n")
    X, y = np.asarray(dataset["X"]), np.asarray(dataset["y"])
    def model():
        return DecisionTreeClassifier(max_depth=cfg["max_depth"], criterion=cfg["criterion"], random_state=seed)
    splits = list(StratifiedKFold(3, shuffle=True, random_state=seed).split(X, y))
    scores = [model().fit(X[a], y[a]).score(X[b], y[b]) for a, b in (splits if fold is None else [splits[fold]])]
    if model_dir is not None:
        config = dict(cfg)
        stem = os.path.join(model_dir, "model_" + hashlib.sha256(json.dumps([config, seed]).encode()).hexdigest()[:16])
        joblib.dump(model().fit(X, y), stem + ".joblib")
        with open(stem + ".json", "w") as handle:
            json.dump({{"config": config, "seed": seed, "budget": budget, "metrics": {{"accuracy": float(np.mean(scores))}}}}, handle)
    return -float(np.mean(scores))
'''


def _space(path: Path, forest: bool = True) -> Path:
    space = ConfigurationSpace(seed=0)
    if forest:
        space.add([Integer("n_estimators", (5, 30), default=10), Integer("max_depth", (2, 6), default=4), Categorical("criterion", ["gini", "entropy"])])
    else:
        space.add([Integer("max_depth", (1, 8), default=3), Categorical("criterion", ["gini", "entropy"])])
    space.to_json(path)
    return path


def _invoke(*args: str):
    return CliRunner().invoke(main, ["run", *args])


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("save", ["all", "incumbent", "none"])
def test_save_models_file_counts(tmp_path, monkeypatch, save):
    monkeypatch.chdir(tmp_path)  # the summary shows paths relative to the current folder
    out = tmp_path / "out"
    result = _invoke(str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--trials", "4", "--output-dir", "out", "--save-models", save, "--cv", "none")
    assert result.exit_code == 0, result.output + repr(result.exception)
    history = json.loads(next(out.glob("smac/*/*/runhistory.json")).read_text())
    distinct = len({json.dumps(history["configs"][str(trial["config_id"])], sort_keys=True) for trial in history["data"]})
    models, best = _files(out / "models"), _files(out / "best")
    if save == "all":
        assert len(models) == 2 * distinct, "one model and one metadata file per trained configuration"
    else:
        assert models == [], "no per-trial files unless --save-models all"
    if save == "none":
        assert best == [] and "(none: --save-models none)" in result.output
        return
    assert best == ["config.json", "metadata.json", "model.joblib", "model.json"]
    metadata = json.loads((out / "best" / "metadata.json").read_text())
    incumbent = json.loads((out / "best" / "config.json").read_text())
    assert metadata["config"] == incumbent and metadata["run_seed"] == 0 and metadata["seed"] == history["data"][0]["seed"] and metadata["facade"] == "HyperparameterOptimizationFacade"
    assert re.search(rf"^incumbent loss\s+{metadata['validated_cost']:.4f}$", result.output, re.MULTILINE), "the validated cost is the run history's"
    assert metadata["refit"]["measured_on"].startswith("training rows (not a validation score; trained on all 150 rows)")
    assert {"python", "trainfn-gen", "scikit-learn", "numpy"} == set(metadata["versions"])
    model = joblib.load(out / "best" / "model.joblib")
    X, y = load_dataset("sklearn:iris")["X"], load_dataset("sklearn:iris")["y"]
    assert model.score(X, y) == pytest.approx(metadata["refit"]["metrics"]["accuracy"]), "the saved model is the one trained on all rows"
    assert re.search(r'^  load\s+import joblib\n\s+model = joblib.load\("out/best/model.joblib"\)\n\s+model.predict\(X_new\)$', result.output, re.MULTILINE)
    assert "model.predict(X_new)" in result.output


def test_refit_with_a_given_test_split_scores_it(tmp_path):
    import numpy as np

    data = load_dataset("sklearn:iris")
    order = np.random.default_rng(0).permutation(150)
    X, y = data["X"][order], data["y"][order]
    np.savez(tmp_path / "split.npz", X=X[:100], y=y[:100], X_test=X[100:], y_test=y[100:])
    out = tmp_path / "out"
    result = _invoke(str(_space(tmp_path / "forest.json")), "--dataset", str(tmp_path / "split.npz"), "--trials", "3", "--output-dir", str(out))
    assert result.exit_code == 0, result.output + repr(result.exception)
    metadata = json.loads((out / "best" / "metadata.json").read_text())
    assert metadata["refit"]["measured_on"] == "the given test split (50 rows; trained on all 100 rows of X)"
    model = joblib.load(out / "best" / "model.joblib")
    assert model.score(X[100:], y[100:]) == pytest.approx(metadata["refit"]["metrics"]["accuracy"])


def test_a_previous_best_is_a_previous_run(tmp_path):
    out = tmp_path / "out"
    (out / "best").mkdir(parents=True)
    (out / "best" / "model.joblib").write_bytes(b"earlier")
    result = _invoke(str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--trials", "2", "--output-dir", str(out))
    assert result.exit_code == 1 and "a refit incumbent in" in result.stderr and "--overwrite" in result.stderr
    assert (out / "best" / "model.joblib").read_bytes() == b"earlier"
    replaced = _invoke(str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--trials", "2", "--output-dir", str(out), "--overwrite")
    assert replaced.exit_code == 0, replaced.output
    assert hasattr(joblib.load(out / "best" / "model.joblib"), "predict"), "the earlier file was replaced by the new refit"


def test_folds_as_instances_pass_one_fold_per_trial_and_the_refit_uses_all(tmp_path):
    log = tmp_path / "calls.jsonl"
    (tmp_path / "cv_train.py").write_text(CV_TRAIN.format(log=str(log)))
    out = tmp_path / "out"
    result = _invoke(
        str(_space(tmp_path / "tree.json", forest=False)), "--dataset", "sklearn:iris", "--train", str(tmp_path / "cv_train.py"), "--cv", "3",
        "--folds-as-instances", "--trials", "12", "--output-dir", str(out),
    )
    assert result.exit_code == 0, result.output + repr(result.exception)
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    *trials, refit = calls
    assert len(trials) == 12 and all(call["fold"] in (0, 1, 2) and call["rows"] == 150 for call in trials), "every trial gets one valid fold"
    assert len({call["fold"] for call in trials}) == 3
    assert refit == {"fold": None, "rows": 150, "test": False}, "the refit is a plain call: all folds, no test split"
    history = json.loads(next(out.glob("smac/*/*/runhistory.json")).read_text())["data"]
    assert {trial["instance"] for trial in history} == {"fold-0", "fold-1", "fold-2"}
    scenario = json.loads(next(out.glob("smac/*/*/scenario.json")).read_text())
    assert scenario["instances"] == ["fold-0", "fold-1", "fold-2"]
    metadata = json.loads((out / "best" / "metadata.json").read_text())
    assert metadata["refit"]["measured_on"] == "3-fold cross-validation of the 150 training rows (the saved model is refit on all of them)"
    assert metadata["validated_on"].endswith("over 3 folds")
    assert "mean over the 3 of 3 folds" in result.output, "the incumbent ran on every fold"
    assert float(re.search(r"^incumbent loss\s+(\S+)", result.output, re.MULTILINE).group(1)) == pytest.approx(metadata["validated_cost"], abs=1e-4)
    assert metadata["refit"]["loss"] == pytest.approx(metadata["validated_cost"]), "the plain call's 3-fold loss is the mean of the 3 folds SMAC ran"


@pytest.mark.parametrize(
    "extra,message",
    [
        (("--cv", "3", "--facade", "multi-fidelity", "--min-budget", "1", "--max-budget", "3"), "does not combine with the multi-fidelity facade"),
        (("--cv", "5"), "this train() states 3-fold cross-validation"),
    ],
)
def test_folds_as_instances_errors_are_one_paragraph(tmp_path, extra, message):
    (tmp_path / "cv_train.py").write_text(CV_TRAIN.format(log=str(tmp_path / "calls.jsonl")))
    result = _invoke(str(_space(tmp_path / "tree.json", forest=False)), "--dataset", "sklearn:iris", "--train", str(tmp_path / "cv_train.py"),
                     "--folds-as-instances", "--output-dir", str(tmp_path / "out"), *extra)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_folds_as_instances_refuses_a_train_without_cross_validation(tmp_path):
    plain = CV_TRAIN.format(log=str(tmp_path / "calls.jsonl")).replace("3-fold cross-validation", "a validation split")
    (tmp_path / "plain.py").write_text(plain)
    result = _invoke(str(_space(tmp_path / "tree.json", forest=False)), "--dataset", "sklearn:iris", "--train", str(tmp_path / "plain.py"), "--cv", "3",
                     "--folds-as-instances", "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 1 and "states no 'K-fold cross-validation' in its docstring" in result.stderr


def test_a_failed_refit_is_a_note_and_the_summary_stays(tmp_path):
    (tmp_path / "picky.py").write_text(
        "def train(cfg, dataset, seed, budget=None, model_dir=None):\n"
        "    if 'X_test' in dataset:\n"
        "        raise RuntimeError('no test split here')\n"
        "    return -cfg['max_depth'] / 10\n"
    )
    out = tmp_path / "out"
    result = _invoke(str(_space(tmp_path / "tree.json", forest=False)), "--dataset", "sklearn:iris", "--train", str(tmp_path / "picky.py"), "--trials", "3", "--output-dir", str(out))
    assert result.exit_code == 0, result.output + repr(result.exception)
    flat = re.sub(r"\n {20,}(?=\S)", "", result.output)  # a long value continues on indented lines
    assert re.search(r"^note\s+no best/: the incumbent's refit on all rows failed: RuntimeError: no test split here$", flat, re.MULTILINE)
    assert re.search(r"^best \(refit, all rows\)\s+\(none: see the notes\)$", result.output, re.MULTILINE)
    assert not (out / "best").exists() and not list(out.glob(".refit-*")), "no partial best/ and no scratch folder"


def test_folds_as_instances_with_the_blackbox_facade(tmp_path):
    log = tmp_path / "calls.jsonl"
    (tmp_path / "cv_train.py").write_text(CV_TRAIN.format(log=str(log)))
    result = _invoke(str(_space(tmp_path / "tree.json", forest=False)), "--dataset", "sklearn:iris", "--train", str(tmp_path / "cv_train.py"), "--cv", "3",
                     "--folds-as-instances", "--facade", "blackbox", "--trials", "6", "--output-dir", str(tmp_path / "out"), "--save-models", "none")
    assert result.exit_code == 0, result.output + repr(result.exception)
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(calls) == 6 and all(call["fold"] in (0, 1, 2) for call in calls), "--save-models none: no refit call"
    assert _row_value(result.output, "facade") == "BlackBoxFacade"


def _row_value(output: str, name: str) -> str:
    return re.search(rf"^{re.escape(name)}\s+(.*)$", output, re.MULTILINE).group(1).strip()
