"""The build: DDL constraints, views with known answers, Parquet, atomicity, reproducibility."""

from __future__ import annotations

import hashlib
import zipfile

import duckdb
import pytest
from conftest import git
from dprk_sanctions import build as build_module
from dprk_sanctions.build import build
from dprk_sanctions.cli import main
from dprk_sanctions.ddl import schema_sql
from dprk_sanctions.package import DATABASE, InvalidPackageError, open_package
from dprk_sanctions.schemas import PACKAGE, TABLES


@pytest.fixture
def built(prepared_build, tmp_path):
    return prepared_build(tmp_path / "dist")


def query_args(out):
    """`dprk-data query` on the fixture build at ``out`` and the package it was built from."""
    return ["query", "--package", str(out.parent / "package"), "--out", str(out)]


def query(out, sql):
    con = duckdb.connect(str(out / DATABASE), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_build_summary_and_outputs(package, tmp_path, capsys):
    out = tmp_path / "dist"
    assert main(["build", "--package", str(package.root), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "launches                      3 rows" in printed.out
    assert "Launches: 2022-11-18 to 2024-09-19" in printed.out
    assert "... validating" in printed.err  # progress goes to stderr
    assert sorted(p.name for p in (out / "parquet").iterdir())[0] == "actors.parquet"
    with zipfile.ZipFile(out / "dprk-sanctions-data.zip") as archive:
        assert "datapackage.json" in archive.namelist()
        assert "data/launches.csv" in archive.namelist()


def test_tables_are_typed_and_commented(fixture_build):
    types = dict(
        query(
            fixture_build,
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'launches'",
        )
    )
    assert types["launch_date"] == "DATE"
    assert types["missiles_min"] == "BIGINT"
    assert types["ballistic"] == "BOOLEAN"
    assert types["missile_class"].startswith("ENUM")
    comment = query(
        fixture_build,
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'launches' "
        "AND column_name = 'launch_date'",
    )[0][0]
    assert comment.startswith("Date of the launch in Korea (KST")
    assert query(
        fixture_build, "SELECT comment FROM duckdb_tables() WHERE table_name = 'launches'"
    )[0][0]
    assert query(fixture_build, "SELECT name, version FROM package") == [
        ("dprk-sanctions-data", PACKAGE["version"])
    ]


@pytest.mark.parametrize(
    "insert",
    [
        # primary key
        "INSERT INTO sites VALUES ('kaechon', 'Again', NULL, NULL, NULL, NULL, 'unknown', "
        "'unknown', 'fixture-database', NULL)",
        # foreign key
        "INSERT INTO sites VALUES ('new-site', 'New', NULL, NULL, NULL, NULL, 'unknown', "
        "'unknown', 'no-such-source', NULL)",
        # enum
        "INSERT INTO sites VALUES ('new-site', 'New', NULL, NULL, NULL, NULL, 'somewhere', "
        "'unknown', 'fixture-database', NULL)",
        # column CHECK (range)
        "INSERT INTO sites VALUES ('new-site', 'New', NULL, NULL, 200, 10, 'town', "
        "'unknown', 'fixture-database', NULL)",
        # column CHECK (pattern)
        "INSERT INTO sites VALUES ('New Site', 'New', NULL, NULL, NULL, NULL, 'unknown', "
        "'unknown', 'fixture-database', NULL)",
        # NOT NULL
        "INSERT INTO sites VALUES ('new-site', NULL, NULL, NULL, NULL, NULL, 'unknown', "
        "'unknown', 'fixture-database', NULL)",
        # row rule CHECK
        "INSERT INTO sites VALUES ('new-site', 'New', NULL, NULL, 39.0, NULL, 'town', "
        "'unknown', 'fixture-database', NULL)",
    ],
    ids=["primary-key", "foreign-key", "enum", "range", "pattern", "not-null", "row-rule"],
)
def test_ddl_constraints_reject_bad_rows(fixture_build, tmp_path, insert):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes((fixture_build / DATABASE).read_bytes())
    con = duckdb.connect(str(copy))
    try:
        with pytest.raises(duckdb.Error):
            con.execute(insert)
    finally:
        con.close()


def test_ddl_accepts_a_good_row(fixture_build, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes((fixture_build / DATABASE).read_bytes())
    con = duckdb.connect(str(copy))
    con.execute(
        "INSERT INTO sites VALUES ('new-site', 'New', NULL, NULL, NULL, NULL, 'unknown', "
        "'unknown', 'fixture-database', NULL)"
    )
    con.close()


def test_ddl_has_every_row_rule_as_a_named_constraint():
    from dprk_sanctions.schemas import ROW_RULES

    sql = schema_sql()
    for name in ROW_RULES:
        assert f"CONSTRAINT {name} CHECK" in sql


def test_view_launches_after_russia_meetings(fixture_build):
    rows = query(
        fixture_build,
        "SELECT launch_id, meeting_id, days_after_start, days_after_end, ended_before_launch "
        "FROM launches_after_russia_meetings ORDER BY launch_id",
    )
    # the meeting ended 2024-09-14; the 2022 launch is years before it
    assert rows == [
        ("2024-09-18-kaechon", "2024-09-13-pyongyang-shoigu-kim", 5, 4, True),
        ("2024-09-19-unidentified", "2024-09-13-pyongyang-shoigu-kim", 6, 5, True),
    ]


def test_view_launch_breaches_only_ballistic_after_adoption(fixture_build):
    rows = query(
        fixture_build, "SELECT launch_id, provision_id FROM launch_breaches ORDER BY launch_id"
    )
    assert rows == [
        ("2022-11-18-sunan", "unscr-1718-op2"),
        ("2024-09-18-kaechon", "unscr-1718-op2"),
    ]


def test_view_transfer_breaches_follow_direction_and_categories(package, tmp_path):
    package.set_cell("provisions", 1, "applies_to", "export_from_dprk")
    out = tmp_path / "dist"
    build(open_package(package.root), out=out)
    assert query(out, "SELECT transfer_id, provision_id FROM transfer_breaches") == [
        ("prk-rus-hwasong-11-2023", "unscr-1718-op8a")
    ]
    package.set_cell("provisions", 1, "covers", "fuel")
    build(open_package(package.root), out=out)
    assert query(out, "SELECT count(*) FROM transfer_breaches") == [(0,)]


def test_view_transfer_evidence_and_counts(fixture_build):
    assert query(
        fixture_build, "SELECT transfer_id, supplier_name, source_count FROM transfer_evidence"
    ) == [("prk-rus-hwasong-11-2023", "Democratic People's Republic of Korea", 1)]
    assert query(
        fixture_build,
        "SELECT launch_year, missile_class::VARCHAR, events, missiles_min "
        "FROM launches_by_year_class",
    ) == [(2022, "icbm", 1, 1), (2024, "srbm", 1, 2), (2024, "cruise", 1, 1)]
    assert query(
        fixture_build, "SELECT site_name FROM launch_details WHERE launch_id = '2024-09-18-kaechon'"
    ) == [("Kaechon",)]


def test_failed_build_leaves_previous_dist(package, built, monkeypatch):
    before = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "write_parquet", explode)
    with pytest.raises(RuntimeError):
        build(open_package(package.root), out=built)
    after = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    assert before == after
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".dist.staging")]


def test_invalid_package_does_not_build(package, built, capsys):
    before = (built / "build-info.json").read_bytes()
    package.set_cell("launches", 0, "missile_class", "srmb")
    with pytest.raises(InvalidPackageError) as raised:
        build(open_package(package.root), out=built)
    assert [p.column for p in raised.value.problems] == ["missile_class"]
    assert capsys.readouterr() == ("", "")  # the library raises; it prints nothing
    assert main(["build", "--package", str(package.root), "--out", str(built)]) == 1
    printed = capsys.readouterr().out
    assert "data/launches.csv:2:missile_class: 'srmb' is not an allowed value" in printed
    assert "build stopped: the package is invalid" in printed
    assert (built / "build-info.json").read_bytes() == before


def test_library_calls_print_nothing(package, tmp_path, capsys):
    """build, ensure_built, run_query and write_report return results; only the CLI prints."""
    from dprk_sanctions.query import ensure_built, run_query
    from dprk_sanctions.report import write_report

    opened = open_package(package.root)
    result = build(opened, out=tmp_path / "one")
    assert result.rows["launches"] == 3 and result.database.is_file()
    assert ensure_built(opened, tmp_path / "two") == tmp_path / "two" / DATABASE
    answer = run_query(opened, "SELECT count(*) AS n FROM launches", out=tmp_path / "two")
    assert (answer.columns, answer.rows) == (["n"], [(3,)])
    written = write_report(opened, out=tmp_path / "report")
    assert [path.name for path in written] == ["report.html", "launch-timeline.png"]
    assert capsys.readouterr() == ("", "")


def test_quiet_build_prints_nothing(package, tmp_path, capfd):
    """Nothing on either stream, DuckDB's progress bar included (capfd sees the C++ side)."""
    args = ["build", "--quiet", "--package", str(package.root), "--out", str(tmp_path / "d")]
    assert main(args) == 0
    assert capfd.readouterr() == ("", "")


def digests(out):
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in (".parquet", ".zip")
    }


