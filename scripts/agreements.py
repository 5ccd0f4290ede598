"""Run the agreement rules (declared in ``schemas/agreements.py``) in either engine.

Each table a rule reads is made available as a view (or a table) of its name in a scratch
schema of the engine's DuckDB connection, with a ``_row`` column; unqualified names in the
rules find it first. The DuckDB engine's views read its text tables in place, so nothing is
copied out of the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from .problems import Problem
from .schemas import AGREEMENT_RULES, TABLES_BY_NAME, AgreementRule

SCHEMA = "agreement_inputs"

# How a table reaches the rules: a SELECT over the connection (typed, with ``_row``) or Arrow
# data, and the function from row number to CSV line.
RuleInput = tuple[str | pa.Table, Callable[[int], int]]


def frame_input(frame: pd.DataFrame, lines: np.ndarray) -> RuleInput:
    """A pandas frame for the rules: Arrow data with ``_row``, and its CSV lines."""
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    table = table.append_column("_row", pa.array(np.arange(len(frame), dtype=np.int64)))
    return table, lambda row: int(lines[row])


def clean_tables(problems: Iterable[Problem]) -> Callable[[str], bool]:
    """Whether a table passed every check so far (agreement is only checked between clean
    tables: a rule about agreement has nothing to say about a row that is already wrong)."""
    dirty = {problem.file for problem in problems}
    return lambda name: TABLES_BY_NAME[name].path not in dirty


SCRATCH_SQL = [
    f"CREATE SCHEMA IF NOT EXISTS memory.{SCHEMA}",
    f"SET search_path = 'memory.{SCHEMA},memory.main'",
]


def view_sql(name: str, select: str) -> str:
    """A table's input to the rules as a view over the connection."""
    return f"CREATE VIEW memory.{SCHEMA}.{name} AS {select}"


def rules_sql(rules: list[AgreementRule]) -> str:
    """One statement for every rule: planning, not data, is most of a rule's cost on a package
    of ordinary size; values come back as text, as the messages print them."""
    return " UNION ALL ".join(
        f"SELECT {number} AS _rule, COLUMNS(*)::VARCHAR FROM ({rule.sql})"
        for number, rule in enumerate(rules)
    )


def clean_sql(select_of: Callable[[str], str]) -> list[str]:
    """The statements agreement_problems runs when every table is clean and in the
    connection (``select_of`` gives a table's input SELECT); the last one returns the
    problems."""
    names = list(dict.fromkeys(name for rule in AGREEMENT_RULES for name in rule.reads))
    views = [view_sql(name, select_of(name)) for name in names]
    return [*SCRATCH_SQL, *views, rules_sql(list(AGREEMENT_RULES))]


@contextmanager
def _scratch_schema(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    for statement in SCRATCH_SQL:
        con.execute(statement)
    try:
        yield
    finally:
        con.execute("RESET search_path")
        con.execute(f"DROP SCHEMA IF EXISTS memory.{SCHEMA} CASCADE")


def _declare(con: duckdb.DuckDBPyConnection, name: str, source: str | pa.Table) -> None:
    if isinstance(source, str):
        con.execute(view_sql(name, source))
        return
    alias = f"_agreement_arrow_{name}"
    con.register(alias, source)
    con.execute(f"CREATE TABLE memory.{SCHEMA}.{name} AS SELECT * FROM {alias}")
    con.unregister(alias)


def agreement_problems(
    con: duckdb.DuckDBPyConnection,
    load: Callable[[str], RuleInput | None],
    is_clean: Callable[[str], bool],
) -> list[Problem]:
    """Problems of every agreement rule whose tables are all present and clean; ``load``
    gives a table's input (or None when the table could not be read)."""
    lines: dict[str, Callable[[int], int] | None] = {}
    runnable = []
    with _scratch_schema(con):
        for rule in AGREEMENT_RULES:
            if not all(is_clean(name) for name in rule.reads):
                continue
            for name in rule.reads:
                if name not in lines:
                    found = load(name)
                    lines[name] = found[1] if found else None
                    if found:
                        _declare(con, name, found[0])
            if all(lines[name] is not None for name in rule.reads):
                runnable.append(rule)
        if not runnable:
            return []
        found_rows = con.execute(rules_sql(runnable)).fetchall()
    problems: list[Problem] = []
    for number, row, value in found_rows:
        rule = runnable[number]
        line_of = lines[rule.table]
        assert line_of is not None  # runnable rules have every table they read
        problems.append(
            Problem(
                TABLES_BY_NAME[rule.table].path,
                line_of(int(row)),
                rule.column,
                rule.name,
                rule.message.format(value=value),
                rule.fix,
            )
        )
    return problems
