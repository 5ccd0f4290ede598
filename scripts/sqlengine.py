"""The fast path: the same rules, run where the data is large.

DuckDB loads each clean CSV as text and runs one scan per table with a *prefilter* compiled from
the pandera model: every column check, every row rule and every key, as SQL that flags any row
that could fail. Only the flagged rows go through the pandera model itself (``check_rows``), so
pandera stays the authority on what is wrong and what the message says; the SQL only has to be a
superset, and a differential test runs both engines on every fixture. Rules across tables run as
anti-joins. A file with any file-level problem goes the pandas way, which reports it in full.

This module runs the steps in order and falls back to pandas per table; the steps are their own
modules: ``sqlscan`` (the byte scan), ``sqlload`` (text tables and their typed view),
``prefilter`` (SQL compiled from the model), ``sqlcheck`` (running it, pandera on the flagged
rows) and ``sqlcross`` (anti-joins across tables).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .agreements import RuleInput, agreement_problems, clean_tables, frame_input
from .csvfile import read_csv as read_csv_pandas
from .problems import Problem
from .rowchecks import check_rows
from .schemas import TABLES, TableSpec
from .sqlcheck import SqlTable, check_tables_sql, text_frame
from .sqlcross import cross_table_sql
from .sqlload import load_frame, scan_and_load, typed_select
from .sqlscan import FileScan


def validate_sql(package, con: duckdb.DuckDBPyConnection) -> tuple[list[Problem], dict[str, int]]:
    """Validate every table; clean files in DuckDB, the rest the pandas way.

    Returns the problems and the rows per table; the text tables stay in ``con`` for the build.
    """
    from .crosstable import cross_table_problems

    problems: list[Problem] = []
    rows: dict[str, int] = {}
    fallback: dict[str, pd.DataFrame] = {}
    fallback_lines: dict[str, np.ndarray] = {}
    loaded: list[tuple[TableSpec, Path, FileScan]] = []
    paths = [package.table_path(table.name) for table in TABLES]
    for table, path, scan in zip(TABLES, paths, scan_and_load(con, TABLES, paths), strict=True):
        if scan is not None:
            loaded.append((table, path, scan))
            continue
        file = table.path  # validate.relocate() names the descriptor's path
        raw = read_csv_pandas(path, file, table.columns)
        problems += raw.problems
        if raw.frame is not None and raw.lines is not None:  # readable
            result = check_rows(table, raw.frame, raw.lines)
            problems += result.problems
            load_frame(con, table, raw.frame)  # the build reads every table from con
            fallback[table.name] = result.typed
            fallback_lines[table.name] = raw.lines
            rows[table.name] = len(result.typed)
    states, found = check_tables_sql(con, loaded)
    problems += found
    rows.update({name: state.rows for name, state in states.items()})
    if fallback:
        # a table that went the pandas way is checked against the others in pandas too
        frames = dict(fallback)
        lines = dict(fallback_lines)
        for name, state in states.items():
            frames[name] = text_frame(con, state)
            lines[name] = np.asarray([state.line(r) for r in range(state.rows)])
        problems += cross_table_problems(frames, lines)
    else:
        problems += cross_table_sql(con, states)
    problems += agreement_problems(
        con,
        lambda name: _sql_input(con, states, fallback, fallback_lines, name),
        clean_tables(problems),
    )
    return problems, rows


def _sql_input(
    con: duckdb.DuckDBPyConnection,
    states: dict[str, SqlTable],
    fallback: dict[str, pd.DataFrame],
    fallback_lines: dict[str, np.ndarray],
    name: str,
) -> RuleInput | None:
    """A table for the agreement rules: a typed view over the text table in DuckDB, or the
    pandas fallback's frame."""
    if name in states:
        state = states[name]
        return rule_input_select(state.table), state.line
    if name in fallback:
        return frame_input(fallback[name], fallback_lines[name])
    return None


def rule_input_select(table: TableSpec) -> str:
    """A loaded text table typed for the agreement rules, with ``_row`` (its row number)."""
    return typed_select(table).replace(
        "SELECT ", "SELECT (row_number() OVER (ORDER BY rowid) - 1) AS _row, ", 1
    )
