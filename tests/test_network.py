"""Neural-network spaces: PyTorch (and TensorFlow/Keras) train() functions from the corpus NN spaces.

Rules: R05 (sizes from the data: tabular, image and sequence inputs), R07 (numpy-typed values),
R12 (budget = epochs), R17 (classification and regression heads), R18 (one framework per file,
--framework), R19 (device, no per-batch sync), R20 (saved model loads back and predicts), R21
(same seed, same loss), R24 (sampled configurations never crash).
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from harness import (
    CORPUS,
    GOLDEN,
    as_native,
    as_numpy,
    configurations,
    dataset,
    golden_cases,
    load_train,
    make_dataset,
)
from harness import load_space as golden_space
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.space.load import load_space

torch = pytest.importorskip("torch")
nn = torch.nn

# Corpus NN space -> the input it is run on: tabular digits, digits as (N, 1, 8, 8) images, or
# (N, 8, 8) sequences (8 steps of 8 features).
SPACES = {
    "06": "image", "08": "tabular", "11": "image", "18": "sequence", "21": "image", "26": "tabular",
    "33": "image", "35": "image", "40": "image", "42": "sequence", "43": "image", "50": "image",
    "52": "tabular", "54": "tabular",
}
ARCHITECTURES = {
    "06": "CNN", "08": "MLP", "11": "CNN | MLP", "18": "LSTM", "21": "CNN | MLP", "26": "MLP", "33": "CNN",
    "35": "CNN | MLP", "40": "MLP | CNN", "42": "LSTM | GRU | MLP", "43": "CNN", "50": "CNN", "52": "MLP", "54": "MLP",
}
ROWS = 300  # a slice of digits keeps ~300 calls within minutes on two CPU cores
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")


pytestmark = pytest.mark.usefixtures("torch_one_thread")


def options(task="classification", framework="torch", **extra):
    # Multi-fidelity with budget 1 = one epoch per call (R12): the whole file stays fast.
    return make_options(task=task, facade="multi-fidelity", min_budget=1, max_budget=3, framework=framework, **extra)


def inputs(kind: str, task: str = "classification") -> dict:
    X, y = dataset("digits" if task == "classification" else "diabetes")
    X, y = X[:ROWS], y[:ROWS]
    if kind == "image":
        X = X.reshape(-1, 1, 8, 8)
    elif kind == "sequence":
        X = X.reshape(-1, 8, 8)
    elif kind == "tokens":
        X = (X.reshape(-1, 16, 4).sum(-1) // 8).astype(np.int64)
    return {"X": X, "y": y}


def build(tmp_path: Path, space: str, opts) -> tuple[str, object]:
    source = generate(CORPUS / f"{space}.json", opts)
    path = tmp_path / f"train_{space}.py"
    path.write_text(source)
    return source, load_train(path)


def call(train, config: dict, data: dict, seed: int = 0, budget=1, model_dir=None):
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return train(config, data, seed=seed, budget=budget, model_dir=model_dir)


def sweep(train, space: str, data: dict, count: int = 10) -> int:
    calls = 0
    for index, config in enumerate(configurations(load_space(CORPUS / f"{space}.json"), count, seed=int(space))):
        for cast in (as_native, as_numpy):
            loss = call(train, {k: cast(v) for k, v in config.items()}, data, seed=index)
            assert isinstance(loss, float) and np.isfinite(loss)
            calls += 1
    return calls


@needs_corpus
@pytest.mark.parametrize("space", sorted(SPACES), ids=lambda s: f"{s}-{SPACES[s]}")
def test_r24_torch_corpus_space_runs_default_and_sampled_configurations(tmp_path, space):
    source, train = build(tmp_path, space, options())
    assert "import torch" in source and "sklearn.neural_network" not in source
    assert sweep(train, space, inputs(SPACES[space])) == 22
    assert -1.0 <= call(train, {}, inputs(SPACES[space])) <= 0.0


@needs_corpus
def test_r05_lstm_space_embeds_integer_token_ids(tmp_path):
    source, train = build(tmp_path, "18", options())
    assert "nn.Embedding" in source
    assert sweep(train, "18", inputs("tokens"), count=3) == 8


@needs_corpus
@pytest.mark.parametrize("space", ["06", "42"])
def test_r05_image_and_sequence_spaces_also_take_tabular_rows(tmp_path, space):
    _, train = build(tmp_path, space, options())
    assert sweep(train, space, inputs("tabular"), count=2) == 6


@needs_corpus
@pytest.mark.parametrize("space", ["08", "52"])
def test_r17_regression_head_on_diabetes(tmp_path, space):
    source, train = build(tmp_path, space, options(task="regression", contract="metrics"))
    assert "nn.MSELoss()" in source and "y_std + y_mean" in source
    for config in configurations(load_space(CORPUS / f"{space}.json"), 3, seed=1):
        metrics = call(train, config, inputs("tabular", "regression"))
        assert set(metrics) == {"loss", "mse", "mae", "r2"} and metrics["loss"] == metrics["mse"] > 0


@needs_corpus
def test_r21_same_configuration_and_seed_give_the_same_loss(tmp_path):
    _, train = build(tmp_path, "11", options())
    config = dict(load_space(CORPUS / "11.json").get_default_configuration())
    data = inputs("image")
    assert call(train, config, data, seed=3, budget=2) == call(train, config, data, seed=3, budget=2)


@needs_corpus
def test_r12_budget_scales_the_space_epochs(tmp_path):
    source, _ = build(tmp_path, "43", options())
    assert "R12: the searched epochs is the number of training epochs at the full budget" in source
    assert 'max(5, round(as_int(cfg.get("epochs"), 10, 5, 50) * budget / 3))' in source
    hpo = generate(CORPUS / "43.json", make_options(task="classification", framework="torch"))
    assert "budget" not in hpo.split("epochs = ", 1)[1].splitlines()[0]


@needs_corpus
def test_r19_device_chosen_once_and_no_per_batch_synchronization(tmp_path):
    source, _ = build(tmp_path, "43", options())
    loop = source.split("for first in range(", 1)[1].split("if n_stop:", 1)[0]
    assert "torch.cuda.is_available()" in source and "torch.backends.mps.is_available()" in source
    assert ".item()" not in loop and ".cpu()" not in loop and "float(" not in loop
    assert "torch.randperm(n_fit, device=device, generator=generator)" in source
    assert "torch.inference_mode()" in source


@needs_corpus
def test_r06_settings_the_network_cannot_honour_are_listed_unused(tmp_path):
    source = generate(CORPUS / "40.json", options())
    assert "#   loss is not used:" in source and "#   penalty is not used:" in source


@needs_corpus
def test_r18_default_framework_is_sklearn_when_the_space_fits_the_mlp():
    assert "MLPClassifier" in generate(CORPUS / "26.json", make_options(task="classification"))
    source = generate(CORPUS / "08.json", make_options(task="classification"))
    assert "import torch" in source and "MLPClassifier" not in source


@needs_corpus
def test_r18_framework_sklearn_refuses_convolutional_and_dropout_spaces():
    with pytest.raises(GeneratorError) as caught:
        generate(CORPUS / "11.json", make_options(task="classification", framework="sklearn"))
    assert "cnn" in caught.value.message and "--framework sklearn cannot train" in caught.value.message
    with pytest.raises(GeneratorError) as caught:
        generate(CORPUS / "08.json", make_options(task="classification", framework="sklearn"))
    assert caught.value.hyperparameter == "dropout" and "--framework torch" in caught.value.message


def test_r18_unknown_framework_is_refused():
    with pytest.raises(GeneratorError, match="unknown framework 'jax'"):
        make_options(framework="jax")


@needs_corpus
def test_generator_never_imports_torch():
    code = (
        "import sys; from trainfn_gen.engine.pipeline import generate; from trainfn_gen.engine.options import make_options; "
        f"generate({str(CORPUS / '42.json')!r}, make_options(task='classification', framework='torch')); "
        "print('torch' in sys.modules, 'tensorflow' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def train_with_given_test(tmp_path, space: str, kind: str, opts) -> tuple[dict, dict]:
    """Train the default configuration on 225 rows, evaluate on the given 75 (R14), save to tmp_path/models."""
    _, train = build(tmp_path, space, opts)
    data = inputs(kind)
    split = {"X": data["X"][:225], "y": data["y"][:225], "X_test": data["X"][225:], "y_test": data["y"][225:]}
    config = dict(load_space(CORPUS / f"{space}.json").get_default_configuration())
    return split, call(train, config, split, seed=0, budget=2, model_dir=str(tmp_path / "models"))


class Rebuilt(nn.Module):
    """The test's own reading of the saved architecture JSON (R20): embedding, recurrent, layers."""

    def __init__(self, architecture):
        super().__init__()
        embedding, recurrent = architecture.get("embedding"), architecture.get("recurrent")
        self.embedding = nn.Embedding(**embedding) if embedding else nn.Identity()
        self.recurrent = getattr(nn, recurrent[0])(**recurrent[1]) if recurrent else None
        self.layers = nn.Sequential(*(getattr(nn, name)(**kwargs) for name, kwargs in architecture["layers"]))

    def forward(self, x):
        x = self.embedding(x)
        if self.recurrent is not None:
            state = self.recurrent(x)[1]
            state = state[0] if isinstance(state, tuple) else state
            directions = 2 if self.recurrent.bidirectional else 1
            x = state[-directions:].transpose(0, 1).reshape(len(x), -1)
        return self.layers(x)


