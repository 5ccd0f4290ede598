"""The DuckDB engine, step 4: run the prefilter on a loaded table and hand the flagged rows to
the pandera model, which decides what is wrong and words the message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .csvfile import no_rows_problem, record_lines
from .prefilter import prefilter_sql
from .problems import Problem
from .rowchecks import RowResult, check_rows
from .schemas import TableSpec
from .sqlload import raw_table
from .sqlscan import FileScan
from .sqltext import quote_literal


@dataclass
class SqlTable:
    table: TableSpec
    rows: int
    lines: np.ndarray | None  # None: line = row + 2
    bad_cells: set[tuple[int, str]] = field(default_factory=set)

    def line(self, row: int) -> int:
        return int(self.lines[row]) if self.lines is not None else row + 2

    def lines_of(self, rows: list[int]) -> np.ndarray:
        return np.asarray([self.line(r) for r in rows])


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read from DuckDB as pandas strings, missing cells kept missing."""
    return frame.astype("str").where(frame.notna())


def _record_starts(path: Path) -> np.ndarray:
    starts, _, _ = record_lines(path.read_text(encoding="utf-8"))
    return np.asarray(starts)


FLAGGED = "_flagged_rows"  # scratch table: (table name, row) of every row a prefilter flags
FLAGGED_COUNTS = f"SELECT t, count(*) FROM {FLAGGED} GROUP BY t"


def counts_sql(tables: list[TableSpec]) -> str:
    """(table, rows) of every loaded text table, in one statement."""
    return " UNION ALL ".join(
        f"SELECT {quote_literal(t.name)}, count(*) FROM {raw_table(t.name)}" for t in tables
    )


def flagged_sql(tables: list[TableSpec]) -> str:
    """The statement that keeps (table, row) of every row a prefilter flags in FLAGGED."""
    return f"CREATE OR REPLACE TEMP TABLE {FLAGGED} AS " + " UNION ALL ".join(
        f"SELECT {quote_literal(t.name)} AS t, f._row FROM ({prefilter_sql(t)}) f(_row)"
        for t in tables
    )


def check_tables_sql(
    con: duckdb.DuckDBPyConnection, loaded: list[tuple[TableSpec, Path, FileScan]]
) -> tuple[dict[str, SqlTable], list[Problem]]:
    """Run the prefilters of every loaded table in one statement, then the pandera model on the
    flagged rows of each table.

    One statement for all tables, not one per table: on a small package the cost of a
    prefilter is planning its expressions, not scanning rows, and DuckDB plans and runs the
    branches of one UNION ALL together.
    """
    if not loaded:
        return {}, []
    tables = [t for t, _, _ in loaded]
    counts = dict(con.execute(counts_sql(tables)).fetchall())
    con.execute(flagged_sql(tables))
    try:
        flagged = dict(con.execute(FLAGGED_COUNTS).fetchall())
        states: dict[str, SqlTable] = {}
        problems: list[Problem] = []
        for table, path, scan in loaded:
            state, found = _check_table(
                con, table, path, scan, counts[table.name], flagged.get(table.name, 0)
            )
            states[table.name] = state
            problems += found
    finally:
        con.execute(f"DROP TABLE IF EXISTS {FLAGGED}")
    return states, problems


def _check_table(
    con: duckdb.DuckDBPyConnection,
    table: TableSpec,
    path: Path,
    scan: FileScan,
    rows: int,
    flagged_rows: int,
) -> tuple[SqlTable, list[Problem]]:
    records = scan.newlines - (0 if scan.ends_with_newline else -1)
    lines = None if records == rows + 1 else _record_starts(path)  # quoted line breaks
    state = SqlTable(table, rows, lines)
    problems: list[Problem] = []
    if rows == 0:
        problems.append(no_rows_problem(table.path))
    if flagged_rows == 0:
        return state, problems
    flagged = con.execute(
        f"SELECT r.rowid AS _row, r.* FROM {raw_table(table.name)} r "
        f"WHERE r.rowid IN (SELECT _row FROM {FLAGGED} WHERE t = ?) ORDER BY _row",
        [table.name],
    ).df()
    subset = _as_text(flagged.set_index("_row"))
    subset.index = subset.index.astype(int)
    subset.index.name = None
    result: RowResult = check_rows(
        table, subset[table.columns], state.lines_of(subset.index.tolist())
    )
    problems += result.problems
    state.bad_cells = result.missing_cells
    return state, problems


def text_frame(con: duckdb.DuckDBPyConnection, state: SqlTable) -> pd.DataFrame:
    """A table as strings with failed cells missing: enough for the rules across tables."""
    frame = _as_text(
        con.execute(f"SELECT * FROM {raw_table(state.table.name)} ORDER BY rowid").df()
    )
    for row, column in state.bad_cells:
        frame.at[row, column] = None
    return frame
