"""SMAC's Dask runner, telling every result with the trial SMAC asked for (issue 23).

SMAC 2's DaskParallelRunner tells the TrialInfo that comes back from the worker: a copy unpickled there,
whose Configuration belongs to an unpickled copy of the ConfigurationSpace. ConfigSpace compares
configurations by their space, and a hyperparameter whose distribution holds a frozen scipy object (a
log-scaled integer, a normal or beta hyperparameter) compares unequal to its own copy: the run history
then filed the result under a new configuration id, the asked trial stayed RUNNING forever (cost
2147483647, start time 0), and SMAC asked again. `AskedTrialRunner` keeps the TrialInfo it submitted
with each future and tells that one, with the worker's TrialValue.

A future that ends without a result (its worker process died) still raises, as in SMAC: optimize()
reports it in the table's notes.
"""

from __future__ import annotations

from smac.runhistory import TrialInfo
from smac.runner.dask_runner import DaskParallelRunner


class AskedTrialRunner(DaskParallelRunner):
    """DaskParallelRunner that tells each result with the very TrialInfo SMAC asked for."""

    def __init__(self, single_worker, dask_client) -> None:
        super().__init__(single_worker=single_worker, dask_client=dask_client)
        self._asked: dict[int, TrialInfo] = {}  # id(future) -> the asked trial; the future stays in _pending_trials

    def submit_trial(self, trial_info: TrialInfo, **dask_data_to_scatter) -> None:
        super().submit_trial(trial_info, **dask_data_to_scatter)
        self._asked[id(self._pending_trials[-1])] = trial_info

    def _process_pending_trials(self) -> None:
        for future in [future for future in self._pending_trials if future.done()]:
            _, value = future.result()  # raises for a lost future, leaving it pending (SMAC's behaviour)
            self._pending_trials.remove(future)
            self._results_queue.append((self._asked.pop(id(future)), value))


__all__ = ["AskedTrialRunner"]
