"""Issue 13: the family tables agree with what the estimators declare (generator/knowledge/estimator_data.py).

Every argument a family passes, every value it may pass (choices, renamed targets, None spellings,
numeric bounds, fixed values, rule values) must be one the snapshot of the installed libraries accepts.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from trainfn_gen.engine import preprocessing
from trainfn_gen.knowledge import estimators, preprocessors, roles
from trainfn_gen.knowledge.estimator_data import CLASSES, LIBRARIES
from trainfn_gen.knowledge.families import FAMILIES, Family, Param

ROOT = Path(__file__).resolve().parent.parent

# Values a family names that the estimator itself does not take, because the generated code maps them
# at run time: (family, argument, value) -> why. Every entry must still be needed. None today: each
# mismatch the snapshot found was a real bug and was fixed in the family tables.
MAPPED_AT_RUN_TIME: dict[tuple[str, str, object], str] = {
    ("hist_gradient_boosting", "early_stopping", "train"): "a marker for auto-sklearn's early_stop=train: the family's rules turn it into early_stopping=True with validation_fraction=None",
}


def _values(param: Param) -> list[tuple[str, object]]:
    """(what, value) pairs of every value the generated code may pass for this parameter."""
    values: list[tuple[str, object]] = []
    if param.kind in ("int", "float"):
        cast = int if param.kind == "int" else float
        values += [(side, cast(bound)) for side, bound in (("low", param.low), ("high", param.high)) if bound is not None]
    elif param.kind == "int_or_fraction":
        values += [(side, int(bound)) for side, bound in (("low", param.low), ("high", param.high)) if bound is not None]
        values += [("fraction_low", float(param.fraction_low)), ("fraction_high", float(param.fraction_high))]
    elif param.kind == "feature_power":
        values.append(("n_features ** power", 1))
    elif param.kind == "choice":
        values += [("choice", value) for value in param.choices]
    elif param.kind == "bool":
        values += [("bool", True), ("bool", False)]
    values += [(f"renamed from {source!r}", target) for source, target in param.renamed]
    if param.none_values:
        values.append(("none_values", None))
    return values


def _unbounded_sides(target: str, arg: str, param: Param) -> list[str]:
    """A side the family leaves open although the estimator bounds it: values past it would be rejected."""
    if param.kind not in ("int", "float", "int_or_fraction"):
        return []
    number = "int" if param.kind in ("int", "int_or_fraction") else "float"
    if number in estimators.argument(target, arg).get("types", ()) or "float" in estimators.argument(target, arg).get("types", ()):
        return []
    found = estimators.interval(target, arg, number)
    if found is None:
        return []
    sides = []
    if param.low is None and found.left is not None:
        sides.append(f"low is open but {target}({arg}) needs >= {found.left}")
    if param.high is None and found.right is not None:
        sides.append(f"high is open but {target}({arg}) needs <= {found.right}")
    return sides


def rejected(owner: str, target: str, arg: str, what: str, value) -> list[str]:
    """[] when the snapshot accepts the value (hidden options excluded) or MAPPED_AT_RUN_TIME excuses it."""
    if not estimators.has(target, arg):
        return [f"{target} has no argument {arg!r} ({owner}: {what})"]
    if estimators.accepts(target, arg, value, hidden=False) or (owner, arg, value) in MAPPED_AT_RUN_TIME:
        return []
    return [f"{target}({arg}={value!r}): {what} not accepted ({estimators.argument(target, arg)})"]


def param_problems(owner: str, target: str, arg: str, param: Param) -> list[str]:
    """The argument exists, takes every value the parameter may pass and bounds no side the parameter leaves open."""
    if not estimators.has(target, arg):
        return [f"{target} has no argument {arg!r} ({owner}, aliases {param.aliases})"]
    problems = []
    if param.kind == "sizes" and "array-like" not in estimators.argument(target, arg).get("types", ()):
        problems.append(f"{target}({arg}) does not take layer sizes")
    for what, value in _values(param):
        problems += rejected(owner, target, arg, what, value)
    return problems + [f"{owner}: {side}" for side in _unbounded_sides(target, arg, param)]


def mismatches(family: Family) -> list[str]:
    """Every (task, argument, value) of the family that the snapshot does not accept, as readable lines."""
    problems: list[str] = []
    repeated = (family.repeat.width, family.repeat.depth) if family.repeat else ()
    for task, cls in sorted(family.estimators.items()):
        if family.repeat and not estimators.has(cls, family.repeat.arg):
            problems.append(f"{cls} has no argument {family.repeat.arg!r} (Repeat)")
        for param in family.params_for(task):
            if not param.passed or param.arg in repeated:
                continue  # read into a variable for the family's rules / the repeated layer sizes
            target, arg = cls, param.arg
            if param.wrap:
                if not estimators.has(cls, param.arg) or "object" not in estimators.argument(cls, param.arg).get("types", ()):
                    problems.append(f"{cls}({param.arg}=...) does not take an estimator object (wrap)")
                target, arg = dict(param.wrap)[task], param.wrap_arg
            problems += param_problems(family.name, target, arg, param)
        for fixed in family.fixed:
            if fixed.task in (None, task):
                problems += rejected(family.name, cls, fixed.arg, "Fixed value", fixed.value)
        arguments = {param.arg for param in family.params_for(task)}
        for rule in family.rules:
            if rule.on in {param.arg for param in family.params} - arguments:
                continue  # the rule looks at an argument of the other task: never applied to this estimator
            values = [("Rule default", rule.default)] if rule.default is not None else []
            values += [("Rule fallback", rule.fallback)] if rule.kind == "forbid" else []
            values += [("Rule value", value) for _, value in rule.table] if rule.kind in ("set", "at_most", "at_least") else []
            if not estimators.has(cls, rule.arg):
                problems.append(f"{cls} has no argument {rule.arg!r} (Rule {rule.kind} on {rule.on})")
                continue
            for what, value in values:
                problems += rejected(family.name, cls, rule.arg, what, value)
    for name, value in family.scaler_args:
        problems += rejected(family.name, family.scaler, name, "scaler_args", value)
    return problems


SKLEARN_FAMILIES = [family for family in FAMILIES if not family.network]


@pytest.mark.parametrize("family", SKLEARN_FAMILIES, ids=lambda family: family.name)
def test_r09_family_arguments_and_values_are_accepted_by_the_estimator_snapshot(family):
    assert mismatches(family) == []
    for (name, arg, value), why in MAPPED_AT_RUN_TIME.items():  # an exception the snapshot no longer needs goes
        if name == family.name:
            assert why and any(estimators.has(c, arg) and not estimators.accepts(c, arg, value, hidden=False) for c in family.estimators.values())


def test_r15_preprocessing_classes_and_arguments_are_in_the_snapshot():
    """The feature preprocessors and scalers a space may choose, and the arguments preprocessing.py passes."""
    for spec in preprocessors.PREPROCESSORS.values():
        for dotted in spec.classes.values():
            assert estimators.known(dotted), dotted
    for name in roles.SCALERS.values():
        assert name is None or estimators.known(f"sklearn.preprocessing.{name}"), name
    problems = param_problems("preprocessing", "sklearn.preprocessing.PolynomialFeatures", "degree", preprocessing.DEGREE)
    problems += param_problems("preprocessing", "sklearn.decomposition.PCA", "n_components", preprocessing.COMPONENTS)
    problems += param_problems("preprocessing", "sklearn.decomposition.PCA", "whiten", preprocessing.WHITEN)
    assert problems == []


def test_mismatches_catch_a_wrong_argument_a_wrong_option_and_a_wrong_bound():
    svm = next(f for f in SKLEARN_FAMILIES if f.name == "svm")
    broken = Family(
        name="broken", title="broken", aliases=(), estimators=svm.estimators, fidelity=svm.fidelity,
        params=(
            Param("kernal", (), "choice", choices=("rbf",)),
            Param("kernel", (), "choice", choices=("rbf", "gaussian")),
            Param("C", (), "float", low=-1.0),
            Param("degree", (), "int"),
        ),
    )
    found = "\n".join(mismatches(broken))
    assert "no argument 'kernal'" in found
    assert "kernel='gaussian'" in found and "kernel='rbf'" not in found
    assert "C=-1.0" in found
    assert "low is open but sklearn.svm.SVC(degree) needs >= 0" in found


def test_snapshot_holds_every_family_estimator_and_the_planned_classes():
    for family in SKLEARN_FAMILIES:
        for cls in family.estimators.values():
            assert estimators.known(cls), cls
    for cls in ("sklearn.linear_model.ARDRegression", "sklearn.gaussian_process.GaussianProcessClassifier", "sklearn.kernel_approximation.Nystroem", "sklearn.neighbors.RadiusNeighborsClassifier", "sklearn.ensemble.RandomTreesEmbedding"):
        assert estimators.known(cls), cls
    assert {entry["library"] for entry in CLASSES.values()} == set(LIBRARIES)


def test_accessors_read_the_declared_constraints():
    assert estimators.library("sklearn.svm.SVC") == ("scikit-learn", LIBRARIES["scikit-learn"])
    assert "C" in estimators.arguments("sklearn.svm.SVC")
    assert estimators.options("sklearn.svm.SVC", "kernel") == ("linear", "poly", "precomputed", "rbf", "sigmoid")
    assert estimators.default("sklearn.svm.SVC", "C") == 1.0
    assert estimators.accepts("sklearn.svm.SVC", "gamma", "scale") and estimators.accepts("sklearn.svm.SVC", "gamma", 0.1)
    assert not estimators.accepts("sklearn.svm.SVC", "gamma", -0.1) and not estimators.accepts("sklearn.svm.SVC", "gamma", "rbf")
    assert not estimators.accepts("sklearn.svm.SVC", "C", 0.0) and not estimators.accepts("sklearn.svm.SVC", "C", None)
    assert estimators.interval("sklearn.svm.SVC", "degree", "int") == ("int", 0, None, "left")
    # max_features: an int count >= 1, a float fraction in (0, 1], never an int 0.
    forest = "sklearn.ensemble.RandomForestClassifier"
    assert estimators.accepts(forest, "max_features", 0.5) and estimators.accepts(forest, "max_features", 3)
    assert not estimators.accepts(forest, "max_features", 0) and not estimators.accepts(forest, "max_features", 1.5)
    assert not estimators.accepts(forest, "bootstrap", 1)  # a number is not a boolean
    with pytest.raises(ValueError, match="required"):
        estimators.default("sklearn.feature_selection.SelectFromModel", "estimator")
    with pytest.raises(KeyError, match="no argument"):
        estimators.argument("sklearn.svm.SVC", "kernal")
    # Booster libraries: enumerations and bounds from their own parameter checks.
    assert estimators.options("xgboost.XGBClassifier", "sample_type") == ("uniform", "weighted")
    assert estimators.accepts("xgboost.XGBClassifier", "rate_drop", 1.0) and not estimators.accepts("xgboost.XGBClassifier", "rate_drop", 1.5)
    assert not estimators.accepts("lightgbm.LGBMClassifier", "num_leaves", 1) and estimators.accepts("lightgbm.LGBMClassifier", "num_leaves", 2)


def _installed() -> dict[str, str]:
    versions = {}
    for library, distributions in (("scikit-learn", ("scikit-learn",)), ("xgboost", ("xgboost", "xgboost-cpu")), ("lightgbm", ("lightgbm",))):
        for distribution in distributions:
            try:
                versions[library] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return versions


def test_snapshot_regenerates_byte_identical_with_the_same_library_versions():
    installed = _installed()
    if installed != LIBRARIES:
        pytest.skip(f"installed {installed} differ from the snapshot's {LIBRARIES}: run make estimators after an upgrade")
    spec = importlib.util.spec_from_file_location("estimators_script", ROOT / "scripts" / "estimators.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.render() == (ROOT / "generator" / "knowledge" / "estimator_data.py").read_text()


def test_generator_and_estimator_snapshot_import_without_the_estimator_libraries():
    """The data module is literals: the generator (and its estimator accessor) load with scikit-learn,
    XGBoost and LightGBM made unimportable, and still generate a train()."""
    code = (
        "import sys\n"
        "for name in ('sklearn', 'xgboost', 'lightgbm'):\n"
        "    sys.modules[name] = None\n"
        "from trainfn_gen.knowledge import estimators\n"
        "from trainfn_gen.engine.pipeline import generate\n"
        "from trainfn_gen.engine.options import make_options\n"
        "source = generate('examples/mixed_classifier.json', make_options(task='classification'))\n"
        "assert 'def train(' in source and estimators.accepts('sklearn.svm.SVC', 'C', 1.0)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
