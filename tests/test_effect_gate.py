"""Issue 22 item 2: a hyperparameter stated used changes the fitted model's predictions (trainfn_gen.analyze.effect).

`make test` runs a deterministic sample: a few spaces (goldens, corpus, wild), SAMPLE settings of each spread over
their sorted names; `make effect-gate` (scripts/effect_gate.py) runs every setting of every space and prints a
table per space. A planted file whose C no longer matters proves the gate fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pytest
from harness import CORPUS, GOLDEN, WILD, first_case_per_space, generate_keywords, load_space
from trainfn_gen import generate
from trainfn_gen.analyze.claims import branch_guards, stated_unused_block
from trainfn_gen.analyze.effect import Effect, bases, is_network, pairs
from trainfn_gen.space.load import load_space as read_space

SAMPLE = 3
# (space file, where it lives): scikit-learn, LightGBM and XGBoost families, a selector, conditions, R's names.
SPACES = [("02.json", "golden"), ("lightgbm.json", "golden"), ("27.json", "corpus"),
          ("configspace_mini_autosklearn_original.pcs", "wild"), ("yahpo_rbv2_xgboost.json", "wild"),
          ("yahpo_lcbench.json", "wild")]  # a PyTorch network, compared through the saved network
# Settings stated used whose effect the gate cannot show, each with the reason (the report lists every entry).
KNOWN_INERT: dict[tuple[str, str], str] = {}  # (space file, hyperparameter) -> why; empty: pca:keep_variance is stated unused now


def _file(space_file: str, where: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if where == "golden":
            case = first_case_per_space(space_file)[space_file]
            return generate(str(GOLDEN / "spaces" / space_file), **generate_keywords(case["args"])), load_space(space_file)
        path = (CORPUS if where == "corpus" else WILD) / space_file
        if not path.is_file():
            pytest.skip(f"../shared is absent ({path} not found): the corpus and wild spaces are not gated")
        return generate(str(path)), read_space(path)


# The gate forks one process per fit (analyze/sweep.py). Forked from this pytest process after earlier tests
# trained PyTorch/TensorFlow networks in it, a fit inherits their OpenMP thread pools' locks and hangs (each call
# then ran into its 120 s limit): the gate runs in a fresh interpreter, as `make effect-gate` and audit do.
_CHILD = """
import json, sys
from ConfigSpace import ConfigurationSpace
from trainfn_gen.analyze.effect import effect
from trainfn_gen.run.loader import load_model
source, space_json, names, timeout = open(sys.argv[1]).read(), sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4])
found = effect(source, ConfigurationSpace.from_json(space_json), names, timeout=timeout, load_network=load_model)
print(json.dumps([vars(e) for e in found]))
"""


def effect(source: str, space, names: list[str], timeout: float = 120.0) -> list[Effect]:
    with tempfile.TemporaryDirectory(prefix="effect-gate-") as name:
        folder = Path(name)
        (folder / "train.py").write_text(source)
        space.to_json(folder / "space.json")
        done = subprocess.run([sys.executable, "-c", _CHILD, str(folder / "train.py"), str(folder / "space.json"), json.dumps(names), str(timeout)],
                              capture_output=True, text=True, check=False, timeout=1800)
    assert done.returncode == 0, done.stderr[-2000:]
    return [Effect(**found) for found in json.loads(done.stdout.strip().splitlines()[-1])]


def _sampled(source: str, space) -> list[str]:
    used = sorted(set(space) - stated_unused_block(source, list(space)))
    step = max(1, len(used) // SAMPLE)
    return used[::step][:SAMPLE]


@pytest.mark.parametrize(("space_file", "where"), SPACES, ids=[s for s, _ in SPACES])
def test_sampled_hyperparameters_stated_used_change_the_predictions(space_file, where):
    source, space = _file(space_file, where)
    assert is_network(source) == (space_file == "yahpo_lcbench.json")
    names = _sampled(source, space)
    results = effect(source, space, names)
    bad = [f"{r.name}: {r.status}: {r.detail} {r.tried[:3]}" for r in results
           if r.status in ("inert", "crash", "slow") and (space_file, r.name) not in KNOWN_INERT]
    assert not bad, f"{space_file}: hyperparameters stated used without effect on the predictions: {bad}"
    assert any(r.status == "effect" for r in results), f"{space_file}: no sampled setting showed an effect: {results}"


def test_planted_setting_that_no_longer_matters_is_inert():
    source, space = _file("02.json", "golden")
    line = 'C=as_float(cfg.get("svm_C"), 1.0, 0.001, 1000.0),'
    assert line in source
    planted = source.replace(line, "C=1.0 + 0.0 * " + line[2:])  # still read and passed: only fitting shows it
    (found,) = effect(planted, space, ["svm_C"])
    assert found.status == "inert", found
    (real,) = effect(source, space, ["svm_C"])
    assert real.status == "effect", real


def test_a_setting_whose_fits_run_past_the_limit_is_slow_not_inert():
    """A fit killed at the time limit is that configuration's cost: the gate stops after SLOW_PAIRS such pairs and
    says "slow" (a failure: nothing was shown), never "inert" or an effect."""
    source, space = _file("02.json", "golden")
    line = 'C=as_float(cfg.get("svm_C"), 1.0, 0.001, 1000.0),'
    planted = source.replace(line, 'C=__import__("time").sleep(60) or ' + line[2:])
    (found,) = effect(planted, space, ["svm_C"], timeout=3)
    assert found.status == "slow" and len(found.tried) == 2 and "past the 3 s limit" in found.detail, found


def test_the_base_makes_the_setting_relevant():
    source, space = _file("02.json", "golden")
    guards = branch_guards(source, "svm_degree")
    assert guards == {"classifier": (True, {"SVM"})}
    siblings = {o for o in space if o != "svm_degree" and branch_guards(source, o) == guards}
    kernels = [base.get("svm_kernel") for base in bases(space, "svm_degree", guards=guards, siblings=siblings)]
    assert "poly" in kernels[:4], f"svm_degree is tried under kernel='poly', where the SVC reads it, early: {kernels}"
    for base, varied in pairs(space, "svm_degree", guards=guards, siblings=siblings):
        assert {k for k in base if base[k] != varied.get(k)} == {"svm_degree"}
    # A space without conditions: the random forest's settings are active under classifier='SVM' too, but read
    # only in the random forest's branch, where the bases put them.
    (base, _), *_ = pairs(space, "rf_max_depth", guards=branch_guards(source, "rf_max_depth"))
    assert base["classifier"] == "RandomForest"


def test_a_setting_active_above_a_count_is_tried_at_the_smallest_count_that_activates_it():
    """paramnet's `dropout_3 | num_layers > 2`: the base sets num_layers to 3 (the cheapest network that reads it)."""
    from ConfigSpace import (
        ConfigurationSpace,
        GreaterThanCondition,
        UniformFloatHyperparameter,
        UniformIntegerHyperparameter,
    )

    space = ConfigurationSpace()
    layers = UniformIntegerHyperparameter("num_layers", 1, 10, default_value=2)
    dropout = UniformFloatHyperparameter("dropout_3", 0.0, 0.9, default_value=0.5)
    space.add([layers, dropout, GreaterThanCondition(dropout, layers, 2)])
    found = bases(space, "dropout_3")
    assert found and found[0]["num_layers"] == 3 and all("dropout_3" in b for b in found), found