def load_saved(stem: str):
    info = json.loads(Path(f"{stem}.json").read_text())["network"]
    architecture = info["architecture"]
    weights = torch.load(f"{stem}.pt", weights_only=True)
    if "recurrent" in architecture:
        module = Rebuilt(architecture)
    else:
        module = nn.Sequential(*(getattr(nn, name)(**kwargs) for name, kwargs in architecture["layers"]))
    module.load_state_dict(weights)
    return module.eval(), info


@needs_corpus
@pytest.mark.parametrize("space,kind", [("11", "image"), ("42", "sequence"), ("08", "tabular")])
def test_r20_saved_torch_model_loads_back_and_predicts(tmp_path, space, kind):
    split, metrics = train_with_given_test(tmp_path, space, kind, options(contract="metrics"))
    (weights,) = sorted((tmp_path / "models").glob("*.pt"))
    stem = str(weights)[: -len(".pt")]
    module, info = load_saved(stem)
    X_test = split["X_test"]
    if info["input_scaling"] is None:
        X_test = joblib.load(f"{stem}.preprocess.joblib").transform(X_test)
    else:
        X_test = (X_test - info["input_scaling"][0]) / info["input_scaling"][1]
    X_test = torch.as_tensor(np.asarray(X_test, dtype=np.float32).reshape(-1, *info["input_shape"]))
    with torch.inference_mode():
        predicted = np.asarray(info["classes"])[module(X_test).argmax(1).numpy()]
    assert info["framework"] == "torch" and info["n_outputs"] == 10
    assert float(np.mean(predicted == split["y_test"])) == pytest.approx(metrics["accuracy"])


