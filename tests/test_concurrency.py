"""R20: eight trials in parallel processes write into one model_dir: every file distinct, complete, loadable."""

from __future__ import annotations

import json
import multiprocessing

import joblib
from harness import GOLDEN, configurations, load_space, load_train, make_dataset

CASE = "02_loss_multifidelity"


def _trial(args) -> None:
    index, config, folder = args
    train = load_train(GOLDEN / f"{CASE}.py")
    train(config, make_dataset("iris", pandas=index % 2 == 1, given_test=False), seed=index % 4, budget=10 + index, model_dir=folder)


def test_eight_parallel_trials_write_distinct_loadable_models(tmp_path):
    configs = configurations(load_space("02.json"), 7, seed=5)
    jobs = [(i, {k: v.item() if hasattr(v, "item") else v for k, v in configs[i].items()}, str(tmp_path)) for i in range(8)]
    with multiprocessing.get_context("spawn").Pool(8) as pool:
        pool.map(_trial, jobs)
    models = sorted(tmp_path.glob("*.joblib"))
    assert len(models) == 8
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([p.name for p in models] + [p.with_suffix(".json").name for p in models])
    X = make_dataset("iris", pandas=False, given_test=False)["X"][:5]
    for path in models:
        assert joblib.load(path).predict(X).shape == (5,)
        metadata = json.loads(path.with_suffix(".json").read_text())
        assert set(metadata) == {"config", "seed", "budget", "metrics", "input"} and metadata["input"]["shape"] == [4]
