"""Stable IDs: what a version of the package removed without a tombstone, and resolving a
retired ID to the ID that replaces it."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from .diff import PackageDiff, diff_sides, read_directory, read_side
from .problems import Problem, show_value
from .schemas import TABLES_BY_NAME, VOCABULARIES

RETIRED = "retired_ids"


def _retired(rows: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(row.get("table_name", ""), row.get("retired_id", "")) for row in rows}


def tombstone_problems(
    changes: PackageDiff, current_retired: list[dict[str, str]]
) -> list[Problem]:
    """IDs that ``changes`` removed with no tombstone, and tombstones it removed while their ID
    stayed away."""
    tombstones = _retired(current_retired)
    problems = []
    for name in VOCABULARIES["id_table"]:
        table = changes.table(name)
        if table is None:
            continue
        key = table.key_fields[0]
        for row in table.removed:
            if (name, row.get(key, "")) not in tombstones:
                problems.append(
                    Problem(
                        TABLES_BY_NAME[name].path,
                        None,
                        key,
                        "tombstone",
                        f"{show_value(row.get(key, ''))} was in {changes.base} and is gone with no "
                        "tombstone",
                        f"restore the record, or add a row to data/{RETIRED}.csv saying what "
                        "replaces it (if anything) and why",
                    )
                )
    retired_diff = changes.table(RETIRED)
    if retired_diff is not None:
        present = {
            (name, row.get(table.key_fields[0], ""))
            for name in VOCABULARIES["id_table"]
            if (table := changes.table(name)) is not None
            for row in table.added
        }
        for row in retired_diff.removed:
            pair = (row.get("table_name", ""), row.get("retired_id", ""))
            if pair not in present:
                problems.append(
                    Problem(
                        TABLES_BY_NAME[RETIRED].path,
                        None,
                        "retired_id",
                        "tombstone",
                        f"the tombstone of {show_value(pair[1])} ({pair[0]}) was removed since "
                        f"{changes.base}",
                        "tombstones stay: put the row back (only a restored record may lose its "
                        "tombstone)",
                    )
                )
    return problems


def check_against(
    package_root: Path, base: str, readable: Collection[str] | None = None
) -> list[Problem]:
    """Tombstone problems of the package on disk against ``base`` (a revision or directory).

    ``readable``: the tables validation could read. The others are reported already, and read
    here as text they would make every record look removed, so they are left out (all of them,
    when the tombstones themselves cannot be read)."""
    names = None if readable is None else tuple(readable)
    if names is not None and RETIRED not in names:
        return []
    head = read_directory(package_root, names)
    changes = diff_sides(read_side(package_root, base, names), head, base, "work tree")
    return tombstone_problems(changes, head.get(RETIRED, ([], []))[1])


def resolve(retired_rows: list[dict[str, str]], table: str, record_id: str) -> str | None:
    """The current ID a (possibly retired) ID stands for: itself when not retired, the end of
    its replacement chain when renamed, None when the record was withdrawn."""
    replaced = {
        row["retired_id"]: row.get("replaced_by") or None
        for row in retired_rows
        if row.get("table_name") == table
    }
    seen = set()
    current: str | None = record_id
    while current in replaced and current not in seen:
        seen.add(current)
        current = replaced[current]
    return current
