"""The DuckDB engine, step 2: load a clean CSV as a text table, and the typed view of it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from .schemas import TableSpec
from .sqltext import quote_literal


def raw_table(name: str) -> str:
    return f"raw_{name}"


def load_raw(con: duckdb.DuckDBPyConnection, table: TableSpec, path: Path) -> bool:
    columns = ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in table.columns)
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {raw_table(table.name)} AS SELECT * FROM read_csv("
            f"{quote_literal(path.as_posix())}, header = true, auto_detect = false, "
            f"delim = ',', quote = '\"', escape = '\"', nullstr = '', strict_mode = true, "
            f"null_padding = false, columns = {{{columns}}})"
        )
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except duckdb.Error:
        return False  # ragged rows, bad quoting: the pandas way reports them line by line
    every_cell_empty = " AND ".join(f'"{c}" IS NULL' for c in table.columns)
    blank = con.execute(f"SELECT count(*) FROM {raw_table(table.name)} WHERE {every_cell_empty}")
    return blank.fetchall()[0][0] == 0  # a row of empty cells: the pandas way reports it


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
