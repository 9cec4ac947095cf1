"""`trainfn_gen.load_model(path)`: a model saved by a generated train() (R20), ready to predict.

scikit-learn, XGBoost and LightGBM models are joblib files: `joblib.load` returns the fitted estimator
(or pipeline) itself. A network is saved as weights plus the JSON beside them (`network`: framework,
architecture, input shape and scaling, classes or target scaling), and for tabular rows the fitted
column transformer (`STEM.preprocess.joblib`). This module rebuilds the network from that JSON and
applies the same preparation to new rows as train() applied to its validation rows, so that
`predict(X)` returns labels (or targets in y's units) equal to the trained network's. torch and
tensorflow are imported on the first load of a network, never at package import.
"""

from __future__ import annotations

import json
from pathlib import Path

from trainfn_gen.errors import GeneratorError

MODEL_SUFFIXES = (".joblib", ".pt", ".keras")


def model_file(path: str | Path) -> Path:
    """The model file of `path`: itself, or the `model.*` of a folder such as `run`'s DIR/best."""
    path = Path(path)
    if path.is_dir():
        found = sorted(p for p in path.glob("model.*") if p.suffix in MODEL_SUFFIXES and p.name == "model" + p.suffix)
        if not found:
            raise GeneratorError(f"{path} holds no model.joblib, model.pt or model.keras (is it a `trainfn-gen run` best/ folder?).")
        return found[0]
    if not path.is_file() or path.suffix not in MODEL_SUFFIXES:
        raise GeneratorError(f"{path}: not a saved model (a .joblib, .pt or .keras file written by train(), or the folder holding it).")
    return path


def load_model(path: str | Path):
    """The model saved at `path` (a model file or the folder holding `model.*`), with `predict(X)`.

    .joblib: the estimator as saved (wrapped in `DecodedLabels` when it was fitted on encoded labels, as
    XGBoost's classifiers are; in `CheckedInput` when its JSON records the input's row shape and dtype). .pt / .keras: a `SavedNetwork` rebuilt from the JSON beside the file.
    A `run` best/ model (its metadata.json records the training columns) is wrapped in `CheckedColumns`:
    new data is checked against those columns and conformed to them first.
    """
    path = model_file(path)
    model = _load(path)
    described = run_metadata(path)
    # Issue 23: a `run` best/ folder records the training columns; new data is checked and conformed to them.
    return CheckedColumns(model, described) if described else model


def run_metadata(path: Path) -> dict | None:
    """The metadata.json `run` wrote beside model.<ext> in best/ when it records the training data's columns."""
    meta = path.parent / "metadata.json"
    if path.stem != "model" or not meta.is_file():
        return None
    try:
        found = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and "columns" in found and "input" in found else None


def _load(path: Path):
    import joblib

    meta_path = path.with_suffix(".json")
    if path.suffix == ".joblib":
        model = joblib.load(path)
        # A classifier that wants classes 0..K-1 (XGBoost) was fitted on encoded labels; its JSON has the classes.
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        model = DecodedLabels(model, meta["classes"]) if meta.get("classes") is not None else model
        # Issue 27: train() records the row shape and dtype of dataset['X']; new data is checked against them.
        return CheckedInput(model, meta["input"]) if "input" in meta else model
    if not meta_path.is_file():
        raise GeneratorError(f"{path}: no {meta_path.name} beside it; a network is rebuilt from the JSON train() saves with it (R20).")
    info = json.loads(meta_path.read_text(encoding="utf-8")).get("network")
    if not isinstance(info, dict):
        raise GeneratorError(f"{meta_path}: no 'network' entry; it was not written by a generated train() for a network.")
    preprocess_path = path.with_name(path.stem + ".preprocess.joblib")
    preprocess = joblib.load(preprocess_path) if info.get("input_scaling") is None else None
    return SavedNetwork(path, info, preprocess)


