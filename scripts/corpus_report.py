"""`make corpus-report`: every corpus space with default flags -> generated (and run) or refused (issue 4, R24).

For each space of ../shared/corpus/automl-agent: the families the rule engine found, the selector, and
either the refusal's first sentence or a run of the generated train() on the default configuration and
20 sampled ones, each called with native and with numpy-typed values (42 calls) on a fitting
scikit-learn dataset: digits (500 rows) for classification, diabetes for regression, both for a task
decided at run time. Neural networks get digits as (N, 1, 8, 8) images for CNN spaces and as (N, 8, 8)
sequences for RNN spaces (their regression target: digits' mean ink); they are generated with the multi-fidelity facade and called at
budget 1 (one epoch) so that the report takes minutes. A refused space that mixes families is generated
again with --family for each of them. A crash is an exception or a non-finite loss.

With --wild, the spaces are ../shared/wild/ (real spaces written by others): each row also names the
hyperparameters the generated train() states unused, and the expected outcome from that folder's README
(generate / refuse); a space that ends otherwise counts as a mismatch.

usage: python scripts/corpus_report.py [--configs 20] [--spaces 01,17] [--framework tensorflow] [--output CORPUS.md]
       python scripts/corpus_report.py --wild [--output WILD.md]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from harness import (
    CORPUS,
    WILD,
    as_native,
    as_numpy,
    configurations,
    dataset,
    load_train,
    wild_expectations,
)
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import analyze, generate
from trainfn_gen.errors import GeneratorError
from trainfn_gen.knowledge.families import BY_NAME
from trainfn_gen.space.load import load_space

ROWS = 500


def data_for(task: str, kind: str) -> dict:
    """Tabular regression is diabetes; image and sequence regression predict digits' mean ink (a float)."""
    X, y = dataset("digits" if task == "classification" or kind != "tabular" else "diabetes")
    X, y = X[:ROWS], y[:ROWS]
    if task == "regression" and kind != "tabular":
        y = X.mean(axis=1)
    if kind == "image":
        X = X.reshape(-1, 1, 8, 8)
    elif kind == "sequence":
        X = X.reshape(-1, 8, 8)
    return {"X": X, "y": y}


def first_sentence(error: GeneratorError) -> str:
    """The refusal's reason, shortened to its first clause, with the hyperparameter it names."""
    text = re.split(r"(?<=[.;])\s", error.message, maxsplit=1)[0].rstrip(";").replace("|", "/")
    return f"'{error.hyperparameter}': {text}" if error.hyperparameter else text


def run_space(path: Path, options, count: int, workdir: Path) -> tuple[int, int, list[str]]:
    """Generate, then call train() on every configuration; (calls, crashes, first crash messages)."""
    detection, _ = analyze(path, options)
    source = generate(path, options)
    module = workdir / f"train_{path.stem}_{abs(hash(str(options))) % 10_000}.py"
    module.write_text(source)
    train = load_train(module)
    kinds = {BY_NAME[f].network for f in detection.families}
    kind = "image" if "cnn" in kinds else "sequence" if "rnn" in kinds else "tabular"
    tasks = ("classification", "regression") if detection.task == "auto" else (detection.task,)
    budget = 1 if options.uses_budget else None
    calls, crashes, messages = 0, 0, []
    for task in tasks:
        data = data_for(task, kind)
        for index, config in enumerate(configurations(load_space(path), count, seed=index_seed(path))):
            for cast in (as_native, as_numpy):
                calls += 1
                try:
                    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                        warnings.simplefilter("ignore")
                        result = train({k: cast(v) for k, v in config.items()}, data, seed=index, budget=budget)
                    loss = result["loss"] if isinstance(result, dict) else result
                    if not math.isfinite(loss):
                        raise ValueError(f"non-finite loss {loss}")
                except Exception as error:  # noqa: BLE001 - counting crashes is the point
                    crashes += 1
                    messages.append(f"{type(error).__name__}: {error}"[:200])
    return calls, crashes, messages


def index_seed(path: Path) -> int:
    return int(path.stem) if path.stem.isdigit() else 0


def options_for(path: Path, family: str | None = None, framework: str | None = None):
    """Default flags; networks get the multi-fidelity facade so that budget 1 means one epoch."""
    options = make_options(family=family, framework=framework)
    try:
        detection, _ = analyze(path, options)
    except GeneratorError:
        return options
    if any(BY_NAME[f].network for f in detection.families):
        return make_options(family=family, facade="multi-fidelity", min_budget=1, max_budget=20, framework=framework)
    return options


def unused_names(detection) -> str:
    """The hyperparameters the generated train() states unused, with '?' on those no rule understood."""
    names = [p.name + ("?" if p.unknown else "") for p in detection.placements if not p.uses and not p.role]
    return ", ".join(names) or "-"


