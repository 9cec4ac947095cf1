"""Cross-validation inside the generated train() (issue 17): --cv K, --cv none, --cv auto (R14 R16 R20)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import joblib
import numpy as np
import pytest
from click.testing import CliRunner
from harness import GOLDEN, make_dataset
from trainfn_gen import generate, load_train
from trainfn_gen.commands.cli import main
from trainfn_gen.engine.cv import AUTO_FOLDS, AUTO_MAX_ROWS

SPACES = GOLDEN / "spaces"
FOLD_LINE = re.compile(r"train: fold (\d+)/(\d+): \w+ [-\d.e]+ on (\d+) validation rows, trained on (\d+) rows")


class Recording(np.ndarray):
    """X that records the row positions the generated code takes from it (take_rows), in call order."""

    def __getitem__(self, key):
        if getattr(self, "taken", None) is not None and isinstance(key, np.ndarray) and key.dtype.kind in "iu":
            self.taken.append(key.copy())
        return super().__getitem__(key)


def recording(X: np.ndarray) -> Recording:
    view = np.asarray(X).view(Recording)
    view.taken = []
    return view


def index_parity(rows: int = 200) -> dict:
    """y is the parity of the row index, X the row index: a 1-NN that saw a validation row scores it
    perfectly; without a leak its nearest neighbours are the rows beside it, of the other parity."""
    index = np.arange(rows, dtype=float)
    return {"X": recording(index.reshape(-1, 1)), "y": (np.arange(rows) % 2).astype(int)}


def fits(taken: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(training rows, validation rows) of each fit: take_rows takes them in pairs."""
    return [(taken[i], taken[i + 1]) for i in range(0, len(taken), 2)]


@pytest.fixture(scope="module")
def knn_cv():
    return load_train(generate(SPACES / "knn.json", task="classification", contract="metrics", cv=5))


NEAREST = {"n_neighbors": 1, "weights": "uniform", "algorithm": "brute", "metric": "euclidean", "leaf_size": 30, "p": 2}


def test_folds_never_leak_and_partition_the_rows(knn_cv, capsys):
    data = index_parity()
    result = knn_cv(NEAREST, data, seed=0)
    pairs = fits(data["X"].taken)
    assert len(pairs) == 5
    for train_rows, valid_rows in pairs:
        assert not set(train_rows) & set(valid_rows), "a validation row was also a training row"
        assert sorted([*train_rows, *valid_rows]) == list(range(200))
    # The validation rows of the folds partition the rows: each row is validated exactly once.
    assert sorted(np.concatenate([valid for _, valid in pairs]).tolist()) == list(range(200))
    # A leak would give accuracy 1; without one, the nearest training row has the other parity.
    assert result["accuracy"] < 0.5
    assert result["loss"] == pytest.approx(-result["accuracy"])
    out = capsys.readouterr().out
    lines = FOLD_LINE.findall(out)
    assert [(int(i), int(k)) for i, k, _, _ in lines] == [(i, 5) for i in range(1, 6)]
    assert all(int(valid) + int(train) == 200 for _, _, valid, train in lines)
    assert "train: mean over 5 fold(s): loss" in out


def test_same_folds_for_every_configuration_of_a_seed(knn_cv):
    taken = []
    for config, seed in ((NEAREST, 3), ({**NEAREST, "n_neighbors": 7, "weights": "distance"}, 3), (NEAREST, 4)):
        data = index_parity()
        knn_cv(config, data, seed=seed)
        taken.append([valid.tolist() for _, valid in fits(data["X"].taken)])
    assert taken[0] == taken[1]
    assert taken[0] != taken[2]


def test_dataset_fold_scores_that_fold_only(knn_cv, tmp_path):
    data = make_dataset("iris", pandas=False, given_test=False)
    config = {**NEAREST, "n_neighbors": 5}
    everything = knn_cv(config, data, seed=1, model_dir=str(tmp_path))
    (metadata,) = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    folds = metadata["folds"]
    assert len(folds) == 5
    for fold in (0, 3):
        one = knn_cv(config, {**data, "fold": fold}, seed=1)
        assert one["loss"] == folds[fold]["loss"]
        assert one["accuracy_std"] == 0.0
    assert everything["loss"] == pytest.approx(np.mean([f["loss"] for f in folds]))
    for bad in (5, -1, 1.0, "2"):
        with pytest.raises(ValueError, match=r"dataset\['fold'\] is .*0\.\.4"):
            knn_cv(config, {**data, "fold": bad}, seed=1)


