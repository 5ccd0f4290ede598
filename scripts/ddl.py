"""DuckDB DDL generated from the pandera schemas: types, keys, CHECKs and comments."""

from __future__ import annotations

from typing import Any

from .schemas import ROW_RULES, TABLES, VOCABULARIES, TableSpec
from .schemas.check_kinds import kind_of
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


def check_condition(column: str, check: Any, meta: dict) -> str:
    """A pandera column check as the SQL condition a passing value meets (NULL when missing):
    the DDL's CHECK constraints, and the DuckDB engine's prefilter negates it. The kind of
    check (schemas/check_kinds.py) says how; an undeclared kind fails loudly."""
    return kind_of(check.name).sql(column, check.statistics, meta)


def column_checks(name: str, column) -> list[str]:
    return [
        check_condition(name, check, column.metadata)
        for check in column.checks
        if kind_of(check.name).in_ddl
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
