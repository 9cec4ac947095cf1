"""`trainfn-gen audit`: run any train() against its space on a dataset and report what breaks (dynamic rules).

Plan: the default configuration on every form of the data (numpy / pandas, with / without X_test and y_test,
native and numpy-typed values), `configs` sampled ones rotating over those forms, the default twice with the same
seed (reproducible?), with shuffled labels (is the loss lower on real labels, as a loss must be?), one neighbour per
active hyperparameter (same loss and same saved model: inert), and the lowest and highest budget. Every call
runs in its own forked process through trainfn_gen.sweep, the machinery of the tests' R24 sweep.
The neighbours and the bases where a hyperparameter is relevant come from effect.py (issue 25), which
`make effect-gate` uses to compare predictions.
The findings are computed from the calls' results by `findings()`; audit_report.py prints them.
Issue 23: `max_time` bounds the whole audit (calls not started in time are skipped), and `_skip` leaves out calls
that cannot find more (a configuration that crashed on that form of the data, a pair whose base crashed).
Issue 25: an inert pair needs the same predictions of the fitted scikit-learn model too (sweep.record_fits).
"""

from __future__ import annotations

import ast
import hashlib
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from trainfn_gen.analyze import sweep
from trainfn_gen.errors import GeneratorError

from .check import stated_unused
from .effect import STATED_BUDGET, differ, other_values, vary
from .effect import bases as relevant_bases

SENTINELS = (1.0,)  # 1 - accuracy at accuracy 0: what an except branch returns, never a real model's score
FALLBACKS = (1.0, 0.0)  # constants an except branch returns (0.0 == -0.0): a fallback when the call printed an error
PERFECT = (0.0, -1.0)  # an error of 0, -accuracy (or -r2) of 1: a metric at its bound, too coarse to show an effect
OUTPUT = 4000  # characters of a call's printed output kept
ERROR_TEXT = re.compile(r"(Traceback \(most recent call last\)|\b\w*(Error|Exception)\b|\berror occurred\b|\bfailed\b)", re.IGNORECASE)
FORMS = [(False, False), (True, False), (False, True), (True, True)]  # (pandas, given test) of the data


@dataclass
class Audit:
    """One audit: the file, its parameters, the planned calls, their results and the findings."""

    file: Path
    calls: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)


def describe(call: dict) -> str:
    data = ("pandas" if call["pandas"] else "numpy") + (" +test" if call["given_test"] else "")
    extra = f" budget={call['budget']:g}" if call.get("budget") is not None else ""
    values = "numpy values" if call["numpy"] else "native values"
    return f"{call['role']} ({values}, {data}{extra})"


def _neighbour(space, default: dict, name: str):
    """A valid configuration that differs from the default in `name` alone (children of a changed parent at their
    defaults): the first of effect.other_values (the range's ends, every other choice) that effect.vary accepts."""
    return next((c for c in (vary(space, default, name, v) for v in other_values(space, name, default[name])) if c), None)


def _budgets(file: Path, low: float | None, high: float | None) -> tuple[float, float] | None:
    """The budgets to try: --min-budget/--max-budget, else the file's `budget in [a, b]`; None: not multi-fidelity."""
    stated = STATED_BUDGET.search(file.read_text(encoding="utf-8"))
    if stated:
        low, high = low or float(stated[1]), high or float(stated[2])
    if low is None and high is None:
        return None  # budget=None is all SMAC's other facades pass: nothing to compare
    return (low or 1.0, high or 10.0 * low)


def base_configurations(space, default: dict, sampled: list[dict], extra: int = 3) -> list[dict]:
    """The default and up to `extra` sampled configurations that together hold the most categorical values not in
    the default (a hyperparameter of a model the default does not train is inert in the default alone)."""
    from trainfn_gen.space.hyperparameters import is_categorical

    categorical = [n for n, hp in space.items() if is_categorical(hp)]
    covered = {(n, default.get(n)) for n in categorical}
    bases = [default]
    for _ in range(extra):
        gains = [len({(n, c.get(n)) for n in categorical if n in c} - covered) for c in sampled]
        if not gains or max(gains) == 0:
            break
        best = sampled[gains.index(max(gains))]
        covered |= {(n, best.get(n)) for n in categorical}
        bases.append(best)
    return bases


