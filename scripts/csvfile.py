"""File-level checks and fast reading of one CSV into a frame of raw strings.

Nothing here changes a file. The fast path parses with pyarrow; the slow paths (locating ragged
rows, mapping records to lines when quoted fields hold line breaks) use the csv module and only
run when they are needed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .problems import Problem, show_value

BOM = b"\xef\xbb\xbf"
# a quote that does not open a cell (after a comma or line break) and has text after it: a
# closing quote followed by more text (which breaks strict CSV, whatever the quote count), or a
# doubled or lone quote inside a cell (which does not); the csv module tells them apart
_QUOTE_BEFORE_TEXT = re.compile(rb'(?<![,\n])"(?![,\n"])')
OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}
csv.field_size_limit(2**31 - 1)


@dataclass
class RawTable:
    """A table read as strings (empty cell = missing), with each record's line number."""

    frame: pd.DataFrame | None
    lines: np.ndarray | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.frame is not None


def _problem(
    file: str, line: int | None, rule: str, message: str, fix: str, column: str | None = None
) -> Problem:
    return Problem(file, line, column, rule, message, fix)


def no_rows_problem(file: str) -> Problem:
    return _problem(
        file,
        2,
        "no-rows",
        "the file has a header but no rows",
        "every table holds at least one record",
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, file: str, header: list[str]) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    found: list[tuple[int, int, bytes]] = []  # (line, offset in the file, the byte)
    start = 0
    for number, raw_line in enumerate(data.split(b"\n"), start=1):
        try:
            raw_line.decode("utf-8")
        except UnicodeDecodeError as error:
            found.append((number, start + error.start, raw_line[error.start : error.start + 1]))
        start += len(raw_line) + 1
    columns = _fields_at(data, [offset for _, offset, _ in found])
    problems = [
        _problem(
            file,
            number,
            "encoding",
            f"byte 0x{bad.hex().upper()} is not valid UTF-8",
            "the file looks saved as Latin-1 or Windows-1252; save it as UTF-8",
            header[index] if 0 <= index < len(header) else None,
        )
        for (number, _, bad), index in zip(found, columns, strict=True)
    ]
    return None, problems


def _fields_at(data: bytes, offsets: list[int]) -> list[int]:
    """The field index (in its record) of the byte at each of ``offsets`` (ascending). A line
    starts a record when an even number of quotes precede it (commas, quotes and line breaks
    are single ASCII bytes in UTF-8 and Latin-1 alike), so a quoted cell spanning lines keeps
    its column on its later lines; only each record's own bytes are walked in Python."""
    indexes: list[int] = []
    counted_to, quotes = 0, 0  # quotes before counted_to
    for offset in offsets:
        start = data.rfind(b"\n", 0, offset) + 1
        quotes += data.count(b'"', counted_to, start)
        counted_to = start
        before = quotes
        while before % 2 and start > 0:  # inside a quoted cell: the record began earlier
            earlier = data.rfind(b"\n", 0, start - 1) + 1
            before -= data.count(b'"', earlier, start)
            start = earlier
        field, quoted = 0, False
        for byte in data[start:offset]:
            if byte == 0x22:  # a doubled quote toggles twice, which leaves the state
                quoted = not quoted
            elif byte == 0x2C and not quoted:
                field += 1
        indexes.append(field)
    return indexes


def _check_header(found: list[str], expected: list[str], file: str) -> list[Problem]:
    if found == expected:
        return []
    fix_order = "the header must be exactly: " + ",".join(expected)
    if len(found) == 1 and len(expected) > 1:
        for delimiter, name in OTHER_DELIMITERS.items():
            if delimiter in found[0]:
                return [
                    _problem(
                        file,
                        1,
                        "delimiter",
                        f"the file is {name}-separated",
                        "separate fields with commas",
                    )
                ]
    problems = []
    seen: set[str] = set()
    for name in found:
        if name in seen:
            problems.append(
                _problem(file, 1, "header", f"column {show_value(name)} appears twice", fix_order)
            )
        seen.add(name)
    for name in found:
        if name not in expected:
            problems.append(
                _problem(file, 1, "header", f"unexpected column {show_value(name)}", fix_order)
            )
    for name in expected:
        if name not in seen:
            problems.append(
                _problem(file, 1, "header", f"missing column {show_value(name)}", fix_order)
            )
    if not problems:
        problems.append(_problem(file, 1, "header", "columns are in a different order", fix_order))
    return problems


def record_lines(
    text: str, file: str = "", header: list[str] | None = None, keep_rows: bool = False
) -> tuple[list[int], list[Problem], list[list[str]]]:
    """First line of every record after the header, by the csv module (the slow, exact path);
    with ``keep_rows``, the records too."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    starts: list[int] = []
    rows: list[list[str]] = []
    problems: list[Problem] = []
    last_end = 0
    try:
        for row in reader:
            starts.append(last_end + 1)
            if keep_rows:
                rows.append(row)
            last_end = reader.line_num
    except csv.Error:
        line, column, unclosed = _quoting_fault(text, last_end + 1, header or [])
        problems.append(
            _problem(
                file,
                line,
                "quoting",
                "a double quote is opened and never closed"
                if unclosed
                else "a quoted value is followed by more text before the next comma",
                "quote the whole cell and double each quote inside it (the text '\"A\" b' "
                'is written \'"""A"" b"\'), or close the quote that was opened',
                column,
            )
        )
    return starts[1:], problems, rows[1:]


