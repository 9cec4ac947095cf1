"""load_space: every search-space format through ConfigSpace's own readers.

Bad input is the project rule "one GeneratorError paragraph naming the file, no traceback"; no R-rule
of RULES.md is specific to loading. Hyperparameter names need not be identifiers (R06 reads them with
`cfg.get('<exact name>')`), so `max-depth` and `classifier:rf:n_estimators` must load.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import warnings
from pathlib import Path

import pytest
from ConfigSpace import (
    Categorical,
    ConfigurationSpace,
    EqualsCondition,
    Float,
    ForbiddenAndConjunction,
    ForbiddenEqualsClause,
    InCondition,
    Integer,
)
from trainfn_gen.errors import GeneratorError
from trainfn_gen.space.load import load_space

SPACES = Path(__file__).parent / "data" / "spaces"
CORPUS = Path("/work/shared/corpus/automl-agent")
# mixed.json is mixed_space.py written by to_json; corpus_*.json are copies of
# /work/shared/corpus/automl-agent/{02,16,39}.json; the v02/v04 files are the pre-1.0 JSON format.
ROUND_TRIP = ["mixed", "corpus_02", "corpus_16", "corpus_39", "smac2_v04", "yahpo_v02"]
# Classic pcs: ConfigSpace's writer cannot write booleans (corpus_39), and its reader cannot read
# a forbidden clause on a numeric hyperparameter (corpus_02, see test_classic_pcs_numeric_forbidden).
ROUND_TRIP_CLASSIC = ["mixed", "corpus_16", "smac2_v04", "yahpo_v02"]


def _original(stem: str) -> ConfigurationSpace:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 0.2/0.4 files: "'default' should be 'default_value'"
        return ConfigurationSpace.from_json(SPACES / f"{stem}.json")


def _write(space: ConfigurationSpace, fmt: str, folder: Path) -> Path:
    """The space in `fmt`, written by ConfigSpace's own writer (or as a get_configspace() file)."""
    if fmt == "json":
        path = folder / "space.json"
        space.to_json(path, indent=2)
    elif fmt == "yaml":
        pytest.importorskip("yaml", reason="PyYAML is not installed")
        path = folder / "space.yaml"
        space.to_yaml(path)
    elif fmt in ("pcs", "pcs_new"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the pcs modules are deprecated
            from ConfigSpace.read_and_write import pcs, pcs_new

            path = folder / "space.pcs"
            path.write_text((pcs_new if fmt == "pcs_new" else pcs).write(space))
    else:
        path = folder / "space.py"
        path.write_text(
            "from ConfigSpace import ConfigurationSpace\n\n"
            f"SPACE = {space.to_serialized_dict()!r}\n\n\n"
            "def get_configspace():\n"
            "    return ConfigurationSpace.from_serialized_dict(SPACE)\n"
        )
    return path


def _as_pcs_sees_it(space: ConfigurationSpace) -> tuple:
    """pcs is text: values become strings, a one-value `in` becomes `==`, the name is lost."""

    def text(item: object) -> str:
        return re.sub(r" in \{([^,}]*)\}", r" == \1", str(item).replace("'", ""))

    return (
        sorted(str(hp) for hp in space.values()),
        sorted(text(condition) for condition in space.conditions),
        sorted(text(forbidden) for forbidden in space.forbidden_clauses),
    )


@pytest.mark.parametrize("fmt", ["json", "yaml", "python"])
@pytest.mark.parametrize("stem", ROUND_TRIP)
def test_round_trip_exact(stem: str, fmt: str, tmp_path: Path) -> None:
    original = _original(stem)
    assert load_space(_write(original, fmt, tmp_path)) == original


@pytest.mark.parametrize(
    ("stem", "fmt"),
    [(stem, "pcs_new") for stem in ROUND_TRIP] + [(stem, "pcs") for stem in ROUND_TRIP_CLASSIC],
)
def test_round_trip_pcs(stem: str, fmt: str, tmp_path: Path) -> None:
    original = _original(stem)
    loaded = load_space(_write(original, fmt, tmp_path))  # .pcs: the dialect is found by content
    assert _as_pcs_sees_it(loaded) == _as_pcs_sees_it(original)
    assert load_space(tmp_path / "space.pcs", fmt=fmt) == loaded


@pytest.mark.parametrize(
    "name", ["mixed.json", "mixed.yaml", "mixed_classic.pcs", "mixed_new.pcs", "mixed_space.py"]
)
def test_committed_files_hold_the_mixed_space(name: str) -> None:
    if name.endswith(".yaml"):
        pytest.importorskip("yaml", reason="PyYAML is not installed")
    loaded = load_space(SPACES / name)
    if name.endswith(".pcs"):
        assert loaded.name is None  # pcs has no name; otherwise the space is exact
        loaded.name = "mixed"
    assert loaded == _original("mixed")
    assert {"max-depth", "classifier:rf:n_estimators", "svm:C"} <= set(loaded)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
def test_whole_corpus_loads() -> None:
    for path in sorted(CORPUS.glob("*.json")):
        assert load_space(path) == ConfigurationSpace.from_json(path), path.name


def test_yahpo_v02_with_default_key() -> None:
    expected = ConfigurationSpace()
    splitrule = Categorical("splitrule", ["gini", "extratrees"], default="gini")
    splits = Integer("num.random.splits", (1, 100), default=1)
    expected.add(
        [
            Integer("num.trees", (1, 2000), default=1000),
            splitrule,
            splits,
            Float("sample.fraction", (0.1, 1.0), default=0.55),
            Float("trainsize", (0.03, 1.0), default=0.525),
        ]
    )
    expected.add(EqualsCondition(splits, splitrule, "extratrees"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the loader silences ConfigSpace's UserWarning
        assert load_space(SPACES / "yahpo_v02.json") == expected


def test_smac2_v04() -> None:
    expected = ConfigurationSpace(name="smac2-mlp")
    activation = Categorical("activation", ["logistic", "tanh", "relu"], default="tanh")
    solver = Categorical("solver", ["lbfgs", "sgd", "adam"], default="adam")
    batch = Integer("batch_size", (16, 512), default=64, log=True)
    schedule = Categorical("learning_rate", ["constant", "invscaling", "adaptive"])
    rate = Float("learning_rate_init", (0.0001, 1.0), default=0.001, log=True)
    expected.add([activation, solver, batch, schedule, rate, Integer("n_layer", (1, 5), default=1)])
    expected.add(
        [
            InCondition(batch, solver, ["sgd", "adam"]),
            EqualsCondition(schedule, solver, "sgd"),
            InCondition(rate, solver, ["sgd", "adam"]),
        ]
    )
    expected.add(
        ForbiddenAndConjunction(
            ForbiddenEqualsClause(activation, "logistic"), ForbiddenEqualsClause(solver, "lbfgs")
        )
    )
    assert load_space(str(SPACES / "smac2_v04.json")) == expected


@pytest.mark.parametrize(
    ("source", "target", "fmt"),
    [
        ("mixed.json", "space", None),
        ("mixed.json", "space.txt", None),
        ("mixed.json", "space.txt", "JSON"),
        ("mixed_new.pcs", "space", None),
        ("mixed_classic.pcs", "space.cfg", None),
        ("mixed_classic.pcs", "space.cfg", "pcs"),
        ("mixed_new.pcs", "space.txt", "pcs_new"),
        ("mixed_space.py", "space", None),
        ("mixed_space.py", "space.txt", "python"),
        ("mixed.yaml", "space.conf", None),
        ("mixed.yaml", "space.json", "yaml"),
    ],
)
def test_format_by_content_or_argument(
    source: str, target: str, fmt: str | None, tmp_path: Path
) -> None:
    if "yaml" in source:
        pytest.importorskip("yaml", reason="PyYAML is not installed")
    shutil.copy(SPACES / source, tmp_path / target)
    loaded = load_space(tmp_path / target, fmt)
    assert _as_pcs_sees_it(loaded) == _as_pcs_sees_it(_original("mixed"))


def _error(path: Path, fmt: str | None = None) -> GeneratorError:
    with pytest.raises(GeneratorError) as caught:
        load_space(path, fmt)
    error = caught.value
    assert error.__cause__ is None and (error.__suppress_context__ or error.__context__ is None)
    assert error.source == path.name
    return error


def _bad(tmp_path: Path, name: str, content: str | bytes, fmt: str | None = None) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return str(_error(path, fmt))


JSON_X = '{"hyperparameters": [{"type": "uniform_float", "name": "x", "lower": 0, "upper": 1, '


def test_bad_files_and_folders(tmp_path: Path) -> None:
    assert str(_error(tmp_path / "nope.json")) == "nope.json: no such file."
    (tmp_path / "spaces.json").mkdir()
    assert (
        str(_error(tmp_path / "spaces.json"))
        == "spaces.json: is a folder, not a search-space file."
    )
    assert _bad(tmp_path, "empty.pcs", " \n\n") == "empty.pcs: the file is empty."
    assert _bad(tmp_path, "latin.json", b'{"a": "\xe9"}') == "latin.json: not UTF-8 text (byte 7)."


BAD_CONTENT = [
    (
        "broken.json",
        '{"hyperparameters": [\n  {"type": "uniform_float",\n   "name": "x" "lower": 0}]}',
        "broken.json: malformed JSON at line 3, column 16: Expecting ',' delimiter.",
    ),
    (
        "list.json",
        "[1, 2]",
        "list.json: expected a JSON mapping with a 'hyperparameters' list, found list.",
    ),
    (
        "default.json",
        JSON_X + '"default_value": 5}]}',
        (
            "default.json: hyperparameter 'x': not a valid ConfigSpace JSON space: "
            "Illegal default value 5.0 for hyperparamter 'x'."
        ),
    ),
    (
        "orphan.json",
        JSON_X + '"default_value": 0.5}],\n "conditions": [{"type": "EQ", "child": "x", '
        '"parent": "y", "value": 1}]}',
        "orphan.json: not a valid ConfigSpace JSON space: no hyperparameter or field named 'y'.",
    ),
    (
        "none.json",
        '{"hyperparameters": []}',
        "none.json: the search space has no hyperparameters.",
    ),
    (
        "unparsable.pcs",
        "# a pcs_new space\nx real [0, 1] [0.5]\n\nx real [0,  1 [0.5]  # typo\n",
        "unparsable.pcs: line 4: not a valid SMAC pcs_new space: Could not parse: x real [0, 1 [0.5].",
    ),
    (
        "mixed_dialects.pcs",
        "x [0, 1] [0.5]\ny categorical {a, b} [a]\n",
        "mixed_dialects.pcs: line 1: not a valid SMAC pcs_new space: Could not parse: x [0, 1] [0.5].",
    ),
    (
        "undefined.pcs",
        "x [0, 1] [0.5]\ny {a, b} [a]\nx | z in {a}\n",
        "undefined.pcs: hyperparameter 'z': not a valid SMAC pcs space: 'z' is used but never defined.",
    ),
    (
        "forbidden.pcs",
        "y {a, b} [a]\n\n{y=}\n",
        "forbidden.pcs: line 3: not a valid SMAC pcs space: Could not parse: {y=}.",
    ),
    (
        "default.pcs",
        "x [0, 1] [5]\n",
        (
            "default.pcs: hyperparameter 'x': not a valid SMAC pcs space: "
            "Illegal default value 5.0 for hyperparamter 'x'."
        ),
    ),
    (
        "comments.pcs",
        "# nothing here\n",
        "comments.pcs: the search space has no hyperparameters.",
    ),
    (
        "notes.txt",
        "just some notes\n",
        (
            "notes.txt: cannot tell the search-space format from the file's name or content; accepted "
            "formats: json (.json), yaml (.yaml, .yml), pcs or pcs_new (.pcs), python (.py)."
        ),
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), BAD_CONTENT, ids=[c[0] for c in BAD_CONTENT]
)
def test_bad_content(name: str, content: str, expected: str, tmp_path: Path) -> None:
    assert _bad(tmp_path, name, content) == expected


def test_bad_format_argument(tmp_path: Path) -> None:
    message = _bad(tmp_path, "space.json", "{}", fmt="toml")
    assert message == (
        "space.json: unknown search-space format 'toml'; "
        "accepted formats: json, yaml, pcs, pcs_new, python."
    )
    forced = _bad(tmp_path, "space.pcs", "x real [0, 1] [0.5]\n", fmt="pcs")
    assert (
        forced
        == "space.pcs: line 1: not a valid SMAC pcs space: Could not parse: x real [0, 1] [0.5]."
    )


def test_classic_pcs_numeric_forbidden(tmp_path: Path) -> None:
    """ConfigSpace's classic reader passes '2' (a string) to an integer forbidden clause."""
    message = str(_error(_write(_original("corpus_02"), "pcs", tmp_path)))
    assert message == (
        "space.pcs: hyperparameter 'rf_n_estimators': not a valid SMAC pcs space: Forbidden clause "
        "must be instantiated with a legal hyperparameter value for 'rf_n_estimators, Type: "
        "UniformInteger, Range: [10, 200], Default: 100', but got '10'."
    )


def test_bad_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = "hyperparameters:\n  - name: x\n   type: [\n"
    if importlib.util.find_spec("yaml") is not None:
        assert _bad(tmp_path, "broken.yaml", content) == (
            "broken.yaml: malformed YAML at line 3, column 4: "
            "expected <block end>, but found '<block mapping start>'."
        )
        assert _bad(tmp_path, "scalar.yml", "just text") == (
            "scalar.yml: expected a YAML mapping with a 'hyperparameters' list, found str."
        )
    monkeypatch.setitem(sys.modules, "yaml", None)  # as if PyYAML were not installed
    assert _bad(tmp_path, "space.yaml", content) == (
        "space.yaml: reading YAML needs PyYAML, which is not installed (pip install pyyaml)."
    )


BROKEN_PY = """\
from ConfigSpace import ConfigurationSpace


def get_configspace():
    return _build()


def _build():
    raise ValueError("C must be positive.")
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BROKEN_PY, "space.py: line 9: ValueError: C must be positive."),
        ("X = 1\n\ndef get_configspace(:\n", "space.py: line 3: SyntaxError: invalid syntax."),
        ("import sys\n\nsys.exit(3)\n", "space.py: line 3: SystemExit: 3."),
        (
            (
                "from ConfigSpace import ConfigurationSpace, Float\n\n\ndef get_configspace():\n"
                "    return ConfigurationSpace({'x': Float('x', (1.0, 0.0))})\n"
            ),
            "space.py: line 5: ValueError: Hyperparameter 'x' has illegal settings.",
        ),
        (
            "SPACE = {}\n",
            "space.py: defines no get_configspace(); define one that returns a ConfigurationSpace.",
        ),
        (
            "def get_configspace():\n    return {'x': (0.0, 1.0)}\n",
            "space.py: get_configspace() returned dict, not a ConfigurationSpace.",
        ),
        (
            (
                "from ConfigSpace import ConfigurationSpace\n\n"
                "def get_configspace():\n    return ConfigurationSpace()\n"
            ),
            "space.py: the search space has no hyperparameters.",
        ),
    ],
)
def test_bad_python(content: str, expected: str, tmp_path: Path) -> None:
    assert _bad(tmp_path, "space.py", content) == expected


def _python_space(folder: Path, value: str, helper: str = "") -> Path:
    """space.py importing its neighbour helpers.py, as users split their files."""
    folder.mkdir()
    (folder / "helpers.py").write_text(f"{helper}CHOICES = [{value!r}, 'other']\n")
    (folder / "space.py").write_text(
        "from ConfigSpace import ConfigurationSpace\n"
        "from helpers import CHOICES\n\n\n"
        "def get_configspace():\n"
        "    return ConfigurationSpace({'choice': CHOICES})\n"
    )
    return folder / "space.py"


def test_python_leaves_sys_path_and_modules_as_they_were(tmp_path: Path) -> None:
    first = _python_space(tmp_path / "first", "a")
    second = _python_space(tmp_path / "second", "b")
    broken = _python_space(tmp_path / "broken", "c", helper="1 / 0\n")
    path, modules = list(sys.path), dict(sys.modules)
    assert load_space(first)["choice"].choices == ("a", "other")
    assert sys.path == path and sys.modules == modules
    assert load_space(second)["choice"].choices == ("b", "other")  # not the first helpers.py
    assert sys.path == path and sys.modules == modules
    assert str(_error(broken)) == "space.py: line 2: ZeroDivisionError: division by zero."
    assert sys.path == path and sys.modules == modules
    assert not list(tmp_path.rglob("__pycache__"))