def _bases_for(space, name: str, bases: list[dict], sampled: list[dict], least: int = 3) -> list[dict]:
    """The bases where `name` is active, topped up to `least` from sampled configurations with other categorical
    values (C of a logistic regression is inert under penalty='none' alone)."""
    from trainfn_gen.space.hyperparameters import is_categorical

    def categories(config: dict) -> tuple:
        return tuple(config.get(n) for n, hp in space.items() if is_categorical(hp))

    chosen = [b for b in bases if name in b]
    for config in relevant_bases(space, name, limit=least):  # parents set so that it is active, a categorical changed
        if len(chosen) >= least:
            break
        if config not in chosen:
            chosen.append(config)
    for config in sampled:
        if len(chosen) >= least:
            break
        if name in config and categories(config) not in {categories(c) for c in chosen}:
            chosen.append(config)
    for _ in range(100):  # then random ones where it is active (other_rate is clipped under a large top_rate alone)
        if len(chosen) >= least:
            break
        config = {k: sweep.as_native(v) for k, v in dict(space.sample_configuration()).items()}
        if name in config and config not in chosen:
            chosen.append(config)
    return chosen


def train_parameters(file: Path) -> list[str]:
    """The parameter names of the file's top-level train(), read without running the file."""
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "train":
            return [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
    raise GeneratorError("no top-level `def train(...)` found; audit calls train(cfg, dataset=..., seed=...).", source=file.name)


def plan(file: Path, space, configs: int, seed: int, budgets: tuple[float | None, float | None],
         form: dict | None = None) -> tuple[list[dict], list[dict]]:
    """The calls of one audit (each a dict of what one forked call does), see the module's docstring.

    Two batches: the default on every form of the data, then the rest, whose comparisons (repeat, shuffled
    labels, one hyperparameter changed, budgets) use `form` (numpy, pandas, given_test): a form the default ran on.
    """
    parameters = train_parameters(file)
    takes_models = "model_dir" in parameters
    default = sweep.sample(space, 1, seed)[0]
    form = form or {"numpy": False, "pandas": False, "given_test": False}

    def call(role: str, config: dict, *, numpy=False, pandas=False, given_test=False, seed=0, **extra) -> dict:
        entry = {"role": role, "config": config, "numpy": numpy, "pandas": pandas, "given_test": given_test,
                 "seed": seed, "shuffle": False, "budget": None, "model_dir": takes_models, **extra}
        return entry

    first = [call("default", default, numpy=n, pandas=p, given_test=t) for n in (False, True) for p, t in FORMS]
    calls = list(first)
    calls.append(call("repeat", default, **form))  # same configuration, data and seed as the reference
    calls += [call("shuffled labels", default, shuffle=True, seed=s, **form) for s in (0, 1)]
    calls.append(call("default", default, seed=1, **form))  # the reference of the seed-1 shuffled call
    for index, config in enumerate(sweep.sample(space, configs + 1, seed)[1:]):
        pandas, given_test = FORMS[index % len(FORMS)]
        calls.append(call(f"random #{index + 1}", config, numpy=index % 2 == 1, pandas=pandas, given_test=given_test, seed=index))
    tried = _budgets(file, *budgets)
    if "budget" in parameters and tried:
        low, high = tried
        calls += [call("lowest budget", default, budget=low, **form), call("highest budget", default, budget=high, **form)]
    sampled = sweep.sample(space, configs + 1, seed)[1:]
    bases = base_configurations(space, default, sampled)
    pairs = {name: [(b, n) for b in _bases_for(space, name, bases, sampled) if (n := _neighbour(space, b, name)) is not None]
             for name in space}
    for turn in range(max((len(p) for p in pairs.values()), default=0)):  # each setting its first pair, then its second
        for name, tried_pairs in pairs.items():
            if turn >= len(tried_pairs):
                continue
            base, neighbour = tried_pairs[turn]
            versus = next((i for i, c in enumerate(calls) if c["config"] == base and c["role"] in ("default", "base")
                           and not c["seed"] and all(c[k] == v for k, v in form.items())), None)
            if versus is None:
                versus = len(calls)
                calls.append(call("base", base, **form))
            calls.append(call(f"only {name} changed", neighbour, changed=name, versus=versus, **form))
    return first, calls[len(first):]


def _skip(calls: list[dict], earlier: list[dict], offset: int):
    """run_all's `skip` for the calls from `offset` on (issue 23: spend calls where they find most): a pair whose base
    did not return has nothing to compare; a configuration that crashed (or timed out) on one form of the data is
    not run again on that form (a crash class found once is not re-run for every hyperparameter)."""
    form = ("numpy", "pandas", "given_test")

    def skip(index: int, call: dict, results: list[dict]) -> str:
        done = earlier + results
        if "versus" in call:
            base = done[call["versus"]] if call["versus"] < len(done) else {}
            if base.get("status") in ("crash", "timeout", "skipped"):
                return f"its base configuration ({describe(calls[call['versus']])}) did not return: nothing to compare"
        for other, result in zip(calls, done[:offset + index]):
            if result.get("status") in ("crash", "timeout") and other["config"] == call["config"] and all(other[k] == call[k] for k in form):
                return f"the same configuration already failed on this form of the data ({describe(other)}): {result['error'][:80]}"
        return ""

    return skip


def _model_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".json" and not p.name.endswith(".tmp"))


