"""Issue 8's bad-input battery, beyond the cases tests/test_cli.py already covers (malformed JSON, empty
file, unknown extension, no family, conflicting task, unknown selector values, output folder).

Every case: exit 1, one paragraph on stderr naming the file and, where one is at fault, the
hyperparameter; the pinned text; no partial file; an existing output file left byte-identical (R09
decides what "outside what the estimator accepts" means; R06/R11 why a name never becomes a variable).
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from ConfigSpace import (
    Categorical,
    ConfigurationSpace,
    EqualsCondition,
    Float,
    ForbiddenAndConjunction,
    ForbiddenEqualsClause,
    ForbiddenInClause,
    Integer,
    OrdinalHyperparameter,
)
from harness import as_numpy, configurations, load_train, make_dataset
from test_cli import EXISTING, assert_one_paragraph_error, invoke
from trainfn_gen import write as write_module

SPACES = Path(__file__).resolve().parent.parent / "golden" / "spaces"


def _json(tmp: Path, name: str, space: ConfigurationSpace) -> Path:
    space.to_json(tmp / name)
    return tmp / name


def _text(tmp: Path, name: str, text: str) -> Path:
    (tmp / name).write_text(text, encoding="utf-8")
    return tmp / name


def _default_outside(tmp: Path, suffix: str) -> Path:
    if suffix == "json":
        space = ConfigurationSpace({"C": (0.1, 10.0), "kernel": ["rbf", "linear"]})
        path = _json(tmp, "default.json", space)
        data = json.loads(path.read_text())
        data["hyperparameters"][0]["default_value"] = 50.0
        path.write_text(json.dumps(data))
        return path
    if suffix == "yaml":
        return _text(tmp, "default.yaml", "hyperparameters:\n  - name: C\n    type: uniform_float\n    lower: 0.1\n    upper: 10.0\n    default_value: 50.0\n")
    return _text(tmp, "default.pcs", "C real [0.1, 10.0] [50.0]\n")


def _negative_c(tmp: Path) -> Path:
    space = ConfigurationSpace()
    space.add([OrdinalHyperparameter("C", [-1.0, -0.5]), Categorical("kernel", ["rbf", "linear"])])
    return _json(tmp, "negative_c.json", space)


def _unreachable(tmp: Path, conjunction: bool) -> Path:
    space = ConfigurationSpace()
    selector = Categorical("classifier", ["rf", "svm", "gb"])
    imputer = Categorical("imputation_strategy", ["mean", "median"])
    c, trees = Float("C", (0.1, 10.0)), Integer("n_estimators", (10, 100))
    space.add([selector, imputer, c, trees])
    space.add([EqualsCondition(c, selector, "svm"), EqualsCondition(trees, selector, "rf")])
    if conjunction:
        # Forbidden together with every imputation strategy: no configuration with svm is left.
        space.add(ForbiddenAndConjunction(ForbiddenInClause(selector, ["svm", "gb"]), ForbiddenInClause(imputer, ["mean", "median"])))
    else:
        space.add(ForbiddenEqualsClause(selector, "svm"))
    return _json(tmp, "unreachable.json", space)


def _many(tmp: Path) -> Path:
    space = ConfigurationSpace()
    space.add([Integer(f"p{i}", (1, 10)) for i in range(500)])
    return _json(tmp, "many.json", space)


# id -> (builder(tmp) -> space path, the whole error line after "trainfn-gen: error: ").
# Messages that list every family are pinned up to the list, so a new family does not break them.
REFUSED = {
    "malformed_yaml": (
        lambda tmp: _text(tmp, "bad.yaml", "hyperparameters:\n  - name: C\n    type: [unclosed\n"),
        "bad.yaml: malformed YAML at line 4, column 1: expected ',' or ']', but got '<stream end>'.",
    ),
    "malformed_pcs": (
        lambda tmp: _text(tmp, "bad.pcs", "C real [0.1, 10 [1.0]\n"),
        "bad.pcs: line 1: not a valid SMAC pcs_new space: Could not parse: C real [0.1, 10 [1.0].",
    ),
    "malformed_python": (
        lambda tmp: _text(tmp, "space.py", "def get_configspace(:\n    pass\n"),
        "space.py: line 1: SyntaxError: invalid syntax.",
    ),
    "empty_yaml": (lambda tmp: _text(tmp, "empty.yaml", "\n  \n"), "empty.yaml: the file is empty."),
    "empty_space": (
        lambda tmp: _text(tmp, "nothing.json", '{"hyperparameters": [], "conditions": [], "forbiddens": []}'),
        "nothing.json: the search space has no hyperparameters.",
    ),
    "yaml_not_a_mapping": (
        lambda tmp: _text(tmp, "list.yaml", "- C\n- gamma\n"),
        "list.yaml: expected a YAML mapping with a 'hyperparameters' list, found list.",
    ),
    "default_outside_range_json": (
        lambda tmp: _default_outside(tmp, "json"),
        "default.json: hyperparameter 'C': not a valid ConfigSpace JSON space: Illegal default value 50.0 for hyperparamter 'C'.",
    ),
    "default_outside_range_yaml": (
        lambda tmp: _default_outside(tmp, "yaml"),
        "default.yaml: hyperparameter 'C': not a valid ConfigSpace YAML space: Illegal default value 50.0 for hyperparamter 'C'.",
    ),
    "default_outside_range_pcs": (
        lambda tmp: _default_outside(tmp, "pcs"),
        "default.pcs: hyperparameter 'C': not a valid SMAC pcs_new space: Illegal default value 50.0 for hyperparamter 'C'.",
    ),
    "negative_c": (
        _negative_c,
        "negative_c.json: hyperparameter 'C': its values (-1.0, -0.5) are not accepted by the SVC argument 'C' (it accepts values of at least 1e-10) (--strict refuses what no rule understands).",
    ),
    "zero_trees": (
        lambda tmp: _json(tmp, "trees.json", ConfigurationSpace({"n_estimators": (-5, 0), "max_depth": (1, 5)})),
        "trees.json: hyperparameter 'n_estimators': its range [-5, 0] holds no value the estimator accepts (at least 1).",
    ),
    "fraction_above_one": (
        lambda tmp: _json(tmp, "fraction.json", ConfigurationSpace({"n_estimators": (10, 100), "learning_rate": (0.01, 1.0), "subsample": (1.5, 3.0)})),
        "fraction.json: hyperparameter 'subsample': its range [1.5, 3.0] holds no value the estimator accepts (between 0.001 and 1.0).",
    ),
    "forbidden_leaves_family_unreachable": (
        lambda tmp: _unreachable(tmp, conjunction=False),
        "unreachable.json: hyperparameter 'classifier': a forbidden clause excludes every configuration with classifier = 'svm', so the support vector machine can never be trained; remove the value from the selector or narrow the forbidden clause.",
    ),
    "forbidden_conjunction_leaves_family_unreachable": (
        lambda tmp: _unreachable(tmp, conjunction=True),
        "unreachable.json: hyperparameter 'classifier': a forbidden clause excludes every configuration with classifier = 'svm', so the support vector machine can never be trained; remove the value from the selector or narrow the forbidden clause.",
    ),
    "five_hundred_unknown_hyperparameters": (
        _many,
        "many.json: none of its 500 searched hyperparameters is a setting of a supervised model this version can train (scikit-learn, XGBoost and LightGBM classifiers and regressors, PyTorch or TensorFlow networks); names such as 'p0', 'p1', 'p10', 'p100' are not. trainfn-gen generates a train() that fits a classifier or regressor; if the space does mean one, name its model in a selector (e.g. `classifier` with one value per family) or pass --family NAME.",
    ),
}


# Refused only under --strict: by default the hyperparameter is generated as unused, with a warning.
STRICT_ONLY = {"negative_c"}


def test_values_no_rule_accepts_are_unused_with_a_warning_unless_strict(tmp_path):
    result = invoke(_negative_c(tmp_path), "--task", "classification")
    assert result.exit_code == 0, result.output
    assert "trainfn-gen: warning:" in result.stderr and "hyperparameter 'C' is not used by train()" in result.stderr
    assert "#   C is not used: its values (-1.0, -0.5) are not accepted by the SVC argument 'C'" in result.stdout
    assert 'cfg.get("C")' not in result.stdout


@pytest.mark.parametrize("case", REFUSED)
def test_refused_input_is_one_pinned_paragraph_and_touches_no_file(tmp_path, case):
    build, expected = REFUSED[case]
    space = build(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "train.py"
    target.write_bytes(EXISTING)
    strict = ("--strict",) if case in STRICT_ONLY else ()
    line = assert_one_paragraph_error(invoke(space, "--task", "classification", *strict, "-o", target))
    text = line.removeprefix("trainfn-gen: error: ")
    assert text.startswith(expected) if expected.endswith(" ") else text == expected
    assert target.read_bytes() == EXISTING
    assert [p.name for p in folder.iterdir()] == ["train.py"]


def test_a_selector_value_forbidden_only_with_one_other_value_is_still_reachable(tmp_path):
    space = ConfigurationSpace()
    selector, imputer = Categorical("classifier", ["rf", "svm"]), Categorical("imputation_strategy", ["mean", "median"])
    space.add([selector, imputer, Float("C", (0.1, 10.0)), Integer("n_estimators", (10, 100))])
    space.add(ForbiddenAndConjunction(ForbiddenEqualsClause(selector, "svm"), ForbiddenEqualsClause(imputer, "mean")))
    result = invoke(_json(tmp_path, "partly.json", space), "--task", "classification")
    assert result.exit_code == 0, result.output


# --- names that are not Python identifiers: cfg.get keys only ----------------------------------

ODD_NAMES = {
    "modèle": ["rf", "svm"],  # a unicode selector: an identifier, but never the variable
    "max-depth": (1, 10),
    "classifier:rf:n estimators": (10, 100),
    "svm C": (0.1, 10.0),
    "svm.kernel": ["rbf", "linear"],
    "forêt:min samples leaf": (1, 4),
    "oops\n\"\"\"\\:random_state": (1, 5),  # a newline, quotes and a backslash in a name the model does not use
}


def test_names_that_are_not_identifiers_are_read_by_exact_key_only(tmp_path):
    space = _json(tmp_path, "odd names.json", ConfigurationSpace(ODD_NAMES))
    result = invoke(space, "--task", "classification")
    assert result.exit_code == 0, result.output
    tree = ast.parse(result.stdout)
    keys = {node.args[0].value for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get" and getattr(node.func.value, "id", "") == "cfg"}
    unused = "oops\n\"\"\"\\:random_state"
    assert keys == set(ODD_NAMES) - {unused}
    assigned = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    assert "algorithm" in assigned
    assert not assigned & {"modèle", "max_depth"}
    assert "#   oops\\n\"\"\"\\:random_state is not used: the seed comes from SMAC's `seed` argument (R21)" in result.stdout
    target = tmp_path / "train_odd.py"
    target.write_text(result.stdout, encoding="utf-8")
    train = load_train(target)
    loaded = ConfigurationSpace(ODD_NAMES)
    for config in configurations(loaded, 3, seed=0):
        loss = train({k: as_numpy(v) for k, v in config.items()}, make_dataset("iris", pandas=True, given_test=False), seed=0)
        assert -1.0 <= loss <= 0.0


@pytest.mark.parametrize("selector", ["class", "print", "as_choice", "model"])
def test_a_selector_named_like_a_keyword_builtin_or_local_is_not_the_variable(tmp_path, selector):
    space = _json(tmp_path, "selector.json", ConfigurationSpace({selector: ["rf", "svm"], "C": (0.1, 1.0), "n_estimators": (10, 20)}))
    result = invoke(space, "--task", "classification")
    assert result.exit_code == 0, result.output
    assert f'algorithm = as_choice(cfg.get("{selector}")' in result.stdout


def test_five_hundred_hyperparameters_generate_when_they_are_known_settings(tmp_path):
    space = ConfigurationSpace()
    space.add([Integer("n_estimators", (10, 100))] + [Float(f"feature_preprocessor:fast_ica:p{i}", (0.0, 1.0)) for i in range(499)])
    result = invoke(_json(tmp_path, "wide.json", space), "--task", "classification")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("is not used: no setting of auto-sklearn's fast ICA (fast_ica) that this version knows") == 499
    compile(result.stdout, "wide.py", "exec")


# --- output paths -------------------------------------------------------------------------------

SPACE = SPACES / "17.json"


def test_output_path_under_a_file_is_refused(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_bytes(EXISTING)
    target = blocker / "train.py"
    assert_one_paragraph_error(invoke(SPACE, "-o", target), f"{target}: the output folder {blocker} is a file, not a folder.")
    assert blocker.read_bytes() == EXISTING


def test_output_path_that_is_a_folder_keeps_the_folder_as_it_was(tmp_path):
    (tmp_path / "keep.py").write_bytes(EXISTING)
    assert_one_paragraph_error(invoke(SPACE, "-o", tmp_path), f"{tmp_path}: the output path is a folder; give a file name such as train.py.")
    assert [p.name for p in tmp_path.iterdir()] == ["keep.py"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_unwritable_output_folder_is_refused(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "train.py").write_bytes(EXISTING)
    folder.chmod(0o555)
    try:
        line = assert_one_paragraph_error(invoke(SPACE, "-o", folder / "train.py"), str(folder / "train.py"))
        assert "read-only" in line or "Permission denied" in line
        assert (folder / "train.py").read_bytes() == EXISTING
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("failing", ["mkstemp", "replace"])
def test_a_write_that_fails_midway_leaves_no_partial_file(tmp_path, monkeypatch, failing):
    """Disk full, permissions, a read-only mount: simulated where root would write anyway."""
    target = tmp_path / "train.py"
    target.write_bytes(EXISTING)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    if failing == "mkstemp":
        monkeypatch.setattr(write_module.tempfile, "mkstemp", refuse)
    else:
        monkeypatch.setattr(write_module.os, "replace", refuse)
    assert_one_paragraph_error(invoke(SPACE, "-o", target), f"{target}: cannot write the output file (Permission denied).")
    assert target.read_bytes() == EXISTING
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]
