"""Issue 15: spaces and data that used to break the generated train() (R24 R07 R09), pinned as plain tests.

Configurations come from ConfigSpace's own sampler (numpy values, as SMAC hands them over), never from
native values only, which hid the mixed int/float bug.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings

import pytest
from ConfigSpace import Categorical, ConfigurationSpace, Integer
from harness import configurations, load_train, make_dataset
from trainfn_gen.api import generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.options import make_options


def _source(tmp_path, space: ConfigurationSpace, **options) -> str:
    path = tmp_path / "space.json"
    space.to_json(path)
    return generate(path, make_options(**{"task": "classification", **options}))


def _train(tmp_path, space: ConfigurationSpace, **options):
    target = tmp_path / "train_hardened.py"
    target.write_text(_source(tmp_path, space, **options))
    return load_train(target)


def _quiet(train, config, data, **kwargs):
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return train(config, data, seed=0, **kwargs)


def _every_configuration_runs(tmp_path, space: ConfigurationSpace, count: int = 4) -> None:
    train = _train(tmp_path, space)
    for config in configurations(space, count, seed=0):
        loss = _quiet(train, config, make_dataset("iris", pandas=False, given_test=False))
        assert math.isfinite(loss) and -1.0 <= loss <= 0.0


# --- choice values (as_choice, estimator_value, lit) ------------------------------------------------


@pytest.mark.parametrize(
    "choices",
    [
        {"max_features": [0.5, 1], "n_estimators": (10, 20)},  # ConfigSpace hands over np.float64(1.0)
        {"n_estimators": [10, 100.0], "max_depth": [3, 5.5]},  # float choices of int-only arguments
        {"max_depth": [float("inf"), 5], "n_estimators": (10, 20)},  # inf depth: no limit (None)
    ],
    ids=["mixed_int_float", "float_for_int", "inf"],
)
def test_numeric_choices_run_on_every_sampled_configuration(tmp_path, choices):
    _every_configuration_runs(tmp_path, ConfigurationSpace(choices))


def test_float_choices_of_an_int_argument_become_ints_and_inf_becomes_none(tmp_path):
    source = _source(tmp_path, ConfigurationSpace({"n_estimators": [10, 100.0], "max_depth": [3, 5.5, float("inf")]}))
    assert '{"10": 10, "100.0": 100}' in source
    assert '{"3": 3, "5.5": 6, "inf": None}' in source


def test_a_nan_choice_is_refused_in_one_paragraph(tmp_path):
    space = ConfigurationSpace()
    space.add([Categorical("max_depth", [5, float("nan")], default=5), Integer("n_estimators", (10, 20))])
    with pytest.raises(GeneratorError) as caught:
        _source(tmp_path, space)
    assert caught.value.paragraph() == (
        "space.json: hyperparameter 'max_depth': its values (5, nan) are not accepted by the RandomForestClassifier "
        "argument 'max_depth' (it accepts values of at least 1)."
    )
