"""Issue 22 items 4 and 5: the user corrects any reading in one line (--map HP=Class.argument, --unused HP,
--family VALUE=FAMILY; pyproject keys; API keywords; the header keeps them) and unused is loud (R06)."""

from __future__ import annotations

import json
import shlex
import warnings
from pathlib import Path

import joblib
import pytest
import trainfn_gen
from click.testing import CliRunner
from harness import dataset, load_train
from trainfn_gen.commands.cli import main

# `woods` is no name any rule reads (unused, with a warning).
FOREST = {"hyperparameters": [
    {"name": "woods", "type": "uniform_int", "lower": 5, "upper": 40, "default_value": 10},
    {"name": "max_depth", "type": "uniform_int", "lower": 2, "upper": 6, "default_value": 3},
]}
# `memo` feeds SVC's cache_size, an argument of no family table: its Param comes from the snapshot ((0, inf)).
SVC_SPACE = {"hyperparameters": [
    {"name": "C", "type": "uniform_float", "lower": 0.1, "upper": 10.0, "log": True, "default_value": 1.0},
    {"name": "memo", "type": "uniform_float", "lower": -10.0, "upper": 500.0, "default_value": 100.0},
    {"name": "n_jobs", "type": "uniform_int", "lower": 1, "upper": 4, "default_value": 1},
    {"name": "seed", "type": "uniform_int", "lower": 1, "upper": 4, "default_value": 1},
    {"name": "k", "type": "constant", "value": 3},
]}
# A selector whose value `mystery` names no family.
SELECTED = {
    "hyperparameters": [
        {"name": "model", "type": "categorical", "choices": ["random_forest", "mystery"], "default_value": "random_forest"},
        {"name": "n_estimators", "type": "uniform_int", "lower": 5, "upper": 20, "default_value": 10},
        {"name": "C", "type": "uniform_float", "lower": 0.1, "upper": 10.0, "default_value": 1.0},
    ],
    "conditions": [
        {"child": "n_estimators", "parent": "model", "type": "EQ", "value": "random_forest"},
        {"child": "C", "parent": "model", "type": "EQ", "value": "mystery"},
    ],
}


def write(tmp_path: Path, name: str, space: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(space))
    return path


def cli(*args, cwd: Path | None = None):
    return CliRunner().invoke(main, [str(a) for a in args])


def fitted(tmp_path: Path, source: str, config: dict, data: str = "iris"):
    """Run the generated train() on sklearn data and return the saved (fitted) estimator."""
    (tmp_path / "train_fit.py").write_text(source)
    train = load_train(tmp_path / "train_fit.py")
    X, y = dataset(data)
    models = tmp_path / "models"
    train(config, {"X": X, "y": y}, seed=0, model_dir=str(models))
    (saved,) = sorted(models.glob("*.joblib"))
    model = joblib.load(saved)
    while hasattr(model, "steps"):  # the pipeline's last step (a scaler's pipeline nests the estimator)
        model = model.steps[-1][1]
    return model


def test_map_corrects_a_misread_name_in_the_code_and_in_the_fitted_model(tmp_path):
    space = write(tmp_path, "forest.json", FOREST)
    before = cli("generate", space, "--task", "classification")
    assert before.exit_code == 0 and "#   woods is not used: not recognized" in before.stdout  # the misreading
    out = tmp_path / "train_forest.py"
    result = cli("generate", space, "--task", "classification", "--map", "woods=RandomForestClassifier.n_estimators", "-o", out)
    assert result.exit_code == 0, result.output
    source = out.read_text()
    assert 'n_estimators=as_int(cfg.get("woods"), 10, 5, 40)' in source  # the family's Param: cast and clipped
    model = fitted(tmp_path, source, {"woods": 7, "max_depth": 3})
    assert type(model).__name__ == "RandomForestClassifier" and model.get_params()["n_estimators"] == 7


def test_map_onto_a_classifier_uses_its_regressor_for_regression(tmp_path):
    space = write(tmp_path, "forest.json", FOREST)
    result = cli("generate", space, "--task", "regression", "--map", "woods=RandomForestClassifier.n_estimators")
    assert result.exit_code == 0, result.output
    model = fitted(tmp_path, result.stdout, {"woods": 9, "max_depth": 3}, data="diabetes")
    assert type(model).__name__ == "RandomForestRegressor" and model.get_params()["n_estimators"] == 9


