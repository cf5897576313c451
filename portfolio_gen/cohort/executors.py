"""The executor a cohort build runs its learner tasks on: this machine's cores or a Dask
cluster.

``process`` (the default) is a ``ProcessPoolExecutor`` with every core. ``dask`` connects
a ``distributed.Client`` to a running scheduler and uses ``Client.get_executor()``, a
``concurrent.futures.Executor`` whose tasks run on the cluster's workers; Dask is an
optional extra (``pip install 'portfolio-gen[dask]'``).

What crosses the wire: a task's arguments (folder paths and settings, never credential
bytes) go to a worker; its small result (a learner summary, or the key and folder of
the learner's staged pages) comes back. Workers read the learner folders and write
verification entries and staged pages under the cohort's cache folder themselves, so
every worker must see the learner folders and the cache folder at the same paths as
the machine running ``cohort build`` (a shared file system), and run the same version of
portfolio-gen. Dask moves tasks and results as pickles: connect only to a scheduler you
run, over ``tls://`` when the network is not yours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from portfolio_gen.cohort.config import EXECUTORS
from portfolio_gen.cohort.verify_pool import default_executor
from portfolio_gen.errors import ConfigError

#: ``tcp://host:port``, ``tls://host:port``, ``inproc://...``: a Dask scheduler address.
SCHEDULER_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")
CONNECT_TIMEOUT = "30s"


@dataclass(frozen=True)
class Pool:
    executor: Executor
    window: int | None      # tasks in flight; None: the pool's default (4 per local core)


@contextmanager
def open_executor(kind: str, scheduler: str = "", *, where: str = "cohort build"
                  ) -> Iterator[Pool]:
    """The executor named ``kind``, shut down (or disconnected) on exit."""
    if kind == "process":
        pool = default_executor()
        try:
            yield Pool(pool, None)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    if kind != "dask":
        raise ConfigError(f"{where}: executor: expected one of {', '.join(EXECUTORS)}, "
                          f"got {kind!r}")
    if not SCHEDULER_ADDRESS.match(scheduler or ""):
        raise ConfigError(f"{where}: executor dask needs the scheduler's address "
                          f"(scheduler: tcp://HOST:8786), got {scheduler!r}")
    client = _dask_client(scheduler, where)
    try:
        threads = sum(client.nthreads().values())
        executor = client.get_executor(pure=False)   # every task runs, none deduplicated
        try:
            yield Pool(executor, 4 * max(threads, 1))
        finally:
            executor.shutdown(wait=False)
    finally:
        client.close()


def _dask_client(address: str, where: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError(f"{where}: executor dask needs Dask: pip install "
                          "'portfolio-gen[dask]'") from None
    client: Any = Client   # its connection to the scheduler: the one socket outside net/http
    try:
        return client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"{where}: cannot reach the Dask scheduler at {address} "
                          f"({exc})") from None
