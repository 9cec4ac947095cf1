"""Issue 16: `trainfn-gen run` on Dask, the two ways a user meets it.

- `--workers 2`: a local cluster the command starts and stops; every submitted trial finishes (the
  counts of the table are runhistory.json's), no two trials write the same model file (R20), and no
  process outlives the command (checked by an environment marker every child inherits);
- `--scheduler ADDRESS`: a cluster started the way a cluster admin or dask-jobqueue starts one, with
  Dask's own `dask scheduler` and two `dask worker` processes; the dataset reaches the workers once
  (one scatter, SMAC's `data_to_scatter`), not with every trial, and the trials' models are written
  by the workers.
Small: iris, 4-6 trials of a random forest of 5-30 trees.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from ConfigSpace import Categorical, ConfigurationSpace, Integer
from trainfn_gen.commands.cli import main

pytest.importorskip("smac")
BIN = Path(sys.executable).parent


def _space(path: Path) -> Path:
    space = ConfigurationSpace(seed=0)
    space.add([Integer("n_estimators", (5, 30), default=10), Integer("max_depth", (2, 6), default=4), Categorical("criterion", ["gini", "entropy"])])
    space.to_json(path)
    return path


def _row(output: str, name: str) -> str:
    match = re.search(rf"^{re.escape(name)}\s+(.*)$", output, re.MULTILINE)
    assert match, f"no row {name!r} in:\n{output}"
    return match.group(1).strip()


def _marked(marker: str) -> list[psutil.Process]:
    """Live processes whose environment carries the marker (children inherit it)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("TRAINFN_TEST_MARKER") == marker and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found