def test_map_onto_an_argument_no_family_table_holds_is_clipped_by_the_snapshots_interval(tmp_path):
    """R07 R09: SVC's cache_size accepts (0, inf): a negative value of the space is clipped into it."""
    space = write(tmp_path, "svc.json", SVC_SPACE)
    result = cli("generate", space, "--task", "classification", "--map", "memo=SVC.cache_size")
    assert result.exit_code == 0, result.output
    assert 'cache_size=as_float(cfg.get("memo"), 100.0, 1e-12, 500.0)' in result.stdout
    model = fitted(tmp_path, result.stdout, {"C": 1.0, "memo": -5.0, "n_jobs": 1, "seed": 1, "k": 3})
    assert type(model).__name__ == "SVC" and 0 < model.get_params()["cache_size"] <= 1e-9


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mem=SVC.cache_size", "the space has no hyperparameter 'mem' (did you mean 'memo'?)"),
        ("memo=SVM.cache_size", "'SVM' is not an estimator class the families know (did you mean SVR, SVC?)"),
        ("memo=SVC.cachesize", "SVC has no argument 'cachesize' (did you mean cache_size?); its arguments are: C, break_ties"),
        ("memo", "write HP=Class.argument"),
        ("memo=SVC.random_state", "takes SMAC's seed"),
    ],
)
def test_a_bad_map_exits_1_with_one_paragraph_and_writes_nothing(tmp_path, value, expected):
    space = write(tmp_path, "svc.json", SVC_SPACE)
    out = tmp_path / "train.py"
    result = cli("generate", space, "--task", "classification", "--map", value, "-o", out)
    assert result.exit_code == 1 and not out.exists()
    error = [line for line in result.stderr.splitlines() if line.startswith("trainfn-gen: error:")]
    assert len(error) == 1 and expected in error[0] and "--map" in error[0]


def test_unused_states_the_users_reason_in_the_code_explain_and_a_warning(tmp_path):
    space = write(tmp_path, "svc.json", SVC_SPACE)
    result = cli("generate", space, "--task", "classification", "--map", "memo=SVC.cache_size", "--unused", "C")
    assert result.exit_code == 0, result.output
    assert "#   C is not used: unused by the user's --unused" in result.stdout and 'cfg.get("C")' not in result.stdout
    assert "hyperparameter 'C' is not used by train(): unused by the user's --unused" in result.stderr
    rows = {row["name"]: row for row in json.loads(cli("explain", space, "--task", "classification", "--unused", "C", "--json").stdout)["hyperparameters"]}
    assert rows["C"]["status"] == "unused" and rows["C"]["reason"] == "unused by the user's --unused"
    bad = cli("generate", space, "--unused", "Cee")
    assert bad.exit_code == 1 and "--unused 'Cee': the space has no hyperparameter 'Cee'" in bad.stderr


def test_unused_is_loud_but_for_constants(tmp_path):
    """Item 5: every searched hyperparameter that is unused warns, one stderr line each, whatever the reason,
    SMAC's own names (a searched `seed`) too, since SMAC spends trials on them; not a constant (`k`)."""
    space = write(tmp_path, "svc.json", SVC_SPACE)
    result = cli("generate", space, "--task", "classification", "--map", "memo=SVC.cache_size")
    warned = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert warned == [f"trainfn-gen: warning: {space}: hyperparameter 'n_jobs' is not used by train(): each trial runs single-threaded; parallelism comes from SMAC's workers",
                      f"trainfn-gen: warning: {space}: hyperparameter 'seed' is not used by train(): the seed comes from SMAC's `seed` argument (R21)"]
    assert "#   seed is not used" in result.stdout and "#   k is not used" in result.stdout


def test_family_value_trains_a_selector_value_no_rule_names(tmp_path):
    space = write(tmp_path, "selected.json", SELECTED)
    before = cli("generate", space, "--task", "classification")
    assert before.exit_code == 1 and "'mystery' names no model family" in before.stderr
    result = cli("generate", space, "--task", "classification", "--family", "mystery=svm")
    assert result.exit_code == 0, result.output
    assert "SVC(" in result.stdout and 'C=as_float(cfg.get("C")' in result.stdout
    assert "--family mystery=svm" in result.stdout.splitlines()[1]
    model = fitted(tmp_path, result.stdout, {"model": "mystery", "C": 2.0})
    assert type(model).__name__ == "SVC" and model.get_params()["C"] == 2.0
    bad = cli("generate", space, "--family", "other=svm")
    assert bad.exit_code == 1 and "'other' is not a value of the selector" in bad.stderr
    assert cli("generate", space, "--family", "mystery=nothing").exit_code == 2  # a usage error, as an unknown --family


def test_header_records_the_corrections_and_regenerates_the_same_bytes(tmp_path, monkeypatch):
    space = write(tmp_path, "forest.json", FOREST)
    out = tmp_path / "train_forest.py"
    args = ["--task", "classification", "--map", "woods=RandomForestClassifier.n_estimators", "--unused", "max_depth"]
    assert cli("generate", space, *args, "-o", out).exit_code == 0
    first = out.read_bytes()
    command = first.decode().splitlines()[1].lstrip("#").strip()
    assert command == "trainfn-gen generate forest.json --task classification --map woods=RandomForestClassifier.n_estimators --unused max_depth"
    monkeypatch.chdir(tmp_path)
    again = CliRunner().invoke(main, shlex.split(command)[1:])
    assert again.exit_code == 0 and again.stdout.encode() == first