def _load_back(path: Path) -> None:
    """Load one saved model file with the library its suffix names; raises when it does not load."""
    suffix = path.suffix.lower()
    if suffix in (".joblib", ".pkl", ".pickle"):
        import joblib

        joblib.load(path)
    elif suffix in (".pt", ".pth"):
        import torch

        torch.load(path, weights_only=False)
    elif suffix in (".keras", ".h5"):
        import keras

        keras.models.load_model(path)
    elif suffix in (".npy", ".npz"):
        import numpy as np

        np.load(path, allow_pickle=True)


def _models(folder: Path) -> dict:
    """What train() saved: file names, a digest of their bytes, and the files that do not load back."""
    digest, bad = hashlib.sha256(), []
    files = _model_files(folder)
    for path in files:
        digest.update(path.read_bytes())
        try:
            _load_back(path)
        except Exception as error:  # noqa: BLE001 - a model that does not load is a finding
            bad.append(f"{path.name}: {type(error).__name__}: {error}".splitlines()[0][:200])
    return {"files": [p.name for p in files], "digest": digest.hexdigest() if files else "", "bad": bad}


def work(file: Path, data: dict, root: Path, space=None):
    """The function each forked call runs: load the file, call train() once, return what happened (with `space`, cfg
    is the ConfigSpace Configuration SMAC passes, and what the call printed is kept as its "output")."""
    import numpy as np

    def run(call: dict) -> dict:
        X, y = data["X"], data["y"]
        if call["shuffle"]:
            y = np.random.default_rng(12345).permutation(np.asarray(y))
        variant = sweep.data_variant(X, y, pandas=call["pandas"], given_test=call["given_test"],
                                     X_test=data.get("X_test"), y_test=data.get("y_test"), y_name=data.get("y_name"))
        folder = root / f"call{call['index']}"
        folder.mkdir()
        try:
            train = sweep.load_train(file)
            fits = sweep.record_fits()
            result, output = sweep.captured(sweep.invoke, train, call["config"], variant, call["seed"], numpy=call["numpy"],
                                            budget=call["budget"], model_dir=str(folder) if call["model_dir"] else None, space=space)
            loss = float(result["loss"] if isinstance(result, dict) else result)
        except Exception as error:  # noqa: BLE001 - a crash is what audit reports
            message = f"{type(error).__name__}: {error}".strip().splitlines()[0][:300]
            return {"status": "crash", "error": message, "site": sweep.crash_site(error, file), "output": getattr(error, "printed", "")[-OUTPUT:]}
        models = _models(folder) if call["model_dir"] else None
        return {"status": "ok", "loss": loss, "models": models, "output": output[-OUTPUT:], "predictions": sweep.fitted_outputs(fits)}

    return run


