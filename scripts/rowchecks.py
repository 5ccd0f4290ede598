"""Row-level checks of one table: cell hygiene, parsing to typed columns, then the pandera model.

Both passes are pandera schemas generated from the table's model, so the model stays the single
authority: the first pass (``raw_schema``) checks every cell as text, the second is the model
itself run on the typed frame. Failure cases are mapped back to CSV lines and given a fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow

from .problems import Problem, show_value
from .schemas import ROW_RULES, TableSpec
from .schemas.check_kinds import CHECK_KINDS

MISSING_TOKENS = (
    "N/A",
    "n/a",
    "NA",
    "na",
    "#N/A",
    "?",
    "??",
    "-",
    "--",
    "null",
    "NULL",
    "Null",
    "None",
    "none",
    "nil",
    "NaN",
    "nan",
    "TBD",
    "tbd",
    "unk",
)
CONTROL_CHARACTER = r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]"  # C0 but LF and CR, and DEL
FORMULA_START = re.compile(r"^[=+\-@]")
NUMERIC = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$")
TYPE_PATTERNS = {
    "integer": r"^-?[0-9]+$",
    "number": r"^-?[0-9]+(?:\.[0-9]+)?$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "boolean": r"^(?:true|false)$",
}
TYPE_FIXES = {
    "integer": "write a whole number with digits only, no units or separators",
    "number": "write digits with a '.' decimal point, no units or thousands separators",
    "date": "write the date as YYYY-MM-DD",
    "boolean": "write true or false",
}


# --- pass 1: every cell as text ------------------------------------------------------------------


def _hygiene_checks() -> list[pa.Check]:
    return [
        pa.Check(lambda s: s == s.str.strip(), name="surrounding_space"),
        pa.Check(lambda s: ~s.isin(MISSING_TOKENS), name="missing_token"),
        pa.Check(lambda s: ~s.str.contains(r"[\n\r]", regex=True), name="line_break"),
        pa.Check(
            lambda s: ~s.str.contains(CONTROL_CHARACTER, regex=True), name="control_character"
        ),
        pa.Check(lambda s: ~s.str.match(FORMULA_START) | s.str.match(NUMERIC), name="formula"),
    ]


def _real_date(series: pd.Series) -> pd.Series:
    looks_right = series.str.match(TYPE_PATTERNS["date"])
    parsed = pd.to_datetime(series.where(looks_right), format="%Y-%m-%d", errors="coerce")
    return looks_right & parsed.notna()


def _type_check(kind: str) -> list[pa.Check]:
    if kind == "string":
        return []
    if kind == "date":
        return [pa.Check(_real_date, name="type_date")]
    pattern = re.compile(TYPE_PATTERNS[kind])
    return [pa.Check(lambda s: s.str.match(pattern), name=f"type_{kind}")]


@cache
def raw_schema(table: TableSpec) -> pa.DataFrameSchema:
    columns = {}
    for name, column in table.schema.columns.items():
        kind = column.metadata["type"]
        columns[name] = pa.Column(str, nullable=True, checks=_hygiene_checks() + _type_check(kind))
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=f"{table.name} (text)")


# --- typing -------------------------------------------------------------------------------------


def _to_type(series: pd.Series, kind: str) -> pd.Series:
    if kind == "integer":
        return pd.to_numeric(series, errors="coerce").astype("Int64")
    if kind == "number":
        return pd.to_numeric(series, errors="coerce").astype("Float64")
    if kind == "boolean":
        return series.map({"true": True, "false": False}).astype("boolean")
    if kind == "date":
        parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
        return pd.Series(
            pyarrow.array(parsed.dt.date, type=pyarrow.date32(), from_pandas=True),
            index=series.index,
            dtype=pd.ArrowDtype(pyarrow.date32()),
        )
    return series


def typed_frame(
    table: TableSpec, raw: pd.DataFrame, bad_cells: set[tuple[int, str]]
) -> pd.DataFrame:
    """Convert the text frame to the model's dtypes; cells that failed pass 1 become missing."""
    typed = {}
    for name, column in table.schema.columns.items():
        series = raw[name]
        bad_rows = [row for row, col in bad_cells if col == name]
        if bad_rows:
            series = series.copy()
            series.loc[bad_rows] = None
        typed[name] = _to_type(series, column.metadata["type"])
    return pd.DataFrame(typed, index=raw.index)


# --- failure cases to problems ------------------------------------------------------------------


def _suggest(value: str, allowed: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}? " if match else ""


def _column_fix(table: TableSpec, column: str, check: str, value: object) -> tuple[str, str]:
    """Message and fix for a failed column check: the column properties here, the checks as
    their kind (schemas/check_kinds.py) says."""
    meta = table.schema.columns[column].metadata if column in table.schema.columns else {}
    hint = meta.get("hint") or f"see the description of {column} in docs/data-dictionary.md"
    shown = show_value(value)
    if check == "not_nullable":
        return "required cell is empty", f"fill it in: {hint}" if meta.get("hint") else "fill it in"
    if check == "field_uniqueness":
        return f"{shown} appears more than once", "IDs must be unique: give this record its own ID"
    name = check.split("(", 1)[0]
    declared = [c for c in table.schema.columns[column].checks if c.name == name]
    if name not in CHECK_KINDS or not declared:
        return f"{shown} fails {check}", hint  # not a column check (pandera's own, e.g. dtype)
    return CHECK_KINDS[name].problem(shown, value, declared[0].statistics, meta, hint)


