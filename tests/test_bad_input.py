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
from trainfn_gen.engine import write as write_module

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
GENERATED = b"# Generated by trainfn-gen 0.0.1 from old.json. Do not edit: regenerate with trainfn-gen.\n"


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
    target.write_bytes(GENERATED)  # an earlier output, which the write may replace

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    if failing == "mkstemp":
        monkeypatch.setattr(write_module.tempfile, "mkstemp", refuse)
    else:
        monkeypatch.setattr(write_module.os, "replace", refuse)
    assert_one_paragraph_error(invoke(SPACE, "-o", target), f"{target}: cannot write the output file (Permission denied).")
    assert target.read_bytes() == GENERATED
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]


# --- file safety (issue 15): never a user's file lost, never a write outside the project ----------------

FOREIGN = "the file exists and was not written by trainfn-gen (its first line is not '# Generated by trainfn-gen ...'); refusing to overwrite it. Choose another output path, move the file away, or pass --force."


def test_a_hand_written_output_is_refused_unless_force(tmp_path):
    target = tmp_path / "mytrain.py"
    target.write_bytes(EXISTING)
    assert_one_paragraph_error(invoke(SPACE, "-o", target), f"trainfn-gen: error: {target}: {FOREIGN}")
    assert target.read_bytes() == EXISTING
    forced = invoke(SPACE, "-o", target, "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_text().startswith("# Generated by trainfn-gen")


def test_the_space_itself_as_output_is_refused_even_with_a_header(tmp_path):
    space = tmp_path / "own.json"
    space.write_bytes(SPACE.read_bytes())
    line = assert_one_paragraph_error(invoke(space, "-o", space))
    assert line == f"trainfn-gen: error: {space}: the output is also an input of this command ({space}); writing would replace it. Choose another output path (or pass --force)."
    assert space.read_bytes() == SPACE.read_bytes()


def _sync(tmp_path: Path, table: str):
    from click.testing import CliRunner
    from trainfn_gen.commands.cli import main

    (tmp_path / "forest.json").write_bytes(SPACE.read_bytes())
    (tmp_path / "pyproject.toml").write_text(table, encoding="utf-8")
    return CliRunner().invoke(main, ["sync", "--config", str(tmp_path / "pyproject.toml")])


def test_a_sync_target_writing_its_own_space_is_refused(tmp_path):
    result = _sync(tmp_path, '[tool.trainfn-gen.targets.own]\nspace = "forest.json"\noutput = "forest.json"\n')
    assert result.exit_code == 1
    assert f"the output is also an input of this command ({tmp_path / 'forest.json'})" in result.stderr
    assert (tmp_path / "forest.json").read_bytes() == SPACE.read_bytes()


@pytest.mark.parametrize("output", ["../outside.py", "/tmp/trainfn_gen_outside.py", "sub/../../outside.py"])
def test_a_sync_target_outside_the_project_folder_is_refused(tmp_path, output):
    project = tmp_path / "project"
    project.mkdir()
    result = _sync(project, f'[tool.trainfn-gen.targets.away]\nspace = "forest.json"\noutput = "{output}"\n')
    assert result.exit_code == 1
    assert result.stderr == (
        f"trainfn-gen: error: target 'away': {project / 'pyproject.toml'}: [tool.trainfn-gen.targets.away] writes {output}, outside the "
        f"pyproject's folder {project}; keep outputs inside it or add `allow_outside = true` to the table.\n"
    )
    assert not (tmp_path / "outside.py").exists() and not Path("/tmp/trainfn_gen_outside.py").exists()


def test_a_sync_target_may_write_outside_when_the_table_says_so(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    result = _sync(project, '[tool.trainfn-gen.targets.away]\nspace = "forest.json"\noutput = "../outside.py"\nallow_outside = true\n')
    assert result.exit_code == 0, result.output
    assert (tmp_path / "outside.py").read_text().startswith("# Generated by trainfn-gen")


def test_run_never_overwrites_a_hand_written_train_py(tmp_path):
    from click.testing import CliRunner
    from trainfn_gen.commands.cli import main

    (tmp_path / "train.py").write_bytes(EXISTING)
    result = CliRunner().invoke(main, ["run", str(SPACE), "--dataset", "sklearn:iris", "--output-dir", str(tmp_path), "--trials", "1"])
    assert_one_paragraph_error(result, f"{tmp_path / 'train.py'}: {FOREIGN}")
    assert (tmp_path / "train.py").read_bytes() == EXISTING


def test_an_existing_output_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path):
    kept = tmp_path / "kept.py"
    kept.write_bytes(GENERATED)
    kept.chmod(0o644)
    previous = os.umask(0o027)
    try:
        assert invoke(SPACE, "-o", kept).exit_code == 0
        assert invoke(SPACE, "-o", tmp_path / "new.py").exit_code == 0
    finally:
        os.umask(previous)
    assert kept.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "new.py").stat().st_mode & 0o777 == 0o640