def test_header_quotes_a_hostile_name_and_no_user_text_becomes_code(tmp_path):
    hostile = 'x"); import os #\nevil'
    space = {"hyperparameters": [*FOREST["hyperparameters"], {"name": hostile, "type": "uniform_float", "lower": 0.0, "upper": 1.0, "default_value": 0.5}]}
    path = write(tmp_path, "forest.json", space)
    result = cli("generate", path, "--task", "classification", "--map", "woods=RandomForestClassifier.n_estimators", "--unused", hostile)
    assert result.exit_code == 0, result.output
    compile(result.stdout, "train.py", "exec")
    assert result.stdout.splitlines()[1].startswith("#   trainfn-gen generate")
    assert all(line.lstrip().startswith("#") for line in result.stdout.splitlines() if 'x");' in line)


def test_api_keywords_map_unused_and_family_values(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = trainfn_gen.generate(FOREST, task="classification", map={"woods": "RandomForestClassifier.n_estimators"}, unused=["max_depth"])
    assert 'n_estimators=as_int(cfg.get("woods")' in source
    assert "trainfn_gen.generate(space, task='classification', map={'woods': 'RandomForestClassifier.n_estimators'}, unused=['max_depth'])" in source
    assert [str(w.message) for w in caught] == ["hyperparameter 'max_depth' is not used by train(): unused by the user's --unused"]
    assert all(w.category is trainfn_gen.GeneratorWarning for w in caught)
    chosen = trainfn_gen.generate(SELECTED, task="classification", family={"mystery": "svm"})
    assert "SVC(" in chosen
    explained = trainfn_gen.explain(FOREST, task="classification", map={"woods": "RandomForestClassifier.n_estimators"})
    row = next(r for r in explained["hyperparameters"] if r["name"] == "woods")
    assert row["uses"][0]["argument"] == "n_estimators" and "--map woods=RandomForestClassifier.n_estimators" in row["reason"]
    with pytest.raises(trainfn_gen.GeneratorError, match="no argument 'n_trees'"):
        trainfn_gen.generate(FOREST, map={"woods": "RandomForestClassifier.n_trees"})


def test_explain_ends_with_the_line_that_corrects_a_reading_with_an_example_from_the_space(tmp_path):
    """The example maps an unused hyperparameter onto the argument its words name (`cache_mb` -> cache_size),
    never onto one that merely takes its values (`memo` -> epsilon) nor SMAC's seed; else it shows --unused."""
    space = write(tmp_path, "svc.json", SVC_SPACE)
    text = cli("explain", space, "--task", "classification", "--family", "svm").stdout
    last = " ".join(text.split("\n\n")[-1].split())
    assert last == "to correct a reading: --map HP=Class.argument, --unused HP, --family VALUE=FAMILY (e.g. --unused C)"
    named = dict(SVC_SPACE, hyperparameters=[*SVC_SPACE["hyperparameters"], {"name": "cache_mb", "type": "uniform_float", "lower": 50.0, "upper": 500.0, "default_value": 100.0}])
    text = cli("explain", write(tmp_path, "named.json", named), "--task", "classification", "--family", "svm").stdout
    assert " ".join(text.split("\n\n")[-1].split()).endswith("(e.g. --map cache_mb=SVC.cache_size)")


def test_sync_and_pyproject_take_map_unused_and_family_keys(tmp_path, monkeypatch):
    write(tmp_path, "forest.json", FOREST)
    write(tmp_path, "selected.json", SELECTED)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.trainfn-gen]\ntask = "classification"\n'
        '[tool.trainfn-gen.targets.forest]\nspace = "forest.json"\noutput = "train_forest.py"\n'
        'map = ["woods=RandomForestClassifier.n_estimators"]\nunused = "max_depth"\n'
        '[tool.trainfn-gen.targets.selected]\nspace = "selected.json"\noutput = "train_selected.py"\nfamily = ["mystery=svm"]\n'
    )
    result = CliRunner().invoke(main, ["sync", "--config", str(tmp_path / "pyproject.toml")])
    assert result.exit_code == 0, result.output
    forest = (tmp_path / "train_forest.py").read_text()
    assert 'n_estimators=as_int(cfg.get("woods")' in forest and "#   max_depth is not used: unused by the user's --unused" in forest
    assert "SVC(" in (tmp_path / "train_selected.py").read_text()
    # [tool.trainfn-gen] itself: defaults of generate's flags, the repeatable ones included.
    (tmp_path / "pyproject.toml").write_text('[tool.trainfn-gen]\ntask = "classification"\nmap = ["woods=RandomForestClassifier.n_estimators"]\n')
    monkeypatch.chdir(tmp_path)
    generated = CliRunner().invoke(main, ["generate", "forest.json"])
    assert generated.exit_code == 0, generated.output
    assert generated.stdout == CliRunner().invoke(main, ["generate", "forest.json", "--task", "classification", "--map", "woods=RandomForestClassifier.n_estimators"]).stdout
