"""The main job: validate, then write the DuckDB database, Parquet files and the release zip.

The library raises and reports progress through a callback; the CLI prints."""

from __future__ import annotations

import datetime as dt
import json
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .atomic import replace_directory
from .buildinfo import BUILD_INFO, fingerprint, input_files
from .ddl import quote_literal, schema_sql
from .descriptor import render_descriptor
from .diff import run_git
from .ftm import FILE_NAME as FTM_FILE
from .ftm import write_ftm
from .outdir import (
    cannot_write,
    check_output_dir,
    probe_writable,
    remove_stale_staging,
    write_marker,
)
from .package import DATABASE, DESCRIPTOR, Package, PackageError
from .schemas import PACKAGE, TABLES
from .sqlload import typed_select
from .validate import require_valid, validate_with_duckdb
from .views import views_sql

# The storage format every DuckDB client from 1.0 on reads (the CLI, R, Node): the default of a
# newer library writes files older clients refuse ("database file version 69, can only read 64-68").
STORAGE_VERSION = "v1.0.0"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

Progress = Callable[[str], None]


def _silent(message: str) -> None:
    """The default progress callback: say nothing."""


@dataclass(frozen=True)
class BuildResult:
    out: Path
    rows: dict[str, int]
    seconds: float

    @property
    def database(self) -> Path:
        return self.out / DATABASE