def run_audit(file: str | Path, space, dataset: dict, *, configs: int = 10, timeout: float = 60.0, jobs: int = 1,
              seed: int = 0, budgets: tuple[float | None, float | None] = (None, None), progress=None,
              max_time: float | None = None, planned=None) -> Audit:
    """Plan the calls, run each in its own process, and compute the findings.

    max_time: seconds for the whole audit; calls not started by then are skipped (issue 23). planned(count) is
    told the number of calls before the first starts."""
    import time

    deadline = time.monotonic() + max_time if max_time else None
    file = Path(file)
    try:
        first, rest = plan(file, space, configs, seed, budgets)
    except SyntaxError as error:
        raise GeneratorError(f"not valid Python (line {error.lineno}: {error.msg}).", source=file.name) from error
    total, done = len(first) + len(rest), [0]
    if planned:
        planned(total)
    sweep.preload(file)

    def finished(index: int, call: dict, result: dict) -> None:
        done[0] += 1
        if progress:
            progress(done[0], total, call, result)

    with tempfile.TemporaryDirectory(prefix="trainfn-audit-") as root:
        for index, call in enumerate(first):
            call["index"] = index
        results = sweep.run_all(first, work(file, dataset, Path(root), space), jobs, timeout, finished, deadline=deadline)
        ok = [c for c, r in zip(first, results) if r["status"] == "ok"]
        ran = next((c for c in ok if c["numpy"]), ok[0] if ok else first[0])  # SMAC's values, numpy data first
        form = {k: ran[k] for k in ("numpy", "pandas", "given_test")}
        rest = plan(file, space, configs, seed, budgets, form)[1]
        for index, call in enumerate(rest, start=len(first)):
            call["index"] = index  # "versus" already counts the first batch
        results += sweep.run_all(rest, work(file, dataset, Path(root), space), jobs, timeout, finished, deadline=deadline,
                                 skip=_skip(first + rest, results, len(first)))
    calls = first + rest
    audit = Audit(file, calls, results)
    audit.findings = findings(calls, results, stated_unused(file.read_text(encoding="utf-8"), list(space)), read_lines(file))
    return audit


def _same(a: float, b: float) -> bool:
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _crashes(calls: list[dict], results: list[dict]) -> list[dict]:
    groups: dict[tuple, dict] = {}
    for call, result in zip(calls, results):
        if result["status"] in ("ok", "skipped"):
            continue
        kind = result["error"].split(":", 1)[0] if result["status"] == "crash" else "timeout"
        group = groups.setdefault((kind, result["site"]), {"kind": result["status"], "error": result["error"], "site": result["site"], "calls": []})
        group["calls"].append(describe(call))
    out = []
    for group in groups.values():
        where = f" at {group['site']}" if group["site"] else ""
        count = len(group["calls"])
        message = f"{group['error']}{where} ({count} call{'s' if count != 1 else ''}, e.g. {group['calls'][0]})"
        out.append({"check": group["kind"], "message": message, "calls": group["calls"]})
    return out


def read_lines(file: Path) -> dict[str, int]:
    """hyperparameter -> the first line of train() that reads it (cfg.get("name"), cfg["name"]): where an inert
    setting arises (issue 23: a finding gives the line)."""
    from .check_flow import _cfg_key

    tree = ast.parse(file.read_text(encoding="utf-8"))
    train = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "train"), None)
    if train is None or not train.args.args:
        return {}
    cfg, lines = train.args.args[0].arg, {}
    for node in ast.walk(train):
        key = _cfg_key(node, cfg)
        if key and (key[0] not in lines or node.lineno < lines[key[0]]):
            lines[key[0]] = node.lineno
    return lines