def check_input(X, expected: dict) -> None:
    """Issue 27: new data against the rows train() took (model.json's `input`: row shape and dtype). Another row
    shape is a GeneratorError, unless it differs only by axes of size one ((N, 8, 8) for (N, 1, 8, 8): the same
    values in the same order once flattened); another kind of dtype (uint8 pixels for floats) is a warning."""
    import warnings

    import numpy as np

    shape = list(np.shape(X)[1:])
    if shape != expected["shape"] and [d for d in shape if d != 1] != [d for d in expected["shape"] if d != 1]:
        raise GeneratorError(f"X has rows of shape {tuple(shape)}; the model was trained on rows of shape {tuple(expected['shape'])} ({expected['dtype']}): give X shaped (N, {', '.join(map(str, expected['shape']))}).")
    dtype = getattr(X, "dtype", None)
    if dtype is not None and expected["dtype"] != "mixed" and np.dtype(dtype).kind != np.dtype(expected["dtype"]).kind:
        warnings.warn(f"X is {dtype}; the model was trained on {expected['dtype']} values (scaled alike? uint8 pixels and floats in 0..1 differ)", stacklevel=3)


class CheckedInput:
    """A saved model whose `predict` / `predict_proba` first check X against the rows train() took (check_input)."""

    def __init__(self, model, expected: dict):
        self.model, self.expected = model, expected

    def predict(self, X):
        check_input(X, self.expected)
        return self.model.predict(X)

    def predict_proba(self, X):
        check_input(X, self.expected)
        return self.model.predict_proba(X)

    def __getattr__(self, name):
        return getattr(self.model, name)


class CheckedColumns:
    """A `run` best/ model whose `predict` / `predict_proba` first conform X to the training columns recorded
    in metadata.json (columns.conform: order, dtypes, a target column dropped; a missing or extra column or an
    unconvertible value is a GeneratorError); what was changed is a warning."""

    def __init__(self, model, described: dict):
        self.model, self.described = model, described

    def conform(self, X, source: str | None = None, line_offset: int | None = None):
        """(X as the model takes it, notes on what was changed)."""
        from .columns import conform

        return conform(X, self.described, source, line_offset)

    def _checked(self, X):
        import warnings

        X, notes = self.conform(X)
        for note in notes:
            warnings.warn(note, stacklevel=3)
        return X

    def predict(self, X):
        return self.model.predict(self._checked(X))

    def predict_proba(self, X):
        return self.model.predict_proba(self._checked(X))

    def __getattr__(self, name):
        return getattr(self.model, name)


class DecodedLabels:
    """A saved classifier fitted on encoded labels 0..K-1: `predict` returns the original class labels."""

    def __init__(self, model, classes: list):
        self.model, self.classes_ = model, classes

    def predict(self, X):
        import numpy as np

        return np.asarray(self.classes_)[np.asarray(self.model.predict(X), dtype=int)]

    def predict_proba(self, X):
        """Class probabilities, columns in the order of `classes_`."""
        return self.model.predict_proba(X)

    def __getattr__(self, name):
        return getattr(self.model, name)


def fit_shape(X, input_shape: list[int], channels_first: bool):
    """X reshaped as train() fed the network: as it is, with a channel (or feature) axis added, channels
    moved, or sequences of image rows; the first candidate of input_shape's shape wins."""
    import numpy as np

    target = tuple(input_shape)
    candidates = [lambda a: a, lambda a: a[:, None] if channels_first else a[..., None], lambda a: a[..., None]]
    if X.ndim == 4:
        candidates.append(lambda a: np.ascontiguousarray(a.transpose(0, 3, 1, 2) if channels_first else a.transpose(0, 2, 3, 1)))
    candidates.append(lambda a: a.reshape(len(a), *target))
    for make in candidates:
        if make(X[:0]).shape[1:] == target:
            return make(X)
    raise GeneratorError(f"inputs of shape {X.shape[1:]} do not fit the saved network's input shape {target}.")