def test_two_local_workers_finish_every_submitted_trial_and_leave_no_process(tmp_path):
    marker = uuid.uuid4().hex
    out = tmp_path / "out"
    command = [str(BIN / "trainfn-gen"), "run", str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--trials", "4", "--workers", "2", "--output-dir", str(out), "--save-models", "all"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env={**os.environ, "TRAINFN_TEST_MARKER": marker}, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    history = json.loads(next(out.glob("smac/*/*/runhistory.json")).read_text())["data"]
    assert len(history) == 4 and all(trial["status"] == 1 for trial in history)
    assert _row(done.stdout, "trials submitted") == _row(done.stdout, "trials finished") == "4"
    assert len([line for line in done.stdout.splitlines() if line.startswith("[")]) == 4
    models = out / "models"
    metadata = [json.loads(p.read_text()) for p in sorted(models.glob("*.json"))]
    assert not list(models.glob("*.tmp")) and len(list(models.glob("*.joblib"))) == len(metadata) >= 4
    keys = [json.dumps([m["config"], m["seed"], m["budget"]], sort_keys=True) for m in metadata]
    assert len(set(keys)) == len(keys), "two trials wrote the same model file"
    assert (out / "best" / "model.joblib").is_file(), "the incumbent is refit in the main process after the cluster closed"
    time.sleep(0.5)
    assert not _marked(marker), "a process of the run outlived the command"


def test_eight_trials_on_two_workers_are_eight_distinct_finished_configurations(tmp_path):
    """Issue 23: a log-scaled integer (its ConfigSpace distribution holds a scipy object that compares unequal
    after a pickle round trip) came back from the worker as another configuration: SMAC told the result under
    a new id, the asked trial stayed RUNNING (cost 2147483647), and only half the asked configurations ran."""
    space = ConfigurationSpace(seed=0)
    space.add([
        Integer("n_estimators", (5, 40), default=10, log=True), Integer("max_depth", (2, 6), default=4),
        Integer("min_samples_split", (2, 8), default=2), Categorical("criterion", ["gini", "entropy"]),
    ])
    space.to_json(tmp_path / "forest.json")
    out = tmp_path / "out"
    command = [str(BIN / "trainfn-gen"), "run", str(tmp_path / "forest.json"), "--dataset", "sklearn:breast_cancer", "--trials", "8", "--workers", "2", "--output-dir", str(out), "--save-models", "none"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    saved = json.loads(next(out.glob("smac/*/*/runhistory.json")).read_text())
    configs = [json.dumps(config, sort_keys=True) for config in saved["configs"].values()]
    assert len(configs) == len(set(configs)) == 8, f"a configuration is held under two ids: {saved['configs']}"
    assert len(saved["data"]) == 8 and all(trial["status"] == 1 for trial in saved["data"]), saved["data"]
    assert _row(done.stdout, "trials submitted") == _row(done.stdout, "trials finished") == "8"


@pytest.fixture
def dask_cluster(tmp_path):
    """`dask scheduler` and two `dask worker --nthreads 1` processes, as a cluster admin starts them."""
    marker = uuid.uuid4().hex
    env = {**os.environ, "TRAINFN_TEST_MARKER": marker, "OMP_NUM_THREADS": "1"}
    scheduler_file = tmp_path / "scheduler.json"
    processes = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        for name in ("w1", "w2"):
            worker = [str(BIN / "dask"), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--no-dashboard", "--name", name, "--local-directory", str(tmp_path / name)]
            processes.append(subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        address = json.loads(scheduler_file.read_text())["address"]
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        family = _marked(marker)  # the nannies' worker processes too
        for process in family:
            try:
                process.terminate()
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(family, timeout=20)
        for process in alive:
            process.kill()
        for process in processes:
            process.wait(timeout=10)


def test_scheduler_with_two_dask_workers_scatters_the_dataset_once(tmp_path, dask_cluster, monkeypatch):
    from distributed import Client

    scattered, submitted = [], []
    scatter, submit = Client.scatter, Client.submit

    def spy_scatter(self, data, *args, **kwargs):
        scattered.append(data)
        return scatter(self, data, *args, **kwargs)

    def spy_submit(self, *args, **kwargs):
        submitted.append(kwargs.get("data_to_scatter"))
        return submit(self, *args, **kwargs)

    monkeypatch.setattr(Client, "scatter", spy_scatter)
    monkeypatch.setattr(Client, "submit", spy_submit)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--trials", "4", "--scheduler", dask_cluster, "--output-dir", str(out), "--save-models", "all"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert _row(result.output, "trials submitted") == _row(result.output, "trials finished") == "4"
    history = json.loads(next(out.glob("smac/*/*/runhistory.json")).read_text())["data"]
    assert len(history) == 4 and all(trial["status"] == 1 for trial in history)
    assert len(scattered) == 1 and "X" in scattered[0][0] and "y" in scattered[0][0], "the dataset is scattered once"
    assert len(submitted) == 4 and all(type(kw["dataset"]).__name__ == "Future" for kw in submitted), "each trial gets a reference, not the data"
    assert len(list((out / "models").glob("*.joblib"))) == 4, "the workers saved every trial's model"
    assert json.loads((out / "best" / "metadata.json").read_text())["config"] == json.loads((out / "best" / "config.json").read_text())


def test_an_unreachable_scheduler_is_one_paragraph(tmp_path, monkeypatch):
    monkeypatch.setattr("trainfn_gen.run.cluster.CONNECT_TIMEOUT_S", 2)
    result = CliRunner().invoke(main, ["run", str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--scheduler", "tcp://127.0.0.1:9", "--output-dir", str(tmp_path / "out")])
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("trainfn-gen: error: --scheduler tcp://127.0.0.1:9: no Dask scheduler answered") and "dask worker" in result.stderr


KILLER = '''import os


def train(cfg, dataset, seed, budget=None, model_dir=None):
    if cfg["max_depth"] >= 5 or cfg["criterion"] == "entropy":
        os._exit(3)  # the worker process dies, as out of memory or a segfault in a C extension would end it
    return -cfg["n_estimators"] / 30.0
'''


def test_a_dead_worker_is_retried_once_then_reported_with_its_cause_and_the_run_goes_on(tmp_path):
    """Before issue 16 the lost future's error was a traceback; before issue 23 it ended the run early with
    trials left RUNNING (cost 2147483647). Now a trial whose worker died is submitted once more, then told as
    crashed with the cause, and SMAC goes on: every asked trial finishes.

    The seeded initial design's second configuration has max_depth 5, so a worker dies in every run.
    """
    (tmp_path / "killer.py").write_text(KILLER)
    marker = uuid.uuid4().hex
    out = tmp_path / "out"
    env = {**os.environ, "TRAINFN_TEST_MARKER": marker, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    command = [str(BIN / "trainfn-gen"), "run", str(_space(tmp_path / "forest.json")), "--dataset", "sklearn:iris", "--train", str(tmp_path / "killer.py"), "--trials", "6", "--workers", "2", "--output-dir", str(out), "--save-models", "all"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    saved = json.loads(next(out.glob("smac/*/*/runhistory.json")).read_text())
    assert saved["stats"]["running"] == 0 and saved["stats"]["finished"] == saved["stats"]["submitted"] == 6, saved["stats"]
    lost = [trial for trial in saved["data"] if trial["status"] == 2]  # CRASHED
    assert lost and all(trial["additional_info"]["tries"] == 2 and "worker died" in trial["additional_info"]["error"] for trial in lost)
    assert _row(done.stdout, "trials finished") == "6"
    assert "worker died twice (KilledWorker): train() ended its Dask worker process" in done.stdout
    time.sleep(0.5)
    assert not _marked(marker), "a process of the run outlived the command"