RAW_MESSAGES = {
    "surrounding_space": ("{v} has spaces at the start or end", "remove them"),
    "missing_token": (
        "{v} is written for an unknown value",
        "leave the cell empty: an empty cell means unknown",
    ),
    "line_break": ("the cell contains a line break", "keep the value on one line"),
    "control_character": (
        "{v} contains a control character (tab, NUL, escape or similar)",
        "delete it; write a plain space instead of a tab",
    ),
    "formula": (
        "{v} starts with '=', '+', '-' or '@' and a spreadsheet would run it as a formula",
        "remove the leading character; only numbers may start with + or -",
    ),
}


def _raw_message(check: str, value: object) -> tuple[str, str]:
    if check in RAW_MESSAGES:
        message, fix = RAW_MESSAGES[check]
        return message.format(v=show_value(value)), fix
    kind = check.removeprefix("type_")
    if kind == "date" and re.match(TYPE_PATTERNS["date"], str(value)):
        return f"{show_value(value)} is not a real calendar date", "check the day and month"
    article = "an" if kind[0] in "aeiou" else "a"
    return f"{show_value(value)} is not {article} {kind}", TYPE_FIXES[kind]


def _failure_cases(
    schema: pa.DataFrameSchema, frame: pd.DataFrame
) -> Iterator[tuple[Any, Any, Any, Any]]:
    """(index, column, check, failure_case) of every failure, in pandera's order.

    Plain tuples: a named tuple's ``index`` field shadows ``tuple.index`` for a type checker.
    """
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases[["index", "column", "check", "failure_case"]]
        return cases.itertuples(index=False, name=None)
    return iter(())


def _duplicate_fix(
    raw: pd.DataFrame, lines: np.ndarray, column: str, value: object, position: int
) -> str:
    matches = np.flatnonzero(raw[column].to_numpy() == value)
    others = [int(lines[i]) for i in matches if i != position]
    return f"{show_value(value)} also stands on line(s) {', '.join(map(str, others[:5]))}"


@cache
def _rule_columns(table: TableSpec, rule: str) -> tuple[str, ...]:
    """The columns a row rule reads, as named in its SQL form."""
    sql = ROW_RULES[rule].sql
    return tuple(c for c in table.columns if re.search(rf"\b{c}\b", sql))


@dataclass
class RowResult:
    typed: pd.DataFrame
    problems: list[Problem]
    missing_cells: set[tuple[int, str]]  # (row, column) cells that failed pass 1: missing in typed


def check_rows(table: TableSpec, raw: pd.DataFrame, lines: np.ndarray) -> RowResult:
    """Run both passes; return the typed frame and every problem found.

    ``lines`` holds the CSV line of each row of ``raw``, by position; ``raw`` may be any subset
    of a table's rows (its index labels are the rows' numbers in the whole table).
    """
    file = table.path
    position = pd.Series(np.arange(len(raw)), index=raw.index)

    def line(row: int) -> int:
        return int(lines[position[row]])

    problems: list[Problem] = []
    bad_cells: set[tuple[int, str]] = set()

    for index, case_column, case_check, failure_case in _failure_cases(raw_schema(table), raw):
        row, column = int(index), str(case_column)
        if (row, column) in bad_cells:
            continue  # one problem per cell: the first check that fails it
        bad_cells.add((row, column))
        message, fix = _raw_message(str(case_check), failure_case)
        problems.append(Problem(file, line(row), column, str(case_check), message, fix))

    typed = typed_frame(table, raw, bad_cells)
    missing_cells = set(bad_cells)
    reported_rules: set[tuple[int, str]] = set()
    for index, case_column, case_check, failure_case in _failure_cases(table.schema, typed):
        if index is None or pd.isna(index):
            continue  # schema-level failures (column missing) are caught by the header check
        row, check = int(index), str(case_check)
        if check in ROW_RULES:
            if (row, check) in reported_rules:
                continue
            reported_rules.add((row, check))
            rule = ROW_RULES[check]
            if any((row, c) in bad_cells for c in _rule_columns(table, check)):
                continue  # a broken cell the rule reads already explains it
            problems.append(Problem(file, line(row), rule.column, check, rule.message, rule.fix))
            continue
        column = str(case_column)
        if (row, column) in bad_cells:
            continue
        if check == "multiple_fields_uniqueness":
            key = ", ".join(table.primary_key)
            problems.append(
                Problem(
                    file,
                    line(row),
                    column,
                    check,
                    f"the pair ({key}) appears more than once",
                    "remove the duplicate row",
                )
            )
            bad_cells.add((row, column))
            continue
        message, fix = _column_fix(table, column, check, failure_case)
        if check == "field_uniqueness":
            others = _duplicate_fix(raw, lines, column, failure_case, position[row])
            message = f"duplicate key: {others}"
        problems.append(Problem(file, line(row), column, check, message, fix))
        bad_cells.add((row, column))
    return RowResult(typed, problems, missing_cells)
