"""Every rule the schemas declare has a generated fixture that must fail it.

The inventory is read from the pandera models themselves, so a new check gets a failing fixture
automatically, and a check that silently stops checking (or a table the validator skips) turns
this module red.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from dprk_sanctions.rowchecks import RAW_MESSAGES
from dprk_sanctions.schemas import ROW_RULES, TABLES

PATTERN_BREAKER = "Not Valid!"


def _violation(check, meta) -> str | None:
    """A cell value that fails ``check`` and nothing before it."""
    stats = check.statistics
    if check.name == "isin":
        return "not_a_code"
    if check.name == "str_matches":
        return "https://example.org/x y" if meta.get("format") == "uri" else PATTERN_BREAKER
    if check.name == "str_length":
        prefix = "https://example.org/" if meta.get("format") == "uri" else ""
        return prefix + "x" * (stats["max_value"] + 1)
    if check.name == "greater_than_or_equal_to":
        low = stats["min_value"]
        return (low - dt.timedelta(days=1)).isoformat() if isinstance(low, dt.date) else str(low - 1)
    if check.name == "less_than_or_equal_to":
        return str(stats["max_value"] + 1)
    if check.name == "not_in_future":
        return "2999-01-01"
    return None


def column_cases():
    for table in TABLES:
        for name, column in table.schema.columns.items():
            for check in column.checks:
                value = _violation(check, column.metadata)
                assert value is not None, f"no generated violation for {table.name}.{name} {check}"
                yield pytest.param(table.name, name, value, check.name,
                                   id=f"{table.name}.{name}.{check.name}")
            if not column.nullable:
                yield pytest.param(table.name, name, "", "not_nullable",
                                   id=f"{table.name}.{name}.required")


@pytest.mark.parametrize(("table", "column", "value", "rule"), list(column_cases()))
def test_every_column_check_fails_its_fixture(package, capsys, table, column, value, rule):
    line = package.set_cell(table, 0, column, value)
    code, out = package.validate(capsys, "--format", "json")
    assert code == 1
    hits = [p for p in json.loads(out)["problems"]
            if (p["file"], p["line"], p["column"]) == (f"data/{table}.csv", line, column)]
    assert hits, out
    assert any(p["rule"].startswith(rule) for p in hits), hits


def unique_cases():
    for table in TABLES:
        for name, column in table.schema.columns.items():
            if column.unique:
                yield pytest.param(table.name, name, id=f"{table.name}.{name}")


@pytest.mark.parametrize(("table", "column"), list(unique_cases()))
def test_every_unique_column_rejects_a_duplicate(package, capsys, table, column):
    rows = package.rows(table)
    package.write_rows(table, [*rows, rows[1]])
    code, out = package.validate(capsys)
    assert code == 1
    assert f"data/{table}.csv:{len(rows) + 1}:{column}: duplicate key" in out


# One hand-made failing row per row rule: (table, data row, {column: value}).
ROW_RULE_FIXTURES = {
    "dated_source": ("sources", 0, {"published_date": ""}),
    "coordinates_in_pairs": ("sites", 0, {"longitude": ""}),
    "precision_matches_coordinates": ("sites", 0, {"coordinate_precision": "unknown"}),
    "missiles_range": ("launches", 1, {"missiles_min": "3"}),
    "apogee_plausible": ("launches", 0, {"apogee_km": "9000"}),
    "ballistic_matches_class": ("launches", 2, {"ballistic": "true"}),
    "meeting_dates_ordered": ("meetings", 0, {"end_date": "2024-09-01"}),
    "quantity_range": ("transfers", 0, {"quantity_min": "500"}),
    "quantity_has_unit": ("transfers", 0, {"quantity_unit": ""}),
    "transfer_period_ordered": ("transfers", 0, {"period_end": "2023-01-01"}),
    "distinct_parties": ("transfers", 0, {"recipient_id": "prk"}),
    "denied_has_denier": ("transfers", 0, {"status": "denied", "denied_by": ""}),
    "value_range": ("nuclear_test_estimates", 1, {"value_min": "2"}),
    "value_given": ("nuclear_test_estimates", 0, {"value_min": "", "value_max": ""}),
    "mapped_or_excused": ("cns_reconciliation", 0, {"reason": ""}),
    "number_range": ("launch_tallies", 0, {"number_min": "2"}),
    "as_of_in_year": ("launch_tallies", 0, {"as_of": "2023-12-31"}),
}


def test_every_row_rule_has_a_fixture():
    assert set(ROW_RULE_FIXTURES) == set(ROW_RULES)


@pytest.mark.parametrize("rule", sorted(ROW_RULE_FIXTURES))
def test_every_row_rule_fails_its_fixture(package, capsys, rule):
    table, row, cells = ROW_RULE_FIXTURES[rule]
    for column, value in cells.items():
        line = package.set_cell(table, row, column, value)
    code, out = package.validate(capsys)
    expected = ROW_RULES[rule]
    assert code == 1
    assert f"data/{table}.csv:{line}:{expected.column}: {expected.message} ({expected.fix})" in out


TEXT_RULE_FIXTURES = {
    "surrounding_space": "padded ",
    "missing_token": "N/A",
    "line_break": "two\nlines",
    "formula": "=1+1",
    "control_character": "tab\there",
}


def test_every_text_rule_has_a_fixture():
    assert set(TEXT_RULE_FIXTURES) == set(RAW_MESSAGES)


@pytest.mark.parametrize("rule", sorted(TEXT_RULE_FIXTURES))
@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_every_text_rule_applies_to_every_table(package, capsys, rule, table):
    column = next(iter(next(t for t in TABLES if t.name == table).schema.columns))
    line = package.set_cell(table, 0, column, TEXT_RULE_FIXTURES[rule])
    code, out = package.validate(capsys, "--format", "json")
    hits = [p for p in json.loads(out)["problems"] if p["rule"] == rule]
    assert code == 1
    assert [(h["file"], h["line"], h["column"]) for h in hits] == [
        (f"data/{table}.csv", line, column)]
