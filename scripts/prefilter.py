"""The DuckDB engine, step 3: the prefilter, compiled from the pandera model: SQL that flags
every row any rule of a table could fail (a superset; pandera decides on the flagged rows)."""

from __future__ import annotations

import re

from .ddl import check_condition
from .rowchecks import MISSING_TOKENS, TYPE_PATTERNS
from .schemas import (
    ROW_RULES,
    TableSpec,
)
from .sqlload import raw_table, typed_expression
from .sqltext import quote_literal

# A cell whose first or last character is outside these sets, or that holds a line break or a
# control character, may break a text rule (padding, formula start, line break) and goes to
# pandera for the verdict; so does a cell that is exactly a placeholder for unknown.
SAFE_EDGES = r"""^[^0-9A-Za-z"'(]|[^0-9A-Za-z.)"'%?!/\]]$|[\x00-\x1f\x7f]"""
HYGIENE_PATTERN = (
    "^(?:" + "|".join(re.escape(token) for token in MISSING_TOKENS) + ")$|" + SAFE_EDGES
)


def hygiene_flag(column: str) -> str:
    """Superset of the text rules: padding, placeholders, line breaks, formula starts. One
    regular expression per cell: a small expression keeps the prefilter quick to plan, which is
    most of its cost on a small package."""
    return f"regexp_matches({column}, {quote_literal(HYGIENE_PATTERN)})"


def type_flag(column: str, kind: str) -> str | None:
    if kind == "string":
        return None
    if kind == "boolean":
        return f"{column} NOT IN ('true', 'false')"
    pattern = quote_literal(TYPE_PATTERNS[kind])
    flag = f"NOT regexp_matches({column}, {pattern})"
    if kind == "date":
        flag += f" OR try_strptime({column}, '%Y-%m-%d') IS NULL"
    return flag


def prefilter_sql(table: TableSpec) -> str:
    """Row numbers of every row that any rule of the table could fail."""
    schema = table.schema
    raw_flags, typed_columns, typed_flags = [], [], []
    for name, column in schema.columns.items():
        kind = column.metadata["type"]
        quoted = f'r."{name}"'
        flags = [hygiene_flag(quoted)] + [f for f in [type_flag(quoted, kind)] if f]
        raw_flags.append(f"({quoted} IS NOT NULL AND ({' OR '.join(flags)}))")
        typed_columns.append(f'{typed_expression(quoted, kind)} AS "{name}"')
        if not column.nullable:
            typed_flags.append(f'"{name}" IS NULL')
        typed_name = f'"{name}"'
        typed_flags += [
            f"NOT coalesce({check_condition(typed_name, c, column.metadata)}, true)"
            for c in column.checks
        ]
    typed_flags += [
        f"(({ROW_RULES[c.name].sql}) IS FALSE)" for c in schema.checks if c.name in ROW_RULES
    ]
    duplicates = [
        f"SELECT rowid FROM {raw_table(table.name)} WHERE ({', '.join(key)}) IN "
        f"(SELECT ({', '.join(key)}) FROM {raw_table(table.name)} "
        f"WHERE {' AND '.join(f'{k} IS NOT NULL' for k in key)} "
        f"GROUP BY ALL HAVING count(*) > 1)"
        for key in _unique_keys(table)
    ]
    scan = (
        f"SELECT _row FROM (SELECT r.rowid AS _row, ({' OR '.join(raw_flags)}) AS _raw_flag, "
        f"{', '.join(typed_columns)} FROM {raw_table(table.name)} r) "
        f"WHERE _raw_flag OR {' OR '.join(typed_flags)}"
    )
    return " UNION ".join([scan, *duplicates])


def _unique_keys(table: TableSpec) -> list[tuple[str, ...]]:
    schema = table.schema
    keys: list[tuple[str, ...]] = [
        (name,) for name, column in schema.columns.items() if column.unique
    ]
    if schema.unique:
        keys.append(tuple(schema.unique))
    return keys