def findings(calls: list[dict], results: list[dict], stated: set[str] = frozenset(), reads: dict[str, int] | None = None) -> list[dict]:
    """Every finding of one audit, as {"check", "message", "calls"} dicts (empty: nothing found); `reads`: the line
    of train() that reads each hyperparameter, named in an inert finding."""
    found = _crashes(calls, results)
    ok = [(c, r) for c, r in zip(calls, results) if r["status"] == "ok"]
    plain = [(c, r) for c, r in ok if not c["shuffle"] and c.get("budget") is None]
    for call, result in plain:
        if not math.isfinite(result["loss"]):
            found.append({"check": "non-finite", "message": f"loss {result['loss']} in {describe(call)}", "calls": [describe(call)]})
    finite = [(c, r) for c, r in plain if math.isfinite(r["loss"])]
    losses = {r["loss"] for _, r in finite}
    distinct = {repr(sorted(c["config"].items())) for c, _ in finite}
    if len(losses) == 1 and len(distinct) >= 3:
        found.append({"check": "constant", "message": f"every call returns {losses.pop()!r} ({len(finite)} calls, {len(distinct)} configurations): a masked failure or a loss that ignores the model", "calls": []})
    for value in SENTINELS:
        hits = [describe(c) for c, r in finite if r["loss"] == value]
        if hits and len(losses) > 1:
            found.append({"check": "masked failure", "message": f"loss exactly {value!r} (no correct prediction at all) in {len(hits)} call(s), e.g. {hits[0]}: an except branch returning a constant?", "calls": hits})
    found += _swallowed(ok)
    below = [(c, r) for c, r in finite if r["loss"] < -1 - 1e-9]
    if below:
        call, result = below[0]
        found.append({"check": "range", "message": f"loss {result['loss']:.6g} < -1 in {len(below)} call(s), e.g. {describe(call)}: below every metric's range (an error is >= 0, -accuracy and -r2 are >= -1) (R02)", "calls": [describe(c) for c, _ in below]})
    pairs = _pairs(calls, results, stated, reads or {})
    constant = any(f["check"] == "constant" for f in found)
    return found + [f for f in pairs if not (constant and f["check"] == "inert")]  # a constant loss makes all inert


def _error_line(output: str) -> str:
    """The line of a call's printed output that reports an error ('' when none does)."""
    return next((line.strip() for line in output.splitlines() if ERROR_TEXT.search(line)), "")


def _swallowed(ok: list[tuple[dict, dict]]) -> list[dict]:
    """Calls that returned although they printed an error: an exception caught and swallowed (R04), its text shown;
    a fallback constant (1.0, 0.0, -0.0) as the loss of such a call is named as such. One finding per error text."""
    groups: dict[str, dict] = {}
    for call, result in ok:
        text = _error_line(result.get("output") or "")
        if not text:
            continue
        group = groups.setdefault(re.sub(r"\d+", "N", text)[:120], {"text": text[:300], "calls": [], "losses": []})
        group["calls"].append(describe(call))
        group["losses"].append(result["loss"])
    out = []
    for group in groups.values():
        count = len(group["calls"])
        fallback = sorted({repr(v) for v in group["losses"] if v in FALLBACKS})
        returned = f"returns the fallback loss {' / '.join(fallback)}" if fallback else "returns a loss all the same"
        out.append({"check": "swallowed exception", "calls": group["calls"],
                    "message": f"the call prints \"{group['text']}\" and {returned} ({count} call{'s' if count != 1 else ''}, e.g. {group['calls'][0]}): an exception caught and swallowed; let it propagate (R04)"})
    return out


def _result_of(calls: list[dict], results: list[dict], role: str, **where) -> dict | None:
    for call, result in zip(calls, results):
        if call["role"] == role and all(call[k] == v for k, v in where.items()) and result["status"] == "ok":
            return result
    return None


