"""Issue 6 inputs: --dataset profiles, --metric (R02 sign conventions), --scenario, [tool.trainfn-gen].

Bad inputs follow the project rule: one paragraph naming the file and the line, column or key at
fault, exit 1, nothing written. Executing the generated code checks R02 (loss minimized: scores
negated, errors as they are) and R05 (image/sequence X flattened with sizes read at run time).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from trainfn_gen.commands.cli import main
from trainfn_gen.data.profile import profile_dataset
from trainfn_gen.errors import GeneratorError

ROOT = Path(__file__).resolve().parent.parent
SPACES = ROOT / "golden" / "spaces"
SCENARIOS = Path(__file__).parent / "data" / "scenarios"
EXISTING = "# must survive a failed run\n"


def invoke(*args):
    return CliRunner().invoke(main, ["generate", *map(str, args)])


def one_paragraph(result, *fragments):
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("trainfn-gen: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def load_train(path: Path):
    spec = importlib.util.spec_from_file_location(f"inputs_{path.stem}_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.train


def generate_to(tmp_path: Path, name: str, *args):
    out = tmp_path / f"{name}.py"
    result = invoke(*args, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


# ----------------------------------------------------------------- profiles of each kind of dataset


def _csv(tmp_path: Path, frame: pd.DataFrame, name="data.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_profile_csv_missing_categorical_target(tmp_path):
    frame = pd.DataFrame({"colour": ["red", "blue", None, "red"] * 10, "size": [1.0, np.nan, 3.0, 4.0] * 10, "label": ["a", "b"] * 20, "last": [0.5, 1.5, 2.5, 3.5] * 10})
    profile = profile_dataset(str(_csv(tmp_path, frame)), "label")
    assert (profile.task, profile.x_kind, profile.missing, profile.categorical) == ("classification", "tabular", True, ("colour",))
    assert profile.classes == 2 and profile.stratifiable and not profile.imbalanced and profile.target == "label"
    # Without --target the last column is the target: continuous, so regression.
    assert profile_dataset(str(_csv(tmp_path, frame))).task == "regression"


def test_profile_imbalanced_and_regression(tmp_path):
    X, y = load_diabetes(return_X_y=True)
    path = tmp_path / "reg.npz"
    np.savez(path, X=X, y=y)
    assert profile_dataset(str(path)).task == "regression"
    labels = np.array([0] * 90 + [1] * 10)
    np.savez(tmp_path / "imb.npz", X=np.random.default_rng(0).normal(size=(100, 3)), y=labels)
    profile = profile_dataset(str(tmp_path / "imb.npz"))
    assert profile.imbalanced and profile.imbalance == 9.0 and profile.default_metric == "balanced_accuracy"


def test_profile_images_sequences_and_test_split(tmp_path):
    rng = np.random.default_rng(0)
    cases = {"gray": (rng.integers(0, 255, (20, 8, 8), dtype=np.uint8), "image"), "chw": (rng.normal(size=(20, 3, 6, 6)), "image"), "hwc": (rng.normal(size=(20, 6, 6, 3)), "image"), "seq": (rng.normal(size=(20, 12, 3)), "sequence")}
    for name, (X, kind) in cases.items():
        np.savez(tmp_path / f"{name}.npz", X=X, y=np.arange(20) % 2, X_test=X[:5], y_test=np.arange(5) % 2)
        profile = profile_dataset(str(tmp_path / f"{name}.npz"))
        assert (profile.x_kind, profile.has_test, profile.task) == (kind, True, "classification"), name


def test_profile_sklearn_and_npy(tmp_path):
    assert profile_dataset("sklearn:diabetes").task == "regression"
    digits = profile_dataset("sklearn:digits")
    assert (digits.task, digits.classes, digits.x_kind) == ("classification", 10, "tabular")
    X, y = load_iris(return_X_y=True)
    np.save(tmp_path / "iris.npy", np.column_stack([y, X]))
    assert profile_dataset(str(tmp_path / "iris.npy"), "0").classes == 3
    assert profile_dataset(str(tmp_path / "iris.npy")).task == "regression"  # last column: petal width


def test_profile_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    X, y = load_iris(return_X_y=True, as_frame=True)
    frame = X.assign(species=y.map({0: "setosa", 1: "versicolor", 2: "virginica"}))
    frame.to_parquet(tmp_path / "iris.parquet")
    assert profile_dataset(str(tmp_path / "iris.parquet")).classes == 3


def test_parquet_without_pyarrow_is_a_clear_error(tmp_path, monkeypatch):
    import trainfn_gen.data.profile as profile_module

    (tmp_path / "d.parquet").write_bytes(b"PAR1")
    real = importlib.util.find_spec
    monkeypatch.setattr(profile_module.importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    with pytest.raises(GeneratorError, match="d.parquet: reading Parquet needs pyarrow"):
        profile_dataset(str(tmp_path / "d.parquet"))


# ----------------------------------------------------------------- what the profile changes in the code


def test_profile_fixes_the_task_and_balances_classes(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 4))
    y = np.where(np.arange(200) < 180, "common", "rare")
    np.savez(tmp_path / "imb.npz", X=X, y=y)
    out = generate_to(tmp_path, "imb", SPACES / "25.json", "--dataset", tmp_path / "imb.npz")
    source = out.read_text()
    assert "classification = y.dtype.kind" not in source  # the task is fixed: no run-time switch
    assert 'class_weight="balanced"' in source and "balanced_accuracy_score" in source
    assert "Data profiled from imb.npz" in source and "imbalanced" in source
    loss = load_train(out)({}, {"X": X, "y": y}, seed=0)
    assert -1.0 <= loss <= 0.0
    # An explicit --metric wins over the profile's balanced default.
    assert "balanced_accuracy_score" not in generate_to(tmp_path, "imb_acc", SPACES / "25.json", "--dataset", tmp_path / "imb.npz", "--metric", "accuracy").read_text()


def test_images_and_sequences_are_flattened_at_run_time(tmp_path):
    rng = np.random.default_rng(2)
    np.savez(tmp_path / "img.npz", X=rng.normal(size=(60, 1, 5, 5)), y=np.arange(60) % 3)
    out = generate_to(tmp_path, "img", SPACES / "17.json", "--dataset", tmp_path / "img.npz")
    train = load_train(out)
    assert "reshape(X.shape[0], -1)" in out.read_text()
    # R05: the same code on images of another size and a sequence, with a given test split.
    X = rng.normal(size=(50, 3, 7, 7))
    assert -1.0 <= train({}, {"X": X, "y": np.arange(50) % 2, "X_test": X[:10], "y_test": np.arange(10) % 2}, seed=0) <= 0.0
    assert -1.0 <= train({}, {"X": rng.normal(size=(40, 9, 2)), "y": np.arange(40) % 2}, seed=0) <= 0.0


def test_csv_dataset_with_target_runs(tmp_path):
    X, y = load_iris(return_X_y=True, as_frame=True)
    frame = X.assign(species=y.map({0: "setosa", 1: "versicolor", 2: "virginica"}), colour=["red", "blue", "green"] * 50)
    path = _csv(tmp_path, frame)
    out = generate_to(tmp_path, "csv", SPACES / "25.json", "--dataset", path, "--target", "species")
    assert "categorical columns colour" in out.read_text()
    data = pd.read_csv(path)
    loss = load_train(out)({}, {"X": data.drop(columns="species"), "y": data["species"]}, seed=0)
    assert -1.0 <= loss <= 0.0


def test_data_and_space_must_agree(tmp_path):
    X, y = load_diabetes(return_X_y=True)
    np.savez(tmp_path / "reg.npz", X=X, y=y)
    one_paragraph(invoke(SPACES / "17.json", "--dataset", tmp_path / "reg.npz"), "17.json", "regression", "the space means classification")
    one_paragraph(invoke(SPACES / "25.json", "--dataset", tmp_path / "reg.npz", "--metric", "f1"), "--metric f1", "regression")


# ----------------------------------------------------------------- metrics and their signs (R02)

CLASSIFICATION = {"accuracy": True, "balanced_accuracy": True, "f1": True, "roc_auc": True, "log_loss": False}
REGRESSION = {"mse": False, "rmse": False, "mae": False, "r2": True}


@pytest.mark.parametrize("metric", [*CLASSIFICATION, *REGRESSION])
@pytest.mark.parametrize("space", ["02.json", "25.json"])
def test_metric_sign_convention_when_executed(metric, space, tmp_path):
    """Score metrics: loss = -score; error metrics: loss = error. The metrics contract keeps its keys."""
    classification = metric in CLASSIFICATION
    if space == "02.json" and not classification:
        args = ["--task", "regression"]
    else:
        args = []  # 25.json leaves the task open: the metric fixes it
    loss_file = generate_to(tmp_path, f"loss_{metric}", SPACES / space, "--metric", metric, *args)
    metrics_file = generate_to(tmp_path, f"metrics_{metric}", SPACES / space, "--metric", metric, "--contract", "metrics", *args)
    assert "classification = y.dtype.kind" not in loss_file.read_text()
    loaders = (load_iris, load_breast_cancer) if classification else (load_diabetes,)
    for loader in loaders:
        X, y = loader(return_X_y=True)
        data = {"X": X, "y": y}
        loss = load_train(loss_file)({}, data, seed=0)
        result = load_train(metrics_file)({}, data, seed=0)
        assert math.isfinite(loss) and result["loss"] == loss
        keys = {"loss", "accuracy", "balanced_accuracy", "precision", "recall", "f1"} if classification else {"loss", "mse", "mae", "r2"}
        assert set(result) == keys
        is_score = (CLASSIFICATION | REGRESSION)[metric]
        if is_score and metric != "r2":
            assert -1.0 <= loss < 0.0
        elif metric == "r2":
            assert loss == -result["r2"]
        else:
            assert loss > 0.0
        if metric in result:
            assert loss == (-result[metric] if is_score else result[metric])
        if metric == "rmse":
            assert loss == pytest.approx(math.sqrt(result["mse"]))


def test_roc_auc_with_svc_ranks_by_decision_function_and_handles_one_class_validation(tmp_path):
    out = generate_to(tmp_path, "auc", SPACES / "05.json", "--metric", "roc_auc")
    assert 'decision_function_shape="ovr"' in out.read_text()
    assert "CalibratedClassifierCV" not in out.read_text()
    X, y = load_iris(return_X_y=True)
    train = load_train(out)
    assert train({"kernel": "linear"}, {"X": X, "y": y}, seed=1) <= -0.9
    # A validation set holding one class: AUC undefined, scored as chance.
    assert train({}, {"X": X[:100], "y": y[:100], "X_test": X[:5], "y_test": y[:5]}, seed=0) == -0.5


def test_metric_contradicting_the_task(tmp_path):
    one_paragraph(invoke(SPACES / "17.json", "--metric", "mse"), "17.json", "--metric mse", "classification")
    result = invoke(SPACES / "05.json", "--task", "regression", "--metric", "roc_auc")
    one_paragraph(result, "--metric roc_auc is a classification metric", "--task is regression")
    assert invoke(SPACES / "05.json", "--metric", "accuracy2").exit_code == 2


# ----------------------------------------------------------------- scenario


def test_scenario_sets_facade_budgets_and_metric(tmp_path):
    source = generate_to(tmp_path, "sc", SPACES / "05.json", "--scenario", SCENARIOS / "multi_fidelity.json").read_text()
    assert "budget in [5.0, 50.0]" in source and "metric: macro F1" in source
    assert "SMAC scenario 'demo' (multi_fidelity.json): 40 trials, objective 'f1'." in source
    # Flags on the command line win over the scenario.
    source = generate_to(tmp_path, "sc2", SPACES / "05.json", "--scenario", SCENARIOS / "multi_fidelity.json", "--metric", "accuracy", "--max-budget", "40").read_text()
    assert "budget in [5.0, 40.0]" in source and "metric: accuracy" in source
    source = generate_to(tmp_path, "sc3", SPACES / "05.json", "--scenario", SCENARIOS / "hpo.json", "--task", "classification").read_text()
    assert "Facade `hpo`" in source and "25 trials, objective 'cost'" in source


def test_scenario_folder_is_accepted(tmp_path):
    folder = tmp_path / "smac3_output"
    folder.mkdir()
    (folder / "scenario.json").write_text((SCENARIOS / "hpo.json").read_text())
    assert invoke(SPACES / "17.json", "--scenario", folder).exit_code == 0


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ('{"objectives": "cost",\n "n_trials": }', ["scenario.json", "line 2"]),
        ('{"objectives": ["cost", "time"], "n_trials": 5}', ["scenario.json", "'objectives'", "single objective"]),
        ('{"objectives": "cost", "n_trials": 5, "min_budget": -1}', ["'min_budget'", "not a positive number"]),
        ('{"objectives": "cost", "n_trials": 5, "_meta": {"facade": {"name": "Nope"}}}', ["'_meta.facade.name'", "Nope"]),
        ('[1, 2]', ["scenario.json", "not a SMAC scenario"]),
    ],
)
def test_bad_scenarios(content, fragments, tmp_path):
    (tmp_path / "scenario.json").write_text(content)
    out = tmp_path / "train.py"
    out.write_text(EXISTING)
    one_paragraph(invoke(SPACES / "17.json", "--scenario", tmp_path / "scenario.json", "-o", out), *fragments)
    assert out.read_text() == EXISTING


# ----------------------------------------------------------------- bad datasets


def _bad_csv(tmp):
    (tmp / "bad.csv").write_text("a,b,c\n1,2,3\n4,5,6,7\n")
    return ["--dataset", tmp / "bad.csv"], ["bad.csv", "malformed CSV", "line 3"]


def _bad_target(tmp):
    (tmp / "t.csv").write_text("a,b\n1,2\n3,4\n")
    return ["--dataset", tmp / "t.csv", "--target", "label"], ["t.csv", "no column named 'label'", "a, b"]


def _missing_target(tmp):
    (tmp / "m.csv").write_text("a,b\n1,2\n3,\n5,6\n")
    return ["--dataset", tmp / "m.csv"], ["m.csv", "column 'b'", "missing", "line 3"]


def _empty_csv(tmp):
    (tmp / "e.csv").write_text("")
    return ["--dataset", tmp / "e.csv"], ["e.csv", "empty"]


def _npz_keys(tmp):
    np.savez(tmp / "k.npz", features=np.zeros((4, 2)), y=np.zeros(4))
    return ["--dataset", tmp / "k.npz"], ["k.npz", "no array named X", "features"]


def _npz_lengths(tmp):
    np.savez(tmp / "l.npz", X=np.zeros((4, 2)), y=np.zeros(5))
    return ["--dataset", tmp / "l.npz"], ["l.npz", "4 rows against 5"]


def _npz_half_test(tmp):
    np.savez(tmp / "h.npz", X=np.zeros((4, 2)), y=np.zeros(4), X_test=np.zeros((2, 2)))
    return ["--dataset", tmp / "h.npz"], ["h.npz", "X_test and y_test"]


def _npz_pickled(tmp):
    np.savez(tmp / "p.npz", X=np.array([[{}, 1]], dtype=object), y=np.zeros(1))
    return ["--dataset", tmp / "p.npz"], ["p.npz", "pickled"]


def _npz_not_zip(tmp):
    (tmp / "z.npz").write_bytes(b"not a zip")
    return ["--dataset", tmp / "z.npz"], ["z.npz", "not a readable"]


def _npy_shape(tmp):
    np.save(tmp / "v.npy", np.zeros(5))
    return ["--dataset", tmp / "v.npy"], ["v.npy", "shape (5,)"]


def _npy_target(tmp):
    np.save(tmp / "n.npy", np.zeros((5, 3)))
    return ["--dataset", tmp / "n.npy", "--target", "7"], ["n.npy", "--target '7'", "0 to 2"]


def _unknown_sklearn(tmp):
    return ["--dataset", "sklearn:mnist"], ["sklearn:mnist", "iris"]


def _suffix(tmp):
    (tmp / "d.xlsx").write_text("x")
    return ["--dataset", tmp / "d.xlsx"], ["d.xlsx", "suffix '.xlsx'"]


def _no_file(tmp):
    return ["--dataset", tmp / "absent.csv"], ["absent.csv", "no such dataset file"]


def _one_class(tmp):
    (tmp / "o.csv").write_text("a,b\n1,x\n2,x\n")
    return ["--dataset", tmp / "o.csv"], ["o.csv", "single class"]


def _target_alone(tmp):
    return ["--target", "y"], ["--target", "--dataset"]


@pytest.mark.parametrize("build", [_bad_csv, _bad_target, _missing_target, _empty_csv, _npz_keys, _npz_lengths, _npz_half_test, _npz_pickled, _npz_not_zip, _npy_shape, _npy_target, _unknown_sklearn, _suffix, _no_file, _one_class, _target_alone], ids=lambda f: f.__name__.strip("_"))
def test_bad_datasets(build, tmp_path):
    args, fragments = build(tmp_path)
    out = tmp_path / "train.py"
    out.write_text(EXISTING)
    one_paragraph(invoke(SPACES / "25.json", *args, "-o", out), *fragments)
    assert out.read_text() == EXISTING


# ----------------------------------------------------------------- [tool.trainfn-gen] in pyproject.toml


def _project(tmp_path: Path, body: str) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n' + body)
    (tmp_path / "sub").mkdir(exist_ok=True)
    return tmp_path / "sub"


def test_pyproject_defaults_and_flags_win(tmp_path, monkeypatch):
    folder = _project(tmp_path, '[tool.trainfn-gen]\ncontract = "metrics"\nmin-budget = 5\nmax_budget = 50\nfacade = "multi-fidelity"\nmetric = "f1"\n\n[tool.trainfn-gen.targets.main]\nspace = "x.json"\n')
    monkeypatch.chdir(folder)
    result = invoke(SPACES / "05.json")
    assert result.exit_code == 0, result.stderr
    assert "Dict[str, Union[float, int]]" in result.stdout and "budget in [5.0, 50.0]" in result.stdout and "macro F1" in result.stdout
    result = invoke(SPACES / "05.json", "--contract", "loss", "--metric", "accuracy", "--max-budget", "20")
    assert result.exit_code == 0, result.stderr
    assert "-> float" in result.stdout and "budget in [5.0, 20.0]" in result.stdout and "metric: accuracy" in result.stdout


def test_pyproject_paths_are_relative_to_it(tmp_path, monkeypatch):
    folder = _project(tmp_path, '[tool.trainfn_gen]\n\n[tool.trainfn-gen]\noutput = "out/train.py"\ntask = "classification"\n')
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(folder)
    assert invoke(SPACES / "05.json").exit_code == 0
    assert (tmp_path / "out" / "train.py").read_text().startswith("# Generated by trainfn-gen")


@pytest.mark.parametrize(
    ("body", "fragments"),
    [
        ('[tool.trainfn-gen]\ncolour = "red"\n', ["pyproject.toml", "unknown setting 'colour'", "min-budget"]),
        ('[tool.trainfn-gen]\ntask = "clustering"\n', ["pyproject.toml", "setting 'task'", "clustering"]),
        ('[tool.trainfn-gen]\nmin-budget = "many"\n', ["pyproject.toml", "setting 'min-budget'"]),
        ("[tool.trainfn-gen]\ntask = \n", ["pyproject.toml", "malformed TOML", "line 5"]),
        # Issue 15: overwriting what trainfn-gen did not write takes --force on the command line, never a project default.
        ("[tool.trainfn-gen]\nforce = true\n", ["pyproject.toml", "unknown setting 'force'"]),
    ],
)
def test_bad_pyproject(body, fragments, tmp_path, monkeypatch):
    monkeypatch.chdir(_project(tmp_path, body))
    one_paragraph(invoke(SPACES / "05.json", "-o", tmp_path / "t.py"), *fragments)
    assert not (tmp_path / "t.py").exists()


def test_a_target_in_the_wrong_case_gets_a_did_you_mean_and_every_column(tmp_path):
    """Issue 23: `--target Cultivar` on wine's table (column `cultivar`, the 14th): the list was cut before it."""
    from trainfn_gen.data.profile import load_dataset
    from trainfn_gen.errors import GeneratorError

    names = [f"feature_{index}" for index in range(13)] + ["cultivar"]
    rows = [",".join(names)] + [",".join(str((row * 7 + col) % 5) for col in range(13)) + f",{row % 3}" for row in range(12)]
    (tmp_path / "wine.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(GeneratorError) as caught:
        load_dataset(str(tmp_path / "wine.csv"), "Cultivar")
    message = caught.value.message
    assert "no column named 'Cultivar' for --target; did you mean 'cultivar'?" in message
    assert message.endswith("feature_12, cultivar."), "a small table's columns are never cut"
