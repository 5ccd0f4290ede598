"""The fast path: the same rules, run where the data is large.

DuckDB loads each clean CSV as text and runs one scan per table with a *prefilter* compiled from
the pandera model: every column check, every row rule and every key, as SQL that flags any row
that could fail. Only the flagged rows go through the pandera model itself (``check_rows``), so
pandera stays the authority on what is wrong and what the message says; the SQL only has to be a
superset, and a differential test runs both engines on every fixture. Rules across tables run as
anti-joins. A file with any file-level problem goes the pandas way, which reports it in full.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .agreements import RuleInput, agreement_problems, clean_tables, frame_input
from .crosstable import (
    SUGGESTION_LIMIT,
    aggregator_only_problem,
    dangling_problem,
    first_hand_problem,
    keyed_tables_complete,
    provenance_problem,
    skipped_problems,
    uncited_problem,
    unknown_record_problem,
)
from .csvfile import BOM, no_rows_problem, record_lines
from .csvfile import read_csv as read_csv_pandas
from .ddl import check_condition, quote_literal
from .problems import Problem
from .rowchecks import MISSING_TOKENS, TYPE_PATTERNS, RowResult, check_rows
from .schemas import (
    FIRST_HAND_COPIES,
    NEVER_SOLE_SUPPORT,
    ROW_RULES,
    TABLES,
    UNSTATED_VALUES,
    TableSpec,
)

CHUNK = 1 << 23
# C0 control characters other than LF (and CR, which has its own rule), and DEL: a file holding
# one goes the pandas way, which names the cell.
CONTROL_BYTES = bytes([*range(0x00, 0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def has_control_byte(chunk: bytes) -> bool:
    # deleting the few bytes of a set is twice as fast as a regular-expression search
    return len(chunk.translate(None, CONTROL_BYTES)) != len(chunk)


def raw_table(name: str) -> str:
    return f"raw_{name}"


@dataclass
class FileScan:
    """What a streaming pass over the bytes found; ``clean`` files can go to DuckDB."""

    clean: bool
    newlines: int = 0
    ends_with_newline: bool = True
    trailing_comma: bool = False  # a line ends in ',' (DuckDB reads 'a,b,c,' as 3 fields)


def scan_file(path: Path, expected: list[str]) -> FileScan:
    """Stream the file once: UTF-8, no BOM, no CR, no blank line, the exact header."""
    if not path.is_file():
        return FileScan(False)
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines, quotes, previous, first, trailing = 0, 0, b"", True, False
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            if first:
                header = chunk.split(b"\n", 1)[0]
                if chunk.startswith(BOM) or header.decode("utf-8", "replace") != ",".join(expected):
                    return FileScan(False)
                first = False
            try:
                if not chunk.isascii():
                    decoder.decode(chunk)
            except UnicodeDecodeError:
                return FileScan(False)
            blank_at_seam = previous.endswith(b"\n") and chunk.startswith(b"\n")
            if b"\r" in chunk or b"\n\n" in chunk or blank_at_seam or has_control_byte(chunk):
                return FileScan(False)
            newlines += chunk.count(b"\n")
            quotes += chunk.count(b'"')
            trailing = (
                trailing or b",\n" in chunk or (previous.endswith(b",") and chunk.startswith(b"\n"))
            )
            previous = chunk
    if first or not previous or quotes % 2:
        return FileScan(False)
    trailing = trailing or previous.endswith(b",")
    return FileScan(True, newlines, previous.endswith(b"\n"), trailing)


def same_width(path: Path, expected: list[str]) -> bool:
    """Every record has exactly the header's number of fields. DuckDB accepts one extra empty
    field at the end of a line (',4,5,' read as 3 fields, shifting every value), so files with
    lines ending in a comma are parsed once more, by pyarrow, which counts strictly; streamed
    batch by batch, so memory stays flat."""
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=expected, skip_rows=1, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(expected, pa.string())),
        )
        for _ in reader:
            pass
    except pa.ArrowInvalid:
        return False
    return True


def load_raw(con: duckdb.DuckDBPyConnection, table: TableSpec, path: Path) -> bool:
    columns = ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in table.columns)
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {raw_table(table.name)} AS SELECT * FROM read_csv("
            f"{quote_literal(path.as_posix())}, header = true, auto_detect = false, "
            f"delim = ',', quote = '\"', escape = '\"', nullstr = '', strict_mode = true, "
            f"null_padding = false, columns = {{{columns}}})"
        )
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except duckdb.Error:
        return False  # ragged rows, bad quoting: the pandas way reports them line by line
    every_cell_empty = " AND ".join(f'"{c}" IS NULL' for c in table.columns)
    blank = con.execute(f"SELECT count(*) FROM {raw_table(table.name)} WHERE {every_cell_empty}")
    return blank.fetchall()[0][0] == 0  # a row of empty cells: the pandas way reports it


# --- the prefilter, compiled from the pandera model ----------------------------------------------

# A cell whose first or last character is outside these sets, or that holds a line break, may
# break a text rule (padding, formula start, line break) and goes to pandera for the verdict.
SAFE_EDGES = r"""^[^0-9A-Za-z"'(]|[^0-9A-Za-z.)"'%?!/\]]$|[\x00-\x1f\x7f]"""


def _hygiene_flag(column: str) -> str:
    """Superset of the text rules: padding, placeholders, line breaks, formula starts."""
    tokens = _sql_list(MISSING_TOKENS)
    longest = max(len(t.encode()) for t in MISSING_TOKENS)
    return (
        f"((strlen({column}) <= {longest} AND {column} IN ({tokens})) "
        f"OR regexp_matches({column}, {quote_literal(SAFE_EDGES)}))"
    )


def _type_flag(column: str, kind: str) -> str | None:
    if kind == "string":
        return None
    if kind == "boolean":
        return f"{column} NOT IN ('true', 'false')"
    pattern = quote_literal(TYPE_PATTERNS[kind])
    flag = f"NOT regexp_matches({column}, {pattern})"
    if kind == "date":
        flag += f" OR try_strptime({column}, '%Y-%m-%d') IS NULL"
    return flag


def typed_expression(column: str, kind: str) -> str:
    return {
        "integer": f"TRY_CAST({column} AS BIGINT)",
        "number": f"TRY_CAST({column} AS DOUBLE)",
        "date": f"CAST(try_strptime({column}, '%Y-%m-%d') AS DATE)",
        "boolean": f"CASE {column} WHEN 'true' THEN true WHEN 'false' THEN false END",
    }.get(kind, column)


def prefilter_sql(table: TableSpec) -> str:
    """Row numbers of every row that any rule of the table could fail."""
    schema = table.schema
    raw_flags, typed_columns, typed_flags = [], [], []
    for name, column in schema.columns.items():
        kind = column.metadata["type"]
        quoted = f'r."{name}"'
        flags = [_hygiene_flag(quoted)] + [f for f in [_type_flag(quoted, kind)] if f]
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


# --- running it ----------------------------------------------------------------------------------


@dataclass
class SqlTable:
    table: TableSpec
    rows: int
    lines: np.ndarray | None  # None: line = row + 2
    bad_cells: set[tuple[int, str]] = field(default_factory=set)

    def line(self, row: int) -> int:
        return int(self.lines[row]) if self.lines is not None else row + 2

    def lines_of(self, rows: list[int]) -> np.ndarray:
        return np.asarray([self.line(r) for r in rows])


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read from DuckDB as pandas strings, missing cells kept missing."""
    return frame.astype("str").where(frame.notna())


def _record_starts(path: Path) -> np.ndarray:
    starts, _, _ = record_lines(path.read_text(encoding="utf-8"))
    return np.asarray(starts)


def check_table_sql(
    con: duckdb.DuckDBPyConnection, table: TableSpec, path: Path, scan: FileScan
) -> tuple[SqlTable, list[Problem]]:
    rows = con.execute(f"SELECT count(*) FROM {raw_table(table.name)}").fetchall()[0][0]
    records = scan.newlines - (0 if scan.ends_with_newline else -1)
    lines = None if records == rows + 1 else _record_starts(path)  # quoted line breaks
    state = SqlTable(table, rows, lines)
    problems: list[Problem] = []
    if rows == 0:
        problems.append(no_rows_problem(table.path))
    flagged = con.execute(
        f"SELECT r.rowid AS _row, r.* FROM {raw_table(table.name)} r "
        f"WHERE r.rowid IN ({prefilter_sql(table)}) ORDER BY _row"
    ).df()
    if len(flagged):
        subset = _as_text(flagged.set_index("_row"))
        subset.index = subset.index.astype(int)
        subset.index.name = None
        result: RowResult = check_rows(
            table, subset[table.columns], state.lines_of(subset.index.tolist())
        )
        problems += result.problems
        state.bad_cells = result.missing_cells
    return state, problems


def _bad_rows_table(con: duckdb.DuckDBPyConnection, states: dict[str, SqlTable]) -> None:
    bad = pd.DataFrame(
        [(name, column, row) for name, state in states.items() for row, column in state.bad_cells],
        columns=["tbl", "col", "row"],
    ).astype({"row": "int64"})
    con.register("bad_cells_frame", bad)
    con.execute("CREATE OR REPLACE TEMP TABLE bad_cells AS SELECT * FROM bad_cells_frame")
    con.unregister("bad_cells_frame")


def _good(table: str, column: str, alias: str, bad: set[tuple[str, str]]) -> str:
    """SQL: the cell passed the row checks (a failed cell counts as missing, as in pandas).

    ``bad`` names the (table, column) pairs that have failed cells at all.
    """
    if (table, column) not in bad:
        return "true"
    return (
        f"NOT EXISTS (SELECT 1 FROM bad_cells b WHERE b.tbl = '{table}' AND "
        f"b.col = '{column}' AND b.row = {alias}.rowid)"
    )


def _items_sql(table: str, column: str, separator: str | None, bad) -> str:
    item = f"unnest(string_split(c.{column}, '{separator}'))" if separator else f"c.{column}"
    return (
        f"SELECT c.rowid AS _row, {item} AS item FROM {raw_table(table)} c "
        f"WHERE c.{column} IS NOT NULL AND {_good(table, column, 'c', bad)}"
    )


def _keys_sql(table: str, column: str, bad) -> str:
    return (
        f"SELECT p.{column} AS key FROM {raw_table(table)} p "
        f"WHERE p.{column} IS NOT NULL AND {_good(table, column, 'p', bad)}"
    )


def _small_key_list(con, keys_sql: str) -> list[str] | None:
    count = con.execute(f"SELECT count(*) FROM ({keys_sql})").fetchone()[0]
    if count > SUGGESTION_LIMIT:
        return None
    return [row[0] for row in con.execute(keys_sql).fetchall()]


def _missing_items(con: duckdb.DuckDBPyConnection, items_sql: str, keys_sql: str) -> list:
    """(row, item) of every item that is not among the keys, in file order."""
    return con.execute(
        f"SELECT _row, item FROM ({items_sql}) WHERE item NOT IN ({keys_sql}) ORDER BY _row"
    ).fetchall()


def cross_table_sql(con: duckdb.DuckDBPyConnection, states: dict[str, SqlTable]) -> list[Problem]:
    problems: list[Problem] = skipped_problems(t.name for t in TABLES if t.name not in states)
    _bad_rows_table(con, states)
    bad = {(name, column) for name, state in states.items() for _, column in state.bad_cells}
    every_key = " UNION ALL ".join(
        _keys_sql(other.name, other.primary_key[0], bad)
        for other in TABLES
        if len(other.primary_key) == 1 and other.name in states
    )
    check_records = keyed_tables_complete(states)
    for name, state in states.items():
        table = state.table
        for key in table.foreign_keys:
            if key.resource in states:
                keys = _keys_sql(key.resource, key.reference_fields, bad)
                found = _missing_items(
                    con, _items_sql(name, key.fields, key.list_separator, bad), keys
                )
                known = _small_key_list(con, keys) if found else None
                problems += [
                    dangling_problem(table, state.line(row), key, item, known)
                    for row, item in found
                ]
        citation = table.cited_in
        if citation and citation.resource in states:
            found = _missing_items(
                con,
                _items_sql(name, table.primary_key[0], None, bad),
                _keys_sql(citation.resource, citation.field, bad),
            )
            problems += [uncited_problem(table, state.line(row), item) for row, item in found]
        for column in table.any_record_fields if check_records else ():
            found = _missing_items(con, _items_sql(name, column, ";", bad), every_key)
            known = _small_key_list(con, every_key) if found else None
            problems += [
                unknown_record_problem(table, state.line(row), column, item, known)
                for row, item in found
            ]
    return problems + _provenance_sql(con, states)


def _provenance_sql(con: duckdb.DuckDBPyConnection, states: dict[str, SqlTable]) -> list[Problem]:
    """Field-level provenance and source quality in SQL: the same rules and messages as
    ``crosstable.provenance_problems`` (the differential tests hold them equal).

    Each field of a record is a bit: one pass over the citations ORs together, per record, the
    bits its sources state (and those that non-aggregator sources state), one pass over the
    records compares them with the bits of its filled fields. Only records with a gap come
    back to Python."""
    bad = {(name, column) for name, state in states.items() for _, column in state.bad_cells}
    quality = "sources" in states
    problems: list[Problem] = []
    for table in TABLES:
        citation = table.cited_in
        if (
            citation is None
            or citation.supports is None
            or table.name not in states
            or citation.resource not in states
        ):
            continue
        state = states[table.name]
        failed = {(row, column) for row, column in state.bad_cells}
        key = table.primary_key[0]
        fields = table.fact_fields
        for row, value, filled, support, strong, first_hand in con.execute(
            _provenance_gaps_sql(table, bad, quality)
        ).fetchall():
            if (row, key) in failed:
                continue
            line = state.line(row)
            for bit, column in enumerate(fields):
                if not filled >> bit & 1 or (row, column) in failed:
                    continue
                if not support >> bit & 1:
                    problems.append(provenance_problem(table, line, column))
                elif quality and not strong >> bit & 1:
                    problems.append(aggregator_only_problem(table, line, column))
            if quality and not first_hand:
                problems.append(first_hand_problem(table, line, value))
    return problems


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(quote_literal(v) for v in values)


def _provenance_gaps_sql(table: TableSpec, bad: set[tuple[str, str]], quality: bool) -> str:
    """(row, key, filled, support, strong, first_hand) of every cited record with a filled
    field no citation states, or (with ``quality``) one only aggregators state, or no
    citation of an original or wire copy; the middle four are bit masks over fact_fields."""
    citation = table.cited_in
    assert citation is not None and citation.supports is not None
    link, key = citation.resource, table.primary_key[0]
    fields = table.fact_fields
    stated = " + ".join(
        f"CASE WHEN list_contains(items, {quote_literal(f)}) THEN {1 << i} ELSE 0 END"
        for i, f in enumerate(fields)
    )
    unstated = _sql_list(UNSTATED_VALUES)
    filled = " + ".join(
        f'CASE WHEN r."{f}" IS NOT NULL AND r."{f}" NOT IN ({unstated}) THEN {1 << i} ELSE 0 END'
        for i, f in enumerate(fields)
    )
    if quality:
        kinds = (
            f"SELECT s.source_id, s.copy_kind FROM {raw_table('sources')} s WHERE "
            f"{_good('sources', 'source_id', 's', bad)} AND "
            f"{_good('sources', 'copy_kind', 's', bad)}"
        )
    else:
        kinds = "SELECT NULL::VARCHAR AS source_id, NULL::VARCHAR AS copy_kind WHERE false"
    gaps = "(filled & ~support) <> 0"
    if quality:
        gaps += " OR (filled & support & ~strong) <> 0 OR NOT first_hand"
    return f"""
        WITH kinds AS ({kinds}),
        links AS (
            SELECT l.{citation.field} AS key, l.source_id,
                   CASE WHEN {_good(link, citation.supports, "l", bad)}
                        THEN string_split(l.{citation.supports}, ';') END AS items
            FROM {raw_table(link)} l
            WHERE l.{citation.field} IS NOT NULL AND l.source_id IS NOT NULL
              AND {_good(link, citation.field, "l", bad)} AND {_good(link, "source_id", "l", bad)}),
        cited AS (
            SELECT l.key,
                   bit_or(coalesce({stated}, 0)) AS support,
                   bit_or(CASE WHEN coalesce(k.copy_kind NOT IN ({_sql_list(NEVER_SOLE_SUPPORT)}),
                                             true)
                               THEN coalesce({stated}, 0) ELSE 0 END) AS strong,
                   bool_or(coalesce(k.copy_kind IN ({_sql_list(FIRST_HAND_COPIES)}), false))
                       AS first_hand
            FROM links l LEFT JOIN kinds k ON k.source_id = l.source_id
            GROUP BY l.key),
        records AS (
            SELECT r.rowid AS _row, r."{key}" AS key, ({filled})::BIGINT AS filled
            FROM {raw_table(table.name)} r WHERE r."{key}" IS NOT NULL)
        SELECT r._row, r.key, r.filled, c.support, c.strong, c.first_hand
        FROM records r JOIN cited c ON c.key = r.key
        WHERE {gaps}
        """


def validate_sql(package, con: duckdb.DuckDBPyConnection) -> tuple[list[Problem], dict[str, int]]:
    """Validate every table; clean files in DuckDB, the rest the pandas way.

    Returns the problems and the rows per table; the text tables stay in ``con`` for the build.
    """
    from .crosstable import cross_table_problems

    problems: list[Problem] = []
    states: dict[str, SqlTable] = {}
    rows: dict[str, int] = {}
    fallback: dict[str, pd.DataFrame] = {}
    fallback_lines: dict[str, np.ndarray] = {}
    for table in TABLES:
        path = package.table_path(table.name)
        file = table.path  # validate.relocate() names the descriptor's path
        scan = scan_file(path, table.columns)
        if (
            scan.clean
            and (not scan.trailing_comma or same_width(path, table.columns))
            and load_raw(con, table, path)
        ):
            state, found = check_table_sql(con, table, path, scan)
            states[table.name] = state
            rows[table.name] = state.rows
            problems += found
            continue
        raw = read_csv_pandas(path, file, table.columns)
        problems += raw.problems
        if raw.frame is not None and raw.lines is not None:  # readable
            result = check_rows(table, raw.frame, raw.lines)
            problems += result.problems
            fallback[table.name] = result.typed
            fallback_lines[table.name] = raw.lines
            rows[table.name] = len(result.typed)
    if fallback:
        # a table that went the pandas way is checked against the others in pandas too
        frames = dict(fallback)
        lines = dict(fallback_lines)
        for name, state in states.items():
            frames[name] = _typed_frame(con, state)
            lines[name] = np.asarray([state.line(r) for r in range(state.rows)])
        problems += cross_table_problems(frames, lines)
    else:
        problems += cross_table_sql(con, states)
    problems += agreement_problems(
        con,
        lambda name: _sql_input(con, states, fallback, fallback_lines, name),
        clean_tables(problems),
    )
    return problems, rows


def _sql_input(
    con: duckdb.DuckDBPyConnection,
    states: dict[str, SqlTable],
    fallback: dict[str, pd.DataFrame],
    fallback_lines: dict[str, np.ndarray],
    name: str,
) -> RuleInput | None:
    """A table for the agreement rules: a typed view over the text table in DuckDB, or the
    pandas fallback's frame."""
    if name in states:
        state = states[name]
        select = typed_select(state.table).replace(
            "SELECT ", "SELECT (row_number() OVER (ORDER BY rowid) - 1) AS _row, ", 1
        )
        return select, state.line
    if name in fallback:
        return frame_input(fallback[name], fallback_lines[name])
    return None


def _typed_frame(con: duckdb.DuckDBPyConnection, state: SqlTable) -> pd.DataFrame:
    """A table as strings with failed cells missing: enough for the rules across tables."""
    frame = _as_text(
        con.execute(f"SELECT * FROM {raw_table(state.table.name)} ORDER BY rowid").df()
    )
    for row, column in state.bad_cells:
        frame.at[row, column] = None
    return frame


def typed_select(table: TableSpec, catalog: str = "memory.main") -> str:
    """SELECT that turns a validated text table into the model's types (for the build)."""
    columns = ", ".join(
        f'{typed_expression(name, column.metadata["type"])} AS "{name}"'
        for name, column in table.schema.columns.items()
    )
    return f"SELECT {columns} FROM {catalog}.{raw_table(table.name)} ORDER BY rowid"
