"""SQL text helpers with no imports beyond the standard library (the query command's start-up
must not load the schemas)."""

from __future__ import annotations


def quote_literal(value: object) -> str:
    """``value`` as a SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_list(values: tuple[str, ...]) -> str:
    """``values`` as a comma-separated list of SQL string literals."""
    return ", ".join(quote_literal(v) for v in values)