def test_a_symlinked_output_is_written_through(tmp_path):
    real = tmp_path / "real" / "train.py"
    real.parent.mkdir()
    real.write_bytes(GENERATED)
    link = tmp_path / "train.py"
    link.symlink_to(real)
    result = invoke(SPACE, "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("# Generated by trainfn-gen 0.1.0 from 17.json.")


def test_a_space_file_name_with_a_newline_stays_in_the_header_comment(tmp_path):
    name = "evil\nraise SystemExit(3)\n#.json"
    space = tmp_path / name
    space.write_bytes(SPACE.read_bytes())
    result = invoke(space, "--format", "json")
    assert result.exit_code == 0, result.output
    first, second, third = result.stdout.splitlines()[:3]
    assert first == "# Generated by trainfn-gen 0.1.0 from evil\\nraise SystemExit(3)\\n#.json. Do not edit: regenerate with"
    assert second.startswith("#   trainfn-gen generate ") and "\\n" in second
    assert third == '"""SMAC target function.'
    module = ast.parse(result.stdout)
    assert not [node for node in module.body if isinstance(node, ast.Raise)]


# --- .py spaces run in a child process under a time limit (issue 15) --------------------------------------

PY_SPACE = "from ConfigSpace import ConfigurationSpace\n\n\ndef get_configspace():\n    return ConfigurationSpace({'n_estimators': (10, 100), 'criterion': ['gini', 'entropy']})\n"


def test_a_py_space_that_never_returns_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    from trainfn_gen.space import python_space

    monkeypatch.setattr(python_space, "TIME_LIMIT", 3)
    space = _text(tmp_path, "space.py", "while True:\n    pass\n")
    assert_one_paragraph_error(
        invoke(space, "-o", tmp_path / "train.py"),
        "space.py: importing it and calling get_configspace() took longer than 3 s, so it was stopped; a .py space is code that runs and must return its space promptly.",
    )
    assert not (tmp_path / "train.py").exists()


def test_a_py_space_that_ends_the_process_is_an_error_not_a_silent_success(tmp_path):
    space = _text(tmp_path, "space.py", "import os\n\nos._exit(0)\n")
    line = assert_one_paragraph_error(invoke(space, "-o", tmp_path / "train.py"))
    assert line == "trainfn-gen: error: space.py: the process importing it ended with exit status 0 before get_configspace() returned a space."
    assert not (tmp_path / "train.py").exists()


def test_what_a_py_space_prints_or_patches_never_reaches_the_output(tmp_path):
    patching = "import trainfn_gen.engine.format\n\nprint('import os; os.system(\"echo pwned\")')\ntrainfn_gen.engine.format.format_source = lambda source: 'PATCHED'\n" + PY_SPACE
    first = invoke(_text(tmp_path, "space.py", patching))
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("# Generated by trainfn-gen 0.1.0 from space.py.") and "pwned" not in first.stdout
    second = invoke(SPACE)  # the same process afterwards: the generator is as it was
    assert second.stdout.startswith("# Generated by trainfn-gen 0.1.0 from 17.json.")
