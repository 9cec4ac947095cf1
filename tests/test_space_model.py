"""Issue 24, part 2: the space read once into plain, immutable data (space/model.py)."""

from __future__ import annotations

import dataclasses

import pytest
from ConfigSpace import (
    AndConjunction,
    CategoricalHyperparameter,
    ConfigurationSpace,
    Constant,
    EqualsCondition,
    Float,
    ForbiddenAndConjunction,
    ForbiddenEqualsClause,
    ForbiddenInClause,
    ForbiddenLessThanRelation,
    InCondition,
    Integer,
    OrdinalHyperparameter,
)
from trainfn_gen.space.load import read_model
from trainfn_gen.space.model import Condition, Forbidden, Hyperparameter, SpaceModel, space_model


def _space() -> ConfigurationSpace:
    cs = ConfigurationSpace(name="small")
    choice = CategoricalHyperparameter("classifier:__choice__", ["svm", "rf"], default_value="rf")
    kernel = CategoricalHyperparameter("classifier:svm:kernel", ["rbf", "poly"])
    c = Float("classifier:svm:C", (0.01, 100.0), default=1.0, log=True)
    degree = Integer("classifier:svm:degree", (2, 5), default=3)
    depth = Integer("classifier:rf:maxDepth", (1, 20), default=5)
    level = OrdinalHyperparameter("level", ["low", "mid", "high"])
    seed = Constant("seed", 1)
    cs.add([choice, kernel, c, degree, depth, level, seed])
    cs.add([
        EqualsCondition(kernel, choice, "svm"),
        EqualsCondition(c, choice, "svm"),
        AndConjunction(EqualsCondition(degree, choice, "svm"), EqualsCondition(degree, kernel, "poly")),
        InCondition(depth, choice, ["rf"]),
        EqualsCondition(level, choice, "rf"),
    ])
    cs.add([
        ForbiddenAndConjunction(ForbiddenEqualsClause(choice, "svm"), ForbiddenInClause(level, ["low", "high"])),
        ForbiddenLessThanRelation(c, c),
    ])
    return cs


def test_each_hyperparameter_is_plain_data():
    model = space_model(_space(), "small.json", "json")
    assert isinstance(model, SpaceModel) and (model.source, model.format, model.name) == ("small.json", "json", "small")
    assert list(model) == list(_space().keys())
    c = model.hp("classifier:svm:C")
    assert (c.kind, c.lower, c.upper, c.log, c.default_value, c.choices) == ("float", 0.01, 100.0, True, 1.0, ())
    assert c.segments == ("classifier", "svm", "C") and c.words == ("c",)
    assert model["classifier:rf:maxDepth"].words == ("max", "depth") and model["classifier:rf:maxDepth"].is_integer
    choice = model["classifier:__choice__"]
    assert (choice.kind, choice.choices, choice.default_value, choice.segments) == ("categorical", ("svm", "rf"), "rf", ("classifier",))
    assert (model["level"].kind, model["level"].choices) == ("ordinal", ("low", "mid", "high"))
    seed = model["seed"]
    assert (seed.kind, seed.is_constant, seed.is_categorical, seed.choices, seed.lower) == ("constant", True, True, (1,), None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.lower = 1.0  # type: ignore[misc]


def test_parents_children_and_conditions():
    model = space_model(_space())
    assert model["classifier:svm:C"].conditions == (Condition("classifier:svm:C", "==", "classifier:__choice__", ("svm",)),)
    (both,) = model.conditions_of("classifier:svm:degree")
    assert both.operator == "and" and [(p.parent, p.values) for p in both.parts] == [("classifier:__choice__", ("svm",)), ("classifier:svm:kernel", ("poly",))]
    assert model.conditions_of("classifier:rf:maxDepth")[0].operator == "in"
    assert {hp.name for hp in model.parents_of("classifier:svm:degree")} == {"classifier:__choice__", "classifier:svm:kernel"}
    assert {hp.name for hp in model.children_of("classifier:svm:kernel")} == {"classifier:svm:degree"}
    assert model.active_values("classifier:svm:degree") == {"classifier:__choice__": {"svm"}, "classifier:svm:kernel": {"poly"}}
    assert not model["seed"].conditional and model.conditions_of("no such name") == ()
    assert sorted(hp.name for hp in model.by_prefix("classifier", "svm")) == ["classifier:svm:C", "classifier:svm:degree", "classifier:svm:kernel"]


def test_forbiddens_answer_as_configspace_does():
    raw = _space()
    model = space_model(raw)
    conjunction, relation = model.forbiddens
    assert conjunction.operator == "and" and [p.operator for p in conjunction.parts] == ["==", "in"]
    assert (relation.operator, relation.left, relation.right) == ("relation<", "classifier:svm:C", "classifier:svm:C")
    assert {f.operator for f in model.forbiddens_on("level")} == {"and"}
    for values in ({"classifier:__choice__": "svm", "level": "low"}, {"classifier:__choice__": "svm", "level": "mid"}, {"classifier:__choice__": "rf"}, {}):
        expected = any(clause.is_forbidden_value(values) for clause in raw.forbidden_clauses)
        assert model.forbidden(values) == expected, values
    assert isinstance(conjunction, Forbidden) and not any(isinstance(v, Hyperparameter) for v in conjunction.names)


def test_the_model_holds_no_configspace_object():
    def plain(value) -> bool:
        if isinstance(value, (tuple, list)):
            return all(plain(v) for v in value)
        if dataclasses.is_dataclass(value):
            return all(plain(getattr(value, f.name)) for f in dataclasses.fields(value))
        return type(value).__module__.split(".")[0] not in ("ConfigSpace",)

    model = read_model(_space())
    assert model.source == "<ConfigurationSpace small>"
    assert plain(model.hyperparameters) and plain(model.forbiddens)