def _pairs(calls: list[dict], results: list[dict], stated: set[str], reads: dict[str, int]) -> list[dict]:
    """Findings that compare two calls: reproducibility, sign, inert hyperparameters (but those `stated` unused in
    a comment, as R06 allows), budget, models."""
    found = []
    base = {k: next((c[k] for c in calls if c["role"] == "repeat"), False) for k in ("numpy", "pandas", "given_test")}
    reference = _result_of(calls, results, "default", seed=0, **base)
    repeat = _result_of(calls, results, "repeat")
    reproducible = reference is not None and repeat is not None and _same(reference["loss"], repeat["loss"])
    if reference and repeat and not reproducible:
        found.append({"check": "non-reproducible", "message": f"the default configuration with seed 0 returns {reference['loss']!r}, then {repeat['loss']!r}: seed every source of randomness (R21)", "calls": []})
    wrong = []
    for seed in (0, 1):
        real = _result_of(calls, results, "default", seed=seed, **base)
        shuffled = _result_of(calls, results, "shuffled labels", seed=seed)
        if real and shuffled and math.isfinite(real["loss"]) and real["loss"] > shuffled["loss"] and not _same(real["loss"], shuffled["loss"]):
            wrong.append(f"seed {seed}: {real['loss']:.6g} on the real labels, {shuffled['loss']:.6g} on shuffled ones")
    if len(wrong) == 2:
        found.append({"check": "sign", "message": f"the loss is higher on the real labels than on shuffled ones ({'; '.join(wrong)}): SMAC would maximize the error (a negated error?) (R02)", "calls": []})
    digests = [(r.get("models") or {}).get("digest") for r in (reference or {}, repeat or {})]
    same_models = bool(digests[0]) and digests[0] == digests[1]  # saved models are compared only when they are reproducible
    pairs: dict[str, list[str]] = {}  # hyperparameter -> one word per pair tried: inert, or "" when it mattered
    for call, result in zip(calls, results):
        base = results[call["versus"]] if "versus" in call else None
        if base is None or result["status"] != "ok" or base["status"] != "ok" or not reproducible:
            continue
        if base["loss"] in PERFECT and _same(result["loss"], base["loss"]):
            continue  # issue 25: a perfect score cannot move: the same loss there says nothing of the setting
        model, ref_model = (result.get("models") or {}).get("digest"), (base.get("models") or {}).get("digest")
        same = _same(result["loss"], base["loss"]) and (not model or not same_models or model == ref_model)
        predicted = result.get("predictions") is not None and base.get("predictions") is not None
        if same and predicted and differ(result["predictions"], base["predictions"]):
            same = False  # issue 25: the score is too coarse to move (60 validation rows), the fitted model moved
        value = call["config"].get(call["changed"])
        said = "same loss" + (", same predictions" if predicted else "") + (", same model" if model and same_models else "")
        pairs.setdefault(call["changed"], []).append(f"={value!r}: {said}" if same else "")
    where = {name: f" read at line {reads[name]}" if name in reads else " never read as cfg.get/cfg[...]" for name in pairs}
    inert = [f"{name} ({'; '.join(words)}){where[name]}" for name, words in pairs.items() if all(words) and name not in stated]
    if inert:
        found.append({"check": "inert", "calls": inert, "message": f"changing one hyperparameter leaves the loss{' and the saved model' if same_models else ''} "
                      f"unchanged: {', '.join(inert)}: pass each to what it configures, or state it unused in a comment (R06)"})
    low, high = _result_of(calls, results, "lowest budget"), _result_of(calls, results, "highest budget")
    if low and high and _same(low["loss"], high["loss"]) and high["seconds"] < 1.5 * low["seconds"] + 0.05:
        found.append({"check": "budget", "message": f"the lowest and highest budget give the same loss ({low['loss']!r}) in about the same time ({low['seconds']:.2f} s, {high['seconds']:.2f} s): budget changes neither cost nor loss (R12)", "calls": []})
    for call, result in zip(calls, results):
        models = result.get("models") if result["status"] == "ok" else None
        if models is None:
            continue
        if not models["files"]:
            found.append({"check": "model", "message": f"model_dir given but no model file written in {describe(call)} (R20)", "calls": [describe(call)]})
        for bad in models["bad"]:
            found.append({"check": "model", "message": f"saved model does not load back: {bad} in {describe(call)}", "calls": [describe(call)]})
    return _merge_models(found)


def _merge_models(found: list[dict]) -> list[dict]:
    """One model finding per distinct problem (not one per call)."""
    out, seen = [], {}
    for item in found:
        if item["check"] != "model":
            out.append(item)
            continue
        key = item["message"].split(" in ", 1)[0]
        if key in seen:
            seen[key]["calls"] += item["calls"]
            continue
        seen[key] = item
        out.append(item)
    for item in seen.values():
        count = len(item["calls"])
        if count > 1:
            item["message"] = f"{item['message']} and {count - 1} other call(s)"
    return out


def cpu_jobs() -> int:
    return max(1, (os.cpu_count() or 2) // 2)
