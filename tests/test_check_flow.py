"""The sharper `check` (issue 18): faults that crash or mislead LLM-written train() functions, found statically.

Bad functions written here in the styles of ../shared/llm_written/ (one fault each), the same function fixed
(no finding), and the command line: ruff's `file:line:col: Rxx message`, several files, --select/--ignore,
--output-format json|github, exit codes (missing file: 1, as `generate`).
"""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner
from ConfigSpace import Categorical, ConfigurationSpace, EqualsCondition, Float, Integer
from trainfn_gen.analyze.check import check_source
from trainfn_gen.commands.cli import main

HEAD = """\
import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.metrics import accuracy_score, mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC


def train(cfg, dataset, seed):
"""


def body(text: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(text), "    ")


@pytest.fixture(scope="module")
def space():
    cs = ConfigurationSpace(seed=0)
    kernel, degree = Categorical("kernel", ["rbf", "poly"]), Integer("degree", (2, 5), default=3)
    cs.add([kernel, degree, Float("C", (0.1, 10.0), default=1.0), Integer("batch_size", (8, 64), default=16)])
    cs.add(EqualsCondition(degree, kernel, "poly"))
    return cs


def rules(source: str, space=None, **options) -> list[tuple[str, int]]:
    return [(v.rule, v.line) for v in check_source(source, space=space, **options) if v.rule in ("R02", "R07", "R08", "R10", "R12", "R13", "R16")]


# (name, bad body, the rule and line it breaks, the fixed body)
CASES = [
    ("cfg[] of an inactive conditional",
     'model = SVC(kernel=cfg["kernel"], degree=cfg["degree"])\nreturn 1.0\n', ("R08", 12),
     'model = SVC(kernel=cfg["kernel"], degree=cfg["degree"] if cfg["kernel"] == "poly" else 3)\nreturn 1.0\n'),
    ("cfg.get of an inactive conditional without a None test",
     'degree = cfg.get("degree")\nmodel = SVC(degree=int(degree))\nreturn 1.0\n', ("R10", 12),
     'degree = cfg.get("degree")\nmodel = SVC(degree=3 if degree is None else int(degree))\nreturn 1.0\n'),
    ("cfg.get under a test wider than the condition",
     'model = SVC(degree=cfg.get("degree") if cfg.get("kernel") in ["poly", "rbf"] else 3)\nreturn 1.0\n', ("R10", 12),
     'model = SVC(degree=cfg.get("degree") if cfg.get("kernel") in ["poly"] else 3)\nreturn 1.0\n'),
    ("cfg.get used in a branch where the hyperparameter is inactive",
     ('kernel = cfg.get("kernel")\ndegree = cfg.get("degree")\nif kernel == "poly":\n    model = SVC(degree=degree)\n'
      'elif kernel == "rbf":\n    model = SVC(degree=degree)\nreturn 1.0\n'), ("R10", 13),
     ('kernel = cfg.get("kernel")\ndegree = cfg.get("degree")\nif kernel == "poly":\n    model = SVC(degree=degree)\n'
      'elif kernel == "rbf":\n    model = SVC()\nreturn 1.0\n')),
    ("metric on the rows the model was fitted on, whatever the names",
     ('a, b, c, d = train_test_split(dataset["X"], dataset["y"], random_state=seed)\nm = SVC().fit(a, c)\n'
     'guess = m.predict(a)\nreturn 1.0 - accuracy_score(c, guess)\n'), ("R16", 15),
     ('a, b, c, d = train_test_split(dataset["X"], dataset["y"], random_state=seed)\nm = SVC().fit(a, c)\n'
     'guess = m.predict(b)\nreturn 1.0 - accuracy_score(d, guess)\n')),
    ("training loss of a network loop returned",
     ('net = nn.Linear(4, 3)\nopt = torch.optim.SGD(net.parameters(), lr=0.1)\ntotal = 0.0\nfor xb, yb in []:\n'
     '    step = nn.functional.cross_entropy(net(xb), yb)\n    step.backward()\n    opt.step()\n    total += step.item()\n'
     'return total\n'), ("R16", 20),
     ('net = nn.Linear(4, 3)\nopt = torch.optim.SGD(net.parameters(), lr=0.1)\nfor xb, yb in []:\n'
     '    step = nn.functional.cross_entropy(net(xb), yb)\n    step.backward()\n    opt.step()\n'
     'held = nn.functional.cross_entropy(net(dataset["X_test"]), dataset["y_test"])\nreturn held.item()\n')),
    ("negated error",
     'val_mse = mean_squared_error(dataset["y_test"], dataset["X_test"][:, 0])\nreturn -val_mse\n', ("R02", 13),
     'val_mse = mean_squared_error(dataset["y_test"], dataset["X_test"][:, 0])\nreturn val_mse\n'),
    ("positive accuracy",
     'acc = accuracy_score(dataset["y_test"], dataset["X_test"][:, 0])\nreturn acc\n', ("R02", 13),
     'acc = accuracy_score(dataset["y_test"], dataset["X_test"][:, 0])\nreturn 1.0 - acc\n'),
    ("pandas-only method on data that may be numpy",
     'X = dataset["X"]\nfeatures = X.values.shape[1]\nreturn float(features)\n', ("R13", 13),
     'X = np.asarray(dataset["X"])\nfeatures = X.shape[1]\nreturn float(features)\n'),
    ("numpy input rejected",
     'X = dataset["X"]\nif not isinstance(X, pd.DataFrame):\n    raise TypeError("X must be a DataFrame")\nreturn float(X.shape[1])\n', ("R13", 13),
     'X = np.asarray(dataset["X"])\nif not isinstance(X, np.ndarray):\n    raise TypeError("X must be an array")\nreturn float(X.shape[1])\n'),
    ("pandas-only attribute after astype",
     'X = dataset["X"]\nrows = X.astype(float).values\nreturn float(rows.shape[1])\n', ("R13", 13),
     'X = dataset["X"]\nrows = np.asarray(X).astype(float)\nreturn float(rows.shape[1])\n'),
    ("config value into torch without a cast",
     'size = cfg.get("batch_size")\nloader = DataLoader(TensorDataset(torch.zeros(4, 1)), batch_size=size)\nreturn 1.0\n', ("R07", 13),
     'size = int(cfg.get("batch_size"))\nloader = DataLoader(TensorDataset(torch.zeros(4, 1)), batch_size=size)\nreturn 1.0\n'),
]


