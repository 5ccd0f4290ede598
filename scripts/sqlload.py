"""The DuckDB engine, step 2: load a clean CSV as a text table, and the typed view of it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import duckdb

from .cursors import in_two_threads
from .sqlscan import FileScan, scan_file
from .sqltext import literal_path, quote_literal

if TYPE_CHECKING:  # no schemas (pandera) at import: quickcheck loads tables without them
    from .schemas import TableSpec


class TextTable(Protocol):
    """What loading a CSV as a text table needs to know of a table."""

    @property
    def name(self) -> str: ...

    @property
    def columns(self) -> list[str]: ...


def raw_table(name: str) -> str:
    return f"raw_{name}"


def load_raw(con: duckdb.DuckDBPyConnection, table: TextTable, path: Path) -> bool:
    columns = ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in table.columns)
    try:
        with literal_path(path) as readable:
            _read(con, table, readable, columns)
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except duckdb.Error:
        return False  # ragged rows, bad quoting: the pandas way reports them line by line
    every_cell_empty = " AND ".join(f'"{c}" IS NULL' for c in table.columns)
    blank = con.execute(f"SELECT count(*) FROM {raw_table(table.name)} WHERE {every_cell_empty}")
    return blank.fetchall()[0][0] == 0  # a row of empty cells: the pandas way reports it


def scan_and_load(
    con: duckdb.DuckDBPyConnection, tables: Sequence[TextTable], paths: Sequence[Path]
) -> list[FileScan | None]:
    """Byte-scan each file and load the clean ones as text tables: per table, its scan when it
    was loaded, None when it goes the pandas way (not clean, or DuckDB could not load it).

    Two threads share the files, the largest first to the less busy one, so one file's byte
    scan (which holds the GIL) runs while another's load (which does not) goes on.
    """
    results: list[FileScan | None] = [None] * len(tables)
    sizes = [_size(path) for path in paths]
    shares: tuple[list[int], list[int]] = ([], [])
    loads = [0, 0]
    for index in sorted(range(len(tables)), key=lambda i: -sizes[i]):
        lighter = loads.index(min(loads))
        shares[lighter].append(index)
        loads[lighter] += sizes[index]

    def load_share(share: list[int]) -> Callable[[duckdb.DuckDBPyConnection], None]:
        def step(cursor: duckdb.DuckDBPyConnection) -> None:
            for index in sorted(share):
                scan = scan_file(paths[index], tables[index].columns)
                if scan.clean and load_raw(cursor, tables[index], paths[index]):
                    results[index] = scan

        return step

    in_two_threads(con, load_share(shares[0]), load_share(shares[1]))
    return results


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # a missing file: its scan says so
        return 0


def load_frame(con: duckdb.DuckDBPyConnection, table: TableSpec, frame: object) -> None:
    """The text table of a file DuckDB could not load but the pandas way could read (quoted
    header, literal quotes, ...), so the build finds every table in ``con``."""
    columns = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in table.columns)
    con.register("_pandas_read", frame)
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {raw_table(table.name)} AS SELECT {columns} FROM _pandas_read"
        )
    finally:
        con.unregister("_pandas_read")


def _read(con: duckdb.DuckDBPyConnection, table: TextTable, path: Path, columns: str) -> None:
    con.execute(
        f"CREATE OR REPLACE TABLE {raw_table(table.name)} AS SELECT * FROM read_csv("
        f"{quote_literal(path.as_posix())}, header = true, auto_detect = false, "
        f"delim = ',', quote = '\"', escape = '\"', nullstr = '', strict_mode = true, "
        f"null_padding = false, columns = {{{columns}}})"
    )


def typed_expression(column: str, kind: str) -> str:
    return {
        "integer": f"TRY_CAST({column} AS BIGINT)",
        "number": f"TRY_CAST({column} AS DOUBLE)",
        "date": f"CAST(try_strptime({column}, '%Y-%m-%d') AS DATE)",
        "boolean": f"CASE {column} WHEN 'true' THEN true WHEN 'false' THEN false END",
    }.get(kind, column)


def typed_select(table: TableSpec, catalog: str = "memory.main") -> str:
    """SELECT that turns a validated text table into the model's types (for the build)."""
    columns = ", ".join(
        f'{typed_expression(name, column.metadata["type"])} AS "{name}"'
        for name, column in table.schema.columns.items()
    )
    return f"SELECT {columns} FROM {catalog}.{raw_table(table.name)} ORDER BY rowid"
