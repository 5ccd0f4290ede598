"""Generate docs/data-dictionary.md from the pandera schemas."""

from __future__ import annotations

import functools
from pathlib import Path

from .descriptor import field_constraints
from .schemas import TABLES, VOCABULARIES, TableSpec


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rules(column) -> str:
    constraints = field_constraints(column)
    constraints.pop("enum", None)
    parts = []
    if constraints.pop("required", False):
        parts.append("required")
    if constraints.pop("unique", False):
        parts.append("unique")
    for key, value in constraints.items():
        parts.append(f"{key} `{value}`")
    return "; ".join(parts)


def _table_section(table: TableSpec) -> list[str]:
    lines = [
        f"## {table.name}",
        "",
        table.description,
        "",
        f"- File: `{table.path}`",
        f"- Primary key: `{', '.join(table.primary_key)}`",
    ]
    for key in table.foreign_keys:
        kind = "each ';'-separated item of " if key.list_separator else ""
        target = f"{key.resource}.{key.reference_fields}"
        lines.append(f"- Foreign key: {kind}`{key.fields}` → `{target}`")
    if table.cited_in:
        lines.append(f"- Every record is cited in `{table.cited_in.resource}`")
    for column in table.any_record_fields:
        lines.append(f"- Each item of `{column}` is the ID of a record in some table")
    lines += [
        "",
        "| field | type | description | rules | allowed values | example |",
        "|---|---|---|---|---|---|",
    ]
    for name, column in table.schema.columns.items():
        meta = column.metadata
        vocabulary = meta.get("vocabulary") or (
            meta.get("list_of") if meta.get("list_of") in VOCABULARIES else None
        )
        anchor = f"#vocabulary-{vocabulary.replace('_', '-')}" if vocabulary else ""
        allowed = f"[{vocabulary}]({anchor})" if vocabulary else ""
        example = f"`{meta['example']}`" if meta.get("example") not in (None, "") else ""
        lines.append(
            f"| `{name}` | {meta['type']} | {_cell(column.description)} | "
            f"{_cell(_rules(column))} | {allowed} | {_cell(example)} |"
        )
    return [*lines, ""]


def _vocabulary_section() -> list[str]:
    lines = [
        "## Vocabularies",
        "",
        "Declared once in `schemas/vocabularies.py`; every table that uses one shares it.",
        "",
    ]
    for name, vocabulary in VOCABULARIES.items():
        lines += [f"### vocabulary: {name}", "", "| code | meaning |", "|---|---|"]
        lines += [f"| `{code}` | {_cell(label)} |" for code, label in vocabulary.items()]
        lines.append("")
    return lines


def render_dictionary(root: Path) -> str:
    """The data dictionary: a function of schemas/ alone (``root`` is where it goes)."""
    return _dictionary_text()


@functools.cache
def _dictionary_text() -> str:
    lines = [
        "# Data dictionary",
        "",
        "Generated from `schemas/` by `dprk-data descriptor`; do not edit by hand "
        "(a test fails when it is stale).",
        "Blank cells mean unknown. Dates are ISO 8601; DPRK launch dates are Korean dates (KST).",
        "",
    ]
    for table in TABLES:
        lines += _table_section(table)
    lines += _vocabulary_section()
    return "\n".join(lines).rstrip("\n") + "\n"