def quiet_connection(
    database: str | Path = ":memory:", read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """A connection that draws no progress bar (DuckDB draws one on long statements, and a
    library must not write to the terminal; a session setting, so set after connecting)."""
    con = duckdb.connect(str(database), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    return con


def source_commit(package: Package) -> str | None:
    """The commit the inputs come from; marked ``-dirty`` when the descriptor or a table
    differs from it (a build of uncommitted edits is not that commit's data)."""
    inputs = [str(path.relative_to(package.root)) for path in input_files(package)]
    try:
        head = run_git(package.root, "rev-parse", "HEAD")
        status = run_git(package.root, "status", "--porcelain", "--", *inputs)
    except OSError:  # no git on this machine
        return None
    if head.returncode or not head.stdout.strip():
        return None
    dirty = status.returncode != 0 or bool(status.stdout.strip())
    return head.stdout.strip() + ("-dirty" if dirty else "")


# The empty database of the current DDL, as bytes: made once per process and copied by every
# later build there. Its ~220 comment statements are most of the DDL's 0.2 s, a third of a
# build of a small package; tests and notebooks build many times in one process.
_empty_database: tuple[str, bytes] | None = None


def load_database(
    path: Path,
    con: duckdb.DuckDBPyConnection,
    package: Package,
    inputs: str,
    then: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> None:
    """Create the typed database from the validated text tables held in ``con``; ``then``
    runs on ``con`` while the new database is still attached as the current catalog (the
    build writes Parquet and FollowTheMoney from it there, without opening the file again)."""
    global _empty_database
    ddl = schema_sql()
    if _empty_database is not None and _empty_database[0] == ddl:
        with path.open("xb") as file:  # a new file in the build's own staging folder
            file.write(_empty_database[1])
    else:
        _attach(con, path)
        try:
            _create_tables(con, ddl)
        finally:
            _detach(con)  # checkpoints: the file holds the whole DDL
        _empty_database = (ddl, path.read_bytes())
    _attach(con, path)
    try:
        _fill(con, package, inputs)
        if then is not None:
            then(con)
    finally:
        _detach(con)


def _attach(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(
        f"ATTACH {quote_literal(path.as_posix())} AS out "
        f"(STORAGE_VERSION {quote_literal(STORAGE_VERSION)})"
    )
    con.execute("USE out")


def _detach(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("USE memory")
    con.execute("DETACH out")


def _create_tables(con: duckdb.DuckDBPyConnection, ddl: str) -> None:
    # the DDL in one transaction: several hundred catalog changes (most of them column
    # comments) commit once instead of one by one, a third of a small build's time. The
    # rows follow table by table, as before (at 1M launches one transaction for them too
    # took 52.8 s against 47.4 s, with the same peak memory)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(ddl)
    except BaseException:
        con.execute("ROLLBACK")  # an aborted transaction accepts nothing else
        raise
    con.execute("COMMIT")


def _fill(con: duckdb.DuckDBPyConnection, package: Package, inputs: str) -> None:
    for table in TABLES:  # foreign-key order; columns are named, never positional
        columns = ", ".join(table.columns)
        con.execute(f"INSERT INTO {table.name} ({columns}) {typed_select(table)}")
    for statement in views_sql():
        con.execute(statement)
    con.execute(
        "CREATE TABLE package (name VARCHAR, version VARCHAR, built_at TIMESTAMPTZ, "
        "source_commit VARCHAR, input_fingerprint VARCHAR)"
    )
    con.execute(
        "INSERT INTO package VALUES (?, ?, ?, ?, ?)",
        [
            PACKAGE["name"],
            PACKAGE["version"],
            dt.datetime.now(dt.UTC),
            source_commit(package),
            inputs,
        ],
    )
    con.execute(
        "COMMENT ON TABLE package IS 'Which data package this database was built from, and when.'"
    )


def write_parquet(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    """One Parquet file per table of ``con``'s current catalog, rows in primary-key order, so
    the same data gives the same bytes (DuckDB keeps the order of an ORDER BY when it writes
    in parallel)."""
    out.mkdir()
    for table in TABLES:
        order = ", ".join(table.primary_key)
        target = quote_literal((out / f"{table.name}.parquet").as_posix())
        con.execute(
            f"COPY (SELECT * FROM {table.name} ORDER BY {order}) TO {target} "
            "(FORMAT parquet, COMPRESSION zstd)"
        )


def write_release_zip(package: Package, target: Path) -> None:
    """The Frictionless package (descriptor plus CSVs) with fixed timestamps: reproducible.
    The released descriptor carries each file's bytes and hash (the committed one does not)."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in input_files(package):
            if path.name == DESCRIPTOR and path.parent == package.root:
                data = render_descriptor(package.root, facts=True).encode("utf-8")
            else:
                data = path.read_bytes()
            info = zipfile.ZipInfo(path.relative_to(package.root).as_posix(), ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            # level 1: several times faster than the default, and the CSVs still shrink well
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)


def period(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    first, last = con.execute(f"SELECT min({column}), max({column}) FROM {table}").fetchall()[0]
    return f"{first} to {last}" if first else "empty"


def summary(result: BuildResult) -> str:
    """What a build wrote, for the CLI to print."""
    lines = [f"Built the package in {result.seconds:.1f} s:"]
    for table in TABLES:
        lines.append(f"  {table.name:<22}{result.rows[table.name]:>9,} rows")
    con = quiet_connection(result.database, read_only=True)
    try:
        lines += [
            f"Launches: {period(con, 'launches', 'launch_date')}",
            f"Meetings: {period(con, 'meetings', 'start_date')}",
            f"Transfers reported: {period(con, 'transfers', 'reported_date')}",
        ]
    finally:
        con.close()
    lines += [
        f"Files in {result.out}:",
        f"  {DATABASE} (DuckDB: tables, views, comments), parquet/ (one file per table), "
        f"{PACKAGE['name']}.zip (Frictionless package), {FTM_FILE} (FollowTheMoney entities)",
    ]
    return "\n".join(lines)


class BuildError(PackageError):
    """The build could not write its output (exit code 2)."""


def build(
    package: Package, out: str | Path | None = None, progress: Progress = _silent
) -> BuildResult:
    """Validate, then replace ``out`` (default: the package's dist/) with a fresh build in one
    rename. Raises InvalidPackageError (nothing written), OutputDirError or BuildError."""
    started = time.perf_counter()
    target = check_output_dir(package, Path(out) if out else package.default_out)
    probe_writable(target.parent, target, "build")  # fail before validating, not after
    progress("validating")
    con = quiet_connection()
    try:
        # leaves the text tables in con
        report = require_valid(validate_with_duckdb(package, con), package)
        with replace_directory(target, marker=write_marker, clean=remove_stale_staging) as staging:
            write_outputs(package, con, staging, progress)
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except (OSError, duckdb.IOException, duckdb.PermissionException) as error:
        raise BuildError(cannot_write(target, "build", error)) from None
    finally:
        con.close()
    return BuildResult(target, report.rows, time.perf_counter() - started)


def write_outputs(
    package: Package, con: duckdb.DuckDBPyConnection, staging: Path, progress: Progress = _silent
) -> None:
    """Write every output into ``staging`` from the validated text tables held in ``con``.

    The release zip needs only the input files, so it is written on a second thread while
    DuckDB loads the database (zlib and DuckDB both release the GIL); leaving the ``with``
    block waits for it, so the staging folder is never removed under a running writer.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="release-zip") as pool:
        progress("writing the release zip")
        archive = pool.submit(write_release_zip, package, staging / f"{PACKAGE['name']}.zip")
        progress("loading DuckDB")
        inputs = fingerprint(package)

        def write_from_database(loaded: duckdb.DuckDBPyConnection) -> None:
            progress("writing Parquet")
            write_parquet(loaded, staging / "parquet")
            progress("writing FollowTheMoney entities")
            write_ftm(loaded, staging / FTM_FILE)

        load_database(staging / DATABASE, con, package, inputs, then=write_from_database)
        archive.result()  # its error, if any, is raised here
    info = {"fingerprint": inputs, "version": PACKAGE["version"]}
    (staging / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    write_marker(staging, pid=None)  # complete: the same bytes from every build