@pytest.fixture(scope="module")
def keras():
    keras = pytest.importorskip("keras")
    pytest.importorskip("tensorflow")
    return keras


@needs_corpus
@pytest.mark.parametrize("space", sorted(SPACES), ids=lambda s: f"{s}-{SPACES[s]}")
def test_r24_tensorflow_corpus_space_runs_default_and_sampled_configurations(tmp_path, keras, space):
    source, train = build(tmp_path, space, options(framework="tensorflow"))
    assert "import keras" in source and "torch" not in source
    data = inputs(SPACES[space])
    configs = configurations(load_space(CORPUS / f"{space}.json"), 10, seed=int(space))
    # Keras builds a graph per call (about a second): native and numpy values alternate here.
    for index, config in enumerate(configs):
        cast = as_numpy if index % 2 else as_native
        loss = call(train, {k: cast(v) for k, v in config.items()}, data, seed=index)
        assert isinstance(loss, float) and -1.0 <= loss <= 0.0


@needs_corpus
def test_r17_tensorflow_regression_head_on_diabetes(tmp_path, keras):
    source, train = build(tmp_path, "52", options(task="regression", framework="tensorflow", contract="metrics"))
    assert 'loss="mse"' in source
    metrics = call(train, {}, inputs("tabular", "regression"))
    assert metrics["loss"] == metrics["mse"] > 0


