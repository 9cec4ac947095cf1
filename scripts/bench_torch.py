"""R23 benchmark: the generated PyTorch training loop against a tight hand-written loop.

usage: python scripts/bench_torch.py [--rows N] [--epochs E] [--repeats R]
`make bench` runs it after scripts/bench.py; its table replaces the PyTorch section of BENCHMARKS.md.
Both train the same network (rebuilt from the architecture the generated train() saves) with the same
optimizer, batch size, epochs and number of rows; the table shows training samples per second
(median of the repeats). The generated figure is end to end: split, preprocessing, early-stopping
checks and prediction included, so it is a lower bound of its loop's speed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from bench_section import write_section
from harness import CORPUS, load_train
from trainfn_gen.engine.options import make_options
from trainfn_gen.engine.pipeline import generate

# (corpus space, configuration, input shape of one row)
CASES = (
    ("08", {"batch_size": 64, "dropout": 0.2, "learning_rate": 0.001, "num_layers": 3, "num_units": 256, "optimizer": "Adam"}, (64,)),
    ("50", {"batch_size": 64, "dropout_rate": 0.2, "epochs": 10, "kernel_size": 3, "learning_rate": 0.001, "num_conv_layers": 2, "num_filters_l1": 32, "num_filters_l2": 64, "num_filters_l3": 64, "optimizer": "adam"}, (1, 16, 16)),
)


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def generated(space: Path, config: dict, data: dict, epochs: int, folder: Path) -> tuple[float, dict]:
    """Seconds of one generated train() call (multi-fidelity, budget = epochs) and the network it saved."""
    source = generate(space, make_options(task="classification", facade="multi-fidelity", min_budget=1, max_budget=epochs))
    path = folder / f"train_{space.stem}.py"
    path.write_text(source)
    train = load_train(path)
    models = Path(tempfile.mkdtemp(dir=folder))  # one folder per call: the model it saved, alone
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        train(config, data, seed=0, budget=epochs, model_dir=str(models))
        seconds = time.perf_counter() - start
    (saved,) = sorted(models.glob("*.json"))
    return seconds, json.loads(saved.read_text())["network"]


def measure(space: Path, config: dict, shape: tuple, rows: int, epochs: int, repeats: int, device: torch.device, folder: Path) -> dict:
    """Median seconds of the generated train() and of the hand-written loop on the same network and rows."""
    rng = np.random.default_rng(0)
    data = {"X": rng.normal(size=(rows, *shape)).astype(np.float32), "y": rng.integers(0, 10, size=rows)}
    # Rows the generated train() fits on: 80% after its validation split, less 10% for early stopping.
    n_train = rows - math.ceil(0.2 * rows)
    n_fit = n_train - n_train // 10
    runs = [generated(space, config, data, epochs, folder) for _ in range(repeats)]
    info = runs[0][1]
    return {
        "kind": "CNN" if any(name.startswith("Conv") for name, _ in info["architecture"]["layers"]) else "MLP",
        "info": info,
        "n_fit": n_fit,
        "samples": n_fit * epochs,
        "generated_s": statistics.median(seconds for seconds, _ in runs),
        "hand_s": statistics.median(hand_written(info, n_fit, config, epochs, device) for _ in range(repeats)),
    }


def hand_written(info: dict, rows: int, config: dict, epochs: int, device: torch.device) -> float:
    """The tight loop: data on the device, randperm batches, no validation, no per-batch sync."""
    torch.manual_seed(0)
    network = torch.nn.Sequential(*(getattr(torch.nn, n)(**k) for n, k in info["architecture"]["layers"])).to(device)
    optimizer = torch.optim.Adam(network.parameters(), lr=config["learning_rate"])
    loss_fn = torch.nn.CrossEntropyLoss()
    X = torch.randn(rows, *info["input_shape"], device=device)
    y = torch.randint(0, info["n_outputs"], (rows,), device=device)
    batch_size = config["batch_size"]
    synchronize(device)
    start = time.perf_counter()
    network.train()
    for _ in range(epochs):
        order = torch.randperm(rows, device=device)
        for first in range(0, rows - 1, batch_size):
            index = order[first : first + batch_size]
            loss = loss_fn(network(X[index]), y[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    synchronize(device)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--epochs", type=int, default=5)  # <= the generated patience, so no early stop
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: the PyTorch benchmark generates corpus spaces 08 and 50, and {CORPUS} is not beside this checkout")
        return 0
    device = torch.device("cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu")
    print(f"device {device}, torch {torch.__version__}, {torch.get_num_threads()} CPU threads, {args.rows} rows, {args.epochs} epochs, median of {args.repeats}")
    print(f"{'space':<6} {'network':<8} {'loop':<13} {'seconds':>8} {'samples/s':>11} {'vs hand':>8}")
    table = [
        "| space | network | generated samples/s | hand-written samples/s | generated / hand-written (target >= 0.9) |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for space, config, shape in CASES:
            row = measure(CORPUS / f"{space}.json", config, shape, args.rows, args.epochs, args.repeats, device, Path(folder))
            kind, samples, generated_s, hand_s = row["kind"], row["samples"], row["generated_s"], row["hand_s"]
            print(f"{space:<6} {kind:<8} {'generated':<13} {generated_s:>8.2f} {samples / generated_s:>11.0f} {hand_s / generated_s:>8.2f}")
            print(f"{space:<6} {kind:<8} {'hand-written':<13} {hand_s:>8.2f} {samples / hand_s:>11.0f} {1.0:>8.2f}")
            table.append(f"| {space} | {kind} | {samples / generated_s:.0f} | {samples / hand_s:.0f} | {hand_s / generated_s:.2f}x |")
    setting = f"device {device}, torch {torch.__version__}, {torch.get_num_threads()} CPU threads, {args.rows} synthetic rows, {args.epochs} epochs, median of {args.repeats}"
    write_section(SECTION, "\n".join([SECTION, "", f"`python scripts/bench_torch.py` ({setting}). The generated figure is end to end (split, preprocessing, early-stopping checks, prediction); the hand-written loop only trains.", "", *table, ""]))
    return 0


SECTION = "## Generated PyTorch training loop vs a hand-written loop (issue 5)"


if __name__ == "__main__":
    sys.exit(main())
