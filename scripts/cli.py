"""The command-line tool: ``dprk-data <command>`` (or ``python -m dprk_sanctions``)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .atomic import WriteError
from .package import InvalidPackageError, PackageError, open_package

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141  # 128 + SIGINT, 128 + SIGPIPE, as shells report


def version() -> str:
    from . import __version__

    return __version__


class _VersionAction(argparse.Action):
    """``--version``: the version is looked up only when asked for (importlib.metadata costs
    every other command about 50 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        sys.stdout.write(f"{parser.prog} {version()}\n")
        parser.exit()


def _validate(args: argparse.Namespace) -> int:
    from .problems import render

    package = open_package(args.package)
    if args.engine is None and not args.base:
        from .quickcheck import quick_rows

        rows = quick_rows(package)  # None unless it can vouch that nothing is wrong
        if rows is not None:
            print(render([], args.format, rows, str(package.root)))
            return EXIT_OK
    from .validate import validate_package

    report = validate_package(package, engine=args.engine or "duckdb")
    if args.base:
        from .diff import DiffError
        from .ids import check_against

        try:
            report.problems += check_against(package.root, args.base, report.rows)
        except DiffError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_USAGE
    print(render(report.problems, args.format, report.rows, str(package.root)))
    return EXIT_OK if report.valid else EXIT_INVALID


def _descriptor(args: argparse.Namespace) -> int:
    from .generated import check_generated, write_generated

    package = open_package(args.package) if args.check else None
    if package is not None:  # --check
        stale = check_generated(package.root)
        for path in stale:
            print(f"{path}: stale; regenerate it with: dprk-data descriptor")
        return EXIT_INVALID if stale else EXIT_OK
    for written in write_generated(args.package):
        print(f"wrote {written}")
    return EXIT_OK


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def _build(args: argparse.Namespace) -> int:
    from .build import build, summary

    package = open_package(args.package)
    try:
        result = build(package, out=args.out, progress=_silent if args.quiet else _progress)
    except InvalidPackageError as error:
        print(error)
        target = Path(args.out) if args.out else package.default_out
        print(f"build stopped: the package is invalid; {target} was left as it was.")
        return EXIT_INVALID
    if not args.quiet:
        print(summary(result))
    return EXIT_OK


def _silent(message: str) -> None:
    """Progress for --quiet: none."""


def _query(args: argparse.Namespace) -> int:
    from .query import QueryError, run_query_streamed, write_streamed

    package = open_package(args.package)
    try:
        # rows are written as DuckDB produces them: a large result is never held whole
        with run_query_streamed(
            package, args.sql, args.out, args.with_files, progress=_progress
        ) as (columns, batches):
            write_streamed(columns, batches, args.format, sys.stdout.write)
    except InvalidPackageError:
        print("error: the package is invalid; run dprk-data validate", file=sys.stderr)
        return EXIT_INVALID
    except QueryError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _fmt(args: argparse.Namespace) -> int:
    from .fmt import FormatInterrupted, format_package

    package = open_package(args.package)
    try:
        changed = [f for f in format_package(package, check=args.check) if f.changed]
    except FormatInterrupted as stopped:
        names = ", ".join(p.relative_to(package.root).as_posix() for p in stopped.written)
        print(
            f"interrupted: {names} already formatted (each file is whole); the other tables "
            "are unchanged: run dprk-data fmt again",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    for item in changed:
        name = item.path.relative_to(package.root).as_posix()
        print(f"{name}: {'not in canonical order' if args.check else 'formatted'}")
    if args.check and changed:
        print("run dprk-data fmt to sort the rows by key and normalise quoting")
        return EXIT_INVALID
    if not changed:
        print("all tables are in canonical order")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    import json

    from .diff import DiffError, as_json, as_markdown, as_text, diff_package

    package = open_package(args.package)
    try:
        result = diff_package(package.root, args.base, args.head)
    except DiffError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    else:
        print(as_markdown(result) if args.format == "markdown" else as_text(result))
    return EXIT_OK


def _release(args: argparse.Namespace) -> int:
    from .release import NoPreviousRelease, check_release, write_release
    from .schemas import PACKAGE

    package = open_package(args.package)
    if args.check:
        try:
            prior, _, level, reasons, _ = check_release(package, args.previous)
        except NoPreviousRelease as unknown:
            print(f"release --check checked nothing: {unknown}")
            return EXIT_OK
        print(
            f"release {PACKAGE['version']} follows the versioning rule: the changes since "
            f"{prior.version} ({prior.revision[:12]}) are {level.upper()}"
            + (f" ({'; '.join(reasons[:3])})" if reasons else "")
            + ("" if prior.tagged else " (no release yet: compared with the first data commit)")
        )
        return EXIT_OK
    target, document = write_release(
        package, args.out, args.previous, progress=None if args.quiet else _progress
    )
    counts = document["changes"]["summary"]
    added = sum(c["added"] for c in counts.values())
    removed = sum(c["removed"] for c in counts.values())
    changed = sum(c["changed"] for c in counts.values())
    print(
        f"release {document['version']} ({document['level'].upper()} since "
        f"{document['previous']['version']}): {added:,} rows added, {removed:,} removed, "
        f"{changed:,} changed, {len(document['retired_since_previous']):,} IDs retired in "
        f"between; written to {target}"
    )
    return EXIT_OK


def _reconcile(args: argparse.Namespace) -> int:
    from .reconcile import RECONCILIATION, ReconcileError, compare

    package = open_package(args.package)
    try:
        result = compare(package, Path(args.cns_file))
    except ReconcileError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    table = package.table_file(RECONCILIATION)
    for record in result.missing:
        facility = record.cns_facility or "no facility"
        missile = record.cns_missile or "no missile"
        print(
            f"{table}: CNS record {record.cns_date} #{record.cns_seq} ({facility}, {missile}) "
            "is missing (add a row mapping it to its launch, or a reason)"
        )
    for date, seq in result.extra:
        print(
            f"{table}: {date} #{seq} is not in this CNS copy (the copy is older or the "
            "database renumbered that day's records)"
        )
    for record, differences in result.changed:
        shown = ", ".join(
            f"{field} {value!r} here, {getattr(record, field)!r} in CNS"
            for field, value in differences.items()
        )
        print(f"{table}: {record.cns_date} #{record.cns_seq} changed: {shown}")
    if result.agrees:
        print(f"{table} holds every record of {args.cns_file} and no other")
        return EXIT_OK
    return EXIT_INVALID


def _report(args: argparse.Namespace) -> int:
    from .report import write_report

    written = write_report(
        open_package(args.package), out=args.out, png=args.png, progress=_progress
    )
    print(f"wrote {' and '.join(str(path) for path in written[:2])}")
    return EXIT_OK


def _site(args: argparse.Namespace) -> int:
    from .site import BUDGET, build_site

    try:
        result = build_site(open_package(args.package), out=args.out)
    except InvalidPackageError as error:
        print(error)
        print("site stopped: the package is invalid; nothing was written")
        return EXIT_INVALID
    note = "" if result.size <= BUDGET else f" (over the {BUDGET:,}-byte budget)"
    print(
        f"wrote {result.folder / 'index.html'} ({len(result.files)} files, "
        f"{result.size:,} bytes{note}); open it in a browser, no server needed"
    )
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dprk-data",
        description="Validate, build and query the DPRK sanctions data package.",
    )
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler: Callable, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--package",
            default=None,
            help="package directory or datapackage.json (default: the package "
            "found from the current directory upward)",
        )
        sub.set_defaults(handler=handler)
        return sub

    validate = command(
        "validate", _validate, "check every table; exit 0 when valid, 1 when not, 2 on bad usage"
    )
    validate.add_argument(
        "package_path", nargs="?", default=None, help="package directory or datapackage.json"
    )
    validate.add_argument("--format", choices=("text", "json", "github"), default="text")
    validate.add_argument(
        "--engine",
        choices=("duckdb", "pandas"),
        default=None,
        help="run this engine in full: duckdb (fast) or pandas (pandera on whole tables); both "
        "report the same problems. By default a quick check without pandas vouches for a "
        "package in which nothing is wrong, and duckdb checks any other",
    )
    validate.add_argument(
        "--base",
        default=None,
        metavar="REVISION",
        help="also check that every ID present in this git revision (or "
        "package directory) is still there or has a tombstone in "
        "data/retired_ids.csv",
    )

    descriptor = command(
        "descriptor",
        _descriptor,
        "regenerate datapackage.json and docs/data-dictionary.md from schemas/",
    )
    descriptor.add_argument(
        "--check", action="store_true", help="only report whether the generated files are stale"
    )

    build = command(
        "build", _build, "validate, then write the DuckDB database, Parquet files and release zip"
    )
    build.add_argument("--out", default=None, help="output directory (default: dist/)")
    build.add_argument("--quiet", action="store_true", help="print only errors")

    query = command("query", _query, "run SQL against the built DuckDB database (read-only)")
    query.add_argument("sql", help="the SQL statement")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--out", default=None, help="dist directory (default: dist/)")
    query.add_argument(
        "--with",
        dest="with_files",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="join your own CSV, Parquet or JSON file as the view NAME (read "
        "into memory; query still never writes); repeatable",
    )

    fmt = command(
        "fmt",
        _fmt,
        "sort every table's rows by key and normalise quoting (cells keep their exact text)",
    )
    fmt.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 when a table is not in canonical order",
    )

    diff = command(
        "diff",
        _diff,
        "rows added, removed and changed between two versions of "
        "the package (git revisions or package directories)",
    )
    diff.add_argument(
        "base",
        nargs="?",
        default=None,
        help="git revision or package directory (default: the merge base with main)",
    )
    diff.add_argument(
        "head",
        nargs="?",
        default=None,
        help="git revision or package directory (default: the package on disk)",
    )
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    release = command(
        "release",
        _release,
        "check the versioning rule against the changes since the previous release, "
        "then write the versioned zip, Parquet, change file and archiving metadata",
    )
    release.add_argument(
        "--previous",
        default=None,
        metavar="REVISION",
        help="the previous release (default: the newest data-v* tag, else the "
        "first commit with data)",
    )
    release.add_argument(
        "--out", default=None, help="output directory (default: dist/release-VERSION)"
    )
    release.add_argument(
        "--check", action="store_true", help="only check the versioning rule and the changelog"
    )
    release.add_argument("--quiet", action="store_true", help="print only the result")

    reconcile = command(
        "reconcile",
        _reconcile,
        "compare a copy of the CNS missile test database (its JSON export) "
        "with data/cns_reconciliation.csv; exit 1 when they differ",
    )
    reconcile.add_argument("cns_file", help="the CNS JSON, e.g. test.en.json of a public copy")

    report = command("report", _report, "write the HTML report and timeline PNG into dist/")
    report.add_argument("--out", default=None, help="output directory (default: dist/)")
    report.add_argument(
        "--png",
        default=None,
        help="also write the timeline PNG here (the README's is docs/img/launch-timeline.png)",
    )

    site = command(
        "site",
        _site,
        "write the static explorer (map, timeline, tables, one page per event) and GeoJSON "
        "into dist/explorer/",
    )
    site.add_argument("--out", default=None, help="output folder (default: dist/explorer/)")
    return parser