@needs_corpus
@pytest.mark.parametrize("space,kind", [("43", "image"), ("18", "tokens")])
def test_r20_saved_keras_model_loads_back_and_predicts(tmp_path, keras, space, kind):
    split, metrics = train_with_given_test(tmp_path, space, kind, options(framework="tensorflow", contract="metrics"))
    (saved,) = sorted((tmp_path / "models").glob("*.keras"))
    stem = str(saved)[: -len(".keras")]
    info = json.loads(Path(f"{stem}.json").read_text())["network"]
    model = keras.models.load_model(saved)
    X_test = split["X_test"]
    if kind == "image":
        X_test = ((X_test - info["input_scaling"][0]) / info["input_scaling"][1]).transpose(0, 2, 3, 1)
    else:
        # Token ids past the training vocabulary share its last id, as in train().
        X_test = np.minimum(X_test, model.layers[0].input_dim - 1)
    predicted = np.asarray(info["classes"])[model.predict(X_test, verbose=0).argmax(1)]
    assert info["framework"] == "tensorflow" and list(model.input_shape[1:]) == info["input_shape"]
    assert float(np.mean(predicted == split["y_test"])) == pytest.approx(metrics["accuracy"])


NETWORK_GOLDENS = [c for c in golden_cases() if "_torch_" in c["name"] or "_tensorflow_" in c["name"]]
GOLDEN_INPUTS = {"08.json": "tabular", "11.json": "image", "42.json": "sequence", "43.json": "image"}


