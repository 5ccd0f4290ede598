"""The DuckDB engine, step 3: the prefilter, compiled from the pandera model: SQL that flags
every row any rule of a table could fail (a superset; pandera decides on the flagged rows)."""

from __future__ import annotations

import re

from .ddl import check_condition
from .rowchecks import MISSING_TOKENS, TYPE_PATTERNS, UNIT_SEPARATOR
from .schemas import (
    ROW_RULES,
    TableSpec,
)
from .schemas.check_kinds import PYTHON_WHITESPACE
from .sqlload import raw_table, typed_expression
from .sqltext import quote_literal

# A cell whose first or last character is whitespace (as Python's str.strip sees it), or whose
# first character may start a formula, or that holds a line break or a control character, may
# break a text rule (padding, formula start, line break) and goes to pandera for the verdict;
# so does a cell that is exactly a placeholder for unknown. Any other first or last character
# (a letter of any script, a quote, a bracket) breaks no text rule, so a row of Korean titles is
# not flagged.
FIRST_UNSAFE = PYTHON_WHITESPACE + r"=+\-@"
LAST_UNSAFE = PYTHON_WHITESPACE
TOKENS = "(?:" + "|".join(re.escape(token) for token in MISSING_TOKENS) + ")"

# The same test for a whole row at once: its cells joined by the unit separator (0x1F), with
# the separator as a cell's start and end. A file holding a control character never reaches
# the prefilter (the byte scan sends it the pandas way), so no cell contains the separator.
# One expression per table instead of one per cell: planning, not scanning, is most of the
# prefilter's cost on a package of ordinary size.
ROW_HYGIENE_PATTERN = (
    f"(?:^|{UNIT_SEPARATOR}){TOKENS}(?:{UNIT_SEPARATOR}|$)"
    f"|(?:^|{UNIT_SEPARATOR})[{FIRST_UNSAFE}]"
    f"|[{LAST_UNSAFE}](?:{UNIT_SEPARATOR}|$)"
    r"|[\x00-\x1e\x7f]"
)


def row_hygiene_flag(columns: list[str]) -> str:
    """Superset of the text rules over every cell of a row: padding, placeholders, line
    breaks, formula starts (empty cells are skipped, as concat_ws skips NULL)."""
    joined = f"concat_ws(chr({ord(UNIT_SEPARATOR)}), {', '.join(columns)})"
    return f"regexp_matches({joined}, {quote_literal(ROW_HYGIENE_PATTERN)})"


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
    quoted_columns = {name: f'r."{name}"' for name in schema.columns}
    raw_flags = [row_hygiene_flag(list(quoted_columns.values()))]
    typed_columns: list[str] = []
    typed_flags: list[str] = []
    for name, column in schema.columns.items():
        kind = column.metadata["type"]
        quoted = quoted_columns[name]
        flag = type_flag(quoted, kind)
        if flag:
            raw_flags.append(f"({quoted} IS NOT NULL AND ({flag}))")
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
