"""SMAC's runner on Dask for `trainfn-gen run`: every trial SMAC asks for is evaluated and told (issue 23).

SMAC 2's DaskParallelRunner tells the TrialInfo that comes back from the worker: a copy unpickled there,
whose Configuration belongs to an unpickled copy of the ConfigurationSpace. ConfigSpace compares
configurations by their space, and a hyperparameter whose distribution holds a frozen scipy object (a
log-scaled integer, a normal or beta hyperparameter) compares unequal to its own copy: the run history
then filed the result under a new configuration id, the asked trial stayed RUNNING forever (cost
2147483647, start time 0), and SMAC asked again.

`AskedTrialRunner` implements SMAC's public runner interface (AbstractRunner) itself, on a Dask client:
it keeps the TrialInfo it submitted beside each future and tells that very object with the worker's
TrialValue. It scatters the dataset once to every worker (again if a dying worker took it). A future that ends without a result (its
worker process died: KilledWorker, or the future was cancelled) is submitted once more; when it is lost
again the trial is told as CRASHED with the cause in its additional info, so that finished = asked
and the table names the cause.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from smac.runhistory import StatusType, TrialInfo, TrialValue
from smac.runner.abstract_runner import AbstractRunner
from smac.runner.target_function_runner import TargetFunctionRunner

TRIES = 2  # a trial whose worker died is submitted once more


def lost_cause(error: BaseException) -> str:
    """The error line the table shows for a trial whose worker died twice."""
    first = (str(error).splitlines() or [""])[0].strip()
    return (
        f"worker died twice ({type(error).__name__}): train() ended its Dask worker process, e.g. out of memory "
        f"or a crash in a C extension{'; ' + first if first else ''}"
    )


class AskedTrialRunner(AbstractRunner):
    """Runs target_function on the client's workers and tells each result with the TrialInfo SMAC asked for."""

    def __init__(self, scenario, target_function, required_arguments: list[str], client, dataset: dict | None = None) -> None:
        super().__init__(scenario=scenario, required_arguments=required_arguments)
        self.single = TargetFunctionRunner(scenario, target_function, required_arguments=required_arguments)
        self.client = client
        self.dataset = dataset
        self.scattered = None  # {"dataset": Future} once scattered
        self.pending: dict = {}  # future -> (the asked TrialInfo, how many times submitted, when first submitted)
        self.done: list[tuple[TrialInfo, TrialValue]] = []
        self.crash = scenario.crash_cost

    @property
    def meta(self) -> dict:
        return {"name": type(self).__name__, "single": self.single.meta}

    def submit_trial(self, trial_info: TrialInfo, **dask_data_to_scatter) -> None:
        while self.count_available_workers() <= 0 and self.pending:
            self.wait()
            self.collect()
        self.send(trial_info, 1, time.time())

    def send(self, trial_info: TrialInfo, tries: int, started: float) -> None:
        if self.scattered is not None and any(future.status != "finished" for future in self.scattered.values()):
            # A dying worker can take the scattered dataset with it (Dask then cancels the trials that need it).
            self.scattered = None
        if self.dataset is not None and self.scattered is None:
            # hash=False: a new key each time, never the lost one the scheduler is still forgetting.
            self.scattered = {"dataset": self.client.scatter([self.dataset], broadcast=True, hash=False)[0]}
        extra = {"data_to_scatter": self.scattered} if self.scattered is not None else {}
        # pure=False: a resubmitted trial is a new task, not the lost one under the same key.
        future = self.client.submit(self.single.run_wrapper, trial_info=trial_info, pure=False, **extra)
        self.pending[future] = (trial_info, tries, started)

    def collect(self) -> None:
        """Move the finished futures' results (told with the asked TrialInfo) to the done list; resubmit a lost one once."""
        for future in [future for future in self.pending if future.done()]:
            trial_info, tries, started = self.pending.pop(future)
            try:
                _, value = future.result()
            except Exception as error:  # noqa: BLE001 - KilledWorker, CancelledError: the worker is gone
                if tries < TRIES:
                    self.send(trial_info, tries + 1, started)
                    continue
                now = time.time()
                value = TrialValue(
                    cost=self.crash, time=now - started, cpu_time=0.0, status=StatusType.CRASHED, starttime=started, endtime=now,
                    additional_info={"error": lost_cause(error), "tries": tries},
                )
            self.done.append((trial_info, value))

    def iter_results(self) -> Iterator[tuple[TrialInfo, TrialValue]]:
        self.collect()
        while self.done:
            yield self.done.pop(0)

    def wait(self) -> None:
        if self.pending:
            from concurrent.futures import CancelledError

            from distributed import wait

            try:
                wait(list(self.pending), return_when="FIRST_COMPLETED")
            except CancelledError:  # a future lost with its worker or its data: collect() resubmits or reports it
                pass

    def is_running(self) -> bool:
        return bool(self.pending)

    def count_available_workers(self) -> int:
        return sum(self.client.nthreads().values()) - len(self.pending)

    def run(self, config, instance=None, budget=None, seed=None, additional_info=None, **dask_data_to_scatter):
        return self.single.run(config=config, instance=instance, budget=budget, seed=seed, additional_info=additional_info, **dask_data_to_scatter)

    def cancel(self) -> None:
        """Cancel the trials still running (an interrupt): their workers stop with the cluster."""
        for future in self.pending:
            future.cancel()
        self.pending.clear()


__all__ = ["AskedTrialRunner", "lost_cause"]