@pytest.mark.parametrize("case", NETWORK_GOLDENS, ids=lambda c: c["name"])
def test_network_golden_runs(case, capsys):
    """Goldens are executed, not only compared: default and one sampled configuration, lowest budget."""
    if "_tensorflow_" in case["name"]:
        pytest.importorskip("keras")
    train = load_train(GOLDEN / f"{case['name']}.py")
    source = (GOLDEN / f"{case['name']}.py").read_text()
    budget = float(source.split("budget in [", 1)[1].split(",", 1)[0]) if "budget in [" in source else None
    # R17: a task decided at run time (`_auto`) meets both kinds of target.
    tasks = ("classification", "regression") if "_auto" in case["name"] else ("regression",) if "regression" in case["name"] else ("classification",)
    for task in tasks:
        data = inputs(GOLDEN_INPUTS[case["space"]], task)
        if GOLDEN_INPUTS[case["space"]] == "tabular":
            data = make_dataset("diabetes" if task == "regression" else "digits", pandas=True, given_test=True)  # R13 R14
        for index, config in enumerate(configurations(golden_space(case["space"]), 1, seed=2)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = train({k: as_numpy(v) for k, v in config.items()}, data, seed=index, budget=budget)
            loss = result["loss"] if isinstance(result, dict) else result
            # R02: losses of error metrics (mse, log loss) are >= 0; score metrics return their negative.
            assert np.isfinite(loss) and (loss >= 0 if task == "regression" or "logloss" in case["name"] else -1 <= loss <= 0)
    # Cross-validation adds the line with the mean over the folds (here one fit: the given test split).
    per_call = 4 if "-fold cross-validation (" in source else 3
    assert capsys.readouterr().out.count("\n") <= 2 * per_call * len(tasks), "R22: a few progress lines per call"


def test_r15_the_space_scaler_switch_reaches_images(tmp_path):
    """Issue 14: space 11's `normalize` switched only the tabular scaler; images were standardized either way."""
    train = load_train(GOLDEN / "11_torch_loss_hpo.py")
    scalings = {}
    for normalize in (True, False):
        config = {"model_type": "mlp", "learning_rate": 0.001, "normalize": normalize, "optimizer": "adam", "dropout": 0.1, "mlp_layers": 1, "mlp_units_1": 16}
        call(train, config, inputs("image"), budget=None, model_dir=tmp_path / str(normalize))
        (saved,) = (tmp_path / str(normalize)).glob("*.json")
        scalings[normalize] = json.loads(saved.read_text())["network"]["input_scaling"]
    assert scalings[False] == [0.0, 1.0] and scalings[True][1] != 1.0


@needs_corpus
def test_r05_profiled_images_stay_images_for_a_network(tmp_path):
    """Issue 6 x 5: a profiled image dataset flattens X for scikit-learn estimators, never for a CNN."""
    from trainfn_gen.data.profile import profile_dataset

    X, y = dataset("digits")
    np.savez(tmp_path / "images.npz", X=X.reshape(-1, 1, 8, 8), y=y)
    source = generate(CORPUS / "11.json", make_options(task="classification"), profile=profile_dataset(str(tmp_path / "images.npz"), None))
    assert "image-shaped X, kept in its shape for the network" in source
    assert "reshape(X.shape[0], -1)" not in source


# Issue 13: published network spaces (LCBench, ParamNet, hyperopt's deepnet and nnet), written here in small
# (the real files are read from ../shared/wild by the last tests when present).
WILD = Path(__file__).resolve().parents[1].parent / "shared" / "wild"
SHAPED = """
batch_size integer [16, 512] [91] log
learning_rate real [0.0001, 0.1] [0.003] log
momentum real [0.1, 0.99] [0.5]
weight_decay real [1e-05, 0.1] [0.01]
num_layers integer [1, 5] [4]
max_units integer [64, 1024] [100] log
max_dropout real [0.0, 1.0] [0.6]
epoch integer [1, 52] [26]
OpenML_task_id categorical {3945, 7593} [3945]
"""
PER_LAYER = """
num_layers integer [1, 3] [2]
num_units_1 integer [8, 64] [16] log
num_units_2 integer [8, 64] [16] log
dropout_1 real [0.0, 0.9] [0.5]
dropout_2 real [0.0, 0.9] [0.5]
l2_reg_1 real [1e-05, 0.1] [0.001]
l2_reg_2 real [1e-05, 0.1] [0.001]
weight_norm_1 real [0.25, 8.0] [4.0]
learning_rate real [1e-05, 1.0] [0.01] log
momentum real [0.0, 0.9] [0.9]
num_units_2 | num_layers > 1
dropout_2 | num_layers > 1
l2_reg_2 | num_layers > 1
"""
# hyperopt's encodings in classic pcs: LOG_ = exp(x), Q16_ = a multiple of 16, {0, 1} = an index into a comment.
ENCODED = """depth {0, 1, 2} [1]
dropout_0 [0, 0.8] [0.4]
dropout_1 [0, 0.8] [0.4]
Q16_LOG_nhid1 [2.7726, 6.9314718055994531] [4.8520302639196169]
LOG_lr [-9.0, -1.0] [-4.6052]
batch_size {0, 1} [0] # {20, 100} [20]
l2_penalty {0, 1} [0] # {zero, notzero}
LOG_l2_penalty_nz [-19.8, -7.8] [-13.8]
LOG_l2_penalty_nz | l2_penalty in {1}
dropout_1 | depth in {1, 2}
"""


def write_space(tmp_path: Path, text: str, suffix: str) -> Path:
    path = tmp_path / f"space{suffix}"
    path.write_text(text.strip() + "\n")
    return path


def build_from(tmp_path: Path, path: Path, opts) -> tuple[str, object]:
    source = generate(path, opts)
    module = tmp_path / f"train_{path.stem}_{opts.framework}.py"
    module.write_text(source)
    return source, load_train(module)


def run_configurations(train, path: Path, count: int, tasks=("classification", "regression")) -> int:
    calls = 0
    for task in tasks:
        data = inputs("tabular", task)
        for index, config in enumerate(configurations(load_space(path), count, seed=0)):
            for cast in (as_native, as_numpy):
                loss = call(train, {k: cast(v) for k, v in config.items()}, data, seed=index)
                assert isinstance(loss, float) and np.isfinite(loss)
                calls += 1
    return calls


def saved_layers(tmp_path: Path, train, config: dict) -> list:
    call(train, config, inputs("tabular"), budget=1, model_dir=str(tmp_path / "models"))
    (saved,) = sorted((tmp_path / "models").glob("*.json"))
    return json.loads(saved.read_text())["network"]["architecture"]["layers"]


def test_lcbench_shaped_mlp_is_a_funnel_of_widths_and_dropouts(tmp_path):
    """Auto-PyTorch's shaped MLP: num_layers counts the output layer; widths and dropout fall from the maxima."""
    source, train = build_from(tmp_path, write_space(tmp_path, SHAPED, ".pcs"), options(task=None))
    assert "torch.optim.SGD(" in source and "momentum=momentum" in source  # momentum without an optimizer: SGD
    assert "OpenML_task_id is not used" in source and "the searched epoch is the number of training epochs at the full budget" in source
    layers = saved_layers(tmp_path, train, {"num_layers": 4, "max_units": 100, "max_dropout": 0.6})
    widths = [kwargs["out_features"] for name, kwargs in layers if name == "Linear"]
    rates = [kwargs["p"] for name, kwargs in layers if name == "Dropout"]
    # 64 digit pixels in, 10 classes out: the first width is max(64, 100); steps of (100 - 10) // 3.
    assert widths == [100, 70, 40, 10]
    assert rates == pytest.approx([0.6, 0.6 * 667 / 1000, 0.6 * 334 / 1000])
    assert [kwargs["out_features"] for name, kwargs in saved_layers(tmp_path / "one", train, {"num_layers": 1}) if name == "Linear"] == [10]


def test_per_layer_dropout_and_l2_are_honoured_and_weight_norm_stated_unused(tmp_path):
    source, train = build_from(tmp_path, write_space(tmp_path, PER_LAYER, ".pcs"), options(task=None))
    assert "weight_norm_1 is not used: a max-norm bound" in source
    assert "decayed" in source and 'cfg.get("l2_reg_2")' in source
    layers = saved_layers(tmp_path, train, {"num_layers": 2, "num_units_1": 20, "num_units_2": 12, "dropout_1": 0.1, "dropout_2": 0.3})
    assert [kwargs["p"] for name, kwargs in layers if name == "Dropout"] == [0.1, 0.3]
    assert [kwargs["out_features"] for name, kwargs in layers if name == "Linear"] == [20, 12, 10]
    assert run_configurations(train, tmp_path / "space.pcs", 3) == 16


def test_hyperopt_encodings_decoded_and_index_choices_stated_unused(tmp_path):
    source, train = build_from(tmp_path, write_space(tmp_path, ENCODED, ".pcs"), options(task=None))
    flat = " ".join(source.split())
    assert "learning_rate = math.exp(as_float(cfg.get(\"LOG_lr\")" in flat and "/ 16 ) * 16" in flat
    assert "the value is exp(x), rounded to a multiple of 16" in source
    assert "batch_size is not used: its values 0..1 index a list" in source
    assert "l2_penalty is not used" in source and "LOG_l2_penalty_nz is not used: active only for some values of 'l2_penalty'" in source
    # depth 0 is a linear model on dropped-out inputs (dropout_0, below every width index, is the input's).
    layers = saved_layers(tmp_path, train, {"depth": "0", "dropout_0": 0.2, "Q16_LOG_nhid1": 4.0})
    assert [name for name, _ in layers] == ["Flatten", "Dropout", "Linear"] and layers[1][1]["p"] == 0.2
    layers = saved_layers(tmp_path / "wide", train, {"depth": "1", "Q16_LOG_nhid1": 4.0})
    assert [kwargs["out_features"] for name, kwargs in layers if name == "Linear"] == [48, 10]  # exp(4) = 54.6 -> 48
    assert run_configurations(train, tmp_path / "space.pcs", 2, tasks=("classification",)) == 6


def test_published_spaces_in_tensorflow(tmp_path, keras):
    for index, text in enumerate((SHAPED, PER_LAYER, ENCODED)):
        (tmp_path / str(index)).mkdir()
        path = write_space(tmp_path / str(index), text, ".pcs")
        source, train = build_from(tmp_path / str(index), path, options(task=None, framework="tensorflow"))
        assert "import keras" in source and "torch" not in source
        config = dict(load_space(path).sample_configuration())
        # Keras builds a graph per call (seconds): one call per space, native and numpy values alternating.
        cast = as_numpy if index % 2 else as_native
        loss = call(train, {k: cast(v) for k, v in config.items()}, inputs("tabular"))
        assert isinstance(loss, float) and np.isfinite(loss)


needs_wild = pytest.mark.skipif(not WILD.is_dir(), reason="../shared/wild is not beside this checkout")
WILD_NETWORKS = ("yahpo_lcbench.json", "configspace_deepnet_original.pcs", "configspace_paramnet_2017_06_22.pcs", "configspace_hpnnet_original.pcs")


@needs_wild
@pytest.mark.parametrize("name", WILD_NETWORKS)
def test_wild_network_spaces_generate_and_run(tmp_path, name):
    """The real files: a PyTorch network that runs on the default and sampled configurations (the full
    20-configuration sweep in both frameworks is the issue's closing table)."""
    source, train = build_from(tmp_path, WILD / name, options(task=None))
    assert "import torch" in source
    assert run_configurations(train, WILD / name, 2, tasks=("classification",)) == 6


@needs_wild
def test_wild_nas_cell_space_is_refused_as_an_architecture_search_space():
    with pytest.raises(GeneratorError) as error:
        generate(WILD / "yahpo_nb301.json", make_options())
    assert "neural-architecture search space" in error.value.message and "MLP" not in error.value.message


POOLING = """
n_conv_layers integer [1, 3] [2]
n_channels_conv_0 integer [4, 16] [8]
n_channels_conv_1 integer [4, 16] [8]
pool_size integer [2, 4] [2]
global_avg_pooling categorical {True, False} [False]
learning_rate real [0.0001, 0.01] [0.001]log
"""


@pytest.mark.parametrize("framework", ["torch", "tensorflow"])
def test_cnn_pool_size_and_global_average_pooling_shape_the_network(tmp_path, framework):
    """Issue 22: a CNN's `pool_size` and `global_avg_pooling` were stated unused (or not recognized): the pooling
    window and a global average over each channel now reach the fitted network."""
    source, train = build_from(tmp_path, write_space(tmp_path, POOLING, ".pcs"), options(task=None, framework=framework))
    assert "pool_size is not used" not in source and "global_avg_pooling is not used" not in source
    if framework == "tensorflow":
        assert "(pool_size)" in source and "GlobalAveragePooling" in source
        return  # the saved Keras model is checked by its own tests; the torch architecture is read below
    config = {"n_conv_layers": 2, "n_channels_conv_0": 4, "n_channels_conv_1": 6, "pool_size": 4, "learning_rate": 0.001}
    plain = saved_layers(tmp_path / "plain", train, {**config, "global_avg_pooling": "False"})
    pools = [kwargs["kernel_size"] for name, kwargs in plain if name.startswith("MaxPool")]
    assert pools == [4, 4]  # 64 features as a 1-D signal: 64 -> 16 -> 4
    assert not any(name.startswith("AdaptiveAvgPool") for name, _ in plain)
    assert next(kwargs["in_features"] for name, kwargs in plain if name == "Linear") == 6 * 4
    pooled = saved_layers(tmp_path / "global", train, {**config, "global_avg_pooling": "True"})
    assert any(name == "AdaptiveAvgPool1d" for name, _ in pooled)
    assert next(kwargs["in_features"] for name, kwargs in pooled if name == "Linear") == 6  # one value per channel


SCHEDULED = """
num_units integer [8, 32] [16]
lr real [0.001, 0.1] [0.01]log
scheduler categorical {none, cosine, step} [none]
"""


def test_a_scheduler_choice_is_the_learning_rate_schedule_and_changes_the_weights(tmp_path):
    """Issue 22: a PyTorch space's `scheduler` {none, cosine, step} was not recognized (stated unused): each value
    now schedules the learning rate, shown by the weights the same seed reaches after 3 epochs."""
    source, train = build_from(tmp_path, write_space(tmp_path, SCHEDULED, ".pcs"), options(task=None))
    assert "scheduler is not used" not in source and "CosineAnnealingLR" in source and "StepLR" in source
    weights = {}
    for value in ("none", "cosine", "step"):
        models = tmp_path / value
        call(train, {"num_units": 16, "lr": 0.05, "scheduler": value}, inputs("tabular"), budget=3, model_dir=str(models))
        (saved,) = sorted(models.glob("*.pt"))
        state = torch.load(saved, weights_only=True)
        weights[value] = torch.cat([tensor.flatten() for tensor in state.values()])
    assert not torch.equal(weights["none"], weights["cosine"]) and not torch.equal(weights["none"], weights["step"])
    assert not torch.equal(weights["cosine"], weights["step"])


CNN_UNITS = """
num_filters integer [4, 16] [8]
num_units integer [8, 64] [16]
use_cnn categorical {True, False} [True]
learning_rate real [0.0001, 0.01] [0.001]log
"""


def test_a_cnn_searched_dense_width_without_a_layer_count_is_one_dense_layer(tmp_path):
    """Issue 22 (found by the effect gate on corpus 06.json): a CNN's `num_units` with no dense-layer count was
    read into `hidden` while the code built 0 dense layers, so SMAC tuned a width that changed nothing. One dense
    layer of that width now sits between the convolutions and the output."""
    source, train = build_from(tmp_path, write_space(tmp_path, CNN_UNITS, ".pcs"), options(task=None, framework="torch"))
    assert "dense_layers = 1" in source
    config = {"num_filters": 4, "use_cnn": "True", "learning_rate": 0.001}
    widths = {}
    for units in (8, 40):
        layers = saved_layers(tmp_path / str(units), train, {**config, "num_units": units})
        widths[units] = [kwargs["out_features"] for name, kwargs in layers if name == "Linear"]
    assert widths[8][0] == 8 and widths[40][0] == 40 and len(widths[8]) == 2  # the dense layer, then the output