def _is_interrupt(error: Exception) -> bool:
    if type(error).__name__ == "InterruptException":
        return True
    return isinstance(error, RuntimeError) and "interrupted" in str(error).lower()


def _stop_on_sigterm() -> Callable[[], None]:
    """SIGTERM (a service manager, `kill`, a CI timeout) stops a command as Ctrl-C does, so a
    build undoes its half-done swap instead of leaving a user's files in a staging folder.
    Returns what puts the previous handler back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def main(argv: Sequence[str] | None = None) -> int:
    restore = _stop_on_sigterm()
    try:
        return _main(argv)
    finally:
        restore()


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "package_path", None):
        args.package = args.package_path
    try:
        code = args.handler(args)
        sys.stdout.flush()
        return code
    except InvalidPackageError as error:
        print(error)  # every problem, as `validate` prints them
        return EXIT_INVALID
    except (PackageError, WriteError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: nothing was changed", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader (head, less) went away: stop quietly, as command-line tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as error:
        # a file the command had to read could not be (permissions, a folder in its place):
        # the package cannot be used as it is, so one line and the usage exit code
        place = f"{error.filename}: " if error.filename else ""
        print(f"error: {place}{error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:
        # DuckDB turns Ctrl-C inside a statement into its InterruptException, or into
        # RuntimeError("Query interrupted") in some calls
        if not _is_interrupt(error):
            raise
        print("interrupted: nothing was changed", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