def report(paths: list[Path], count: int, framework: str | None = None, expected: dict | None = None) -> tuple[list[str], dict]:
    rows = ["| space | families | selector | result | calls | crashes |", "|---|---|---|---|---|---|"]
    if expected is not None:
        rows = ["| space | expected | families | result | unused (? = not understood) | calls | crashes |", "|---|---|---|---|---|---|---|"]
    totals = {"spaces": 0, "generated": 0, "refused": 0, "calls": 0, "crashes": 0, "mismatches": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            totals["spaces"] += 1
            started = time.perf_counter()
            options = options_for(path, framework=framework)
            try:
                detection, _ = analyze(path, options)
            except GeneratorError as error:
                totals["refused"] += 1
                if expected is not None:
                    want = expected.get(path.name, "?")
                    totals["mismatches"] += want != "refuse"
                    rows.append(f"| {path.name} | {want} | - | refused: {error.message.replace('|', '/')} | - | - | - |")
                    print(f"{path.name}: refused", file=sys.stderr)
                    continue
                rows.append(f"| {path.stem} | - | - | refused: {first_sentence(error)} | - | - |")
                for family in mixed_families(error):
                    rows.append(family_row(path, family, count, Path(tmp), totals, framework))
                print(f"{path.stem}: refused", file=sys.stderr)
                continue
            calls, crashes, messages = run_space(path, options, count, Path(tmp))
            totals["generated"] += 1
            totals["calls"] += calls
            totals["crashes"] += crashes
            families = ", ".join(BY_NAME[f].name for f in detection.families)
            result = "generated" + (f" (task at run time; {options.facade})" if detection.task == "auto" else f" ({detection.task}; {options.facade})")
            if expected is not None:
                want = expected.get(path.name, "?")
                totals["mismatches"] += want != "generate"
                rows.append(f"| {path.name} | {want} | {families} | {result} | {unused_names(detection)} | {calls} | {crashes} |")
            else:
                rows.append(f"| {path.stem} | {families} | {detection.selector or '-'} | {result} | {calls} | {crashes} |")
            for message in messages[:3]:
                rows.append(f"| | | | crash: {message.replace('|', '/')} | | |")
            print(f"{path.stem}: {calls} calls, {crashes} crashes in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return rows, totals


def mixed_families(error: GeneratorError) -> list[str]:
    """The families a 'mixes several model families (...)' refusal names, as registry names."""
    found = re.search(r"mixes several model families \(([^)]*)\)", error.message)
    if not found:
        return []
    titles = {family.title: name for name, family in BY_NAME.items()}
    return [titles[t.strip()] for t in found.group(1).split(", ") if t.strip() in titles]


def family_row(path: Path, family: str, count: int, workdir: Path, totals: dict, framework: str | None) -> str:
    options = options_for(path, family, framework)
    try:
        calls, crashes, _ = run_space(path, options, count, workdir)
    except GeneratorError as error:
        return f"| {path.stem} | {family} | - | --family {family}: refused: {first_sentence(error)} | - | - |"
    totals["calls"] += calls
    totals["crashes"] += crashes
    return f"| {path.stem} | {family} | - | generated with --family {family} | {calls} | {crashes} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=20)
    parser.add_argument("--spaces", default="")
    parser.add_argument("--output", default="")
    parser.add_argument("--framework", choices=("torch", "tensorflow"), default=None)
    parser.add_argument("--wild", action="store_true", help="the real spaces of ../shared/wild with their expected outcomes")
    args = parser.parse_args()
    wanted = set(args.spaces.split(",")) - {""}
    if args.wild and not WILD.is_dir():
        print(f"skipped: {WILD} is not here (the shared folder beside the project)", file=sys.stderr)
        return 0
    folder, pattern = (WILD, "*.*") if args.wild else (CORPUS, "*.json")
    paths = [p for p in sorted(folder.glob(pattern)) if p.suffix in (".json", ".pcs") and (not wanted or p.stem in wanted)]
    rows, totals = report(paths, args.configs, args.framework, wild_expectations() if args.wild else None)
    summary = (
        f"{totals['spaces']} spaces: {totals['generated']} generated, {totals['refused']} refused with default flags; "
        f"{totals['calls']} calls, {totals['crashes']} crashes"
        + (f"; {totals['mismatches']} ended otherwise than the README expects." if args.wild else ".")
    )
    text = "\n".join(rows) + "\n\n" + summary + "\n"
    print(text)
    if args.output:
        title, command = ("Real spaces report", "make wild-report") if args.wild else ("Corpus report", "make corpus-report")
        Path(args.output).write_text(f"# {title}\n\nWritten by `{command}` (scripts/corpus_report.py).\n\n{text}")
    return 1 if totals["crashes"] or totals["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