class SavedNetwork:
    """A saved network: `predict(X)` (class labels or targets in y's units) and, for classifiers, `predict_proba(X)`."""

    def __init__(self, path: Path, info: dict, preprocess):
        self.path, self.info, self.preprocess = path, info, preprocess
        self.framework = info.get("framework")
        self.classes = info.get("classes")
        if self.framework == "torch":
            self.network = _torch_network(path, info["architecture"])
        elif self.framework == "tensorflow":
            import keras

            self.network = keras.models.load_model(path)
        else:
            raise GeneratorError(f"{path}: unknown network framework {self.framework!r} in its JSON.")

    def prepare(self, X):
        """New rows as train() prepared its validation rows (R15): the fitted column transformer, token ids
        clipped to the vocabulary, or the training rows' mean and deviation; then the network's input shape."""
        import numpy as np

        vocabulary = self.vocabulary()
        if self.preprocess is not None:
            X = np.asarray(self.preprocess.transform(X), dtype=np.float32)
        elif vocabulary:
            return np.minimum(np.asarray(X, dtype=np.int64), vocabulary - 1)
        else:
            low, scale = self.info["input_scaling"]
            X = (np.asarray(X, dtype=np.float32) - low) / scale
        return fit_shape(X, self.info["input_shape"], channels_first=self.framework == "torch")

    def vocabulary(self) -> int | None:
        """The embedding's vocabulary (token ids at or above it were clipped by train()), None without one."""
        if self.framework == "tensorflow":
            import keras

            return next((layer.input_dim for layer in self.network.layers if isinstance(layer, keras.layers.Embedding)), None)
        embedding = (self.info.get("architecture") or {}).get("embedding")
        return embedding["num_embeddings"] if embedding else None

    def outputs(self, X):
        """The network's raw outputs (logits, or the standardized target) for X, as a numpy array."""
        X = self.prepare(X)
        if self.framework == "tensorflow":
            return self.network.predict(X, batch_size=1024, verbose=0)
        import numpy as np
        import torch

        self.network.eval()
        with torch.inference_mode():
            return np.concatenate([self.network(chunk).numpy() for chunk in torch.as_tensor(X).split(1024)])

    def predict(self, X):
        import numpy as np

        outputs = self.outputs(X)
        if self.classes is not None:
            return np.asarray(self.classes)[outputs.argmax(1)]
        mean, std = self.info["target_scaling"]
        return outputs[:, 0] * std + mean

    def predict_proba(self, X):
        """Class probabilities, columns in the order of `classes` (a softmax of the outputs)."""
        import numpy as np

        if self.classes is None:
            raise GeneratorError(f"{self.path}: a regression network has no predict_proba.")
        outputs = self.outputs(X)
        shifted = np.exp(outputs - outputs.max(1, keepdims=True))
        return shifted / shifted.sum(1, keepdims=True)


def _torch_network(path: Path, architecture: dict):
    """The torch module train() built from `architecture`, with its saved weights (on the CPU)."""
    import torch
    from torch import nn

    class Network(nn.Module):
        """The generated train()'s recurrent Network: [embedding] -> [recurrent] -> `layers` (same names, same state_dict)."""

        def __init__(self, architecture):
            super().__init__()
            embedding, recurrent = architecture["embedding"], architecture["recurrent"]
            self.embedding = nn.Embedding(**embedding) if embedding else nn.Identity()
            self.recurrent = getattr(nn, recurrent[0])(**recurrent[1]) if recurrent else None
            self.layers = nn.Sequential(*(getattr(nn, name)(**kwargs) for name, kwargs in architecture["layers"]))

        def forward(self, inputs):
            outputs = self.embedding(inputs)
            if self.recurrent is not None:
                state = self.recurrent(outputs)[1]
                state = state[0] if isinstance(state, tuple) else state  # LSTM returns (h, c)
                directions = 2 if self.recurrent.bidirectional else 1
                outputs = state[-directions:].transpose(0, 1).reshape(len(inputs), -1)
            return self.layers(outputs)

    if "recurrent" in architecture:
        network = Network(architecture)
    else:
        network = nn.Sequential(*(getattr(nn, name)(**kwargs) for name, kwargs in architecture["layers"]))
    network.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return network.eval()


__all__ = ["CheckedColumns", "DecodedLabels", "SavedNetwork", "load_model", "model_file"]