@pytest.mark.parametrize(("name", "bad", "expected", "fixed"), CASES, ids=[c[0] for c in CASES])
def test_fault_found_and_fix_passes(space, name, bad, expected, fixed):
    assert expected in rules(body(bad), space), check_source(body(bad), space=space)
    assert rules(body(fixed), space) == [], check_source(body(fixed), space=space)


def test_budget_missing_under_a_multi_fidelity_facade_is_r12():
    source = body("return 1.0\n")
    assert ("R12", 11) in rules(source, multi_fidelity=True)
    assert ("R12", 11) not in rules(source)


def test_an_inactive_read_guarded_where_its_class_is_used_is_no_finding(space):
    source = body('''
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.degree = cfg.get("degree")
        net = Net() if cfg.get("kernel") == "poly" else None
        return 1.0
    ''')
    assert rules(source, space) == []


def test_cli_several_files_select_ignore_formats_and_exit_codes(tmp_path, space):
    space.to_json(tmp_path / "space.json")
    bad, fixed = tmp_path / "bad.py", tmp_path / "fixed.py"
    bad.write_text(body(CASES[0][1]) + "\n")
    fixed.write_text(body(CASES[0][3]) + "\n")
    run = CliRunner().invoke
    result = run(main, ["check", str(bad), str(fixed), "--space", str(tmp_path / "space.json"), "--select", "R08,R1"])
    assert result.exit_code == 1
    first = f"{bad}:12:46: R08 cfg['degree'] raises KeyError when 'degree' is inactive (it depends on kernel); use cfg.get('degree') and a default"
    assert result.stdout.splitlines() == [first, "Found 1 violation (R08)."]
    assert run(main, ["check", str(bad), "--space", str(tmp_path / "space.json"), "--select", "R08", "--ignore", "R0"]).exit_code == 0
    document = json.loads(run(main, ["check", str(bad), "--select", "R22", "--output-format", "json"]).stdout)
    assert document == [{"filename": str(bad), "line": 11, "column": 1, "code": "R22", "message": "train() reports no progress; print or log a few lines", "severity": "error"}]
    github = run(main, ["check", str(bad), "--select", "R22", "--output-format", "github"]).stdout
    assert github.startswith(f"::error title=trainfn-gen (R22),file={bad},line=11,col=1::R22 train() reports no progress")
    missing = run(main, ["check", str(tmp_path / "nope.py"), str(fixed), "--select", "R08"])
    assert missing.exit_code == 1 and "nope.py: no such file" in missing.stderr
    assert run(main, ["check", str(fixed), "--select", "R08"]).exit_code == 0


