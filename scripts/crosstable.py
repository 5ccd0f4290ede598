"""Rules across tables: foreign keys, citations, and references to records of any table."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .problems import Problem, show_value
from .rowchecks import UNIT_SEPARATOR
from .schemas import (
    FIRST_HAND_COPIES,
    NEVER_SOLE_SUPPORT,
    TABLES,
    TABLES_BY_NAME,
    UNSTATED_VALUES,
    ForeignKey,
    TableSpec,
)


def _items(series: pd.Series, separator: str | None) -> pd.Series:
    """Non-missing values of a column, one per item for ';'-list columns (index kept)."""
    values = series.dropna()
    if separator:
        values = values.str.split(separator).explode()
    return values


def member(values: pd.Series, allowed: pd.Series | pd.Index) -> np.ndarray:
    """Which values are in ``allowed``: a hash lookup in Arrow (pandas' isin on Arrow strings
    loops in Python)."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    value_set = pa.array(pd.Series(allowed, dtype="str").dropna().unique(), type=pa.string())
    found = pc.is_in(pa.array(values.astype("str"), type=pa.string()), value_set=value_set)
    return found.to_numpy(zero_copy_only=False)


# Every rule across tables, by the name its problems carry (a test holds a failing fixture for
# each; "skipped" is a note, not a rule).
CROSS_TABLE_RULES = (
    "foreign-key",
    "uncited",
    "record-reference",
    "provenance",
    "aggregator-only",
    "first-hand",
    "unreferenced",
)

SUGGESTION_LIMIT = 5000  # suggestions are for people editing small tables


def _nearest(value: str, keys: pd.Index | list[str] | None) -> str:
    if keys is None or len(keys) > SUGGESTION_LIMIT:
        return ""
    match = difflib.get_close_matches(value, list(keys), n=1, cutoff=0.75)
    return f"did you mean {match[0]!r}? " if match else ""


def dangling_problem(
    table: TableSpec, line: int, key: ForeignKey, value: str, known: pd.Index | list[str] | None
) -> Problem:
    parent_file = f"data/{key.resource}.csv"
    return Problem(
        table.path,
        line,
        key.fields,
        "foreign-key",
        f"{show_value(value)} is not a {key.reference_fields} in {parent_file}",
        f"{_nearest(value, known)}add it to {parent_file} first, or correct the ID",
    )


def uncited_problem(table: TableSpec, line: int, value: str) -> Problem:
    assert table.cited_in is not None, "only a table with citations has uncited records"
    return Problem(
        table.path,
        line,
        table.primary_key[0],
        "uncited",
        f"{show_value(value)} cites no source",
        f"add a row to data/{table.cited_in.resource}.csv linking it to a source you read",
    )


def unreferenced_problem(table: TableSpec, line: int, value: str) -> Problem:
    return Problem(
        table.path,
        line,
        table.primary_key[0],
        "unreferenced",
        f"{show_value(value)} is cited by no record",
        "cite it from the record it supports, or remove the row and add its ID to "
        "data/retired_ids.csv",
    )


def referencing_keys(table: TableSpec) -> list[tuple[TableSpec, ForeignKey]]:
    """The foreign keys of other tables that point at ``table``."""
    return [
        (other, key)
        for other in TABLES
        if other.name != table.name
        for key in other.foreign_keys
        if key.resource == table.name
    ]


def unknown_record_problem(
    table: TableSpec, line: int, column: str, value: str, known: pd.Index | list[str] | None
) -> Problem:
    return Problem(
        table.path,
        line,
        column,
        "record-reference",
        f"{show_value(value)} is not the ID of any record in the package",
        f"{_nearest(value, known)}add the record first, or correct the ID",
    )


def foreign_key_problems(
    table: TableSpec, frames: dict[str, pd.DataFrame], lines: dict[str, np.ndarray]
) -> list[Problem]:
    problems = []
    child = frames[table.name]
    for key in table.foreign_keys:
        parent = frames.get(key.resource)
        if parent is None:
            continue  # the parent file is unreadable and already reported
        references = parent[key.reference_fields]
        items = _items(child[key.fields], key.list_separator)
        dangling = items[~member(items, references)]
        if dangling.empty:
            continue
        known = pd.Index(references.dropna().unique())  # for the suggestions
        problems += [
            dangling_problem(table, int(lines[table.name][cast(int, row)]), key, value, known)
            for row, value in dangling.items()
        ]
    return problems


