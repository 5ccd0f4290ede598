"""``dprk-data query``: SQL against the built database, in a connection that cannot write.

The database is opened read-only with DuckDB's file-system access switched off and the
configuration locked, so no statement (COPY ... TO, EXPORT DATABASE, ATTACH, INSTALL, SET) can
create, change or delete a file anywhere. Users' own files join the query through ``--with
NAME=FILE``: each is read by a separate, read-only step into memory and registered as a view.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .buildinfo import is_stale
from .outdir import RELEASE_WRITER, check_output_dir, marker_writer
from .package import DATABASE, Package, PackageError
from .problems import neutral
from .sqltext import literal_path, quote_literal

LOCKED: dict[str, str | bool] = {
    "enable_external_access": False,  # no file or network access from SQL
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "temp_directory": "",  # no spilling to disk
    "lock_configuration": True,  # and no SET can undo any of it
}
USER_TABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
READERS = {
    ".csv": "read_csv",
    ".tsv": "read_csv",
    ".parquet": "read_parquet",
    ".json": "read_json",
    ".jsonl": "read_json",
    ".ndjson": "read_json",
}


NO_STATEMENT = (
    "the query holds no SQL statement; pass one, e.g. "
    'dprk-data query "SELECT count(*) FROM launches"'
)


class QueryError(Exception):
    """The query could not run; the message is one line for the user (exit code 1)."""


class QueryUsageError(PackageError):
    """The query or its options are unusable as given (exit code 2)."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def ensure_built(
    package: Package, out: Path, progress: Callable[[str], None] | None = None
) -> Path:
    """The database in ``out``, built first when it is missing or stale (the build is imported
    only then: a query on a current build loads no pandas or pandera). Raises
    InvalidPackageError when the package is invalid, and what ``build`` raises."""
    if _is_release(out):
        return out / DATABASE  # a release is a snapshot: read as it is, never rebuilt
    if not is_stale(package, out):
        return out / DATABASE  # nothing to build, so any folder holding a current build will do
    check_output_dir(package, out)  # refuse a folder a build may not replace before anything
    from .build import build

    if progress is not None:
        progress(f"{out / DATABASE} is missing or stale: building it first")
    build(package, out=out)
    return out / DATABASE


def _is_release(out: Path) -> bool:
    """A folder ``dprk-data release`` wrote (its marker says so), not any folder holding a
    file named like a change file."""
    return marker_writer(out) == RELEASE_WRITER


def locked_connection(database: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``database`` that can touch no other file."""
    return duckdb.connect(str(database), read_only=True, config=dict(LOCKED))


def parse_with(spec: str) -> tuple[str, Path]:
    name, _, file = spec.partition("=")
    if not USER_TABLE.fullmatch(name) or not file:
        raise QueryUsageError(f"--with {spec!r}: write it as NAME=FILE, e.g. mine=my-launches.csv")
    path = Path(file)
    if path.suffix.lower() not in READERS:
        raise QueryUsageError(
            f"--with {spec!r}: {path.suffix or 'no extension'} is not a "
            f"file kind query reads ({', '.join(sorted(READERS))})"
        )
    if not path.is_file():
        raise QueryUsageError(f"--with {spec!r}: {path} is not a file")
    return name, path


def read_user_file(path: Path):
    """The file as an Arrow table, read by an in-memory DuckDB that only reads."""
    reader = READERS[path.suffix.lower()]
    con = duckdb.connect(config={"temp_directory": ""})
    try:
        with literal_path(path) as readable:  # 'mine[1].csv' is this file, not a pattern
            return con.sql(
                f"SELECT * FROM {reader}({quote_literal(str(readable))})"
            ).to_arrow_table()
    except duckdb.Error as error:
        raise QueryUsageError(f"{path}: cannot be read ({first_line(error)})") from None
    finally:
        con.close()


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def statements(sql: str) -> int:
    try:
        return len(duckdb.extract_statements(sql))
    except duckdb.Error as error:
        raise QueryError(first_line(error)) from None


BATCH_ROWS = 10_000  # rows fetched at a time when a result is written as it comes
Streamed = tuple[list[str], Iterator[list[tuple]]]  # column names, then batches of rows


@contextmanager
def _duckdb_errors() -> Iterator[None]:
    """DuckDB's errors as one-line QueryErrors; Ctrl-C inside a statement as Ctrl-C."""
    try:
        yield
    except duckdb.PermissionException:
        raise QueryError(
            "query never writes or reads files: this statement needs file access; "
            "to join your own file, pass --with NAME=FILE"
        ) from None
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except duckdb.Error as error:
        message = first_line(error)
        if "configuration has been locked" in message or "attached in read-only" in message:
            raise QueryError(f"query never writes: {message}") from None
        raise QueryError(message) from None


def _collect(streamed: AbstractContextManager[Streamed]) -> QueryResult:
    """A streamed result held whole."""
    with streamed as (columns, batches):
        return QueryResult(columns, [row for batch in batches for row in batch])


def execute(database: Path, sql: str, with_files: dict[str, Path] | None = None) -> QueryResult:
    """Run ``sql`` (at least one statement: ``run_query`` checks) in a locked connection; raise
    QueryError with one line on failure."""
    return _collect(execute_streamed(database, sql, with_files))


@contextmanager
def execute_streamed(
    database: Path, sql: str, with_files: dict[str, Path] | None = None
) -> Iterator[Streamed]:
    """Like ``execute``, but the rows come in batches as DuckDB produces them, so a large
    result is never held whole; an error while fetching is a QueryError too. The connection
    closes on leaving."""
    tables = {name: read_user_file(path) for name, path in (with_files or {}).items()}
    try:
        con = locked_connection(database)
    except duckdb.Error as error:  # another process holds the file open for writing
        raise QueryError(f"{database}: cannot be opened ({first_line(error)})") from None
    try:
        _refuse_package_names(con, tables)
        for name, table in tables.items():
            con.register(name, table)
        with _duckdb_errors():
            cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []

        def batches() -> Iterator[list[tuple]]:
            while columns:
                with _duckdb_errors():
                    batch = cursor.fetchmany(BATCH_ROWS)
                if not batch:
                    return
                yield batch

        yield columns, batches()
    finally:
        con.close()


def _refuse_package_names(con: duckdb.DuckDBPyConnection, tables: dict[str, object]) -> None:
    """A user's file registered as ``launches`` would stand in for the package's table, in
    the views too: refuse the name."""
    if not tables:
        return
    taken = {
        name.lower()
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views() "
            "WHERE NOT internal"
        ).fetchall()
    }
    for name in tables:
        if name.lower() in taken:
            raise QueryUsageError(
                f"--with {name}=...: the package has a table or view named {name}; give your "
                "file another name"
            )