def test_r07_ranks_what_can_break_the_call_above_what_cannot():
    """Issue 25: an Integer hyperparameter arrives as a Python int and torch layers take numpy integers: a note,
    counted apart; a numeric categorical (numpy.int64 under SMAC) into DataLoader's batch_size, which rejects it: an error."""
    cs = ConfigurationSpace(seed=0)
    cs.add([Integer("units", (8, 64), default=16), Categorical("batch", [16, 32], default=16), Categorical("width", [8, 16], default=8)])
    source = body('units = cfg.get("units")\nlayer = nn.Linear(4, units)\nwide = nn.Linear(4, cfg.get("width"))\n'
                  'loader = DataLoader(TensorDataset(torch.zeros(4, 1)), batch_size=cfg.get("batch"))\n'
                  'other = DataLoader(TensorDataset(torch.zeros(4, 1)), batch_size=units)\nrnn = nn.LSTM(4, cfg.get("width"))\nreturn 1.0\n')
    found = {(v.rule, v.line, v.severity) for v in check_source(source, space=cs) if v.rule == "R07"}
    assert found == {("R07", 13, "note"), ("R07", 14, "note"), ("R07", 15, "error"), ("R07", 16, "note"), ("R07", 17, "error")}, found
    from trainfn_gen.analyze.check_output import to_text
    text = to_text({"f.py": check_source(source, space=cs)})
    assert text.index("R07 note:") > text.index("f.py:17:") and text.endswith("and 3 notes.")


def test_r16_validation_loss_is_quiet_accuracy_on_trained_rows_is_not():
    """Issue 25: a loss computed on validation rows under the name of the training loss is no training loss; an
    accuracy compared with the labels of the loader (or tensors) the network trained on is; and the training loss
    itself, returned after the loop, still is."""
    loop = ('model = nn.Linear(4, 2)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nX_t, y_t = torch.zeros(8, 4), torch.zeros(8).long()\n'
            'loader = DataLoader(TensorDataset(X_t, y_t), batch_size=4)\nfor xb, yb in loader:\n    loss = nn.functional.cross_entropy(model(xb), yb)\n'
            '    opt.zero_grad()\n    loss.backward()\n    opt.step()\n')
    validation = body(loop + 'out = model(X_t[:2])\nloss = nn.functional.cross_entropy(out, y_t[:2]).item()\nreturn loss\n')
    trained_rows = body(loop + 'correct = 0\nfor xb, yb in loader:\n    correct += (model(xb).argmax(1) == yb).sum().item()\nreturn -correct / 8\n')
    training_loss = body(loop + 'return loss.item()\n')
    assert [r for r in rules(validation) if r[0] == "R16"] == []
    assert [r for r in rules(trained_rows) if r[0] == "R16"] == [("R16", 23)]
    assert [r for r in rules(training_loss) if r[0] == "R16"] == [("R16", 21)]


def test_r24_flatten_size_computed_by_hand_after_convolutions():
    """Issue 25: (h // 2) * (w // 2) * filters ignores an unpadded convolution (p18 of the LLM-written functions
    crashes on every CNN configuration); a size measured with a dummy forward pass is quiet."""
    head = 'side = int(np.sqrt(4))\nconv = nn.Conv2d(1, 8, kernel_size=3)\n'
    by_hand = body(head + 'size = (side // 2) * (side // 2) * 8\nfc = nn.Linear(size, 2)\nreturn 1.0\n')
    measured = body(head + 'size = conv(torch.zeros(1, 1, side, side)).numel()\nfc = nn.Linear(size, 2)\nreturn 1.0\n')
    assert [(v.rule, v.line) for v in check_source(by_hand) if v.rule == "R24"] == [("R24", 15)]
    assert [v for v in check_source(measured) if v.rule == "R24"] == []


def test_r11_dead_else_branch_of_a_covered_categorical(space):
    """Issue 25: tests covering every choice of 'kernel' leave the else branch dead (p07 of the LLM-written functions
    keeps a whole PyTorch branch there); a defensive `else: raise` is quiet, and so is a chain that leaves a choice out."""
    dead = body('kernel = cfg.get("kernel")\nif kernel in ["rbf", "poly"]:\n    model = SVC(kernel=kernel)\nelse:\n    model = None\nreturn 1.0\n')
    chain = body('if cfg.get("kernel") == "rbf":\n    model = SVC()\nelif cfg.get("kernel") == "poly":\n    model = SVC(kernel="poly")\nelse:\n    model = None\nreturn 1.0\n')
    guard = body('if cfg.get("kernel") == "rbf":\n    model = SVC()\nelif cfg.get("kernel") == "poly":\n    model = SVC(kernel="poly")\nelse:\n    raise ValueError("kernel")\nreturn 1.0\n')
    partial = body('if cfg.get("kernel") == "rbf":\n    model = SVC()\nelse:\n    model = None\nreturn 1.0\n')
    r11 = lambda source: [(v.rule, v.line) for v in check_source(source, space=space) if v.rule == "R11"]
    assert r11(dead) == [("R11", 16)] and r11(chain) == [("R11", 17)]
    assert r11(guard) == [] and r11(partial) == []


