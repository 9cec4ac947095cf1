"""Fuzzing (issue 8, R24 R07 R09 R10): random valid spaces from the families' own vocabularies.

Spaces are built from generator.families.FAMILIES (argument names, aliases, kinds, bounds, choices), so a
family added later is fuzzed without touching this file. Names take random styles (`rf_`, `svm__`,
`classifier:random_forest:`, dotted), a selector with family-token values conditions them, and a forbidden
clause may join in. Generation either succeeds or raises GeneratorError; every generated train() runs on a
few configurations (native and numpy values) without crashing. Issue 15 adds numeric categoricals (ints and
floats mixed, inf, NaN), selector names that shadow the generated code's names, and odd file names.

Profiles (R24): "ci", the default, runs in `make test` (.ci/run): 30 examples, derandomized so that CI is
reproducible, no deadline (a fit's time is not the point). "fuzz" (`make fuzz`, HYPOTHESIS_PROFILE=fuzz):
500 random examples. Bugs found here are pinned as plain tests in tests/test_fuzz_regressions.py.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import warnings

import black
import pytest
from ConfigSpace import (
    Categorical,
    ConfigurationSpace,
    EqualsCondition,
    Float,
    ForbiddenAndConjunction,
    ForbiddenEqualsClause,
    Integer,
)
from ConfigSpace.hyperparameters import CategoricalHyperparameter
from harness import as_native, as_numpy, configurations, load_train, make_dataset
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from trainfn_gen.engine.expressions import printable
from trainfn_gen.engine.format import MODE
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge.families import FAMILIES

# Part of `make test` (the "ci" profile); `-m fuzz` selects it alone.
pytestmark = pytest.mark.fuzz

settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
settings.register_profile("fuzz", max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

STYLES = ("{token}_{name}", "{token}__{name}", "classifier:{family}:{name}", "{token}.{name}", "{name}")
# Issue 15: selector names that shadow what the generated code imports or binds, and file names that are not
# plain (a newline, quotes, a backslash, non-ASCII): neither may break the generated file.
SELECTORS = ("classifier", "model_type", "make_pipeline", "train_test_split", "SVC", "np", "as_choice", "model", "device", "optimizer", "class", "print")
FILE_NAMES = ("space.json", "my space.json", "evil\nimport os\n#.json", "quo\"te's\\.json", "espace ünï.json")
# Small ceilings keep each fit fast; the generator clips to what the estimator accepts anyway.
CAP = {"int": 30, "float": 10.0}


@st.composite
def numeric_choices(draw, param, name):
    """Issue 15: a categorical of numbers as SMAC users write them: ints and floats mixed, inf and NaN among them."""
    low = param.low if param.low is not None else 0
    high = param.high if param.high is not None else low + CAP["int"]
    numbers = [st.floats(float(low), float(min(high, low + CAP["float"])), allow_nan=False, allow_infinity=False)]
    if math.ceil(low) <= min(high, low + CAP["int"]):
        ints = st.integers(math.ceil(low), int(min(high, low + CAP["int"])))
        numbers += [ints, ints.map(float)]
    values = draw(st.lists(st.one_of(*numbers), min_size=1, max_size=4, unique_by=float))
    extras = draw(st.lists(st.sampled_from([math.inf, math.nan]), max_size=2, unique=True))
    return Categorical(name, values + extras, default=values[0])  # ConfigSpace refuses a NaN default


@st.composite
def hyperparameter(draw, family, param, name):
    if param.kind in ("int", "float") and draw(st.integers(0, 3)) == 0:
        return draw(numeric_choices(param, name))
    if param.kind in ("choice", "bool"):
        values = list(param.choices) or [True, False]
        if param.kind == "choice" and param.none_values:
            values.append(param.none_values[0])
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True))
        return Categorical(name, [str(v) if param.kind == "choice" else v for v in chosen])
    if param.kind == "int" or (param.kind == "int_or_fraction" and draw(st.booleans())):
        low = int(param.low if param.low is not None else 0)
        high = min(int(param.high) if param.high is not None else low + CAP["int"], low + CAP["int"])
        lower = draw(st.integers(low, high))
        return Integer(name, (lower, draw(st.integers(lower + 1, max(high, lower + 1)))))
    if param.kind in ("int_or_fraction", "feature_power"):
        low, high = (param.fraction_low, param.fraction_high) if param.kind == "int_or_fraction" else (0.0, 1.0)
    else:
        low = param.low if param.low is not None else -1.0
        high = param.high if param.high is not None else low + CAP["float"]
    lower = draw(st.floats(low, high, allow_nan=False))
    upper = draw(st.floats(lower, high, allow_nan=False))
    if upper - lower < (high - low) / 1000:
        # ConfigSpace rounds bounds (13 places) and refuses an empty range: keep it a range.
        lower, upper = (lower, high) if high - lower >= (high - low) / 2 else (low, upper)
    return Float(name, (lower, upper))


@st.composite
def spaces(draw):
    families = draw(st.lists(st.sampled_from(FAMILIES), min_size=1, max_size=3, unique_by=lambda f: f.name))
    selected = len(families) > 1 or draw(st.booleans())
    style = draw(st.sampled_from(STYLES))
    space = ConfigurationSpace()
    selector = None
    tokens = {f.name: draw(st.sampled_from([a for a in f.aliases if a.isalpha()] or [f.name])) for f in families}
    if selected:
        assume(len(set(tokens.values())) == len(tokens))  # two families may share an alias (mlp): ConfigSpace refuses repeated choices
        selector = Categorical(draw(st.sampled_from(SELECTORS)), [tokens[f.name] for f in families])
        space.add(selector)
    for family in families:
        skip = {"max_features"} if family.repeat else set()
        params = [p for p in family.params_for("classification") if p.kind != "sizes" and p.arg not in skip and not p.requires]
        chosen = draw(st.lists(st.sampled_from(params), min_size=1, max_size=4, unique_by=lambda p: p.arg))
        for param in chosen:
            word = draw(st.sampled_from(param.names()))
            name = style.format(token=tokens[family.name], family=family.name, name=word) if selected or style != "{name}" else word
            if name in space:
                continue
            hp = draw(hyperparameter(family, param, name))
            space.add(hp)
            if selector is not None:
                space.add(EqualsCondition(hp, selector, tokens[family.name]))
    if selector is not None and len(families) > 2 and draw(st.booleans()):
        # A forbidden pair that leaves every family reachable: one non-default value with another categorical.
        others = [hp for hp in space.values() if isinstance(hp, CategoricalHyperparameter) and hp.name != selector.name and not space.parent_conditions_of.get(hp.name) and len(hp.choices) > 1]
        if others:
            space.add(ForbiddenAndConjunction(ForbiddenEqualsClause(selector, selector.choices[-1]), ForbiddenEqualsClause(others[0], others[0].choices[-1])))
    return space


@given(space=spaces(), seed=st.integers(0, 3), file_name=st.sampled_from(FILE_NAMES))
def test_fuzzed_spaces_generate_or_refuse_and_never_crash(tmp_path_factory, space, seed, file_name):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / file_name
    space.to_json(path)
    try:
        source = generate(path, make_options(task="classification"))
    except GeneratorError as error:
        assert error.paragraph().startswith(" ".join(printable(file_name).split()) + ": ")  # the name escaped, on one line
        return
    assert black.format_str(source, mode=MODE) == source  # one black pass (generator/engine/format.py) is stable
    header, command, docstring = source.splitlines()[:3]
    assert header.startswith("# Generated by trainfn-gen") and command.startswith("#   ")
    assert docstring == '"""SMAC target function.'  # the file name stayed inside the header comments
    target = folder / "train_fuzz.py"
    target.write_text(source)
    train = load_train(target)
    for index, config in enumerate(configurations(space, 2, seed=seed)):
        cast = as_numpy if index % 2 else as_native
        data = make_dataset("iris", pandas=index == 1, given_test=index == 2)
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            loss = train({k: cast(v) for k, v in config.items()}, data, seed=seed)
        assert math.isfinite(loss) and -1.0 <= loss <= 0.0