def citation_problems(
    table: TableSpec, frames: dict[str, pd.DataFrame], lines: dict[str, np.ndarray]
) -> list[Problem]:
    citation = table.cited_in
    links = frames.get(citation.resource) if citation else None
    if citation is None or links is None:
        return []
    key = table.primary_key[0]
    records = frames[table.name][key]
    present = records.dropna()
    uncited = present[~member(present, links[citation.field])]
    return [
        uncited_problem(table, int(lines[table.name][cast(int, row)]), value)
        for row, value in uncited.items()
    ]


def unreferenced_problems(
    table: TableSpec, frames: dict[str, pd.DataFrame], lines: dict[str, np.ndarray]
) -> list[Problem]:
    """Keys of a table that must be referenced and that no other table references; checked
    only when every referencing table could be read."""
    keys = referencing_keys(table) if table.referenced else []
    if not keys or any(other.name not in frames for other, _ in keys):
        return []
    used = pd.concat(
        [_items(frames[other.name][key.fields], key.list_separator) for other, key in keys]
    )
    present = frames[table.name][table.primary_key[0]].dropna()
    unused = present[~member(present, used)]
    return [
        unreferenced_problem(table, int(lines[table.name][cast(int, row)]), value)
        for row, value in unused.items()
    ]


def keyed_tables_complete(present: Iterable[str]) -> bool:
    """Whether every table with a one-column key could be read: references to records of any
    table are only checked then (a missing table would make every reference to it look wrong)."""
    names = set(present)
    return all(t.name in names for t in TABLES if len(t.primary_key) == 1)


def dependents(name: str) -> list[str]:
    """Tables with a rule that reads table ``name``."""
    found = []
    for table in TABLES:
        refers = any(key.resource == name for key in table.foreign_keys)
        cited = table.cited_in is not None and table.cited_in.resource == name
        any_record = bool(table.any_record_fields) and len(TABLES_BY_NAME[name].primary_key) == 1
        referenced = table.referenced and any(
            other.name == name for other, _ in referencing_keys(table)
        )
        if table.name != name and (refers or cited or any_record or referenced):
            found.append(table.name)
    return found


def skipped_problems(unreadable: Iterable[str]) -> list[Problem]:
    """One note per unreadable table: the rules of other tables that read it were not run,
    so they report nothing, true or false."""
    problems = []
    for name in sorted(unreadable):
        others = dependents(name)
        if others:
            path = TABLES_BY_NAME[name].path
            problems.append(
                Problem(
                    path,
                    None,
                    None,
                    "skipped",
                    f"the file could not be read, so the references to it from "
                    f"{', '.join(others)} were not checked",
                    "fix this file first, then validate again",
                )
            )
    return problems


def record_reference_problems(
    table: TableSpec, frames: dict[str, pd.DataFrame], lines: dict[str, np.ndarray]
) -> list[Problem]:
    problems: list[Problem] = []
    if not table.any_record_fields or not keyed_tables_complete(frames):
        return problems
    known = pd.Index(
        pd.concat(
            [
                frames[other.name][other.primary_key[0]]
                for other in TABLES
                if len(other.primary_key) == 1 and other.name in frames
            ]
        )
        .dropna()
        .unique()
    )
    for column in table.any_record_fields:
        items = _items(frames[table.name][column], ";")
        problems += [
            unknown_record_problem(
                table, int(lines[table.name][cast(int, row)]), column, value, known
            )
            for row, value in items[~member(items, known)].items()
        ]
    return problems


def provenance_problem(table: TableSpec, line: int, field: str) -> Problem:
    citation = table.cited_in
    assert citation is not None
    return Problem(
        table.path,
        line,
        field,
        "provenance",
        f"{field} is stated by none of the record's citations",
        f"add {field} to the supports of the row in data/{citation.resource}.csv "
        "whose source states it, or leave the cell empty",
    )


def aggregator_only_problem(table: TableSpec, line: int, field: str) -> Problem:
    return Problem(
        table.path,
        line,
        field,
        "aggregator-only",
        f"{field} rests only on aggregator copies",
        "cite the originator's text or a wire copy that states it, or leave the cell empty",
    )


