"""The Dask side of `trainfn-gen run`: a local cluster (`--workers N`) or an existing scheduler (`--scheduler`).

SMAC takes the client as its own `dask_client` argument and runs one trial per Dask thread, so each
worker has one thread (`nthreads=1`); the cores of the machine are shared out as BLAS/OpenMP threads
inside the trials: cores // N each (the THREAD_VARIABLES at worker start-up, and threadpoolctl
around every call). A cluster we start we also stop (`close()` waits for the worker processes);
a cluster reached through `--scheduler` belongs to someone else: only our client is closed.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from dataclasses import dataclass

from trainfn_gen.errors import GeneratorError

# BLAS, OpenMP (scikit-learn, torch) and numexpr read these at start-up.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
CONNECT_TIMEOUT_S = 15


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def threads_per_trial(workers: int) -> int:
    """BLAS/OpenMP threads of one trial when `workers` trials share this machine's cores."""
    return max(1, cores() // max(1, workers))


@dataclass
class Cluster:
    """A Dask client for SMAC, the LocalCluster we started (None for --scheduler) and the threads per trial."""

    client: object = None
    local: object = None
    threads: int | None = None

    def close(self) -> None:
        """Close our client and the cluster we started; the worker processes are gone when this returns."""
        try:
            if self.client is not None:
                self.client.close()
        finally:
            if self.local is not None:
                self.local.close()
            self.client = self.local = None


def start(workers: int | None, scheduler: str | None, local_directory: str) -> Cluster:
    """No Dask for one worker; a LocalCluster of `workers` one-thread processes; or a client of `scheduler`."""
    if scheduler:
        from distributed import Client

        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, TimeoutError, ValueError) as error:
            raise GeneratorError(
                f"--scheduler {scheduler}: no Dask scheduler answered within {CONNECT_TIMEOUT_S} s ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}). "
                "Start one with `dask scheduler` and its workers with `dask worker ADDRESS --nthreads 1`, then pass the address it prints."
            ) from None
        if not client.scheduler_info(n_workers=-1)["workers"]:
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
            except (TimeoutError, OSError):
                client.close()
                raise GeneratorError(f"--scheduler {scheduler}: the scheduler has no workers (waited {CONNECT_TIMEOUT_S} s); start some with `dask worker {scheduler} --nthreads 1`.") from None
        return Cluster(client, None, None)
    if not workers or workers < 2:
        return Cluster()
    from distributed import Client, LocalCluster

    threads = threads_per_trial(workers)
    # Ctrl-C reaches the whole process group: the worker processes ignore it (they inherit SIGINT ignored) and
    # the main process stops them, instead of each printing its KeyboardInterrupt traceback.
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main_thread else None
    try:
        local = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, env={name: str(threads) for name in THREAD_VARIABLES},
            dashboard_address=None, local_directory=local_directory, silence_logs=logging.ERROR,
        )
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
    try:
        return Cluster(Client(local), local, threads)
    except BaseException:
        local.close()
        raise


__all__ = ["THREAD_VARIABLES", "Cluster", "cores", "start", "threads_per_trial"]
