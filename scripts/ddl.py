"""DuckDB DDL generated from the pandera schemas: types, keys, CHECKs and comments."""

from __future__ import annotations

import datetime as dt

from .schemas import ROW_RULES, TABLES, VOCABULARIES, TableSpec
from .schemas._base import latest_allowed_date
from .sqltext import quote_literal

SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}


def enum_type_name(vocabulary: str) -> str:
    return f"{vocabulary}_code"


def enum_types_sql() -> list[str]:
    return [
        f"CREATE TYPE {enum_type_name(name)} AS ENUM "
        f"({', '.join(quote_literal(code) for code in codes)});"
        for name, codes in VOCABULARIES.items()
    ]


# Python's \s for str patterns; RE2's \s is ASCII-only, so patterns are given Python's class.
PYTHON_WHITESPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)


def re2_pattern(pattern: str) -> str:
    """A Python regex of this package as RE2 with the same meaning (only \\s differs)."""
    inside = pattern.replace(r"[^\s", f"[^{PYTHON_WHITESPACE}")
    return inside.replace(r"\s", f"[{PYTHON_WHITESPACE}]")


def sql_literal(value: object) -> str:
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return quote_literal(value)
    return repr(value)


def check_condition(column: str, check, meta: dict) -> str:
    """A pandera column check as the SQL condition a passing value meets (NULL when missing).

    The DDL uses it for CHECK constraints and the DuckDB engine's prefilter negates it; a check
    type without a translation fails loudly rather than going unchecked.
    """
    stats = check.statistics
    if check.name == "isin":
        return f"{column} IN ({', '.join(sql_literal(v) for v in stats['allowed_values'])})"
    if check.name == "str_matches":
        pattern = re2_pattern(meta.get("pattern", stats["pattern"]))
        return f"regexp_matches({column}, {quote_literal(pattern)})"
    if check.name == "str_length":
        return f"length({column}) BETWEEN {stats.get('min_value') or 0} AND {stats['max_value']}"
    if check.name == "greater_than_or_equal_to":
        return f"{column} >= {sql_literal(stats['min_value'])}"
    if check.name == "less_than_or_equal_to":
        return f"{column} <= {sql_literal(stats['max_value'])}"
    if check.name == "not_in_future":
        return f"{column} <= {sql_literal(latest_allowed_date())}"
    raise NotImplementedError(f"no SQL for pandera check {check.name!r}")


# Constraints a database keeps for good: "not in the future" moves with the calendar, and
# vocabularies are ENUM types.
DDL_SKIPPED_CHECKS = ("not_in_future", "isin")


def column_checks(name: str, column) -> list[str]:
    return [
        check_condition(name, check, column.metadata)
        for check in column.checks
        if check.name not in DDL_SKIPPED_CHECKS
    ]


def column_sql(name: str, column) -> str:
    vocabulary = column.metadata.get("vocabulary")
    sql_type = enum_type_name(vocabulary) if vocabulary else SQL_TYPES[column.metadata["type"]]
    parts = [name, sql_type]
    if not column.nullable:
        parts.append("NOT NULL")
    parts += [f"CHECK ({check})" for check in column_checks(name, column)]
    return " ".join(parts)


def _row_rule_names(table: TableSpec) -> list[str]:
    return [check.name for check in table.schema.checks if check.name in ROW_RULES]


def table_sql(table: TableSpec) -> str:
    lines = [column_sql(name, column) for name, column in table.schema.columns.items()]
    lines.append(f"PRIMARY KEY ({', '.join(table.primary_key)})")
    lines += [
        f"FOREIGN KEY ({key.fields}) REFERENCES {key.resource} ({key.reference_fields})"
        for key in table.foreign_keys
        if key.list_separator is None
    ]
    lines += [f"CONSTRAINT {name} CHECK ({ROW_RULES[name].sql})" for name in _row_rule_names(table)]
    body = ",\n    ".join(lines)
    return f"CREATE TABLE {table.name} (\n    {body}\n);"


def comments_sql(table: TableSpec) -> list[str]:
    statements = [f"COMMENT ON TABLE {table.name} IS {quote_literal(table.description)};"]
    statements += [
        f"COMMENT ON COLUMN {table.name}.{name} IS {quote_literal(column.description)};"
        for name, column in table.schema.columns.items()
    ]
    return statements


def schema_sql() -> str:
    """The whole DDL: enum types, then tables in foreign-key order, then comments."""
    statements = enum_types_sql()
    statements += [table_sql(table) for table in TABLES]
    for table in TABLES:
        statements += comments_sql(table)
    return "\n".join(statements) + "\n"