def test_square_images_unused_reads_unseeded_torch_and_model_names():
    """Issue 25, faults of the LLM-written functions check now names: the feature count's square root taken as an
    image side (R05), a hyperparameter read into a name never used (R06), PyTorch never seeded (R21), a model file
    named by the seed alone (R20: r20_model_names was written but never registered); their sound versions are quiet."""
    cs = ConfigurationSpace(seed=0)
    cs.add([Float("lr", (0.001, 0.1), default=0.01), Float("l1", (0.0, 1.0), default=0.0)])
    bad = body('import math, os\nside = int(math.sqrt(np.asarray(dataset["X"]).shape[1]))\nlr = cfg.get("lr")\nl1 = cfg.get("l1")\n'
               'model = nn.Linear(side, 1)\nopt = torch.optim.SGD(model.parameters(), lr=lr)\n'
               'torch.save(model.state_dict(), os.path.join(model_dir, f"model_{seed}.pt"))\nreturn 1.0\n').replace("seed):", "seed, model_dir=None):")
    good = body('import os\ntorch.manual_seed(seed)\nlr = cfg.get("lr")\nl1 = cfg.get("l1")\n'
                'model = nn.Linear(np.asarray(dataset["X"]).shape[1], 1)\nopt = torch.optim.SGD(model.parameters(), lr=lr, weight_decay=l1)\n'
                'torch.save(model.state_dict(), os.path.join(model_dir, f"model_{hash(str(dict(cfg)))}_{seed}.pt"))\nreturn 1.0\n').replace("seed):", "seed, model_dir=None):")
    pick = lambda source: sorted((v.rule, v.line) for v in check_source(source, space=cs) if v.rule in ("R05", "R06", "R20", "R21"))
    assert pick(bad) == [("R05", 13), ("R06", 15), ("R20", 18), ("R21", 11)], pick(bad)
    assert pick(good) == [], pick(good)


def test_split_unstratified_fixed_seed_and_preprocessing_fitted_before_it():
    """Issue 25 (p07 R14@26, p16 R14@82, p29 R15@33 and R14@40 were missed): a classification train() splits without
    stratify (R14) or with random_state=42 (R14), a scaler fitted on the rows split afterwards (R15); the same split
    stratified with the seed, the scaler fitted on the training part, and a regression split are quiet."""
    bad = body('from sklearn.preprocessing import StandardScaler\nX, y = dataset["X"], dataset["y"]\nscaler = StandardScaler()\n'
               'X = scaler.fit_transform(X)\nX_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, random_state=42)\n'
               'model = SVC(C=cfg.get("C")).fit(X_tr, y_tr)\nreturn 1 - accuracy_score(y_va, model.predict(X_va))\n')
    good = body('from sklearn.preprocessing import StandardScaler\nX, y = dataset["X"], dataset["y"]\n'
                'X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, random_state=seed, stratify=y)\n'
                'scaler = StandardScaler()\nX_tr = scaler.fit_transform(X_tr)\nX_va = scaler.transform(X_va)\n'
                'model = SVC(C=cfg.get("C")).fit(X_tr, y_tr)\nreturn 1 - accuracy_score(y_va, model.predict(X_va))\n')
    regression = body('from sklearn.svm import SVR\nX, y = dataset["X"], dataset["y"]\n'
                      'X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, random_state=seed)\n'
                      'model = SVR(C=cfg.get("C")).fit(X_tr, y_tr)\nreturn mean_squared_error(y_va, model.predict(X_va))\n')
    pick = lambda source: sorted((v.rule, v.line) for v in check_source(source) if v.rule in ("R14", "R15"))
    assert pick(bad) == [("R14", 16), ("R14", 16), ("R15", 15)], pick(bad)
    assert pick(good) == [], pick(good)
    assert pick(regression) == [], pick(regression)


