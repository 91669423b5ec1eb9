"""Worker processes for CPU-heavy work (harvest extraction, search analysis)
that would otherwise queue on Python's global lock.

Workers are forked, so they inherit what the parent loaded (the taxonomy,
Kiwi) without loading it again and share those memory pages. They never use
the parent's database connections.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def forked_pool(processes: int) -> ProcessPoolExecutor:
    """A pool of `processes` workers, all forked now: call it while the
    calling thread is the only Python thread."""
    executor = ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_forget_connections,
    )
    for future in [executor.submit(_ready) for _ in range(processes)]:
        future.result()
    return executor


def _forget_connections() -> None:
    """In a forked worker: drop (without closing) the database connections
    inherited from the parent — closing or using them would break the
    parent's. Should a worker need the database, it opens its own."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.connection = None


def _ready() -> bool:
    return True