def _json_value(value: object) -> object:
    """A value JSON can hold: NaN is null, infinities are strings, inside lists and structs
    too; other types their text."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    return value


def _text_table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[neutral(v) for v in row] for row in rows]
    heads = [neutral(c) for c in columns]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(heads)]
    line = "  ".join(c.ljust(w) for c, w in zip(heads, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join([line, rule, *body, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


def _csv_lines(rows: Iterable[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[("" if v is None else neutral(v)) for v in row] for row in rows])
    return buffer.getvalue()


def _csv(columns: list[str], rows: list[tuple]) -> str:
    return (_csv_lines([tuple(columns)]) + _csv_lines(rows)).rstrip("\n")


def _json_columns(columns: list[str]) -> None:
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:  # an object keeps one value per key: the others would be lost
        raise QueryError(
            f"--format json needs a distinct name for each column; {', '.join(repeated)} "
            "appears more than once (name them with AS)"
        )


def _json_records(columns: list[str], rows: Iterable[tuple]) -> str:
    """The records as the items of a JSON array indented by two, joined by ',\n'."""
    records = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    text = json.dumps(records, indent=2, default=str, ensure_ascii=False, allow_nan=False)
    return text[2:-2] if records else ""  # without the array's own "[\n" and "\n]"


def format_result(result: QueryResult, fmt: str) -> str:
    if fmt == "json":  # JSON escapes control characters itself
        _json_columns(result.columns)
        items = _json_records(result.columns, result.rows)
        return f"[\n{items}\n]" if items else "[]"
    if fmt == "csv":
        return _csv(result.columns, result.rows)
    return _text_table(result.columns, result.rows)


def write_streamed(
    columns: list[str], batches: Iterator[list[tuple]], fmt: str, write: Callable[[str], object]
) -> None:
    """Write a result batch by batch, as ``format_result`` formats it whole, with a final line
    break; the aligned table needs every row first, so it is formatted whole."""
    if fmt == "table":
        write(_text_table(columns, [row for batch in batches for row in batch]) + "\n")
    elif fmt == "csv":
        write(_csv_lines([tuple(columns)]))
        for batch in batches:
            write(_csv_lines(batch))
    else:
        _json_columns(columns)
        opened = False
        for batch in batches:
            write((",\n" if opened else "[\n") + _json_records(columns, batch))
            opened = True
        write("\n]\n" if opened else "[]\n")


def run_query(
    package: Package,
    sql: str,
    out: str | Path | None = None,
    with_files: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> QueryResult:
    """Run ``sql`` on the package's build (made first when stale). Raises QueryUsageError,
    QueryError, InvalidPackageError, or what ``build`` raises."""
    return _collect(run_query_streamed(package, sql, out, with_files, progress))


@contextmanager
def run_query_streamed(
    package: Package,
    sql: str,
    out: str | Path | None = None,
    with_files: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Streamed]:
    """``run_query`` whose rows come in batches (see ``execute_streamed``)."""
    files = dict(parse_with(spec) for spec in with_files or [])
    if statements(sql) == 0:
        raise QueryUsageError(NO_STATEMENT)
    database = ensure_built(package, Path(out) if out else package.default_out, progress)
    with execute_streamed(database, sql, files) as result:
        yield result
