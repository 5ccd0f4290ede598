"""Two DuckDB steps at once, each on its own cursor of one in-memory database.

DuckDB releases the GIL while it plans and runs a statement, and the byte scan's searches run
in C, so two threads keep two cores busy where one statement or one file would leave one idle:
loading the tables, and the quick check's statements, which on the real package are mostly
planning.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import TypeVar

import duckdb

T = TypeVar("T")
Step = Callable[[duckdb.DuckDBPyConnection], T]


def in_two_threads(con: duckdb.DuckDBPyConnection, first: Step[T], second: Step[T]) -> tuple[T, T]:
    """``first`` and ``second`` at once, each on its own cursor of ``con``'s database; their
    results in that order. Temporary tables are a cursor's own; other tables are shared.

    An error in either, or Ctrl-C (which reaches the main thread while it waits), interrupts
    both cursors, again until both steps have stopped (a step may start a statement after an
    interrupt), and then propagates.
    """
    cursors = (con.cursor(), con.cursor())
    try:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="duckdb-step") as pool:
            futures = (pool.submit(first, cursors[0]), pool.submit(second, cursors[1]))
            try:
                done, _ = wait(futures, return_when=FIRST_EXCEPTION)
                for future in done:  # the first error, without waiting for the other step
                    if (error := future.exception()) is not None:
                        raise error
                return futures[0].result(), futures[1].result()
            except BaseException:
                while not all(future.done() for future in futures):
                    for cursor in cursors:
                        cursor.interrupt()
                    wait(futures, timeout=0.01)
                raise
    finally:  # after both threads have stopped
        for cursor in cursors:
            cursor.close()
