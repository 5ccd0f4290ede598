"""Row-level checks of one table: cell hygiene, parsing to typed columns, then the pandera model.

The first pass checks every cell as text against the rules its column's type implies
(``HYGIENE_RULES`` and the type rules); the second is the table's pandera model itself, run on
the typed frame, so the model stays the single authority for every declared check. Failure cases
are mapped back to CSV lines and given a fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
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
# A character no valid cell holds (a control character): joins cells or keys into one text for
# a single lookup or match (the prefilter's rows, the provenance pairs).
UNIT_SEPARATOR = "\x1f"
FORMULA_START = re.compile(r"^[=+\-@]")
NUMERIC = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$")
TYPE_PATTERNS = {
    # no leading zeros (the key '01' would equal '1' once typed) and at most 18 digits (fits a
    # 64-bit integer: a longer one became NULL in the database without a word)
    "integer": r"^-?(?:0|[1-9][0-9]{0,17})$",
    "number": r"^-?[0-9]+(?:\.[0-9]+)?$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "boolean": r"^(?:true|false)$",
}
TYPE_FIXES = {
    "integer": "write a whole number in digits only: no units, separators or leading zeros, "
    "at most 18 digits",
    "number": "write digits with a '.' decimal point, no units or thousands separators",
    "date": "write the date as YYYY-MM-DD",
    "boolean": "write true or false",
}


# --- pass 1: every cell as text ------------------------------------------------------------------

# A text rule: its name and a vectorised test that is True where a (non-empty) cell passes it.
TextRule = tuple[str, Callable[[pd.Series], pd.Series]]

HYGIENE_RULES: tuple[TextRule, ...] = (
    ("surrounding_space", lambda s: s == s.str.strip()),
    ("missing_token", lambda s: ~s.isin(MISSING_TOKENS)),
    ("line_break", lambda s: ~s.str.contains(r"[\n\r]", regex=True)),
    ("control_character", lambda s: ~s.str.contains(CONTROL_CHARACTER, regex=True)),
    ("formula", lambda s: ~s.str.match(FORMULA_START) | s.str.match(NUMERIC)),
)


def _real_date(series: pd.Series) -> pd.Series:
    looks_right = series.str.match(TYPE_PATTERNS["date"])
    parsed = pd.to_datetime(series.where(looks_right), format="%Y-%m-%d", errors="coerce")
    return looks_right & parsed.notna()


def _type_rules(kind: str) -> tuple[TextRule, ...]:
    if kind == "string":
        return ()
    if kind == "date":
        return (("type_date", _real_date),)
    pattern = re.compile(TYPE_PATTERNS[kind])
    return ((f"type_{kind}", lambda s: s.str.match(pattern)),)


def text_failures(cells: pd.Series, kinds: np.ndarray) -> Iterator[tuple[Any, str, Any]]:
    """(label, rule, value) of each non-empty cell that breaks a text rule: the first it breaks.

    ``cells`` holds cells of any columns, ``kinds`` the type of each cell's column. The text
    rules follow from the column types alone, so they run as plain vectorised pandas, each rule
    once over the cells of all columns, rather than as a pandera schema with a check per rule
    and column: pandera's cost of about a millisecond per check made this pass most of the
    validation time of a small package. Each rule sees only the cells that passed the rules
    before it, so a cell is reported once, for the first rule it breaks.
    """
    present = cells.notna().to_numpy()
    cells, kinds = cells[present], kinds[present]
    for rule, passes in HYGIENE_RULES:
        if cells.empty:
            return
        ok = passes(cells).to_numpy(dtype=bool, na_value=False)
        yield from ((label, rule, value) for label, value in cells[~ok].items())
        cells, kinds = cells[ok], kinds[ok]
    for kind in TYPE_PATTERNS:
        of_kind = kinds == kind
        if of_kind.any():
            ((rule, passes),) = _type_rules(kind)
            typed = cells[of_kind]
            ok = passes(typed).to_numpy(dtype=bool, na_value=False)
            yield from ((label, rule, value) for label, value in typed[~ok].items())


TextFailure = tuple[int, str, str, Any]  # (row, column, rule, value)


def table_text_failures(table: TableSpec, raw: pd.DataFrame) -> Iterator[TextFailure]:
    """(row, column, rule, value) of each cell of ``raw`` that breaks a text rule."""
    yield from tables_text_failures({table.name: (table, raw)}).get(table.name, [])


def tables_text_failures(
    raws: dict[str, tuple[TableSpec, pd.DataFrame]],
) -> dict[str, list[TextFailure]]:
    """The text failures of several tables, by table name, each list in the order
    ``table_text_failures`` gives. Each rule runs once over the cells of every table: a
    vectorised pandas call costs much the same for fifty cells as for fifty thousand, and a
    package has 24 tables."""
    parts: list[pd.Series] = []
    labels: list[tuple[str, str]] = []  # (table, column) of each part
    kinds: list[str] = []
    for name, (table, raw) in raws.items():
        for column, spec in table.schema.columns.items():
            parts.append(raw[column])
            labels.append((name, column))
            kinds.append(spec.metadata["type"])
    failures: dict[str, list[TextFailure]] = {}
    if not parts:
        return failures
    sizes = [len(part) for part in parts]
    part_of = np.repeat(np.arange(len(parts)), sizes)  # each cell's part, by position
    rows = np.concatenate([part.index.to_numpy() for part in parts])
    cells = pd.concat(parts, ignore_index=True)  # labels: positions
    for position, rule, value in text_failures(cells, np.repeat(kinds, sizes)):
        name, column = labels[part_of[position]]
        failures.setdefault(name, []).append((int(rows[position]), column, rule, value))
    return failures


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


def _column_fix(
    table: TableSpec, column: str, check: str, value: object, text: object = None
) -> tuple[str, str]:
    """Message and fix for a failed column check: the column properties here, the checks as
    their kind (schemas/check_kinds.py) says. ``text`` is the cell as written, which the
    message quotes (the typed ``value`` of '-5' is -5.0)."""
    meta = table.schema.columns[column].metadata if column in table.schema.columns else {}
    hint = meta.get("hint") or f"see the description of {column} in docs/data-dictionary.md"
    shown = show_value(value if text is None else text)
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


Case = tuple[Any, Any, str, Any]  # (index, column, check, failure case)


def _check_name(check: pa.Check) -> str:
    """The name pandera gives a failed check: its error text, else its name."""
    if check.error is not None:
        return str(check.error)
    return check.name if check.name is not None else str(check)


def _run_check(check: pa.Check, frame: pd.DataFrame, column: str | None = None) -> Any:
    """The values that fail ``check`` (a Series or frame by row), or None. A check that
    raises yields nothing, as in pandera, which reports it without a row."""
    try:
        result = check(frame, column) if column is not None else check(frame)
    except Exception:
        return None
    if result.check_passed or result.failure_cases is None:
        return None
    return result.failure_cases


def _frame_cases(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> Iterator[Case]:
    """The compound key, then the row rules (the model's frame-level checks)."""
    key = [column for column in (schema.unique or []) if column in frame]
    if key:
        duplicates = frame.duplicated(subset=key, keep=False)
        if duplicates.any():
            failing = frame.loc[duplicates, key]
            for column in key:
                for index, value in failing[column].dropna().items():
                    yield index, column, "multiple_fields_uniqueness", value
    for check in schema.checks:
        failing = _run_check(check, frame)
        if failing is not None:
            for index in failing.index:
                yield index, None, _check_name(check), None


def _column_cases(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> Iterator[Case]:
    """Each column's required, unique and declared checks, in the model's order."""
    for name, column in schema.columns.items():
        series = frame[name]
        missing = series.isna()
        if not column.nullable and missing.any():
            for index, value in series[missing].items():
                yield index, name, "not_nullable", value
        if column.unique and not series.is_unique:
            for index, value in series[series.duplicated(keep=False)].dropna().items():
                yield index, name, "field_uniqueness", value
        for check in column.checks:
            failing = _run_check(check, frame, name)
            if failing is None:
                continue
            if check.ignore_na:
                failing = failing.dropna()
            for index, value in failing.items():
                yield index, name, _check_name(check), value


def _failure_cases(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> Iterator[Case]:
    """Every failure of the model's checks, in the order pandera reports them (frame-level
    failures first). Each check is pandera's own, called directly: pandera's error reports
    cost about 4 ms per failing check, most of the time of a package with many problems.

    Dtypes are not checked here: ``typed_frame`` makes them from the column types, whatever
    the data, and a test holds them equal to the model's (test_rule_inventory).
    """
    yield from _frame_cases(schema, frame)
    yield from _column_cases(schema, frame)


def _duplicate_fix(
    raw: pd.DataFrame, lines: np.ndarray, column: str, value: object, position: int
) -> str:
    matches = np.flatnonzero(raw[column].to_numpy() == value)
    others = [int(lines[i]) for i in matches if i != position]
    return f"{show_value(value)} also stands on line(s) {', '.join(map(str, others[:5]))}"


@dataclass
class RowResult:
    typed: pd.DataFrame
    problems: list[Problem]
    missing_cells: set[tuple[int, str]]  # (row, column) cells that failed pass 1: missing in typed


def check_rows(
    table: TableSpec,
    raw: pd.DataFrame,
    lines: np.ndarray,
    pass_one_failures: Iterable[TextFailure] | None = None,
) -> RowResult:
    """Run both passes; return the typed frame and every problem found.

    ``lines`` holds the CSV line of each row of ``raw``, by position; ``raw`` may be any subset
    of a table's rows (its index labels are the rows' numbers in the whole table).
    ``pass_one_failures``: pass 1's failures when the caller found them for many tables at once.
    """
    file = table.path
    position = pd.Series(np.arange(len(raw)), index=raw.index)

    def line(row: int) -> int:
        return int(lines[position[row]])

    problems: list[Problem] = []
    bad_cells: set[tuple[int, str]] = set()

    if pass_one_failures is None:
        pass_one_failures = table_text_failures(table, raw)
    for row, column, text_rule, value in pass_one_failures:
        bad_cells.add((row, column))
        message, fix = _raw_message(text_rule, value)
        problems.append(Problem(file, line(row), column, text_rule, message, fix))

    typed = typed_frame(table, raw, bad_cells)
    missing_cells = set(bad_cells)
    reported_rules: set[tuple[int, str]] = set()
    for index, case_column, case_check, failure_case in _failure_cases(table.schema, typed):
        row, check = int(index), case_check
        if check in ROW_RULES:
            if (row, check) in reported_rules:
                continue
            reported_rules.add((row, check))
            rule = ROW_RULES[check]
            if any((row, c) in bad_cells for c in rule.reads):
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
        written = raw.at[index, column] if column in raw.columns else None
        message, fix = _column_fix(table, column, check, failure_case, written)
        if check == "field_uniqueness":
            others = _duplicate_fix(raw, lines, column, failure_case, position[row])
            message = f"duplicate key: {others}"
        problems.append(Problem(file, line(row), column, check, message, fix))
        bad_cells.add((row, column))
    return RowResult(typed, problems, missing_cells)