def test_a_print_on_every_epoch_of_a_long_loop():
    """Issue 25 (p36 R22@94 was missed): one print per epoch with epochs a hyperparameter up to 100 floods SMAC's log;
    the same loop of at most 10 epochs, a print every 10 epochs, and a print after the loop are quiet."""
    cs = ConfigurationSpace(seed=0)
    cs.add([Integer("epochs", (10, 100), default=50), Integer("few", (2, 10), default=5)])
    loop = 'epochs = cfg.get("{name}")\nfor epoch in range(epochs):\n    loss = float(epoch)\n{report}return 1.0\n'
    every = "    print(f'epoch {epoch}: {loss}')\n"
    pick = lambda source: sorted((v.rule, v.line) for v in check_source(source, space=cs) if v.rule == "R22")
    assert pick(body(loop.format(name="epochs", report=every))) == [("R22", 15)]
    assert pick(body(loop.format(name="few", report=every))) == []
    assert pick(body(loop.format(name="epochs", report="    if epoch % 10 == 0:\n" + "    " + every))) == []
    assert pick(body(loop.format(name="epochs", report="print(f'{epochs} epochs: {loss}')\n"))) == []


def test_isinstance_int_on_a_numeric_categorical():
    """Issue 25 (p16 R07@89 was missed): `isinstance(batch_size, int)` on a numeric categorical is False for the
    numpy.int64 SMAC gives, so the fallback always runs; an Integer hyperparameter (a Python int), a test that
    accepts numpy integers, and a value converted first are quiet."""
    cs = ConfigurationSpace(seed=0)
    cs.add([Categorical("batch_size", [32, 64, 128]), Integer("units", (8, 64), default=16)])
    test = 'size = cfg.get("{name}", 32)\nif not isinstance({value}, {types}):\n    size = 32\nreturn float(size)\n'
    pick = lambda **kw: sorted((v.rule, v.line) for v in check_source(body(test.format(**kw)), space=cs) if v.rule == "R07")
    assert pick(name="batch_size", value="size", types="int") == [("R07", 13)]
    assert pick(name="units", value="size", types="int") == []
    assert pick(name="batch_size", value="size", types="(int, np.integer)") == []
    assert pick(name="batch_size", value="int(size)", types="int") == []


def test_score_on_the_fitted_rows_named_by_key():
    """Issue 25: `model.fit(dataset["X"], dataset["y"])` then `model.score(dataset["X"], dataset["y"])` (or a metric of
    those rows) is the training score (R16); the given test rows, or a held-out part, are quiet."""
    fitted = 'model = SVC(C=cfg.get("C"))\nmodel.fit(dataset["X"], dataset["y"])\n'
    pick = lambda text: sorted((v.rule, v.line) for v in check_source(body(fitted + text)) if v.rule == "R16")
    assert pick('return -float(model.score(dataset["X"], dataset["y"]))\n') == [("R16", 14)]
    assert pick('return 1 - accuracy_score(dataset["y"], model.predict(dataset["X"]))\n') == [("R16", 14)]
    assert pick('return -float(model.score(dataset["X_test"], dataset["y_test"]))\n') == []
    assert pick('return 1 - accuracy_score(dataset["y_test"], model.predict(dataset["X_test"]))\n') == []


def test_a_table_made_one_sequence_for_a_batch_first_rnn():
    """Issue 25 (p22 R17@52 was missed): `X.unsqueeze(0)` before a batch_first LSTM makes the rows the time steps of
    one sequence: one output for the whole table. unsqueeze(1) (each row a one-step sequence), and unsqueeze(0)
    for a sequence-first LSTM (then it is the time axis), are quiet."""
    net = 'X = torch.tensor(np.asarray(dataset["X"]), dtype=torch.float32)\nX = X.unsqueeze({axis})\nrnn = nn.LSTM(X.shape[-1], 8{first})\nout, _ = rnn(X)\nreturn float(out.mean())\n'
    pick = lambda **kw: sorted((v.rule, v.line) for v in check_source(body(net.format(**kw))) if v.rule == "R17")
    assert pick(axis=0, first=", batch_first=True") == [("R17", 13)]
    assert pick(axis=1, first=", batch_first=True") == []
    assert pick(axis=0, first="") == []


def test_square_image_side_from_an_unpacked_or_conditional_feature_count():
    """Issue 25 (p16 R05@62, p18 R05@42, lost when R05 was narrowed to feature counts): `n_samples, n_features =
    X.shape` and `X.shape[1] if X.ndim > 1 else 1` are feature counts too; the sample count is not."""
    side = 'import math\nX = np.asarray(dataset["X"])\n{count}\nside = int(math.sqrt({name}))\nreturn float(side)\n'
    pick = lambda **kw: sorted((v.rule, v.line) for v in check_source(body(side.format(**kw))) if v.rule == "R05")
    assert pick(count="n_samples, n_features = X.shape", name="n_features") == [("R05", 15)]
    assert pick(count="n_features = X.shape[1] if X.ndim > 1 else 1", name="n_features") == [("R05", 15)]
    assert pick(count="n_samples, n_features = X.shape", name="n_samples") == []
