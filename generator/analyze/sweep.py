"""Calling train() functions many times, each call in a process of its own: the machinery of `audit` and the R24 sweep.

`run_all` forks one process per call from the current one (after `preload` imported what the file imports), `jobs`
at a time, kills a call after `timeout` seconds and sends back what the call's work function returned, as JSON
through a pipe. `invoke` calls any train(): its parameters are passed by name, so `train(cfg, seed, dataset)`
and other orders written by hand or by a language model work too. Values are handed over native or
numpy-typed (R07), the data as numpy or pandas, with or without a given test split (R13, R14).

numpy, pandas and ConfigSpace are imported inside the functions: the generator never needs them at import time.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import inspect
import io
import json
import os
import select
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path


def as_numpy(value):
    """The numpy scalar SMAC may hand over (R07)."""
    import numpy as np

    if isinstance(value, bool):
        return np.bool_(value)
    if isinstance(value, int):
        return np.int64(value)
    if isinstance(value, float):
        return np.float64(value)
    if isinstance(value, str):
        return np.str_(value)
    return value


def as_native(value):
    return value.item() if hasattr(value, "item") else value


def data_variant(X, y, *, pandas: bool, given_test: bool, X_test=None, y_test=None, y_name: str | None = None) -> dict:
    """The dataset dict: numpy or pandas, with or without X_test/y_test (a seeded 75/25 split when none is given).

    When X is a DataFrame (a table as pandas.read_csv gives it, issue 25), the pandas form keeps its column names and
    dtypes and names y by the target column `y_name`; the numpy form is its .to_numpy()."""
    import numpy as np
    import pandas as pd

    frame = X if isinstance(X, pd.DataFrame) else None
    X, y = np.asarray(X), np.asarray(y)
    if pandas and frame is not None:
        rows = np.arange(len(y))
        if given_test and X_test is None:
            order = np.random.default_rng(0).permutation(len(y))
            cut = int(0.75 * len(y))
            rows, test = order[:cut], order[cut:]
            data = {"X": frame.iloc[rows], "y": pd.Series(y[rows], index=frame.index[rows], name=y_name),
                    "X_test": frame.iloc[test], "y_test": pd.Series(y[test], index=frame.index[test], name=y_name)}
        else:
            data = {"X": frame, "y": pd.Series(y, index=frame.index, name=y_name)}
            if given_test:
                data.update({"X_test": pd.DataFrame(np.asarray(X_test), columns=frame.columns), "y_test": pd.Series(np.asarray(y_test), name=y_name)})
        return data
    if given_test and X_test is None:
        order = np.random.default_rng(0).permutation(len(y))
        cut = int(0.75 * len(y))
        data = {"X": X[order[:cut]], "y": y[order[:cut]], "X_test": X[order[cut:]], "y_test": y[order[cut:]]}
    elif given_test:
        data = {"X": X, "y": y, "X_test": np.asarray(X_test), "y_test": np.asarray(y_test)}
    else:
        data = {"X": X, "y": y}
    if pandas:
        columns = [f"f{i}" for i in range(X.shape[1])] if X.ndim == 2 else None
        for key in ("X", "X_test"):
            if key in data and columns:
                data[key] = pd.DataFrame(data[key], columns=columns)
        for key in ("y", "y_test"):
            if key in data:
                data[key] = pd.Series(data[key], name="target")
    return data


def sample(space, count: int, seed: int) -> list[dict]:
    """The default, every categorical value at least once, then random configurations up to `count` (native values)."""
    from ConfigSpace import Configuration
    from trainfn_gen.space.hyperparameters import choice_values, is_categorical

    space.seed(seed)
    configs = [dict(space.get_default_configuration())]
    for hp in space.values():
        if not is_categorical(hp):
            continue
        for value in choice_values(hp):
            for _ in range(200):  # a random configuration with the value, when conditions and forbiddens allow
                candidate = dict(space.sample_configuration())
                candidate[hp.name] = value
                try:
                    configs.append(dict(Configuration(space, values=candidate)))
                    break
                except Exception:  # noqa: BLE001, S112 - inactive or forbidden here: draw another
                    continue
    while len(configs) < count:
        configs.append(dict(space.sample_configuration()))
    return [{k: as_native(v) for k, v in c.items()} for c in configs]


def load_train(path: Path):
    """Import a train() file from its path and return its train()."""
    spec = importlib.util.spec_from_file_location(f"generated_{Path(path).stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.train


def smac_configuration(space, config: dict, *, numpy: bool):
    """The ConfigSpace Configuration SMAC would pass (issue 25): built from `config`'s values; with `numpy`, read
    back from its vector as SMAC's sampled and optimized configurations are (numeric categoricals and booleans
    then arrive as numpy scalars, Integer and Float hyperparameters as Python numbers)."""
    from ConfigSpace import Configuration

    built = Configuration(space, values={k: as_native(v) for k, v in config.items()})
    return Configuration(space, vector=built.get_array()) if numpy else built


def invoke(train, config: dict, data: dict, seed: int, *, numpy: bool, budget=None, model_dir: str | None = None,
           space=None):
    """Call train() with config values native or numpy-typed; dataset, seed, budget and model_dir by parameter name.

    budget and model_dir are passed only when given and when train() takes them; the first parameter is the config:
    a plain dict, or with `space` the Configuration SMAC passes (smac_configuration).
    """
    cast = as_numpy if numpy else as_native
    values = smac_configuration(space, config, numpy=numpy) if space is not None else {k: cast(v) for k, v in config.items()}
    names = list(inspect.signature(train).parameters)
    kwargs = {"dataset": data, "seed": seed}
    if budget is not None:
        kwargs["budget"] = budget
    if model_dir:
        kwargs["model_dir"] = model_dir
    kwargs = {k: v for k, v in kwargs.items() if k in names[1:]}
    return train(values, **kwargs)


def quietly(function: Callable, *args, **kwargs):
    """function(...) with its prints and warnings swallowed (the calls' own output would drown the report)."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def captured(function: Callable, *args, **kwargs) -> tuple[object, str]:
    """function(...) with its warnings swallowed and what it prints to stdout and stderr kept: (result, text).

    On an exception the text is attached to it as `printed` (issue 25: audit shows what a call printed)."""
    out = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        warnings.simplefilter("ignore")
        try:
            result = function(*args, **kwargs)
        except BaseException as error:
            error.printed = out.getvalue()
            raise
    return result, out.getvalue()


def record_fits() -> list:
    """Make every loaded scikit-learn estimator class record its outermost fit (issue 25: audit judges a setting on
    the fitted model, not on a coarse score): returns the list that fills with (estimator, X) as train() fits, the
    last one last. A fit called inside another (a pipeline's steps, a forest's trees) is not recorded. For the
    process of one call (the classes are patched for good); nothing happens when scikit-learn is not loaded."""
    import functools

    fits: list = []
    if "sklearn.base" not in sys.modules:
        return fits
    depth = [0]

    def wrap(fit):
        @functools.wraps(fit)
        def recorded(self, *args, **kwargs):
            depth[0] += 1
            try:
                out = fit(self, *args, **kwargs)
            finally:
                depth[0] -= 1
            if depth[0] == 0:
                fits.append((self, args[0] if args else kwargs.get("X")))
            return out

        recorded.trainfn_recorded = True
        return recorded

    stack, seen = [sys.modules["sklearn.base"].BaseEstimator], set()
    while stack:
        for cls in stack.pop().__subclasses__():
            if cls in seen:
                continue
            seen.add(cls)
            stack.append(cls)
            fit = cls.__dict__.get("fit")
            if inspect.isfunction(fit) and not getattr(fit, "trainfn_recorded", False):
                cls.fit = wrap(fit)
    return fits


def model_outputs(model, probes) -> list:
    """What the model says about the probe rows, finest first: probabilities, decision values, predictions (effect.py
    compares these between fits; audit between the pairs of an inert check)."""
    import numpy as np

    for method in ("predict_proba", "decision_function", "predict"):
        if hasattr(model, method):
            try:
                return np.asarray(getattr(model, method)(probes), dtype=float).tolist()
            except (AttributeError, NotImplementedError, ValueError, TypeError):  # e.g. predict_proba of a hinge-loss SGD
                continue
    raise ValueError("the saved model has no predict")


def fitted_outputs(fits: list, rows: int = 50) -> list | None:
    """What the last fitted estimator that predicts says about the first `rows` rows it was fitted on (the
    probabilities, decision values or predictions of `model_outputs`); None when none can say."""
    for model, X in reversed(fits):
        if X is None or not any(hasattr(model, m) for m in ("predict_proba", "decision_function", "predict")):
            continue
        try:
            return quietly(model_outputs, model, X.iloc[:rows] if hasattr(X, "iloc") else X[:rows])
        except Exception:  # noqa: BLE001 - a model that cannot predict its own rows leaves the loss to judge
            return None
    return None


def crash_site(error: BaseException, file: Path) -> str:
    """`line N: code` of the deepest traceback frame inside `file` (where train() went wrong), or ''."""
    where = os.path.realpath(file)
    frames = [f for f in traceback.extract_tb(error.__traceback__) if os.path.realpath(f.filename) == where]
    if not frames:
        return ""
    frame = frames[-1]
    return f"line {frame.lineno}: {(frame.line or '').strip()}"


def preload(file: Path) -> None:
    """Import what `file` imports, here, once, so that every forked call inherits the modules.

    An import that fails is left to the calls (each reports it as its crash).
    """
    for node in ast.walk(ast.parse(Path(file).read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            with contextlib.suppress(Exception), warnings.catch_warnings():  # the call will show the failure
                warnings.simplefilter("ignore")
                importlib.import_module(name)
    warm_torch()


def warm_torch() -> None:
    """With torch loaded, build one optimizer here: its first construction imports torch._dynamo and some 800
    modules (2 s on an idle machine, 10 s and more on a busy one), which every forked call would otherwise pay
    again. Nothing is computed, so no OpenMP thread pool is started before the forks (a pool forked while alive
    can hang the child)."""
    if "torch" not in sys.modules:
        return
    with contextlib.suppress(Exception), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch = sys.modules["torch"]
        torch.optim.Adam(torch.nn.Linear(1, 1).parameters())


def _read(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _fresh_entropy() -> None:
    """Reseed the global generators a fork inherits, as a process of its own starts: unseeded code then varies."""
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    if "torch" in sys.modules:
        sys.modules["torch"].seed()


def _fork(call: dict, work: Callable[[dict], dict]) -> tuple[int, int]:
    """Start work(call) in a forked process; (pid, read end of the pipe its JSON result comes through)."""
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the call's own process
        os.close(read_fd)
        code = 1
        try:
            _fresh_entropy()
            result = work(call)
            payload = json.dumps(result, default=str).encode()
            while payload:
                payload = payload[os.write(write_fd, payload):]
            code = 0
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def _finish(chunks: list[bytes], code: int) -> dict:
    text = b"".join(chunks)
    if code == 0 and text:
        return json.loads(text)
    return {"status": "crash", "error": f"the process died (exit code {code}) before train() returned", "site": ""}


def run_all(calls: list[dict], work: Callable[[dict], dict], jobs: int, timeout: float,
            progress: Callable[[int, dict, dict], None] | None = None, *, deadline: float | None = None,
            skip: Callable[[int, dict, list[dict]], str] | None = None) -> list[dict]:
    """work(call) for every call, each in its own forked process, `jobs` at a time, killed after `timeout` s.

    Returns the work's result dicts in the order of `calls` (a killed call: {"status": "timeout"}; a process
    that died: {"status": "crash"}), each with "seconds" (the call's wall time) added; `progress(index, call,
    result)` is called as each call ends. `deadline` (a time.monotonic() value): calls not started by then, and
    calls still running then, end as {"status": "skipped"}; `skip(index, call, results so far)` returning a reason
    leaves that call unrun ({"status": "skipped", "error": reason}).
    """
    results: list[dict] = [{} for _ in calls]
    running: dict[int, tuple] = {}  # pid -> (index, read end of its pipe, start, bytes read so far)
    pending = list(enumerate(calls))

    def skipped(index: int, reason: str) -> None:
        results[index] = {"status": "skipped", "error": reason, "site": "", "seconds": 0.0}
        if progress:
            progress(index, calls[index], results[index])

    while pending or running:
        while pending and len(running) < jobs:
            index, call = pending.pop(0)
            reason = "the time budget (--max-time) is spent" if deadline is not None and time.monotonic() >= deadline else \
                (skip(index, call, results) if skip else "")
            if reason:
                skipped(index, reason)
                continue
            pid, read_fd = _fork(call, work)
            running[pid] = (index, read_fd, time.monotonic(), [])
        if not running:
            continue
        ready, _, _ = select.select([entry[1] for entry in running.values()], [], [], 0.05)
        for pid, (index, read_fd, started, chunks) in list(running.items()):
            if read_fd in ready:
                chunks.append(os.read(read_fd, 65536))
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                chunks.append(_read(read_fd))
                result = _finish(chunks, os.waitstatus_to_exitcode(status))
            elif time.monotonic() - started > timeout:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                result = {"status": "timeout", "error": f"no result within {timeout:g} s", "site": ""}
            elif deadline is not None and time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                result = {"status": "skipped", "error": "stopped: the time budget (--max-time) is spent", "site": ""}
            else:
                continue
            result["seconds"] = time.monotonic() - started
            results[index] = result
            os.close(read_fd)
            del running[pid]
            if progress:
                progress(index, calls[index], result)
    return results
