"""The main job: validate, then write the DuckDB database, Parquet files and the release zip."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb

from .atomic import replace_directory
from .ddl import quote_literal, schema_sql
from .descriptor import render_descriptor
from .ftm import FILE_NAME as FTM_FILE
from .ftm import write_ftm
from .outdir import check_output_dir, remove_stale_staging, write_marker
from .package import DESCRIPTOR, Package, PackageError
from .problems import render
from .schemas import PACKAGE, TABLES
from .sqlengine import typed_select
from .validate import validate_package
from .views import views_sql

DATABASE = "dprk.duckdb"
# The storage format every DuckDB client from 1.0 on reads (the CLI, R, Node): the default of a
# newer library writes files older clients refuse ("database file version 69, can only read 64-68").
STORAGE_VERSION = "v1.0.0"
BUILD_INFO = "build-info.json"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def default_out(package: Package) -> Path:
    return package.root / "dist"


def input_files(package: Package) -> list[Path]:
    return [package.root / DESCRIPTOR] + [package.table_path(t.name) for t in TABLES]


def fingerprint(package: Package) -> str:
    """A hash of everything a build reads, and of the code that shapes the database (version,
    DDL, views): when either changes, the build is stale."""
    digest = hashlib.sha256()
    digest.update(PACKAGE["version"].encode())
    digest.update(schema_sql().encode())
    digest.update("\n".join(views_sql()).encode())
    for path in input_files(package):
        digest.update(path.relative_to(package.root).as_posix().encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def source_commit(root: Path) -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def load_database(
    path: Path, con: duckdb.DuckDBPyConnection, package: Package, inputs: str
) -> None:
    """Create the typed database from the validated text tables held in ``con``."""
    con.execute(
        f"ATTACH {quote_literal(path.as_posix())} AS out "
        f"(STORAGE_VERSION {quote_literal(STORAGE_VERSION)})"
    )
    try:
        con.execute("USE out")
        con.execute(schema_sql())
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
                source_commit(package.root),
                inputs,
            ],
        )
        con.execute(
            "COMMENT ON TABLE package IS 'Which data package this database was built "
            "from, and when.'"
        )
    finally:
        con.execute("USE memory")
        con.execute("DETACH out")


def write_parquet(database: Path, out: Path) -> None:
    """One Parquet file per table, rows in primary-key order, so the same data gives the same
    bytes (DuckDB keeps the order of an ORDER BY when it writes in parallel)."""
    out.mkdir()
    con = duckdb.connect(str(database), read_only=True)
    try:
        for table in TABLES:
            order = ", ".join(table.primary_key)
            target = quote_literal((out / f"{table.name}.parquet").as_posix())
            con.execute(
                f"COPY (SELECT * FROM {table.name} ORDER BY {order}) TO {target} "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
    finally:
        con.close()


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


def period(database: Path, table: str, column: str) -> str:
    con = duckdb.connect(str(database), read_only=True)
    try:
        first, last = con.execute(f"SELECT min({column}), max({column}) FROM {table}").fetchall()[0]
    finally:
        con.close()
    return f"{first} to {last}" if first else "empty"


def summary(rows: dict[str, int], database: Path, out: Path, seconds: float) -> str:
    lines = [f"Built the package in {seconds:.1f} s:"]
    for table in TABLES:
        lines.append(f"  {table.name:<22}{rows[table.name]:>9,} rows")
    lines += [
        f"Launches: {period(database, 'launches', 'launch_date')}",
        f"Meetings: {period(database, 'meetings', 'start_date')}",
        f"Transfers reported: {period(database, 'transfers', 'reported_date')}",
        f"Files in {out}:",
        f"  {DATABASE} (DuckDB: tables, views, comments), parquet/ (one file per table), "
        f"{PACKAGE['name']}.zip (Frictionless package), {FTM_FILE} (FollowTheMoney entities)",
    ]
    return "\n".join(lines)


def progress(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"... {message}", file=sys.stderr, flush=True)


class BuildError(PackageError):
    """The build could not write its output (exit code 2)."""


def build(package: Package, out: str | Path | None = None, quiet: bool = False) -> int:
    started = time.perf_counter()
    target = check_output_dir(package, Path(out) if out else default_out(package))
    progress("validating", quiet)
    report = validate_package(package, engine="duckdb")
    if not report.valid:
        print(render(report.problems, "text", report.rows, str(package.root)))
        print(f"build stopped: the package is invalid; {target} was left as it was.")
        return 1
    assert report.connection is not None  # the duckdb engine keeps its connection
    try:
        remove_stale_staging(target)
        with replace_directory(target, marker=write_marker) as staging:
            write_outputs(package, report.connection, staging, quiet)
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except (OSError, duckdb.IOException, duckdb.PermissionException) as error:
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        raise BuildError(
            f"{target}: cannot write the build there ({reason}); "
            "check the folder's permissions and free space, or pass --out"
        ) from None
    if not quiet:
        print(summary(report.rows, target / DATABASE, target, time.perf_counter() - started))
    return 0


def write_outputs(
    package: Package, con: duckdb.DuckDBPyConnection, staging: Path, quiet: bool
) -> None:
    progress("loading DuckDB", quiet)
    inputs = fingerprint(package)
    load_database(staging / DATABASE, con, package, inputs)
    progress("writing Parquet", quiet)
    write_parquet(staging / DATABASE, staging / "parquet")
    progress("writing FollowTheMoney entities", quiet)
    write_ftm(staging / DATABASE, staging / FTM_FILE)
    progress("writing the release zip", quiet)
    write_release_zip(package, staging / f"{PACKAGE['name']}.zip")
    info = {"fingerprint": inputs, "version": PACKAGE["version"]}
    (staging / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    write_marker(staging, pid=None)  # complete: the same bytes from every build


def is_stale(package: Package, out: Path) -> bool:
    info = out / BUILD_INFO
    if not (out / DATABASE).is_file() or not info.is_file():
        return True
    try:
        recorded = json.loads(info.read_text(encoding="utf-8")).get("fingerprint")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return True
    return recorded != fingerprint(package)