def first_hand_problem(table: TableSpec, line: int, value: str) -> Problem:
    citation = table.cited_in
    assert citation is not None
    return Problem(
        table.path,
        line,
        table.primary_key[0],
        "first-hand",
        f"{show_value(value)} cites no original or wire copy",
        "cite the originator's own text or a licensed wire copy (copy_kind "
        f"original or wire_copy in data/sources.csv) in data/{citation.resource}.csv",
    )


def _citation_facts(table: TableSpec, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per (citation, field it supports): key, field, and the source's copy_kind."""
    citation = table.cited_in
    assert citation is not None and citation.supports is not None
    links = frames[citation.resource]
    pairs = pd.DataFrame(
        {
            "key": links[citation.field].astype("string"),
            "source_id": links["source_id"].astype("string"),
            "field": links[citation.supports].astype("string").str.split(";"),
        }
    ).dropna(subset=["key", "source_id"])
    sources = frames.get("sources")
    kinds = (
        pd.Series(
            sources["copy_kind"].astype("string").to_numpy(),
            index=sources["source_id"].astype("string"),
        )
        if sources is not None
        else pd.Series(dtype="string")
    )
    kinds = kinds[~kinds.index.duplicated()]
    pairs["copy_kind"] = pairs["source_id"].map(kinds).astype("string")
    return pairs


def provenance_problems(
    table: TableSpec, frames: dict[str, pd.DataFrame], lines: dict[str, np.ndarray]
) -> list[Problem]:
    """Field-level provenance and source quality for a table whose citations say which fields
    each source supports:

    - every filled fact of a cited record is listed in the ``supports`` of one of its
      citations (an uncited record is reported as uncited, once);
    - not only by citations of aggregator copies;
    - and every cited record cites at least one original or wire copy.
    """
    citation = table.cited_in
    if citation is None or citation.supports is None or citation.resource not in frames:
        return []
    records = frames[table.name]
    row_line = lines[table.name]
    check_quality = "sources" in frames
    citations = _citation_facts(table, frames)
    keys = records[table.primary_key[0]].astype("string")
    cited = member(keys.fillna(""), citations["key"])
    pairs = citations.dropna(subset=["field"]).explode("field")
    fields = list(table.fact_fields)
    text = records[fields].astype("string")
    filled = (text.notna() & ~text.isin(UNSTATED_VALUES)).to_numpy() & cited[:, None]
    # every filled cell as "key<US>field", looked up at once among the citations' pairs
    field_of, row_of = np.nonzero(filled.T)  # by field, then by row, as problems are listed
    cells = pd.Series(keys.fillna("").to_numpy()[row_of], dtype="str") + UNIT_SEPARATOR
    cells += pd.Series(np.asarray(fields, dtype=object)[field_of], dtype="str")
    stated = pairs["key"] + UNIT_SEPARATOR + pairs["field"]
    supported = member(cells, stated)
    strong = (
        member(cells, stated[~pairs["copy_kind"].isin(NEVER_SOLE_SUPPORT)])
        if check_quality
        else supported
    )
    problems: list[Problem] = []
    for number, field in enumerate(fields):
        here = field_of == number
        rows = row_of[here]
        problems += [
            provenance_problem(table, int(row_line[row]), field) for row in rows[~supported[here]]
        ]
        problems += [
            aggregator_only_problem(table, int(row_line[row]), field)
            for row in rows[supported[here] & ~strong[here]]
        ]
    if check_quality:
        first_hand = citations.loc[citations["copy_kind"].isin(FIRST_HAND_COPIES), "key"]
        lacking = cited & ~member(keys.fillna(""), first_hand)
        problems += [
            first_hand_problem(table, int(row_line[row]), str(keys.iloc[row]))
            for row in np.flatnonzero(lacking)
        ]
    return problems


def cross_table_problems(
    frames: dict[str, pd.DataFrame], lines: dict[str, np.ndarray]
) -> list[Problem]:
    problems = skipped_problems(t.name for t in TABLES if t.name not in frames)
    for table in TABLES:
        if table.name not in frames:
            continue
        problems += foreign_key_problems(table, frames, lines)
        problems += citation_problems(table, frames, lines)
        problems += unreferenced_problems(table, frames, lines)
        problems += record_reference_problems(table, frames, lines)
        problems += provenance_problems(table, frames, lines)
    return problems
