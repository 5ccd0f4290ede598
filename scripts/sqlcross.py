"""The DuckDB engine, step 5: the rules across tables (foreign keys, citations, field-level
provenance) as anti-joins over the loaded text tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pandas as pd

from .crosstable import (
    SUGGESTION_LIMIT,
    aggregator_only_problem,
    dangling_problem,
    first_hand_problem,
    keyed_tables_complete,
    provenance_problem,
    referencing_keys,
    skipped_problems,
    uncited_problem,
    unknown_record_problem,
    unreferenced_problem,
)
from .problems import Problem
from .schemas import (
    FIRST_HAND_COPIES,
    NEVER_SOLE_SUPPORT,
    TABLES,
    UNSTATED_VALUES,
    ForeignKey,
    TableSpec,
)
from .sqlcheck import SqlTable
from .sqlload import raw_table
from .sqltext import quote_literal, sql_list


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


def missing_items_sql(checks: list[tuple[str, str]]) -> str:
    """(check, row, item) of every item that is not among its keys, for each (items, keys)
    pair of SQL, in file order. All in one statement: on a small package the cost of a
    statement is planning it, and DuckDB runs the branches of one UNION ALL together."""
    union = " UNION ALL ".join(
        f"SELECT {number} AS _check, _row, item FROM ({items}) WHERE item NOT IN ({keys})"
        for number, (items, keys) in enumerate(checks)
    )
    return f"{union} ORDER BY _check, _row"


def _missing_items(
    con: duckdb.DuckDBPyConnection, checks: list[tuple[str, str]]
) -> list[list[tuple[int, str]]]:
    """For each (items, keys) pair of SQL: (row, item) of every item not among the keys."""
    if not checks:
        return []
    found: list[list[tuple[int, str]]] = [[] for _ in checks]
    for number, row, item in con.execute(missing_items_sql(checks)).fetchall():
        found[number].append((row, item))
    return found


@dataclass(frozen=True)
class CrossCheck:
    """One rule across tables as SQL: the items of ``table`` that must be among the keys.
    ``kind`` says which problem a missing item is; ``detail`` is its foreign key or column."""

    table: str
    items: str
    keys: str
    kind: str  # dangling, uncited, unreferenced or unknown_record
    detail: ForeignKey | str | None = None

    @property
    def suggests(self) -> bool:  # whether the message lists the keys a value could have been
        return self.kind in ("dangling", "unknown_record")


def cross_checks(present: dict[str, TableSpec], bad: set[tuple[str, str]]) -> list[CrossCheck]:
    """Every rule across the tables ``present`` (by name, in TABLES order) as SQL; ``bad``
    names the (table, column) pairs that have failed cells."""
    every_key = " UNION ALL ".join(
        _keys_sql(other.name, other.primary_key[0], bad)
        for other in TABLES
        if len(other.primary_key) == 1 and other.name in present
    )
    check_records = keyed_tables_complete(present)
    checks: list[CrossCheck] = []
    for name, table in present.items():
        for key in table.foreign_keys:
            if key.resource in present:
                items = _items_sql(name, key.fields, key.list_separator, bad)
                keys = _keys_sql(key.resource, key.reference_fields, bad)
                checks.append(CrossCheck(name, items, keys, "dangling", key))
        citation = table.cited_in
        if citation and citation.resource in present:
            items = _items_sql(name, table.primary_key[0], None, bad)
            keys = _keys_sql(citation.resource, citation.field, bad)
            checks.append(CrossCheck(name, items, keys, "uncited"))
        referenced_by = referencing_keys(table) if table.referenced else []
        if referenced_by and all(other.name in present for other, _ in referenced_by):
            used = " UNION ALL ".join(
                f"SELECT item AS key FROM ({_items_sql(o.name, k.fields, k.list_separator, bad)})"
                for o, k in referenced_by
            )
            items = _items_sql(name, table.primary_key[0], None, bad)
            checks.append(CrossCheck(name, items, used, "unreferenced"))
        for column in table.any_record_fields if check_records else ():
            items = _items_sql(name, column, ";", bad)
            checks.append(CrossCheck(name, items, every_key, "unknown_record", column))
    return checks


def cross_table_sql(con: duckdb.DuckDBPyConnection, states: dict[str, SqlTable]) -> list[Problem]:
    problems: list[Problem] = skipped_problems(t.name for t in TABLES if t.name not in states)
    _bad_rows_table(con, states)
    bad = {(name, column) for name, state in states.items() for _, column in state.bad_cells}
    checks = cross_checks({name: state.table for name, state in states.items()}, bad)
    found = _missing_items(con, [(check.items, check.keys) for check in checks])
    for check, missing in zip(checks, found, strict=True):
        known = _small_key_list(con, check.keys) if missing and check.suggests else None
        state = states[check.table]
        problems += [_problem(check, state, row, item, known) for row, item in missing]
    return problems + _provenance_sql(con, states)


def _problem(
    check: CrossCheck, state: SqlTable, row: int, item: str, known: list[str] | None
) -> Problem:
    line = state.line(row)
    if check.kind == "dangling":
        assert isinstance(check.detail, ForeignKey)
        return dangling_problem(state.table, line, check.detail, item, known)
    if check.kind == "uncited":
        return uncited_problem(state.table, line, item)
    if check.kind == "unreferenced":
        return unreferenced_problem(state.table, line, item)
    assert isinstance(check.detail, str)
    return unknown_record_problem(state.table, line, check.detail, item, known)


def provenance_tables(present: Iterable[str]) -> list[TableSpec]:
    """The tables ``present`` whose citations say which fields they support, with their
    citations present too."""
    names = set(present)
    return [
        table
        for table in TABLES
        if table.cited_in is not None
        and table.cited_in.supports is not None
        and table.name in names
        and table.cited_in.resource in names
    ]


def provenance_sql(tables: list[TableSpec], bad: set[tuple[str, str]], quality: bool) -> str:
    """The gaps of every table in ``tables`` (see _provenance_gaps_sql), numbered by table:
    one statement for all, as for the anti-joins, since planning is the cost."""
    return " UNION ALL ".join(
        f"SELECT {number} AS _table, * FROM ({_provenance_gaps_sql(table, bad, quality)})"
        for number, table in enumerate(tables)
    )


def _provenance_sql(con: duckdb.DuckDBPyConnection, states: dict[str, SqlTable]) -> list[Problem]:
    """Field-level provenance and source quality in SQL: the same rules and messages as
    ``crosstable.provenance_problems`` (the differential tests hold them equal).

    Each field of a record is a bit: one pass over the citations ORs together, per record, the
    bits its sources state (and those that non-aggregator sources state), one pass over the
    records compares them with the bits of its filled fields. Only records with a gap come
    back to Python."""
    bad = {(name, column) for name, state in states.items() for _, column in state.bad_cells}
    quality = "sources" in states
    tables = provenance_tables(states)
    if not tables:
        return []
    union = provenance_sql(tables, bad, quality)
    problems: list[Problem] = []
    for number, row, value, filled, support, strong, first_hand in con.execute(union).fetchall():
        table = tables[number]
        state = states[table.name]
        failed = state.bad_cells
        if (row, table.primary_key[0]) in failed:
            continue
        line = state.line(row)
        for bit, column in enumerate(table.fact_fields):
            if not filled >> bit & 1 or (row, column) in failed:
                continue
            if not support >> bit & 1:
                problems.append(provenance_problem(table, line, column))
            elif quality and not strong >> bit & 1:
                problems.append(aggregator_only_problem(table, line, column))
        if quality and not first_hand:
            problems.append(first_hand_problem(table, line, value))
    return problems


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
    unstated = sql_list(UNSTATED_VALUES)
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
                   bit_or(CASE WHEN coalesce(k.copy_kind NOT IN ({sql_list(NEVER_SOLE_SUPPORT)}),
                                             true)
                               THEN coalesce({stated}, 0) ELSE 0 END) AS strong,
                   bool_or(coalesce(k.copy_kind IN ({sql_list(FIRST_HAND_COPIES)}), false))
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
