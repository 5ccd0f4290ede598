"""Stable IDs: a removed ID needs a tombstone (validate --base), a tombstone stays, a retired ID
resolves to its replacement in the API and in the database."""

from __future__ import annotations

import pytest
from dprk_sanctions import resolve_id
from dprk_sanctions.cli import main


def _validate_against(package, capsys, base: str = "HEAD") -> tuple[int, str]:
    code = main(["validate", str(package.root), "--base", base])
    return code, capsys.readouterr().out


def _drop_launch(package, launch_id: str) -> None:
    for table in ("launches", "launch_sources", "cns_reconciliation"):
        rows = package.rows(table)
        column = rows[0].index("launch_id")
        package.write_rows(table, [r for r in rows if r[column] != launch_id])


def test_an_id_removed_without_a_tombstone_fails(git_package, capsys):
    _drop_launch(git_package, "2024-09-19-unidentified")
    code, out = _validate_against(git_package, capsys)
    assert code == 1
    assert (
        "data/launches.csv:launch_id: '2024-09-19-unidentified' was in HEAD and is gone "
        "with no tombstone (restore the record, or add a row to data/retired_ids.csv"
    ) in out


def test_a_tombstone_makes_the_removal_valid(git_package, capsys):
    _drop_launch(git_package, "2024-09-19-unidentified")
    git_package.append_row(
        "retired_ids",
        {
            "retired_id": "2024-09-19-unidentified",
            "table_name": "launches",
            "retired_date": "2024-09-20",
            "reason": "Withdrawn: no original source",
        },
    )
    code, out = _validate_against(git_package, capsys)
    assert code == 0, out


def test_a_tombstone_may_not_be_removed(git_package, capsys):
    rows = git_package.rows("retired_ids")
    git_package.write_rows(
        "retired_ids",
        [*rows[:1], *rows[2:], ["2024-09-01-sunan", "launches", "", "2024-09-02", "Withdrawn", ""]],
    )
    code, out = _validate_against(git_package, capsys)
    assert code == 1
    assert (
        "data/retired_ids.csv:retired_id: the tombstone of '2024-09-17-kaechon' (launches) "
        "was removed since HEAD"
    ) in out


def test_a_restored_record_may_drop_its_tombstone(git_package, capsys):
    rows = git_package.rows("launches")
    restored = list(rows[1])
    restored[0] = "2024-09-17-kaechon"
    git_package.write_rows("launches", [*rows, restored])
    cited = git_package.rows("launch_sources")
    git_package.write_rows("launch_sources", [*cited, ["2024-09-17-kaechon", *cited[1][1:]]])
    header = git_package.rows("retired_ids")[0]
    git_package.write_rows(
        "retired_ids", [header, ["2024-09-01-sunan", "launches", "", "2024-09-02", "Withdrawn", ""]]
    )
    code, out = _validate_against(git_package, capsys)
    assert code == 0, out


def test_resolve_id(package):
    root = package.root
    assert resolve_id("launches", "2024-09-17-kaechon", root) == "2024-09-18-kaechon"
    assert resolve_id("launches", "2024-09-18-kaechon", root) == "2024-09-18-kaechon"
    package.append_row(
        "retired_ids",
        {
            "retired_id": "2024-09-01-sunan",
            "table_name": "launches",
            "retired_date": "2024-09-02",
            "reason": "Withdrawn",
        },
    )
    assert resolve_id("launches", "2024-09-01-sunan", root) is None
    with pytest.raises(KeyError, match="never was an ID of launches"):
        resolve_id("launches", "1999-01-01-nowhere", root)
    with pytest.raises(KeyError, match="has no stable IDs"):
        resolve_id("launch_sources", "x", root)


def test_the_database_resolves_retired_ids(package, tmp_path):
    import duckdb

    package.append_row(
        "retired_ids",
        {
            "retired_id": "2024-09-16-kaechon",
            "table_name": "launches",
            "replaced_by": "2024-09-17-kaechon",
            "retired_date": "2024-09-19",
            "reason": "Renamed",
        },
    )
    out = tmp_path / "dist"
    assert main(["build", "--quiet", "--package", str(package.root), "--out", str(out)]) == 0
    con = duckdb.connect(str(out / "dprk.duckdb"), read_only=True)
    rows = con.execute("SELECT id, current_id FROM id_map ORDER BY id").fetchall()
    assert rows == [
        ("2024-09-16-kaechon", "2024-09-18-kaechon"),
        ("2024-09-17-kaechon", "2024-09-18-kaechon"),
    ]


def test_listed_at_the_time_views(package, tmp_path):
    import duckdb

    # Russia's designations were searched only before the transfer: not false, unknown
    package.set_cell("actors", 1, "designations_searched", "2020-01-01")
    out = tmp_path / "dist"
    assert main(["build", "--quiet", "--package", str(package.root), "--out", str(out)]) == 0
    con = duckdb.connect(str(out / "dprk.duckdb"), read_only=True)
    parties = dict(
        con.execute(
            "SELECT role || ':' || party_id, listed_at_time FROM transfer_parties_listed"
        ).fetchall()
    )
    assert parties == {"supplier:prk": False, "recipient:rus": None, "vessel:angara": True}
    participants = dict(
        con.execute("SELECT actor_id, listed_at_time FROM meeting_participants_listed").fetchall()
    )
    assert participants["sergei-shoigu"] is None  # listed, but no source gives the day
    assert participants["kim-jong-un"] is None  # never searched: no listing found means nothing
    events = con.execute(
        "SELECT subject_id, event_type, role FROM designated_subject_events ORDER BY subject_id"
    ).fetchall()
    assert events == [("angara", "transfer", "vessel"), ("sergei-shoigu", "meeting", "participant")]