def test_metrics_contract_returns_means_and_standard_deviations(knn_cv, tmp_path):
    data = make_dataset("wine", pandas=True, given_test=False)
    result = knn_cv({**NEAREST, "n_neighbors": 3}, data, seed=0, model_dir=str(tmp_path))
    assert set(result) == {"loss", "accuracy", "balanced_accuracy", "precision", "recall", "f1",
                           "accuracy_std", "balanced_accuracy_std", "precision_std", "recall_std", "f1_std"}
    (metadata,) = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    for key in ("accuracy", "f1"):
        values = [fold[key] for fold in metadata["folds"]]
        assert result[key] == pytest.approx(np.mean(values))
        assert result[f"{key}_std"] == pytest.approx(np.std(values))
    assert len({fold["accuracy"] for fold in metadata["folds"]}) > 1, "the folds differ, so the std is a real one"
    assert metadata["metrics"] == result


def test_saved_model_is_refitted_on_all_rows(knn_cv, tmp_path, capsys):
    data = make_dataset("iris", pandas=False, given_test=False)
    knn_cv({**NEAREST, "n_neighbors": 5}, data, seed=0, model_dir=str(tmp_path))
    (path,) = tmp_path.glob("*.joblib")
    estimator = joblib.load(path)[-1]
    estimator = estimator[-1] if hasattr(estimator, "steps") else estimator  # behind its scaler
    assert estimator.n_samples_fit_ == len(data["y"]) == 150, "the saved model saw every row, not one fold's"
    assert "refit: KNeighborsClassifier fitted on 150 of all 150 rows, for model_dir" in capsys.readouterr().out
    # Without model_dir nothing is refitted: one fit per fold.
    data = index_parity(100)
    knn_cv(NEAREST, data, seed=0)
    assert len(fits(data["X"].taken)) == 5


def test_given_test_split_replaces_the_folds(knn_cv, capsys):
    data = make_dataset("iris", pandas=False, given_test=True)
    data = {**data, "X": recording(data["X"])}
    result = knn_cv({**NEAREST, "n_neighbors": 5}, data, seed=0)
    assert data["X"].taken == [], "no fold was taken"
    out = capsys.readouterr().out
    assert f"train: test split: accuracy {result['accuracy']:.4f} on {len(data['y_test'])} validation rows, trained on {len(data['y'])} rows" in out
    assert result["accuracy_std"] == 0.0


def test_budget_applies_to_each_fold(capsys):
    train = load_train(generate(SPACES / "02.json", task="classification", facade="multi-fidelity", cv=5))
    data = make_dataset("iris", pandas=False, given_test=False)
    svm = {"classifier": "SVM", "svm_C": 1.0, "svm_kernel": "rbf", "svm_gamma": 0.1, "svm_degree": 3}
    rows = {}
    for budget in (50, 100):
        train(svm, data, seed=0, budget=budget)
        rows[budget] = [int(train_rows) for *_, train_rows in FOLD_LINE.findall(capsys.readouterr().out)]
    assert rows[100] == [120] * 5
    assert rows[50] == [60] * 5, "the rows budget is a share of each fold's training rows"


def test_torch_network_with_three_folds(tmp_path, capsys):
    pytest.importorskip("torch")
    source = generate(SPACES / "08.json", task="classification", framework="torch", cv=3)
    train = load_train(source)
    X, y = make_dataset("digits", pandas=False, given_test=False).values()
    data = {"X": X[:240], "y": y[:240]}
    config = {"learning_rate": 0.005, "optimizer": "Adam", "batch_size": "64", "dropout": 0.1, "num_units": 32, "num_layers": 1}
    loss = train(config, data, seed=0, model_dir=str(tmp_path))
    out = capsys.readouterr().out
    assert [(int(i), int(k)) for i, k, _, _ in FOLD_LINE.findall(out)] == [(1, 3), (2, 3), (3, 3)]
    assert -1 <= loss < -0.3
    (metadata,) = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    assert len(metadata["folds"]) == 3
    assert loss == pytest.approx(-np.mean([fold["accuracy"] for fold in metadata["folds"]]))
    assert list(tmp_path.glob("*.pt"))
    # Each fit starts from the seed: one fold alone gives what it gave in the full run.
    assert train(config, {**data, "fold": 1}, seed=0) == pytest.approx(-metadata["folds"][1]["accuracy"])


