"""The DuckDB engine, step 1: one streaming pass over a file's bytes decides whether DuckDB may
load it (UTF-8, no BOM, no CR, no blank line, the exact header, balanced quotes, no control
byte). Anything unusual goes the pandas way, which reports it cell by cell."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# No pandas or pyarrow at import: `validate` on a clean package runs without them (quickcheck).
BOM = codecs.BOM_UTF8
CHUNK = 1 << 23
# files up to this size are counted field by field with the csv module (no pyarrow import, which
# costs a whole `validate` more than the count); larger ones by pyarrow, which is faster per row
SMALL_FILE = 1 << 22  # the csv module reads about 150 MB/s here: at most ~25 ms a file
# a space between a quoted cell and its comma or line break ('"a" ,', ', "a"'): DuckDB trims
# it and reads the cell, the csv module refuses the file; the pandas way reports it. The bytes
# cannot tell a cell's quotes from quotes inside a quoted cell ('"says, ""no"""'), so a match
# is only a candidate, which the csv module then settles (spaced_quote)
# Two patterns, not one alternation (30 ms of a validation of the real package, these two 8 ms),
# run only where they can match (space_by_quote); a file's first line is its header, so a match
# at the very start is never needed.
SPACE_BY_QUOTE = (re.compile(rb'"[ \t]+(?=[,\n])'), re.compile(rb'[,\n][ \t]+"'))
BLANKS = b" \t"  # what may stand between a quote and its comma or line break
# C0 control characters other than LF (and CR, which has its own rule), and DEL: a file holding
# one goes the pandas way, which names the cell.
CONTROL_BYTES = bytes([*range(0x00, 0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def has_control_byte(chunk: bytes) -> bool:
    # deleting the few bytes of a set is twice as fast as a regular-expression search
    return len(chunk.translate(None, CONTROL_BYTES)) != len(chunk)


def space_by_quote(data: bytes) -> bool:
    """Whether a space or tab stands between a quote and a comma or line break (a candidate).

    The first pattern starts with a quote, which Python's re finds with a tight loop; the
    second starts with a comma or line break and tries a match at each, about 40 ms per 8 MB,
    so it runs only where a space or tab stands right before a quote (a substring search).
    A chunk without a quote needs neither: at 200k launches the patterns had taken 0.6 s of a
    validation, now a few hundredths."""
    if b'"' not in data:
        return False
    quote_then_space, space_then_quote = SPACE_BY_QUOTE
    if quote_then_space.search(data):
        return True
    return (b' "' in data or b'\t"' in data) and space_then_quote.search(data) is not None


def blank_tail(carried: bytes, chunk: bytes) -> bytes:
    """The bytes a match cut by the end of ``chunk`` can start with: its last byte that is not
    a space or tab, and the run of spaces and tabs after it (``carried`` from the chunks before,
    when the chunk is all spaces and tabs)."""
    end = len(chunk)
    while end and chunk[end - 1] in BLANKS:
        end -= 1
    return carried + chunk if end == 0 else chunk[end - 1 :]


def seam(tail: bytes, chunk: bytes) -> bytes:
    """The bytes a match cut before ``chunk`` can span: the previous chunks' ``blank_tail``, the
    run of spaces and tabs that starts this chunk, and the byte after it (no chunk is copied)."""
    start = 0
    while start < len(chunk) and chunk[start] in BLANKS:
        start += 1
    return tail + chunk[: start + 1]


@dataclass
class FileScan:
    """What a streaming pass over the bytes found; ``clean`` files can go to DuckDB."""

    clean: bool
    newlines: int = 0
    ends_with_newline: bool = True
    trailing_comma: bool = False  # a line ends in ',' (DuckDB reads 'a,b,c,' as 3 fields)


def scan_file(path: Path, expected: list[str]) -> FileScan:
    """Stream the file once: UTF-8, no BOM, no CR, no blank line, the exact header; then, only
    where the bytes leave a doubt (a space beside a quote, a line ending in a comma), read it as
    the csv module does, once for both doubts in a small file. ``clean`` means DuckDB may load
    it and will read what the pandas way reads."""
    if not path.is_file():
        return FileScan(False)
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines, quotes, previous, first, trailing = 0, 0, b"", True, False
    candidate, tail = False, b""
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            if first:
                header = chunk.split(b"\n", 1)[0]
                if chunk.startswith(BOM) or header.decode("utf-8", "replace") != ",".join(expected):
                    return FileScan(False)
                first = False
            try:
                if not chunk.isascii():
                    decoder.decode(chunk)
            except UnicodeDecodeError:
                return FileScan(False)
            blank_at_seam = previous.endswith(b"\n") and chunk.startswith(b"\n")
            if b"\r" in chunk or b"\n\n" in chunk or blank_at_seam or has_control_byte(chunk):
                return FileScan(False)
            candidate = candidate or space_by_quote(chunk) or space_by_quote(seam(tail, chunk))
            tail = blank_tail(tail, chunk)
            newlines += chunk.count(b"\n")
            quotes += chunk.count(b'"')
            trailing = (
                trailing or b",\n" in chunk or (previous.endswith(b",") and chunk.startswith(b"\n"))
            )
            previous = chunk
    if first or not previous or quotes % 2:
        return FileScan(False)
    trailing = trailing or previous.endswith(b",")
    width = len(expected)
    if candidate and trailing and path.stat().st_size <= SMALL_FILE:
        fits = _csv_reads(path, lambda row: len(row) == width and not _spaced(row))
    else:
        spaced = candidate and spaced_quote(path)
        fits = not spaced and (not trailing or same_width(path, expected))
    if not fits:
        return FileScan(False)
    return FileScan(True, newlines, previous.endswith(b"\n"), trailing)


def _csv_reads(path: Path, fits: Callable[[list[str]], bool]) -> bool:
    """Whether the csv module reads the file strictly and every record ``fits``: one pass."""
    with path.open(encoding="utf-8", newline="") as stream:
        try:
            return all(fits(row) for row in csv.reader(stream, strict=True))
        except csv.Error:
            return False


def _spaced(row: list[str]) -> bool:
    return any(cell[:1] in (" ", "\t") and cell.lstrip(" \t")[:1] == '"' for cell in row)


def spaced_quote(path: Path) -> bool:
    """Whether a cell has a space between its quotes and its comma or line break, as the csv
    module reads the file (the pandas way's reader): text after a closing quote breaks its
    strict reading, and a space before an opening quote leaves the quote in an unquoted cell.
    Run only on a byte-scan candidate. A quoted cell whose text starts with a space and a
    quote counts too: that file goes the pandas way needlessly, never the reverse."""
    return not _csv_reads(path, lambda row: not _spaced(row))


def same_width(path: Path, expected: list[str]) -> bool:
    """Every record has exactly the header's number of fields. DuckDB accepts one extra empty
    field at the end of a line (',4,5,' read as 3 fields, shifting every value), so files with
    lines ending in a comma are parsed once more, by a reader that counts strictly, streamed so
    memory stays flat. False sends the file the pandas way, which reports any fault cell by
    cell, so a reader that refuses more than it must costs time, never a verdict."""
    if path.stat().st_size <= SMALL_FILE:
        return _same_width_csv(path, len(expected))
    return _same_width_arrow(path, expected)


def _same_width_csv(path: Path, width: int) -> bool:
    return _csv_reads(path, lambda row: len(row) == width)


def _same_width_arrow(path: Path, expected: list[str]) -> bool:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=expected, skip_rows=1, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(expected, pa.string())),
        )
        for _ in reader:
            pass
    except pa.ArrowInvalid:
        return False
    return True
