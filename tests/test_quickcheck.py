"""validate's pandera-free path (quickcheck): it vouches for a package in which nothing is
wrong, with the engines' row counts and output, and steps aside at any fault, so the full
validation names it."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from conftest import FixturePackage, run_in_process
from dprk_sanctions import quickcheck
from dprk_sanctions.cursors import in_two_threads
from dprk_sanctions.package import DESCRIPTOR, DICTIONARY, Package, open_package
from dprk_sanctions.quickcheck import quick_rows
from dprk_sanctions.validate import validate_with_duckdb


@pytest.fixture
def pinned(monkeypatch):
    """The committed plan taken as made by the running code, so that these tests check the
    quick check's steps even while its own code is being changed (a test below checks the
    guard itself; another, that the committed plan is current)."""
    path = Path(quickcheck.__file__).parent / quickcheck.PLAN_FILE
    made_by = json.loads(path.read_text(encoding="utf-8"))["code"]
    monkeypatch.setattr(quickcheck, "code_digest", lambda: made_by)


def test_the_committed_plan_is_the_running_codes():
    assert quickcheck.load_plan() is not None  # (its SQL is current: tests/test_package.py)


def test_a_clean_package_is_vouched_for_with_the_engines_rows(package, pinned):
    opened = open_package(package.root)
    report = validate_with_duckdb(opened)
    assert report.valid
    assert quick_rows(opened) == report.rows  # the same tables, counts and order


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_validate_prints_the_same_by_either_path(package, pinned, monkeypatch, fmt):
    answers: list[dict[str, int] | None] = []
    real = quickcheck.quick_rows

    def spy(opened: Package) -> dict[str, int] | None:
        answers.append(real(opened))
        return answers[-1]

    monkeypatch.setattr(quickcheck, "quick_rows", spy)
    quick = run_in_process("validate", str(package.root), "--format", fmt)
    assert answers and answers[0] is not None  # the quick check vouched
    monkeypatch.setattr(quickcheck, "quick_rows", lambda package: None)
    full = run_in_process("validate", str(package.root), "--format", fmt)
    assert (quick.returncode, quick.stdout) == (full.returncode, full.stdout) == (0, full.stdout)


def _bom(package: FixturePackage) -> None:
    path = package.path("launches")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _one_field_too_many(package: FixturePackage) -> None:
    path = package.path("sites")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] += ","  # DuckDB would read the row and drop the extra empty field
    path.write_text("\n".join(lines), encoding="utf-8")


def _a_field_too_few(package: FixturePackage) -> None:
    path = package.path("launch_sources")  # no line ends in a comma: only DuckDB counts fields
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].rsplit(",", 1)[0]  # the byte scan passes it; DuckDB refuses to load it
    path.write_text("\n".join(lines), encoding="utf-8")


def _header_only(package: FixturePackage) -> None:
    package.write_rows("nuclear_test_estimates", package.rows("nuclear_test_estimates")[:1])


def _duplicate_key(package: FixturePackage) -> None:
    rows = package.rows("sites")
    package.write_rows("sites", [*rows, rows[1]])


def _stale_descriptor(package: FixturePackage) -> None:
    path = package.root / DESCRIPTOR
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["title"] += " (edited)"
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def _stale_dictionary(package: FixturePackage) -> None:
    (package.root / DICTIONARY).parent.mkdir(exist_ok=True)
    (package.root / DICTIONARY).write_text("# Data dictionary\n", encoding="utf-8")


FAULTS: dict[str, Callable[[FixturePackage], object]] = {
    "a missing table file": lambda p: p.path("sites").unlink(),
    "a byte-order mark": _bom,
    "one empty field too many": _one_field_too_many,
    "a field too few": _a_field_too_few,
    "a table without rows": _header_only,
    "a cell that breaks its check": lambda p: p.set_cell(
        "launches", 0, "launch_date", "18/09/2024"
    ),
    "a date after today (the plan's date token)": lambda p: p.set_cell(
        "launches", 0, "launch_date", "2999-01-01"
    ),
    "a duplicate key": _duplicate_key,
    "a reference to no record": lambda p: p.set_cell(
        "meeting_participants", 0, "actor_id", "nobody"
    ),
    "a field no citation supports": lambda p: p.set_cell("launches", 0, "apogee_km", "100"),
    "a disagreement between tables": lambda p: p.set_cell(
        "launch_tallies", 0, "as_of", "2024-01-31"
    ),
    "a stale descriptor": _stale_descriptor,
    "a stale data dictionary": _stale_dictionary,
}


@pytest.mark.parametrize("fault", FAULTS)
def test_the_quick_check_steps_aside_for_every_kind_of_fault(package, pinned, fault):
    FAULTS[fault](package)
    opened = open_package(package.root)
    assert quick_rows(opened) is None
    assert not validate_with_duckdb(opened).valid  # the fault is real: the full path names it


def test_a_large_package_goes_straight_to_the_engine(package, pinned, monkeypatch):
    monkeypatch.setattr(quickcheck, "QUICK_LIMIT", 1000)  # the fixture's tables hold more
    assert quick_rows(open_package(package.root)) is None


def test_a_plan_made_by_other_code_is_never_used(package, monkeypatch):
    monkeypatch.setattr(quickcheck, "code_digest", lambda: "other code")
    assert quick_rows(open_package(package.root)) is None


def test_an_error_hands_over_and_ctrl_c_stops(package, pinned, monkeypatch):
    """A DuckDB error (say, a version that plans differently) hands the package to the full
    validation, which reports in one line; Ctrl-C during the quick check stops validate."""
    opened = open_package(package.root)

    def fails(*args: object) -> None:
        raise duckdb.CatalogException("no such table")

    monkeypatch.setattr(quickcheck, "_run", fails)
    assert quick_rows(opened) is None

    def interrupted(*args: object) -> None:
        raise duckdb.InterruptException("INTERRUPT Error")

    monkeypatch.setattr(quickcheck, "_run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        quick_rows(opened)


# --- the two threads (cursors.py) of the quick check and of the engine's loads -----------------

ENDLESS = "SELECT sum(hash(range)) FROM range(10000000000000)"  # hours, unless interrupted


def test_two_steps_share_one_database_and_return_in_order():
    con = duckdb.connect()
    con.execute("CREATE TABLE shared AS SELECT 1 AS x")

    def reads(cursor: duckdb.DuckDBPyConnection) -> bool:
        return cursor.execute("SELECT x FROM shared").fetchone() == (1,)

    def finds_none(cursor: duckdb.DuckDBPyConnection) -> bool:
        return cursor.execute("SELECT x FROM shared WHERE x = 2").fetchone() is not None

    assert in_two_threads(con, reads, finds_none) == (True, False)
    assert in_two_threads(con, finds_none, reads) == (False, True)


@pytest.mark.parametrize("failing_first", [True, False])
@pytest.mark.parametrize("error", [duckdb.CatalogException, KeyboardInterrupt])
def test_an_error_in_one_step_stops_the_other(error, failing_first):
    """A DuckDB error in one thread, or Ctrl-C (which reaches the main thread as the
    KeyboardInterrupt here), interrupts the statement the other thread runs instead of waiting
    for it, which would take hours."""

    def endless(cursor: duckdb.DuckDBPyConnection) -> bool:
        cursor.execute(ENDLESS)
        return True

    def fails(cursor: duckdb.DuckDBPyConnection) -> bool:
        raise error("stop")

    steps = (fails, endless) if failing_first else (endless, fails)
    raised: list[BaseException] = []

    def run() -> None:
        try:
            in_two_threads(duckdb.connect(), *steps)
        except BaseException as stop:
            raised.append(stop)

    caller = threading.Thread(target=run, daemon=True)
    caller.start()
    caller.join(timeout=120)  # liveness, not speed: well under a second when it works
    assert not caller.is_alive(), "the endless statement was not interrupted"
    assert [type(stop) for stop in raised] == [error]