def _write_csv(path: Path, rows: int) -> Path:
    rng = np.random.default_rng(0)
    table = np.column_stack([rng.normal(size=(rows, 2)), rng.integers(0, 2, rows)])
    np.savetxt(path, table, delimiter=",", header="a,b,label", comments="", fmt="%.5f")
    return path


def test_cv_auto_decides_from_the_profiled_rows(tmp_path):
    space = SPACES / "knn.json"
    small = generate(space, task="classification", dataset=_write_csv(tmp_path / "small.csv", AUTO_MAX_ROWS - 1))
    assert f"{AUTO_FOLDS}-fold cross-validation (--cv auto: the profiled dataset has {AUTO_MAX_ROWS - 1} rows, fewer than {AUTO_MAX_ROWS})" in small
    assert f"n_splits={AUTO_FOLDS}" in small
    large = generate(space, task="classification", dataset=_write_csv(tmp_path / "large.csv", AUTO_MAX_ROWS))
    assert "KFold" not in large and "fold_metrics" not in large and "holdout_rows(y, 0.2, True)" in large
    # Without a profile auto keeps the holdout: the file from before this option; --cv none differs only in its header.
    auto = generate(space, task="classification")
    assert auto == (GOLDEN / "knn_loss_hpo.py").read_text()
    none = generate(space, task="classification", cv="none")
    assert "--cv none" in none.splitlines()[1] and none.splitlines()[2:] == auto.splitlines()[2:]


def test_cli_pyproject_sync_and_bad_values(tmp_path, monkeypatch):
    runner = CliRunner()
    space = str(SPACES / "knn.json")
    generated = runner.invoke(main, ["generate", space, "--task", "classification", "--cv", "4"])
    assert generated.exit_code == 0
    # stdout alone: the file; the space's warnings (knn's speed settings stated unused) go to stderr.
    assert "#   trainfn-gen generate" in generated.stdout and "--cv 4" in generated.stdout.splitlines()[1]
    assert "n_splits=4" in generated.output
    for bad in ("1", "x", "0", "-3"):
        refused = runner.invoke(main, ["generate", space, "--task", "classification", "--cv", bad])
        assert refused.exit_code == 2, "a bad option value is a usage error (issue 23)"
        assert f"Invalid value for '--cv': '{bad}' is not a number of folds" in refused.stderr
    explained = runner.invoke(main, ["explain", space, "--task", "classification", "--cv", "3"])
    assert "validation: 3-fold cross-validation (--cv 3)" in explained.output
    # [tool.trainfn-gen] cv, and a sync target's own cv (which wins).
    (tmp_path / "space.json").write_text((SPACES / "knn.json").read_text())
    (tmp_path / "pyproject.toml").write_text(
        '[tool.trainfn-gen]\ntask = "classification"\ncv = 3\n\n'
        '[tool.trainfn-gen.targets.three]\nspace = "space.json"\noutput = "three.py"\n\n'
        '[tool.trainfn-gen.targets.six]\nspace = "space.json"\noutput = "six.py"\ncv = 6\n'
    )
    monkeypatch.chdir(tmp_path)
    assert "n_splits=3" in runner.invoke(main, ["generate", "space.json"]).output
    synced = runner.invoke(main, ["sync"])
    assert synced.exit_code == 0, synced.output
    assert "n_splits=3" in (tmp_path / "three.py").read_text()
    six = (tmp_path / "six.py").read_text()
    assert "n_splits=6" in six and "--cv 6" in six.splitlines()[1]
    assert runner.invoke(main, ["sync", "--check"]).exit_code == 0


def test_run_passes_cv_into_the_generated_train(tmp_path):
    pytest.importorskip("smac")
    result = CliRunner().invoke(main, ["run", str(SPACES / "knn.json"), "--task", "classification", "--dataset", "sklearn:iris",
                                       "--cv", "3", "--trials", "1", "--output-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    train = (tmp_path / "out" / "train.py").read_text()
    assert "n_splits=3" in train and "3-fold cross-validation (--cv 3)" in train
