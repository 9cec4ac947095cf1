"""Issue 23: the summary and best/ name the metric and the validation protocol; best/metadata.json records the
feature columns, their order and dtypes, the target and the classes; `trainfn-gen predict` and load_model check
new data against them.

One tiny run (3 trials) on a CSV version of iris with a category column and string class labels serves the
predict tests; a second on sklearn:iris with --cv none checks the holdout and an array's record.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from ConfigSpace import Categorical, ConfigurationSpace, Integer
from trainfn_gen.commands.cli import main

pytest.importorskip("smac")

COLUMNS = ["sl", "sw", "pl", "pw", "color"]


def _space(path: Path) -> Path:
    space = ConfigurationSpace(seed=0)
    space.add([Integer("n_estimators", (5, 20), default=10), Integer("max_depth", (2, 6), default=4), Categorical("criterion", ["gini", "entropy"])])
    space.to_json(path)
    return path


def _table() -> pd.DataFrame:
    from sklearn.datasets import load_iris

    data = load_iris()
    frame = pd.DataFrame(data.data, columns=COLUMNS[:4])
    frame["color"] = np.random.default_rng(0).choice(["red", "blue"], len(frame))
    frame["species"] = np.asarray(data.target_names)[data.target]
    return frame


@pytest.fixture(scope="module")
def csv_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("predict")
    _table().to_csv(tmp / "iris.csv", index=False)
    result = CliRunner().invoke(
        main, ["run", str(_space(tmp / "forest.json")), "--dataset", str(tmp / "iris.csv"), "--target", "species", "--trials", "3", "--cv", "3", "--output-dir", str(tmp / "out")]
    )
    assert result.exit_code == 0, result.output + repr(result.exception)
    return tmp, result


def _predict(*args: str):
    return CliRunner().invoke(main, ["predict", *args])


def test_metadata_and_summary_name_metric_protocol_columns_target_and_classes(csv_run):
    tmp, result = csv_run
    assert re.search(r"^objective\s+-accuracy, 3-fold CV$", result.output, re.MULTILINE), result.output
    metadata = json.loads((tmp / "out" / "best" / "metadata.json").read_text())
    assert (metadata["metric"], metadata["objective"], metadata["protocol"]) == ("accuracy", "-accuracy", "3-fold CV")
    assert [c["name"] for c in metadata["columns"]] == COLUMNS
    assert [c["dtype"] for c in metadata["columns"][:4]] == ["float64"] * 4
    assert metadata["columns"][4]["categories"] == ["blue", "red"]
    assert (metadata["target"], metadata["task"], metadata["classes"]) == ("species", "classification", ["setosa", "versicolor", "virginica"])
    assert "trainfn-gen predict" in result.output, "the summary shows the checked way to predict"


def test_holdout_run_names_its_protocol_and_records_the_array_shape(tmp_path):
    result = CliRunner().invoke(main, ["run", str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--trials", "2", "--cv", "none", "--output-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert re.search(r"^objective\s+-accuracy, one 20% holdout$", result.output, re.MULTILINE), result.output
    metadata = json.loads((tmp_path / "out" / "best" / "metadata.json").read_text())
    assert metadata["protocol"] == "one 20% holdout" and metadata["columns"] is None
    assert metadata["input"] == {"kind": "array", "shape": [4], "dtype": "float64"} and metadata["classes"] == [0, 1, 2]


def test_predict_writes_what_load_model_predicts_as_the_original_labels(csv_run):
    from trainfn_gen import load_model

    tmp, _ = csv_run
    new = _table().sample(20, random_state=1).drop(columns="species")
    new.to_csv(tmp / "new.csv", index=False)
    result = _predict(str(tmp / "out" / "best"), str(tmp / "new.csv"), "-o", str(tmp / "predicted.csv"))
    assert result.exit_code == 0, result.output + result.stderr
    written = pd.read_csv(tmp / "predicted.csv")
    assert list(written.columns) == ["species"] and len(written) == 20
    expected = load_model(tmp / "out" / "best").predict(pd.read_csv(tmp / "new.csv"))
    assert written["species"].tolist() == list(expected)
    assert set(expected) <= {"setosa", "versicolor", "virginica"}
    printed = _predict(str(tmp / "out" / "best"), str(tmp / "new.csv"))
    assert printed.exit_code == 0 and printed.stdout == (tmp / "predicted.csv").read_text(), "without -o the same CSV on stdout"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="pw"), r"bad\.csv: column 'pw' is missing; the model takes the 5 columns 'sl', 'sw', 'pl', 'pw', 'color' \(best/metadata.json lists them\)"),
        (lambda f: f.assign(weight=1.0), r"bad\.csv: column 'weight' was not in the training data"),
        (lambda f: f.assign(sl=["abc", *f["sl"].iloc[1:]]), r"bad\.csv: column 'sl': value 'abc' \(line 2\) is not a number; the model was trained on float64 values"),
    ],
    ids=["missing", "extra", "dtype"],
)
def test_bad_data_is_one_paragraph_exit_1_and_writes_nothing(csv_run, change, message):
    tmp, _ = csv_run
    change(_table().head(5).drop(columns="species")).to_csv(tmp / "bad.csv", index=False)
    result = _predict(str(tmp / "out" / "best"), str(tmp / "bad.csv"), "-o", str(tmp / "bad_out.csv"))
    assert result.exit_code == 1 and result.stdout == ""
    assert re.search(message, result.stderr) and result.stderr.count("\n") == 1, result.stderr
    assert not (tmp / "bad_out.csv").exists() and not list(tmp.glob(".bad_out.csv*"))


def test_usage_errors_exit_2(csv_run):
    tmp, _ = csv_run
    missing = _predict(str(tmp / "out" / "best"))
    assert missing.exit_code == 2 and "Missing argument 'DATA'" in missing.stderr
    assert _predict(str(tmp / "out" / "best"), str(tmp / "iris.csv"), "--bogus").exit_code == 2


def test_reordered_columns_target_and_unseen_categories_are_notes(csv_run):
    from trainfn_gen import load_model

    tmp, _ = csv_run
    good = _table().head(6)
    shuffled = good[["color", "pw", "species", "sl", "pl", "sw"]].copy()
    shuffled.loc[shuffled.index[0], "color"] = "green"
    shuffled.to_csv(tmp / "shuffled.csv", index=False)
    result = _predict(str(tmp / "out" / "best"), str(tmp / "shuffled.csv"))
    assert result.exit_code == 0, result.stderr
    assert "shuffled.csv: column 'species' is the target the model predicts; it was dropped" in result.stderr
    assert "shuffled.csv: the columns were in another order; they were put in the trained order" in result.stderr
    assert "shuffled.csv: column 'color': value 'green' never seen in training" in result.stderr
    model = load_model(tmp / "out" / "best")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        expected = model.predict(shuffled)
    assert {"the columns were in another order" in str(w.message) for w in caught} >= {True}
    assert result.stdout.split() == ["species", *expected]
    with pytest.raises(Exception, match="column 'pw' is missing"):
        model.predict(good.drop(columns=["pw"]))
    features = good.drop(columns="species")
    with pytest.warns(UserWarning, match="taken as the training columns in their order"):
        assert list(model.predict(features.to_numpy())) == list(model.predict(features))


def test_optimize_result_names_objective_and_protocol(tmp_path):
    import trainfn_gen
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    result = trainfn_gen.optimize(str(_space(tmp_path / "forest.json")), X, y, cv="none", trials=2, output_dir=tmp_path / "out", verbose=False)
    assert (result.objective, result.protocol) == ("-accuracy", "one 20% holdout")
    assert json.loads((result.best / "metadata.json").read_text())["protocol"] == result.protocol