def _quoting_fault(text: str, start_line: int, header: list[str]) -> tuple[int, str | None, bool]:
    """Where the record starting on ``start_line`` breaks the quoting rules: the line, the
    column, and whether a quote is left open at the end of the file."""
    offset = 0
    for _ in range(start_line - 1):
        offset = text.index("\n", offset) + 1
    line, field, at_start, quoted, opened = start_line, 0, True, False, start_line
    i = offset
    while i < len(text):
        char = text[i]
        if quoted and char == '"':
            if text[i + 1 : i + 2] == '"':
                i += 2
                continue
            quoted = False
            if text[i + 1 : i + 2] not in (",", "\n", ""):
                if line > opened:  # the cell ran over a line break: its quote was left open
                    return opened, _name(header, field), True
                break
        elif quoted and char == "\n":
            line += 1
        elif not quoted and char == '"' and at_start:
            quoted, opened = True, line
        elif not quoted and char == ",":
            field, at_start, i = field + 1, True, i + 1
            continue
        elif not quoted and char == "\n":  # a clean record: the fault is in a later one
            line, field, at_start, i = line + 1, 0, True, i + 1
            continue
        at_start = False
        i += 1
    return (opened if quoted else line), _name(header, field), quoted  # unclosed: where it opened


def _name(header: list[str], field: int) -> str | None:
    return header[field] if field < len(header) else None


def _ragged_problems(text: str, width: int, file: str) -> list[Problem]:
    starts, problems, rows = record_lines(text, file, None, keep_rows=True)
    for line, row in zip(starts, rows, strict=True):
        if row == [] or row == [""]:
            problems.append(
                _problem(
                    file, line, "blank-line", "blank line or row of empty cells", "delete the line"
                )
            )
        elif len(row) != width:
            problems.append(
                _problem(
                    file,
                    line,
                    "ragged-row",
                    f"row has {len(row)} fields but the header has {width}",
                    "check for a missing or extra comma, and quote values that contain commas",
                )
            )
    return problems


def read_csv(path: Path, file: str, expected: list[str]) -> RawTable:
    """Read one table's CSV as strings, after the checks that make parsing trustworthy."""
    if not path.is_file():
        return RawTable(
            None,
            None,
            [
                _problem(
                    file,
                    None,
                    "missing-file",
                    "the file is missing",
                    "restore it: every table needs its CSV",
                )
            ],
        )
    data = path.read_bytes()
    problems: list[Problem] = []
    if data.startswith(BOM):
        problems.append(
            _problem(
                file,
                1,
                "bom",
                "the file starts with a byte-order mark (BOM)",
                "save it as UTF-8 without BOM",
            )
        )
        data = data[len(BOM) :]
    if not data.strip():
        empty = _problem(
            file,
            1,
            "empty-file",
            "the file is empty",
            f"the first line must be the header: {','.join(expected)}",
        )
        return RawTable(None, None, [*problems, empty])
    text, encoding_problems = _decode(data, file, expected)
    if text is None:
        return RawTable(None, None, problems + encoding_problems)
    if "\r" in text:
        first = text.index("\r")
        count = text.count("\r")
        problems.append(
            _problem(
                file,
                _line_of(data, first),
                "line-endings",
                f"{count} line(s) end in CR or CRLF (Windows line endings)",
                "save the file with LF (Unix) line endings",
            )
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        data = text.encode("utf-8")

    if data.count(b'"') % 2 or _QUOTE_BEFORE_TEXT.search(data):
        # an opening quote never closed, or text after a closing quote: pyarrow would read on
        # and drop quotes, so the csv module decides (a lone quote inside an unquoted cell is
        # a literal quote for both)
        known_starts, quoting, _ = record_lines(text, file, expected)
        if quoting:
            return RawTable(None, None, problems + quoting)
    else:
        known_starts = None

    header_line = text.split("\n", 1)[0]
    header = next(csv.reader([header_line]))
    header_problems = _check_header(header, expected, file)
    if header_problems:
        return RawTable(None, None, problems + header_problems)

    if b"\n" not in data:  # the header alone, with no line break: pyarrow cannot skip it
        data += b"\n"
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=expected, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(expected, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid:
        ragged = _ragged_problems(text, len(expected), file)
        if not ragged:  # pyarrow refused the file for a reason the csv module did not see
            ragged = [
                _problem(
                    file,
                    None,
                    "parse",
                    "the file cannot be parsed as CSV",
                    "check its quoting and commas",
                )
            ]
        return RawTable(None, None, problems + ragged)

    frame = table.to_pandas()
    if table.num_rows == 0:
        problems.append(no_rows_problem(file))
    newlines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if newlines == table.num_rows + 1:
        lines = np.arange(2, table.num_rows + 2)
    else:  # quoted values hold line breaks: find where each record starts
        starts = known_starts if known_starts is not None else record_lines(text)[0]
        lines = np.asarray(starts[: table.num_rows])
    blank = frame.isna().all(axis=1).to_numpy()
    if blank.any():  # a blank line, or a row of empty cells: report it and leave it out
        problems += [
            _problem(
                file, int(line), "blank-line", "blank line or row of empty cells", "delete the line"
            )
            for line in lines[blank]
        ]
        frame = frame[~blank].reset_index(drop=True)
        lines = lines[~blank]
    return RawTable(frame, lines, problems)
