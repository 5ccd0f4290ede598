"""``dprk-data fmt``: one canonical layout for every table, so data pull requests merge cleanly.

Rows are sorted by primary key (launches by their date-led IDs, sources by ID ...), so two
contributions that add different records land on different lines instead of both appending at
the end. Quoting is normalised to the minimum CSV needs, with LF line endings. Nothing else
changes: every cell keeps its exact text, and a file that does not parse cleanly is left alone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_bytes
from .package import Package, PackageError
from .schemas import TABLES, TableSpec

csv.field_size_limit(2**31 - 1)  # cells as long as validate reads them

BOM = b"\xef\xbb\xbf"


class FormatError(PackageError):
    """A table cannot be formatted without risk of changing its content (exit code 2)."""


@dataclass(frozen=True)
class Formatted:
    path: Path
    changed: bool


def _parse(path: Path, file: str, table: TableSpec) -> list[list[str]]:
    data = path.read_bytes() if path.is_file() else None
    if data is None:
        raise FormatError(f"{file}: the file is missing")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError(f"{file}: not UTF-8; run dprk-data validate and fix it first") from None
    if data.startswith(BOM) or "\r" in text:
        raise FormatError(
            f"{file}: has a byte-order mark or CR line endings; run dprk-data "
            "validate and fix it first"
        )
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise FormatError(
            f"{file}: cannot be parsed ({error}); run dprk-data validate and fix it first"
        ) from None
    if not rows or rows[0] != table.columns:
        raise FormatError(
            f"{file}: the header is not the declared one; run dprk-data validate and fix it first"
        )
    width = len(table.columns)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise FormatError(
                f"{file}: record {number} has {len(row)} fields, not {width}; run "
                "dprk-data validate and fix it first"
            )
    return rows


def canonical(table: TableSpec, rows: list[list[str]]) -> bytes:
    """The table's rows sorted by primary key (then by the whole row, so ties keep one order),
    written with minimal quoting and LF endings."""
    header, body = rows[0], rows[1:]
    keys = [header.index(name) for name in table.primary_key]
    body = sorted(body, key=lambda row: ([row[i] for i in keys], row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue().encode("utf-8")


class FormatInterrupted(KeyboardInterrupt):
    """Ctrl-C between two tables: each file is whole (old or new), and ``written`` says which
    were already replaced."""

    def __init__(self, written: list[Path]) -> None:
        super().__init__()
        self.written = written


def format_package(package: Package, check: bool = False) -> list[Formatted]:
    """Format every table in place (atomically, only when its bytes change); with ``check``,
    only report which would change. Every file is read and checked before any is written.
    Raises FormatInterrupted when stopped after a file was written."""
    planned = []
    for table in TABLES:
        path = package.table_path(table.name)
        file = path.relative_to(package.root).as_posix()
        wanted = canonical(table, _parse(path, file, table))
        planned.append((path, wanted, wanted != path.read_bytes()))
    if not check:
        written: list[Path] = []
        try:
            for path, wanted, changed in planned:
                if changed:
                    write_bytes(path, wanted)
                    written.append(path)
        except KeyboardInterrupt:
            if written:
                raise FormatInterrupted(written) from None
            raise
    return [Formatted(path, changed) for path, _, changed in planned]
