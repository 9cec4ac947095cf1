"""`trainfn-gen audit` on bad train() functions written here in the styles language models write, and on a sound one.

One small space (LogisticRegression on iris: C, max_iter, fit_intercept, and `scale`, active when use_scaling ==
"yes"), a log loss on held-out rows so that every hyperparameter moves the loss. Each bad function has one fault;
the audit must report that fault (and the sound function nothing). Few configurations, short time limits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from ConfigSpace import Categorical, ConfigurationSpace, EqualsCondition, Float, Integer
from trainfn_gen.analyze.audit import run_audit
from trainfn_gen.commands.cli import main
from trainfn_gen.data.datasets import load_dataset

HEAD = '''
import math, os, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split


def train(cfg, dataset, seed, model_dir=None):
    X, y = np.asarray(dataset["X"], dtype=float), np.asarray(dataset["y"])
    scale = cfg.get("scale")
    if scale is not None:
        X = X * float(scale)
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
    model = LogisticRegression(C=float(cfg.get("C")), max_iter=int(cfg.get("max_iter")),
                               fit_intercept=bool(cfg.get("fit_intercept")))
    model.fit(X_fit, y_fit)
    loss = log_loss(y_val, model.predict_proba(X_val), labels=np.unique(y))
    if model_dir:
        import joblib
        os.makedirs(model_dir, exist_ok=True)
        joblib.dump(model, os.path.join(model_dir, "model.joblib"))
'''
SOUND = HEAD + "    return loss\n"

BAD = {
    # pandas-only method on data that arrives as numpy too (8 of the LLM-written functions)
    "pandas_only": SOUND.replace('X, y = np.asarray(dataset["X"], dtype=float)', 'X, y = dataset["X"].values.astype(float)'),
    # a numpy scalar rejected: SMAC gives a categorical's value (here a bool) as numpy, an Integer's as a Python int
    "numpy_int": SOUND.replace("    return loss\n", '    if not isinstance(cfg.get("fit_intercept"), bool):\n        raise TypeError("fit_intercept should be a bool")\n    return loss\n'),
    # an inactive conditional read with cfg["name"] (3 functions)
    "key_error": SOUND.replace('scale = cfg.get("scale")', 'scale = cfg["scale"]'),
    # a negated error: SMAC maximizes the error
    "wrong_sign": HEAD + "    return -loss\n",
    # an except branch that returns a constant
    "masked": SOUND.replace("    model.fit(X_fit, y_fit)\n", "    try:\n        model.fit(X_fit[:, :0] if cfg.get('C') > 1 else X_fit, y_fit)\n    except ValueError:\n        return 1.0\n"),
    "constant": HEAD + "    return 0.25\n",
    "non_finite": SOUND.replace("    return loss\n", "    return math.nan if cfg.get('C') > 1 else loss\n"),
    "below_range": HEAD + "    return loss - 100.0\n",
    "unseeded": SOUND.replace("random_state=seed", "random_state=None"),
    # a hyperparameter read but never used
    "inert": SOUND.replace("fit_intercept=bool(cfg.get(\"fit_intercept\"))", "fit_intercept=True"),
    "hangs": SOUND.replace("    return loss\n", "    if cfg.get('C') > 1:\n        time.sleep(30)\n    return loss\n"),
    "model_unreadable": SOUND.replace("    return loss\n", "    if model_dir:\n        os.makedirs(model_dir, exist_ok=True)\n        open(os.path.join(model_dir, 'model.joblib'), 'w').write('not a model')\n    return loss\n"),
    "budget_ignored": SOUND.replace("model_dir=None):", "budget=None, model_dir=None):\n    \"\"\"Facade multi-fidelity: budget in [1, 9].\"\"\""),
}


@pytest.fixture(scope="module")
def space():
    cs = ConfigurationSpace(seed=0)
    C, max_iter = Float("C", (0.01, 10.0), default=0.1, log=True), Integer("max_iter", (3, 40), default=8)
    use, scale = Categorical("use_scaling", ["no", "yes"], default="no"), Float("scale", (0.1, 10.0), default=1.0, log=True)
    cs.add([C, max_iter, Categorical("fit_intercept", [True, False], default=True), use, scale])
    cs.add(EqualsCondition(scale, use, "yes"))
    return cs


@pytest.fixture(scope="module")
def iris():
    return load_dataset("sklearn:iris")


def audit(tmp_path, space, iris, source: str, name: str = "train_x.py", **options):
    file = tmp_path / name
    file.write_text(source)
    return run_audit(file, space, iris, **{"configs": 0, "timeout": 10.0, "jobs": 2, **options})


def checks(found) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in found.findings:
        out.setdefault(item["check"], []).append(item["message"])
    return out


def test_the_sound_function_passes(tmp_path, space, iris):
    found = audit(tmp_path, space, iris, SOUND)
    assert found.findings == [], found.findings
    assert {r["status"] for r in found.results} == {"ok"}
    roles = {c["role"] for c in found.calls}
    assert {"default", "repeat", "shuffled labels", "random #1", "only scale changed", "only fit_intercept changed"} <= roles
    forms = {(c["numpy"], c["pandas"], c["given_test"]) for c in found.calls if c["role"] == "default"}
    assert len(forms) == 8  # native / numpy values x numpy / pandas data x with / without X_test


@pytest.mark.parametrize(("fault", "check", "words"), [
    ("pandas_only", "crash", ["AttributeError", "'numpy.ndarray' object has no attribute 'values'", "line 10:", "numpy)"]),
    ("numpy_int", "crash", ["TypeError: fit_intercept should be a bool", "line 24:", "numpy values"]),
    ("key_error", "crash", ["KeyError: 'scale'", "line 11: scale = cfg[\"scale\"]"]),
    ("wrong_sign", "sign", ["higher on the real labels than on shuffled ones"]),
    ("masked", "masked failure", ["loss exactly 1.0"]),
    ("constant", "constant", ["every call returns 0.25"]),
    ("non_finite", "non-finite", ["loss nan"]),
    ("below_range", "range", ["< -1"]),
    ("unseeded", "non-reproducible", ["seed 0 returns", "(R21)"]),
    ("inert", "inert", ["fit_intercept (=False: same loss", "never read as cfg.get"]),
    ("hangs", "timeout", ["no result within 3 s"]),
    ("model_unreadable", "model", ["model.joblib", "does not load back"]),
    ("budget_ignored", "budget", ["budget changes neither cost nor loss"]),
])
def test_each_fault_is_reported(tmp_path, space, iris, fault, check, words):
    found = audit(tmp_path, space, iris, BAD[fault], timeout=3.0)
    messages = checks(found)
    assert check in messages, found.findings
    text = " ".join(messages[check])
    assert all(word in text for word in words), text
    if fault in ("pandas_only", "numpy_int", "key_error"):  # one group per error, with the calls it broke
        assert len(messages["crash"]) == 1 and 0 < len(found.findings[0]["calls"]) < len(found.calls)
    if fault in ("pandas_only", "numpy_int"):  # the comparisons ran on a form the default configuration ran on
        repeat = next(r for c, r in zip(found.calls, found.results) if c["role"] == "repeat")
        assert repeat["status"] == "ok"


def test_cli_table_json_progress_and_exit_codes(tmp_path, space):
    space.to_json(tmp_path / "space.json")
    (tmp_path / "bad.py").write_text(BAD["inert"])
    (tmp_path / "sound.py").write_text(SOUND)
    args = ["--space", str(tmp_path / "space.json"), "--dataset", "sklearn:iris", "--configs", "1", "--jobs", "2"]
    bad = CliRunner().invoke(main, ["audit", str(tmp_path / "bad.py"), *args])
    assert bad.exit_code == 1, bad.output
    assert "inert  changing one hyperparameter" in bad.stdout and "bad.py: 1 finding" in bad.stdout
    assert "audit: [1/" in bad.stderr  # progress, on stderr
    planned = int(bad.stderr.split(" calls planned")[0].rsplit(" ", 1)[1])  # issue 23: the count, before the first call
    assert bad.stderr.index("calls planned") < bad.stderr.index("audit: [1/") and f"[{planned}/{planned}]" in bad.stderr
    assert "300 s in all (--max-time)" in bad.stderr
    sound = CliRunner().invoke(main, ["audit", str(tmp_path / "sound.py"), *args, "--json", "--quiet"])
    assert sound.exit_code == 0, sound.output
    document = json.loads(sound.stdout)
    assert document["findings"] == [] and document["summary"]["crashed"] == 0
    assert {"role", "config", "status", "loss", "seconds"} <= set(document["calls"][0])
    assert sound.stderr == ""
    missing = CliRunner().invoke(main, ["audit", str(tmp_path / "none.py"), *args])
    assert missing.exit_code == 1 and "none.py: no such file" in missing.stderr
    baddata = CliRunner().invoke(main, ["audit", str(tmp_path / "sound.py"), *args[:2], "--dataset", "sklearn:nope"])
    assert baddata.exit_code == 1 and "sklearn:nope" in baddata.stderr


# Issue 25: audit tests the function as SMAC calls it and says what it hides.
AS_SMAC = {
    # a correct function that checks its argument is what SMAC passes
    "asserts_configuration": SOUND.replace("    scale = cfg.get", "    from ConfigSpace import Configuration\n    assert isinstance(cfg, Configuration), type(cfg)\n    scale = cfg.get"),
    # keeps a categorical's value only when it is a Python bool: under SMAC's numpy.bool_ the setting is dead
    "native_only": SOUND.replace('fit_intercept=bool(cfg.get("fit_intercept"))', 'fit_intercept=cfg.get("fit_intercept") if isinstance(cfg.get("fit_intercept"), bool) else True'),
    # an exception printed to stdout and swallowed, a fallback of -0.0 returned
    "swallowed": SOUND.replace("    model.fit(X_fit, y_fit)\n", "    try:\n        if cfg.get('C') > 1:\n            raise ValueError('solver diverged')\n        model.fit(X_fit, y_fit)\n    except ValueError as error:\n        print(f'An error occurred: {error}')\n        return -0.0\n"),
}


def test_cfg_is_the_configuration_smac_passes(tmp_path, space, iris):
    found = audit(tmp_path, space, iris, AS_SMAC["asserts_configuration"])
    assert {r["status"] for r in found.results} == {"ok"}, [r.get("error") for r in found.results]
    assert found.findings == [], found.findings


def test_probes_use_smac_numpy_values(tmp_path, space, iris):
    found = audit(tmp_path, space, iris, AS_SMAC["native_only"])
    messages = checks(found)
    assert "inert" in messages and "fit_intercept" in " ".join(messages["inert"]), found.findings
    changed = [c for c in found.calls if c["role"] == "only fit_intercept changed"]
    assert changed and all(c["numpy"] for c in changed)


def test_swallowed_exception_and_fallback_are_reported_with_their_text(tmp_path, space, iris):
    found = audit(tmp_path, space, iris, AS_SMAC["swallowed"])
    messages = checks(found)
    assert "swallowed exception" in messages, found.findings
    text = " ".join(messages["swallowed exception"])
    assert "An error occurred: solver diverged" in text and "fallback loss -0.0" in text and "(R04)" in text, text
    assert not [m for m in checks(audit(tmp_path, space, iris, SOUND, name="train_sound.py")).get("swallowed exception", [])]


def test_csv_reaches_train_as_pandas_read_csv_gives_it(tmp_path, space):
    """Issue 25: the pandas form is the user's own table (column names, dtypes), y named by --target; a function that
    selects columns and reads its target by name runs, and nothing is reported of it."""
    from sklearn.datasets import load_iris

    frame = load_iris(as_frame=True).frame.rename(columns=lambda c: c.replace(" (cm)", "").replace(" ", "_"))
    frame = frame[["target", *frame.columns[:-1]]].rename(columns={"target": "label"})
    frame.to_csv(tmp_path / "iris.csv", index=False)
    space.to_json(tmp_path / "space.json")
    by_name = SOUND.replace('    X, y = np.asarray(dataset["X"], dtype=float), np.asarray(dataset["y"])\n',
                            '    X, y = dataset["X"], dataset["y"]\n    if hasattr(X, "columns"):\n'
                            '        assert y.name == "label", y.name\n        X = X[["sepal_length", "petal_length", "petal_width"]]\n'
                            '    X, y = np.asarray(X, dtype=float), np.asarray(y)\n')
    (tmp_path / "by_name.py").write_text(by_name)
    result = CliRunner().invoke(main, ["audit", str(tmp_path / "by_name.py"), "--space", str(tmp_path / "space.json"), "--dataset",
                                       str(tmp_path / "iris.csv"), "--target", "label", "--configs", "0", "--timeout", "10", "--jobs", "2", "--json", "--quiet"])
    document = json.loads(result.stdout)
    assert {c["status"] for c in document["calls"]} == {"ok"}, [c.get("error") for c in document["calls"]]
    assert document["findings"] == [] and result.exit_code == 0


def test_no_inert_finding_from_pairs_at_a_perfect_score(tmp_path, space, iris):
    """Issue 25: where the loss is perfect (0.0 error) a changed setting cannot lower it: such pairs say nothing.
    Every hyperparameter here matters, but only for C >= 5; C itself is compared as before."""
    source = ("def train(cfg, dataset, seed):\n    if cfg.get('C') < 5:\n        return 0.0\n"
              "    scale = cfg.get('scale') or 1.0\n"
              "    return 0.1 + 0.001 * cfg.get('max_iter') + (0.1 if cfg.get('fit_intercept') else 0.0) + 0.01 * scale\n")
    found = audit(tmp_path, space, iris, source)
    assert "inert" not in checks(found), found.findings
    assert any(c["role"] == "only fit_intercept changed" for c in found.calls)


def test_inert_is_judged_on_the_fitted_models_predictions(tmp_path, space, iris):
    """Issue 25 (p07's C, gamma and weights were called inert): a score too coarse to move (here one that sees only
    use_scaling) says nothing of a setting that changes the fitted model; the model's own predictions on its
    training rows decide. A setting the model never gets (fit_intercept fixed to True) stays inert. Two audits of
    about 8 s each: the mechanism needs real fits in forked calls."""
    unsaved = HEAD.split("    if model_dir:")[0]  # no saved model to compare, as in p07: the predictions must tell
    coarse = unsaved + "    return 0.5 + 0.1 * (cfg.get('use_scaling') == 'yes')\n"
    found = audit(tmp_path, space, iris, coarse)
    assert "inert" not in checks(found), found.findings
    fixed = coarse.replace("fit_intercept=bool(cfg.get(\"fit_intercept\"))", "fit_intercept=bool(cfg.get(\"fit_intercept\")) or True")
    inert = checks(audit(tmp_path, space, iris, fixed, name="train_fixed.py")).get("inert", [])
    assert len(inert) == 1 and "fit_intercept (=False: same loss, same predictions" in inert[0] and "C (" not in inert[0], inert
    assert ") read at line 16" in inert[0] and "(R06)" in inert[0], inert  # issue 23: where it arises, and the fix


def test_a_crash_class_is_not_rerun_and_max_time_bounds_the_audit(tmp_path, space, iris):
    """Issue 23: a configuration that crashed is not run again on the same form of the data, nor are the pairs whose
    base crashed (the crash is still reported once, with its line); --max-time skips the calls not started in time,
    and skipped calls are no findings."""
    crashing = SOUND.replace("    model.fit(X_fit, y_fit)\n", "    if cfg.get('C') < 1:\n        raise RuntimeError('diverged')\n    model.fit(X_fit, y_fit)\n")
    found = audit(tmp_path, space, iris, crashing, configs=2)
    statuses = [r["status"] for r in found.results]
    default_crashes = [r for c, r in zip(found.calls, found.results) if c["config"] == found.calls[0]["config"] and r["status"] == "crash"]
    assert len(default_crashes) == 8, statuses  # once on every form of the data, never again
    assert any(c["role"].startswith("only ") for c, r in zip(found.calls, found.results) if r["status"] == "skipped")
    crash = [f for f in found.findings if f["check"] == "crash"]
    assert len(crash) == 1 and "RuntimeError: diverged at line 18" in crash[0]["message"], found.findings
    slow = SOUND.replace("    return loss\n", "    time.sleep(0.4)\n    return loss\n")
    started = time.monotonic()
    bounded = audit(tmp_path, space, iris, slow, name="train_slow.py", max_time=2.0)
    assert time.monotonic() - started < 8.0
    skipped = [r for r in bounded.results if r["status"] == "skipped"]
    assert skipped and len(skipped) < len(bounded.results) and bounded.findings == [], bounded.findings


def test_preload_warms_torch_once_without_threads(tmp_path):
    """Issue 25: the first torch optimizer imports torch._dynamo and ~800 modules (seconds per forked call); preload
    builds one in the parent so that the forks inherit them, and starts no thread (a fork-safe parent). A fresh
    interpreter (about 5 s: torch's import) because this test process may have imported them already."""
    pytest.importorskip("torch")
    file = tmp_path / "net.py"
    file.write_text("import torch\nfrom torch import nn\n\n\ndef train(cfg, dataset, seed):\n    return 0.0\n")
    probe = ("import os, sys; from pathlib import Path; from trainfn_gen.analyze import sweep; "
             f"sweep.preload(Path({str(file)!r})); "
             "print('torch._dynamo' in sys.modules, len(os.listdir('/proc/self/task')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={**os.environ, "OMP_NUM_THREADS": "1"}).stdout.split()
    assert out == ["True", "1"], out
