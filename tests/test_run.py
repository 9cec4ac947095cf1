"""`trainfn-gen run`: real SMAC 2 optimizations of generated train() functions on scikit-learn data.

Small spaces (a random forest of 5-30 trees) and a handful of trials keep the file within a few
minutes on two cores. What is pinned: R12 (the multi-fidelity facade gets the budget range the
generated file states), R20 (with --save-models all every trial saves its own model file; on a Dask cluster: test_run_dask.py;
the default, incumbent refit and --folds-as-instances: test_run_best.py), the
metrics contract's dict landing in SMAC's run history as additional info, and the end report.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from ConfigSpace import Categorical, ConfigurationSpace, Integer
from trainfn_gen.commands.cli import main
from trainfn_gen.data.datasets import load_dataset
from trainfn_gen.errors import GeneratorError
from trainfn_gen.run.optimize import Target, adapt

pytest.importorskip("smac")


def _space(path: Path) -> Path:
    space = ConfigurationSpace(seed=0)
    space.add([Integer("n_estimators", (5, 30), default=10), Integer("max_depth", (2, 6), default=4), Categorical("criterion", ["gini", "entropy"])])
    space.to_json(path)
    return path


def _run(tmp: Path, *args: str):
    result = CliRunner().invoke(main, ["run", str(_space(tmp / "forest.json")), "--output-dir", str(tmp / "out"), *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def _row(output: str, name: str) -> str:
    """A row's value; a value longer than the 100-column table continues on indented lines."""
    match = re.search(rf"^({re.escape(name)}\s+)(.*)$((?:\n {{8,}}\S.*$)*)", output, re.MULTILINE)
    assert match, f"no row {name!r} in:\n{output}"
    return (match.group(2) + "".join(line.strip() for line in match.group(3).splitlines())).strip()


def _history(output: str) -> list[dict]:
    return json.loads((Path(_row(output, "SMAC output")) / "runhistory.json").read_text())["data"]


@pytest.fixture(scope="module")
def iris_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("iris")
    return _run(tmp, "--dataset", "sklearn:iris", "--trials", "6", "--walltime", "120", "--contract", "metrics")


def test_iris_hpo_run_reports_table_plot_and_incumbent_model(iris_run):
    output = iris_run.output
    assert re.search(r"\]\s+6/6\s+loss", output), "a progress line per trial, ending at 6/6"
    assert _row(output, "facade") == "HyperparameterOptimizationFacade"
    assert _row(output, "trials submitted") == _row(output, "trials finished") == "6"
    assert _row(output, "crashed trials") == "0"
    assert float(_row(output, "incumbent loss")) < -0.8
    assert {"n_estimators", "max_depth", "criterion"} <= set(re.findall(r"^  (\w+)\s", output, re.MULTILINE))
    plot = Path(_row(output, "plot"))
    assert plot.read_bytes().startswith(b"\x89PNG") and plot.stat().st_size > 1000
    smac_dir = Path(_row(output, "SMAC output"))
    assert plot.parent == smac_dir.parents[2], "the plot sits beside SMAC's own output folder"
    model = Path(_row(output, "model"))
    assert model.suffix == ".joblib" and model.is_file()
    import joblib

    X, _ = load_dataset("sklearn:iris")["X"], None
    assert len(joblib.load(model).predict(X[:5])) == 5


def test_metrics_contract_lands_in_runhistory_additional_info(iris_run):
    history = _history(iris_run.output)
    assert len(history) == 6
    for trial in history:
        assert trial["status"] == 1  # StatusType.SUCCESS
        info = trial["additional_info"]
        assert {"accuracy", "balanced_accuracy", "precision", "recall", "f1"} <= set(info)
        assert trial["cost"] == pytest.approx(-info["accuracy"])
    assert re.search(r"^  accuracy\s+0\.\d{4}$", iris_run.output, re.MULTILINE), "the incumbent's metrics are in the table"


def test_multi_fidelity_run_on_digits_uses_the_stated_budget_range(tmp_path):
    result = _run(tmp_path, "--dataset", "sklearn:digits", "--facade", "multi-fidelity", "--trials", "8", "--save-models", "all")
    output = result.output
    assert _row(output, "facade") == "MultiFidelityFacade"
    assert _row(output, "crashed trials") == "0"
    train = Path(_row(output, "train()")).read_text()
    assert "budget in [5, 30]" in train
    smac_dir = Path(_row(output, "SMAC output"))
    scenario = json.loads((smac_dir / "scenario.json").read_text())
    assert (scenario["min_budget"], scenario["max_budget"]) == (5, 30)
    budgets = {trial["budget"] for trial in _history(output)}
    assert len(budgets) >= 2 and all(5 <= b <= 30 for b in budgets)
    assert "(budget 30)" in _row(output, "incumbent loss")
    assert Path(_row(output, "model")).name.endswith("_budget30.0.joblib")
    metadata = json.loads((tmp_path / "out" / "best" / "metadata.json").read_text())
    assert metadata["budget"] == 30 and metadata["facade"] == "MultiFidelityFacade", "the refit trains at the largest budget"


def test_adapt_turns_every_contract_into_cost_and_additional_info():
    assert adapt(-0.9) == (-0.9, {})
    assert adapt(np.float64(0.25)) == (0.25, {})
    cost, info = adapt({"loss": -0.5, "accuracy": 0.5, "f1": np.float64(0.4)})
    assert cost == -0.5 and info == {"accuracy": 0.5, "f1": 0.4}
    assert all(type(v) is float for v in info.values())
    with pytest.raises(ValueError, match="without 'loss'"):
        adapt({"accuracy": 0.5})


def test_target_pickles_with_its_source_and_calls_train(tmp_path):
    source = "def train(cfg, dataset, seed, budget=None, model_dir=None):\n    print('hi')\n    return {'loss': -1.0, 'n': float(len(dataset['y']))}\n"
    target = Target(source, str(tmp_path / "t.py"), {"X": [[0]], "y": [1, 2]}, str(tmp_path), "metrics", uses_budget=True)
    target(None, seed=1)
    copy = pickle.loads(pickle.dumps(target))
    assert copy(None, seed=1, budget=3.0) == (-1.0, {"n": 2.0, "output": "hi\n"})
    assert list(__import__("inspect").signature(copy).parameters) == ["config", "seed", "budget"]


def test_load_dataset_reads_csv_and_npz(tmp_path):
    (tmp_path / "d.csv").write_text("a,b,target\n1,2,x\n3,4,y\n5,6,x\n")
    data = load_dataset(str(tmp_path / "d.csv"))
    assert data["X"].shape == (3, 2) and list(data["y"]) == ["x", "y", "x"]
    np.savez(tmp_path / "d.npz", X=np.ones((4, 2)), y=np.arange(4), X_test=np.ones((2, 2)), y_test=np.arange(2))
    assert set(load_dataset(str(tmp_path / "d.npz"))) == {"X", "y", "X_test", "y_test"}
    np.savez(tmp_path / "bad.npz", X=np.ones((4, 2)))
    with pytest.raises(GeneratorError, match="no array 'y'"):
        load_dataset(str(tmp_path / "bad.npz"))
    with pytest.raises(GeneratorError, match="scikit-learn ships"):
        load_dataset("sklearn:california_housing")


def test_bad_dataset_is_one_paragraph_and_exit_1(tmp_path):
    result = CliRunner().invoke(main, ["run", str(_space(tmp_path / "s.json")), "--dataset", "nope.parquet", "--output-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("trainfn-gen: error: nope.parquet: no such dataset file")