def test_build_is_reproducible(package, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(open_package(package.root), out=first)
    build(open_package(package.root), out=second)
    assert digests(first) == digests(second)
    assert len(digests(first)) == len(TABLES) + 1  # a Parquet file per table and the zip


CATALOG = """
    SELECT 'column', table_name, column_name, data_type, is_nullable::VARCHAR, comment
    FROM duckdb_columns() WHERE database_name = 'db'
    UNION ALL SELECT 'constraint', table_name, constraint_type, constraint_text, '', ''
    FROM duckdb_constraints() WHERE database_name = 'db'
    UNION ALL SELECT 'table', table_name, '', '', '', comment
    FROM duckdb_tables() WHERE database_name = 'db'
    UNION ALL SELECT 'view', view_name, sql, '', '', comment
    FROM duckdb_views() WHERE database_name = 'db' AND NOT internal
    UNION ALL SELECT 'type', type_name, '', '', '', comment
    FROM duckdb_types() WHERE database_name = 'db'
    ORDER BY ALL
"""


def catalog(database):
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{database}' AS db (READ_ONLY)")
        return con.execute(CATALOG).fetchall()
    finally:
        con.close()


def test_a_build_that_copies_the_empty_database_writes_what_the_ddl_writes(
    package, tmp_path, monkeypatch
):
    """Builds after the first in a process copy the empty database the first one made; a
    changed DDL makes it anew. Either way the catalog is what the DDL alone writes."""
    monkeypatch.setattr(build_module, "_empty_database", None)
    first, second, third = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    build(open_package(package.root), out=first)  # runs the DDL and keeps the empty database
    assert build_module._empty_database is not None
    build(open_package(package.root), out=second)  # copies it
    assert catalog(first / DATABASE) == catalog(second / DATABASE)
    assert len(catalog(first / DATABASE)) > 500
    assert digests(first) == digests(second)

    changed = schema_sql().replace(
        "COMMENT ON TABLE launches IS '", "COMMENT ON TABLE launches IS 'Changed. "
    )
    monkeypatch.setattr(build_module, "schema_sql", lambda: changed)
    build(open_package(package.root), out=third)
    comment = "SELECT comment FROM duckdb_tables() WHERE table_name = 'launches'"
    assert query(third, comment)[0][0].startswith("Changed. ")
    assert (
        query(second, comment)[0][0] == next(t for t in TABLES if t.name == "launches").description
    )


def test_query_command_formats_and_errors(fixture_build, capsys):
    # query opens the database read-only, so the test process's one build of the fixture serves
    args = query_args(fixture_build)
    assert main([*args, "SELECT launch_id FROM launches ORDER BY launch_id LIMIT 1"]) == 0
    assert capsys.readouterr().out.splitlines()[2] == "2022-11-18-sunan"
    assert main([*args, "--format", "csv", "SELECT 1 AS one"]) == 0
    assert capsys.readouterr().out == "one\n1\n"
    assert main([*args, "--format", "json", "SELECT 1 AS one"]) == 0
    assert '"one": 1' in capsys.readouterr().out
    assert main([*args, "SELEC nonsense"]) == 1
    assert "error: Parser Error" in capsys.readouterr().err


def test_query_is_read_only(fixture_build, capsys):
    args = query_args(fixture_build)
    assert main([*args, "DELETE FROM launches"]) == 1
    assert "read-only" in capsys.readouterr().err


def test_query_builds_when_stale(package, tmp_path, capsys):
    out = tmp_path / "fresh"
    args = ["query", "--package", str(package.root), "--out", str(out)]
    assert main([*args, "SELECT count(*) AS n FROM launches"]) == 0
    captured = capsys.readouterr()
    assert "building it first" in captured.err and "3" in captured.out
    package.append_row(
        "launch_sources",
        {
            "launch_id": "2024-09-18-kaechon",
            "source_id": "fixture-database",
            "supports": "launch_date",
        },
    )
    assert main([*args, "SELECT count(*) AS n FROM launch_sources"]) == 0
    captured = capsys.readouterr()
    assert "building it first" in captured.err and "4" in captured.out


def test_a_change_to_the_code_makes_the_build_stale(package, tmp_path, monkeypatch):
    """`query` and `connect()` rebuild after a change to a view, the DDL or a schema, not only
    after a change to the data."""
    from dprk_sanctions import buildinfo

    opened = open_package(package.root)
    out = tmp_path / "dist"
    build(opened, out=out)
    assert not buildinfo.is_stale(opened, out)
    shipped = buildinfo.code_files()
    assert {"views.py", "ddl.py", "launches.py", "_base.py"} <= {path.name for path in shipped}
    edited = tmp_path / "views.py"
    edited.write_text("# a new view\n", encoding="utf-8")
    monkeypatch.setattr(buildinfo, "code_files", lambda: [*shipped, edited])
    assert buildinfo.is_stale(opened, out)
    package.set_cell("launches", 0, "notes", "changed")  # and a change to the data, as before
    monkeypatch.setattr(buildinfo, "code_files", lambda: shipped)
    assert buildinfo.is_stale(opened, out)


def test_a_table_duckdb_could_not_load_is_built_from_what_validation_read(
    package, fixture_build, tmp_path
):
    """Every cell quoted (a spreadsheet's export) is valid CSV that the DuckDB engine leaves to
    the pandas way; the build still finds the table, with the same rows."""
    import csv

    rows = package.rows("sites")
    with package.path("sites").open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    out = tmp_path / "dist"
    build(open_package(package.root), out=out)
    every_row = "SELECT * FROM sites ORDER BY site_id"
    assert query(out, every_row) == query(fixture_build, every_row)


def test_the_source_commit_says_when_the_inputs_differ_from_it(git_package, tmp_path):
    head = git(git_package.root, "rev-parse", "HEAD").strip()
    out = tmp_path / "dist"
    build(open_package(git_package.root), out=out)
    assert query(out, "SELECT source_commit FROM package") == [(head,)]
    git_package.set_cell("launches", 0, "notes", "An uncommitted note")
    build(open_package(git_package.root), out=out)
    assert query(out, "SELECT source_commit FROM package") == [(f"{head}-dirty",)]


def test_the_code_digest_does_not_depend_on_where_the_code_is_installed(tmp_path):
    """A checkout keeps schemas/ beside scripts/, a wheel or a strict editable install puts them
    inside the package's folder: the same modules give the same digest either way (else the
    committed validation plan would never be used by a user's install)."""
    from dprk_sanctions import buildinfo

    package, schemas = buildinfo.code_folders()
    checkout, wheel = tmp_path / "checkout", tmp_path / "site" / "dprk_sanctions"
    for own, declared in ((checkout / "scripts", checkout / "schemas"), (wheel, wheel / "schemas")):
        for source, target in ((package, own), *((folder, declared) for folder in schemas)):
            target.mkdir(parents=True, exist_ok=True)
            for module in source.glob("*.py"):
                (target / module.name).write_bytes(module.read_bytes())
    digests = {
        buildinfo.code_digest(buildinfo.code_files(own, [declared]))
        for own, declared in (
            (checkout / "scripts", checkout / "schemas"),
            (wheel, wheel / "schemas"),
        )
    }
    assert digests == {buildinfo.code_digest()}
