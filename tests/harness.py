"""Shared helpers for executing generated train() functions on scikit-learn data."""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path

import numpy as np
from ConfigSpace import ConfigurationSpace
from sklearn import datasets as sk_datasets
from trainfn_gen.analyze.sweep import as_native, as_numpy, data_variant, load_train  # noqa: F401 - the tests import them from here

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
CORPUS = ROOT.parent / "shared" / "corpus" / "automl-agent"
WILD = ROOT.parent / "shared" / "wild"


def wild_expectations() -> dict[str, str]:
    """Real space file -> "generate" / "refuse", from the wild folder README's `| files | what | expected |` rows."""
    found = {}
    for line in (WILD / "README.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        names = [n.strip() for n in cells[0].split(",")] if len(cells) >= 3 else []
        for name in names:
            if name and (WILD / name).is_file():
                found[name] = "refuse" if cells[-1].startswith("refuse") else "generate"
    return found


def golden_cases() -> list[dict]:
    return json.loads((GOLDEN / "cases.json").read_text())


def first_case_per_space(spaces: str | None = None) -> dict[str, dict]:
    """space file -> the first golden case listed for it; `spaces`: comma-separated space files (default: all)."""
    wanted = set(spaces.split(",")) if spaces else None
    chosen: dict[str, dict] = {}
    for case in golden_cases():
        if wanted is None or case["space"] in wanted:
            chosen.setdefault(case["space"], case)
    return chosen


def case_options(args: list[str]):
    """A golden case's flags, parsed by the real `generate` command (every flag, --family and --framework included)."""
    from trainfn_gen.commands.cli import generate as generate_command
    from trainfn_gen.engine.options import make_options

    p = generate_command.make_context("generate", ["space.json", *args]).params
    return make_options(p["task"], p["contract"], p["facade"], p["min_budget"], p["max_budget"], p["family"], p["metric"], p["framework"], cv=p["cv"])


@cache
def dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    loader = {
        "iris": sk_datasets.load_iris,
        "wine": sk_datasets.load_wine,
        "breast_cancer": sk_datasets.load_breast_cancer,
        "digits": sk_datasets.load_digits,
        "diabetes": sk_datasets.load_diabetes,
    }[name]
    return loader(return_X_y=True)


def load_space(name: str) -> ConfigurationSpace:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ConfigurationSpace.from_json(GOLDEN / "spaces" / name)


def configurations(space: ConfigurationSpace, count: int, seed: int = 0) -> list[dict]:
    """The default configuration plus `count` sampled ones (seeded)."""
    space.seed(seed)
    configs = [dict(space.get_default_configuration())]
    configs += [dict(space.sample_configuration()) for _ in range(count)]
    return configs


def make_dataset(name: str, *, pandas: bool, given_test: bool) -> dict:
    X, y = dataset(name)
    return data_variant(X, y, pandas=pandas, given_test=given_test)


GENERATE_KEYWORDS = ("task", "contract", "facade", "min_budget", "max_budget", "family", "metric", "framework", "strict", "cv",
                     "dataset", "target", "fmt")


def generate_keywords(args: list[str]) -> dict:
    """A golden case's flags as trainfn_gen.generate()'s keywords, parsed by the real `generate` command."""
    from trainfn_gen.commands.cli import generate as generate_command

    params = generate_command.make_context("generate", ["space.json", *args]).params
    return {k: params[k] for k in GENERATE_KEYWORDS if k in params}


def _quiet_generate(path: Path, **keywords) -> str:
    from trainfn_gen import generate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GeneratorWarning: a name no rule understands, generated as unused
        return generate(str(path), **keywords)


def shared_spaces() -> list[Path]:
    """The corpus and wild space files (empty when ../shared is absent)."""
    if not (CORPUS.is_dir() and WILD.is_dir()):
        return []
    return sorted(CORPUS.glob("*.json")) + sorted(p for p in WILD.iterdir() if p.name != "README.md")


@cache
def generated_files(goldens: str = "cases") -> tuple[list[tuple[str, str, ConfigurationSpace]], list[str]]:
    """Every file the generator makes, in memory, once per process: ([(label, source, space)], [refusals]).

    goldens="cases": each golden case with its flags; "spaces": the first case of each golden space. Then every
    corpus and wild space (default flags); a space the generator refuses is listed with its reason's first words.
    """
    from trainfn_gen.errors import GeneratorError
    from trainfn_gen.space.load import load_space as read_space

    cases = golden_cases() if goldens == "cases" else list(first_case_per_space().values())
    files, refused = [], []
    for case in cases:
        source = _quiet_generate(GOLDEN / "spaces" / case["space"], **generate_keywords(case["args"]))
        files.append((f"golden/{case['name']}", source, load_space(case["space"])))
    for path in shared_spaces():
        label = f"{path.parent.name}/{path.name}"
        try:
            source = _quiet_generate(path)
        except GeneratorError as error:
            refused.append(f"{label}: {str(error)[:100]}")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            files.append((label, source, read_space(path)))
    return files, refused
