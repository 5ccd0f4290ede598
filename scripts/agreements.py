"""Run the agreement rules (declared in ``schemas/agreements.py``) in either engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import duckdb
import pyarrow as pa

from .problems import Problem
from .schemas import AGREEMENT_RULES, TABLES_BY_NAME

# A table for the rules: its typed rows with a ``_row`` column, and row number -> CSV line.
RuleInput = tuple[pa.Table, Callable[[int], int]]


def clean_tables(problems: Iterable[Problem]) -> Callable[[str], bool]:
    """Whether a table passed every check so far (agreement is only checked between clean
    tables: a rule about agreement has nothing to say about a row that is already wrong)."""
    dirty = {problem.file for problem in problems}
    return lambda name: TABLES_BY_NAME[name].path not in dirty


def agreement_problems(load: Callable[[str], RuleInput | None],
                       is_clean: Callable[[str], bool]) -> list[Problem]:
    """Problems of every agreement rule whose tables are all present and clean; ``load``
    gives a table's input (or None when the table could not be read)."""
    inputs: dict[str, RuleInput | None] = {}
    problems: list[Problem] = []
    con = duckdb.connect()
    try:
        for rule in AGREEMENT_RULES:
            if not all(is_clean(name) for name in rule.reads):
                continue
            for name in rule.reads:
                if name not in inputs:
                    inputs[name] = load(name)
            if any(inputs[name] is None for name in rule.reads):
                continue
            for name in rule.reads:
                con.register(name, inputs[name][0])  # type: ignore[index]
            line_of = inputs[rule.table][1]  # type: ignore[index]
            table = TABLES_BY_NAME[rule.table]
            for row, value in con.execute(rule.sql).fetchall():
                problems.append(Problem(table.path, line_of(int(row)), rule.column, rule.name,
                                        rule.message.format(value=value), rule.fix))
    finally:
        con.close()
    return problems
