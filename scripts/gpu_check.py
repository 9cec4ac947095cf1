"""`make gpu-check` (issue 14): the generated PyTorch code on a CUDA GPU, in under 5 minutes.

usage: python scripts/gpu_check.py [--rows N] [--epochs E] [--repeats R]

1. Every PyTorch golden's train() on the GPU (the generated code picks CUDA whenever
   torch.cuda.is_available()): 300 rows of digits (or diabetes for a regression golden) shaped as the space
   expects, the default and one sampled configuration, the lowest budget. Checks: the loss is finite, the
   model is saved (.pt and .json), and the caller's CPU and CUDA generators and deterministic mode are as before.
2. The torch benchmark (scripts/bench_torch.py: the generated train() against a tight hand-written loop)
   on CUDA at batch 32 and 512, for the MLP of golden space 08 and the CNN of golden space 43 (their batch-size
   range widened to 512). The hand-written loop also runs with TF32 matmuls allowed, to show what TF32 would buy.
3. Writes the GPU rows into BENCHMARKS.md (its own section, rewritten by each run) and prints a short summary.

Without a CUDA device (or without torch) it prints one line, exits 0 and leaves BENCHMARKS.md unchanged.
Needs only this repository and the installed extras (no corpus folder, no network). `--cpu` rehearses every
step on the CPU (small sizes advised: --rows 2000 --repeats 1) without writing BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import math
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## GPU check: PyTorch goldens and training loop on CUDA (issue 14)"
# Golden space -> the shape of one row it is run with (digits: 64 values).
SHAPES = {"08.json": (64,), "11.json": (1, 8, 8), "42.json": (8, 8), "43.json": (1, 8, 8)}
# Benchmark networks: golden space, the configuration (batch size set per run), one row's shape.
BENCH = (
    ("08.json", {"dropout": 0.2, "learning_rate": 0.001, "num_layers": 3, "num_units": 256, "optimizer": "Adam"}, (64,)),
    (
        "43.json",
        {
            "data_augmentation": "none", "dense_units_1": 128, "dropout_rate": 0.2, "epochs": 5, "filters_layer_1": 32,
            "filters_layer_2": 64, "kernel_size": 3, "learning_rate": 0.001, "num_conv_layers": 2, "num_dense_layers": 1,
            "optimizer": "adam", "adam_beta1": 0.9, "adam_beta2": 0.999, "pooling_type": "max",
        },
        (1, 16, 16),
    ),
)
BATCH_SIZES = (32, 512)


def process_state(torch) -> tuple:
    """What train() must leave as it found it: the CPU and CUDA generators and the deterministic mode."""
    return (
        torch.random.get_rng_state(),
        torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
    )


def same_state(torch, first: tuple, second: tuple) -> bool:
    return torch.equal(first[0], second[0]) and all(map(torch.equal, first[1], second[1])) and first[2:] == second[2:]


def run_goldens(torch, device, folder: Path) -> list[str]:
    """Every PyTorch golden on the GPU; returns one table row per golden (a failure is a row too)."""
    from harness import (
        GOLDEN,
        as_numpy,
        configurations,
        dataset,
        golden_cases,
        load_space,
        load_train,
    )

    rows = []
    for case in [c for c in golden_cases() if "_torch_" in c["name"]]:
        path = GOLDEN / f"{case['name']}.py"
        source = path.read_text()
        budget = float(re.search(r"budget in \[([^,]+),", source).group(1)) if "budget in [" in source else None
        regression = "regression" in case["name"]
        X, y = dataset("diabetes" if regression else "digits")
        X, y = X[:300].astype("float32"), y[:300]
        data = {"X": X if regression else X.reshape(-1, *SHAPES[case["space"]]), "y": y}
        train = load_train(path)
        problems, losses = [], []
        start = time.perf_counter()
        for index, config in enumerate(configurations(load_space(case["space"]), 1, seed=2)):
            models = folder / f"{case['name']}_{index}"
            before = process_state(torch)
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = train({k: as_numpy(v) for k, v in config.items()}, data, seed=index, budget=budget, model_dir=str(models))
            loss = result["loss"] if isinstance(result, dict) else result
            losses.append(loss)
            if f"({device.type}" not in printed.getvalue():
                problems.append(f"did not train on {device.type}")
            if not math.isfinite(loss):
                problems.append(f"loss {loss}")
            if len(list(models.glob("*.pt"))) != 1 or len(list(models.glob("*.json"))) != 1:
                problems.append("model not saved")
            if not same_state(torch, before, process_state(torch)):
                problems.append("process state changed")
        seconds = time.perf_counter() - start
        verdict = "ok" if not problems else "FAIL: " + ", ".join(sorted(set(problems)))
        rows.append(f"| {case['name']} | {budget} | {', '.join(f'{loss:.4f}' for loss in losses)} | {seconds:.1f} | {verdict} |")
        print(f"{case['name']:<44} {verdict} (losses {', '.join(f'{loss:.4f}' for loss in losses)}; {seconds:.1f} s)")
    return rows


def run_bench(torch, device, args, folder: Path) -> list[str]:
    """bench_torch.measure at each batch size, plus the hand-written loop with TF32 matmuls allowed."""
    import bench_torch

    rows = []
    for space, config, shape in BENCH:
        source = json.loads((ROOT / "golden" / "spaces" / space).read_text())
        for hp in source["hyperparameters"]:
            if hp["name"] == "batch_size":
                # Widen the batch-size range so that 512 is a valid value (08: a choice list, 43: an integer range).
                hp.update({"choices": sorted({*hp["choices"], *BATCH_SIZES})} if "choices" in hp else {"upper": max(hp["upper"], *BATCH_SIZES)})
        widened = folder / space
        widened.write_text(json.dumps(source))
        for batch_size in BATCH_SIZES:
            chosen = {**config, "batch_size": batch_size}
            row = bench_torch.measure(widened, chosen, shape, args.rows, args.epochs, args.repeats, device, folder)
            matmul = torch.backends.cuda.matmul.allow_tf32
            torch.backends.cuda.matmul.allow_tf32 = True
            tf32_s = min(bench_torch.hand_written(row["info"], row["n_fit"], chosen, args.epochs, device) for _ in range(args.repeats))
            torch.backends.cuda.matmul.allow_tf32 = matmul
            samples = row["samples"]
            rows.append(
                f"| {space} | {row['kind']} | {batch_size} | {samples / row['generated_s']:.0f} | {samples / row['hand_s']:.0f} "
                f"| {row['hand_s'] / row['generated_s']:.2f}x | {samples / tf32_s:.0f} |"
            )
            print(f"bench {space} {row['kind']:<4} batch {batch_size:>4}: generated {samples / row['generated_s']:>9.0f} samples/s, hand-written {samples / row['hand_s']:>9.0f} ({row['hand_s'] / row['generated_s']:.2f}x), hand-written TF32 {samples / tf32_s:>9.0f}")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--epochs", type=int, default=5)  # <= the generated patience, so no early stop
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cpu", action="store_true", help="rehearse every step on the CPU; BENCHMARKS.md is not written")
    args = parser.parse_args()
    if importlib.util.find_spec("torch") is None:
        print("gpu-check: skipped: torch is not installed (pip install -e '.[torch]'); BENCHMARKS.md unchanged")
        return 0
    import torch

    if not torch.cuda.is_available() and not args.cpu:
        print(f"gpu-check: skipped: no CUDA device (torch {torch.__version__}); BENCHMARKS.md unchanged")
        return 0
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]
    started = time.perf_counter()
    device = torch.device("cpu" if args.cpu else "cuda")
    name = "CPU rehearsal" if args.cpu else torch.cuda.get_device_name(0)
    print(f"gpu-check: {name}, torch {torch.__version__}, CUDA {torch.version.cuda}")
    with tempfile.TemporaryDirectory() as folder:
        golden_rows = run_goldens(torch, device, Path(folder))
        bench_rows = run_bench(torch, device, args, Path(folder))
    failed = sum("FAIL" in row for row in golden_rows)
    seconds = time.perf_counter() - started
    text = [
        SECTION,
        "",
        f"`make gpu-check` ({name}, torch {torch.__version__}, CUDA {torch.version.cuda}; {seconds:.0f} s in all).",
        "",
        "Every PyTorch golden on the GPU: 300 rows of digits (diabetes for regression), default and one sampled",
        "configuration, the lowest budget; ok = trained on cuda, finite loss, model saved, caller's CPU/CUDA",
        "generators and deterministic mode restored.",
        "",
        "| golden | budget | losses | seconds | result |",
        "|---|---|---|---|---|",
        *golden_rows,
        "",
        f"Training loop ({args.rows} synthetic rows, {args.epochs} epochs, median of {args.repeats}; the generated figure is end to end,",
        "the hand-written loop only trains). The generated code keeps full FP32 (no TF32, no mixed precision: both",
        "are process-wide or change the numbers); the TF32 column shows what the hand-written loop gains with it.",
        "",
        "| space | network | batch | generated samples/s | hand-written samples/s | generated / hand-written | hand-written TF32 samples/s |",
        "|---|---|---|---|---|---|---|",
        *bench_rows,
    ]
    import bench_torch

    if not args.cpu:
        bench_torch.write_section(SECTION, "\n".join(text) + "\n")
    print(f"gpu-check: {len(golden_rows) - failed}/{len(golden_rows)} PyTorch goldens ok on {name}; {len(bench_rows)} benchmark rows; BENCHMARKS.md {'not written (--cpu)' if args.cpu else 'updated'} ({seconds:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
