"""``validate`` for a package in which nothing is wrong, without pandas or pandera.

Importing pandas, pandera and pyarrow takes most of a ``dprk-data validate`` of the real
package. This module runs what the DuckDB engine runs when every file is clean and no rule finds
anything: the same byte scan and load (sqlscan, sqlload), then the statements of the plan
(plan.py: made by the engine's own SQL builders, ahead of time). It answers only "valid, with
these row counts", or None: at the first sign of anything (a file that is not clean, a table
that does not load or is empty, a flagged row, a row any rule returns, a stale descriptor or
dictionary, a plan made by other code) it stops, and the caller runs the full validation,
which says what is wrong. So it can make ``validate`` faster, never change its answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from . import clock
from .buildinfo import code_digest
from .cursors import in_two_threads
from .package import DICTIONARY, Package
from .sqlload import scan_and_load

PLAN_FILE = "validation_plan.json"  # beside this module; written by plan.py
# Above this much CSV the quick check is not tried: it saves about a second of imports, but on a
# package with a fault its loading and prefilter are done again by the engine (at 200k
# launches, 1.1M rows, about 3 s), so there it costs more than it saves.
QUICK_LIMIT = 16 << 20
# the day the not-in-future rule compares with, a token in the plan filled in when it runs
LATEST_DATE = "__LATEST_ALLOWED_DATE__"


@dataclass(frozen=True)
class PlannedTable:
    name: str
    columns: list[str]


def load_plan() -> dict[str, Any] | None:
    """The committed plan, or None when there is none or other code made it."""
    path = Path(__file__).parent / PLAN_FILE
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return plan if plan.get("code") == code_digest() else None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def descriptor_digest(descriptor: dict[str, Any]) -> str:
    """A hash of a descriptor's data, whatever its layout in the file."""
    text = json.dumps(descriptor, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return digest(text.encode("utf-8"))


def _generated_current(package: Package, plan: dict[str, Any]) -> bool:
    """The descriptor and (where there is one) the data dictionary are what schemas/ makes."""
    if descriptor_digest(package.descriptor) != plan["descriptor"]:
        return False
    dictionary = package.root / DICTIONARY
    return not dictionary.is_file() or digest(dictionary.read_bytes()) == plan["dictionary"]


def _too_large(package: Package, plan: dict[str, Any]) -> bool:
    paths = [package.table_path(table["name"]) for table in plan["tables"]]
    return sum(path.stat().st_size for path in paths) > QUICK_LIMIT  # OSError: a missing file


def quick_rows(package: Package) -> dict[str, int] | None:
    """Rows per table when the package is valid and the plan can tell; otherwise None."""
    plan = load_plan()
    try:
        if plan is None or not _generated_current(package, plan) or _too_large(package, plan):
            return None
    except OSError:  # an unreadable dictionary: the full validation reports it
        return None
    con = duckdb.connect()
    try:
        return _run(con, package, plan)
    except duckdb.InterruptException:  # Ctrl-C stops validate, as in the engine
        raise KeyboardInterrupt from None
    except (OSError, duckdb.Error):  # the full validation reports what it is, in one line
        return None
    finally:
        con.close()


def _run(
    con: duckdb.DuckDBPyConnection, package: Package, plan: dict[str, Any]
) -> dict[str, int] | None:
    tables = [PlannedTable(**table) for table in plan["tables"]]
    latest = clock.latest_allowed_date().isoformat()

    def finds_nothing(cursor: duckdb.DuckDBPyConnection, statement: str) -> bool:
        return cursor.execute(statement.replace(LATEST_DATE, latest)).fetchone() is None

    def prefilter_and_provenance(cursor: duckdb.DuckDBPyConnection) -> bool:
        # the flagged rows are a temporary table: its count runs on the cursor that made it
        cursor.execute(plan["flagged"].replace(LATEST_DATE, latest))
        return finds_nothing(cursor, plan["flagged_counts"]) and finds_nothing(
            cursor, plan["provenance"]
        )

    def agreements_and_references(cursor: duckdb.DuckDBPyConnection) -> bool:
        *setup, agreements = plan["agreements"]
        for statement in setup:
            cursor.execute(statement)
        return finds_nothing(cursor, agreements) and finds_nothing(cursor, plan["missing"])

    con.execute("SET enable_progress_bar = false")
    paths = [package.table_path(table.name) for table in tables]
    scans = scan_and_load(con, tables, paths)  # as the engine decides, and loads
    if any(scan is None for scan in scans):
        return None
    rows = dict(con.execute(plan["counts"]).fetchall())
    if not all(rows.values()):
        return None  # a table without rows: the engine reports it
    # two threads: on the real package most of these statements' time is planning
    if not all(in_two_threads(con, prefilter_and_provenance, agreements_and_references)):
        return None
    return {table.name: rows[table.name] for table in tables}
