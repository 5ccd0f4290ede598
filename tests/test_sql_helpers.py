"""The DuckDB engine's SQL helpers, one by one, against the Python rules they stand for.

The engine's prefilter only has to over-approximate the pandera rules (pandera decides on the
flagged rows); the differential tests prove the engines agree on whole packages. These tests pin
each helper on its own, in-process and in milliseconds: the SQL a check kind compiles to accepts
the column's example and rejects its declared violation; patterns mean the same in RE2 as in
Python; typed expressions parse what Python parses; the text-rule flag catches every cell a text
rule fails; the byte scan sends every unusual file the pandas way.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pandas as pd
import pytest
from dprk_sanctions import sqlscan
from dprk_sanctions.ddl import check_condition
from dprk_sanctions.prefilter import row_hygiene_flag, type_flag
from dprk_sanctions.rowchecks import HYGIENE_RULES, _type_rules
from dprk_sanctions.schemas import ROW_RULES, TABLES
from dprk_sanctions.schemas.check_kinds import kind_of, re2_pattern
from dprk_sanctions.schemas.sources import address_holds
from dprk_sanctions.sqlload import typed_expression
from dprk_sanctions.sqlscan import has_control_byte, same_width, scan_file
from dprk_sanctions.sqltext import quote_literal


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def sql_value(con: duckdb.DuckDBPyConnection, expression: str, cell: str | None) -> object:
    """Evaluate ``expression`` over one text cell named ``c``."""
    literal = "NULL" if cell is None else quote_literal(cell)
    [(value,)] = con.execute(
        f"SELECT {expression} FROM (SELECT {literal}::VARCHAR AS c)"
    ).fetchall()
    return value


COLUMN_CHECKS = [
    (table.name, name, column, check)
    for table in TABLES
    for name, column in table.schema.columns.items()
    for check in column.checks
]


@pytest.mark.parametrize(
    ("table", "name", "column", "check"),
    COLUMN_CHECKS,
    ids=[f"{t}.{n}.{c.name}" for t, n, _, c in COLUMN_CHECKS],
)
def test_each_check_compiles_to_sql_that_splits_example_from_violation(
    con, table, name, column, check
):
    kind = kind_of(check.name)
    condition = check_condition('"typed"', check, column.metadata)
    typed = typed_expression("c", column.metadata["type"])

    def passes(cell: str | None) -> object:
        return sql_value(con, f'(SELECT {condition} FROM (SELECT {typed} AS "typed"))', cell)

    example = str(column.metadata["example"])  # an empty example (notes) stands for any text
    assert passes(example or "any text") is True
    assert passes(kind.violation(check.statistics, column.metadata)) is False
    assert passes(None) is None  # unknown is never a failure (coalesced to true by the engine)


PATTERNS = sorted(
    {
        column.metadata.get("pattern", check.statistics.get("pattern"))
        for table in TABLES
        for column in table.schema.columns.values()
        for check in column.checks
        if check.name == "str_matches"
    }
)
SAMPLES = [
    "launches",
    "2024-09-18-kaechon",
    "https://example.org/a?b=c",
    "https://example.org/a b",
    "https://example.org/a\u00a0b",  # no-break space: whitespace to Python, not to plain RE2
    "https://example.org/a\u2003b",
    "a\tb",
    "unscr-1718-op8a",
    "srbm;mrbm",
    "srbm; mrbm",
    "12:30",
    "24:00",
    "Q12345",
    "",
    "Not Valid!",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_patterns_mean_the_same_in_re2_as_in_python(con, pattern):
    for sample in SAMPLES:
        python = re.search(pattern, sample) is not None
        sql = sql_value(con, f"regexp_matches(c, {quote_literal(re2_pattern(pattern))})", sample)
        assert sql is python, (pattern, sample)


@pytest.mark.parametrize(
    ("kind", "cell", "expected"),
    [
        ("integer", "12", 12),
        ("integer", "-3", -3),
        ("integer", "1.5", "rejected"),
        ("integer", "x", "rejected"),
        ("number", "1.5", 1.5),
        ("number", "-20", -20.0),
        ("number", "1e3", "rejected"),  # Python's float() reads it; the package asks for digits
        ("date", "2024-02-29", pd.Timestamp("2024-02-29").date()),
        ("date", "2023-02-29", "rejected"),  # not a real calendar date
        ("date", "2024-9-18", "rejected"),
        ("boolean", "true", True),
        ("boolean", "false", False),
        ("boolean", "TRUE", "rejected"),
    ],
)
def test_type_flag_and_typed_expression_agree_with_the_python_type_rules(con, kind, cell, expected):
    """The raw type flag rejects exactly what the Python type rule rejects; what passes it is
    converted to the value Python would hold."""
    flag = type_flag("c", kind)
    assert flag is not None  # every kind here but string has a type rule
    ((_, passes),) = _type_rules(kind)
    python_rejects = not bool(passes(pd.Series([cell], dtype="string")).all())
    assert sql_value(con, flag, cell) is python_rejects is (expected == "rejected")
    if expected != "rejected":
        assert sql_value(con, typed_expression("c", kind), cell) == expected


BAD_TEXT = [
    " padded",
    "padded ",
    "\u3000padded",
    "padded\xa0",
    "N/A",
    "?",
    "=1+1",
    "+cmd",
    "@SUM(A1)",
    "-x",
    "a\nb",
    "a\x07b",
]
GOOD_TEXT = [
    "Kaechon",
    "2024-09-18",
    "Hwasong-11",
    "(KN-23)",
    "what?",
    "50%",
    "a/b",
    "조선중앙통신",
    "「北朝鮮」",
    "«Указ»",
    "*note*",
    "x=1",
]


def python_text_rules_fail(cell: str) -> bool:
    series = pd.Series([cell], dtype="string")
    return not all(bool(passes(series).all()) for _, passes in HYGIENE_RULES)


def row_flag(con: duckdb.DuckDBPyConnection, cells: list[str | None]) -> object:
    """The row text flag over one row of text cells c0, c1, ..."""
    literals = ", ".join(
        f"{'NULL' if cell is None else quote_literal(cell)}::VARCHAR AS c{i}"
        for i, cell in enumerate(cells)
    )
    expression = row_hygiene_flag([f"c{i}" for i in range(len(cells))])
    [(value,)] = con.execute(f"SELECT {expression} FROM (SELECT {literals})").fetchall()
    return value


@pytest.mark.parametrize("cell", BAD_TEXT + GOOD_TEXT)
@pytest.mark.parametrize("position", [0, 1, 2, 3])
def test_the_row_text_flag_catches_every_cell_a_text_rule_fails(con, cell, position):
    """The cells of a row are tested as one joined text: a failing cell is caught wherever it
    stands, beside empty cells too, and ordinary text is not flagged."""
    cells: list[str | None] = ["Kaechon", None, "50%"]  # good cells and an empty one
    cells.insert(position, cell)
    assert python_text_rules_fail(cell) is (cell in BAD_TEXT)
    if cell in BAD_TEXT:
        assert row_flag(con, cells) is True, cells  # a superset: the row goes to pandera
    else:
        assert row_flag(con, cells) is False, cells  # or the prefilter would be useless


def test_the_row_text_flag_sees_every_character_python_strips(con):
    """Padding is whatever str.strip removes: every whitespace character of Unicode, at either
    end of a cell, is flagged, so the flag stays a superset of the padding rule."""
    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    for space in spaces:
        for cell in (f"{space}x", f"x{space}"):
            assert python_text_rules_fail(cell)
            assert row_flag(con, ["ok", cell]) is True, repr(cell)


def test_a_row_of_empty_cells_is_not_flagged(con):
    assert row_flag(con, [None, None]) is False


def test_control_bytes_are_found_anywhere_in_a_chunk():
    assert not has_control_byte(b"plain text,\xc5\x8f\n")
    assert all(has_control_byte(b"a" + bytes([byte]) + b"b") for byte in (0, 7, 9, 11, 27, 127))
    assert not has_control_byte(b"line\nbreak")  # LF is the record separator


@pytest.mark.parametrize(
    ("content", "clean"),
    [
        (b"a,b\n1,2\n", True),
        (b'a,b\n"1\nstill one",2\n', True),  # a quoted line break is data
        (b"\xef\xbb\xbfa,b\n1,2\n", False),  # BOM
        (b"a,b\r\n1,2\r\n", False),  # CRLF
        (b"a,b\n1,2\n\n3,4\n", False),  # blank line
        (b"a,b\n1,\xff\n", False),  # not UTF-8
        (b'a,b\n"1,2\n', False),  # an open quote
        (b"a,c\n1,2\n", False),  # another header
        (b"a,b\n", True),  # a header only: DuckDB loads no rows, the engine reports it
        (b'a,b\n"x" ,2\n', False),  # a space after a closing quote: DuckDB would trim it
        (b'a,b\n1, "x"\n', False),  # a space before an opening quote
        (b'a,b\n5" gun, "y"\n6" gun,x\n', False),  # the same between two literal quotes
        (b'a,b\n"says, ""no"" , ok",2\n', True),  # quotes inside a quoted cell are data
    ],
)
def test_the_byte_scan_sends_unusual_files_the_pandas_way(tmp_path, content, clean):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    assert scan_file(path, ["a", "b"]).clean is clean


@pytest.mark.parametrize(
    ("data", "candidate"),
    [
        (b"a,b\n1,2\n", False),  # no quote at all
        (b'a,"x",b\n', False),  # quotes, no space beside them
        (b'a,"x y",b\n', False),  # spaces inside the quoted cell only
        (b'a,"x" ,b\n', True),  # a space after a closing quote, then a comma
        (b'a,"x"\t\t\n', True),  # tabs after a closing quote, then a line break
        (b'a, "x",b\n', True),  # a space before an opening quote
        (b'a,\t \t"x",b\n', True),  # a run of spaces and tabs before it
        (b'a\n "x",b\n', True),  # after a line break
        (b'a,5 "x",b\n', False),  # a space before a quote, but not after a comma
        (b'a,"x" y,b\n', False),  # a space after a quote, but not before a comma
    ],
)
def test_a_space_beside_a_quote_is_a_candidate_only_between_quote_and_separator(data, candidate):
    pattern_says = any(pattern.search(data) for pattern in sqlscan.SPACE_BY_QUOTE)
    assert sqlscan.space_by_quote(data) is candidate is pattern_says


@pytest.mark.parametrize("row", [b'1, \t "x"\n', b'"x" \t ,1\n', b"1," + b" " * 200 + b'"x"\n'])
@pytest.mark.parametrize("split", [1, 2, 3, 4, 5, 100])
def test_a_space_beside_a_quote_is_found_across_chunks(tmp_path, monkeypatch, row, split):
    """The byte scan reads the file in chunks: a candidate cut by a chunk's end is found,
    however long its run of spaces."""
    monkeypatch.setattr(sqlscan, "CHUNK", 4 + split)  # the header 'a,b' and its line break first
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n" + row)
    assert not scan_file(path, ["a", "b"]).clean


def test_the_byte_scan_counts_lines_and_sees_a_trailing_comma(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'a,b\n"x\ny",2\n3,\n')
    scan = scan_file(path, ["a", "b"])
    assert (scan.clean, scan.newlines, scan.ends_with_newline, scan.trailing_comma) == (
        True,
        4,
        True,
        True,
    )


@pytest.mark.parametrize(
    ("content", "same"),
    [
        (b"a,b,c\n1,,\n,2,\n", True),  # empty last cells, the header's width
        (b"a,b,c\n,4,5,\n", False),  # one empty field too many: DuckDB would read 3
        (b'a,b,c\n"x\ny",2,\n1,2,3,\n', False),  # the same after a quoted line break
        (b'a,b,c\n"x\ny",2,\n', True),
        (b"a,b,c\n1,2\n", False),  # a field too few
    ],
)
@pytest.mark.parametrize("reader", ["csv", "pyarrow"])
def test_same_width_counts_fields_strictly_with_either_reader(
    tmp_path, monkeypatch, content, same, reader
):
    """Small files are counted by the csv module (no pyarrow import), large ones by pyarrow:
    both give the same answer (the threshold is lowered to make a small file 'large')."""
    if reader == "pyarrow":
        monkeypatch.setattr(sqlscan, "SMALL_FILE", 0)
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    assert same_width(path, ["a", "b", "c"]) is same


ADDRESSES = [
    ("https://example.org/2019/09/04/story", True),
    ("https://example.org/news/20190904000123", True),
    ("https://example.org/archive/2019-09/04/content_1.htm", True),
    ("https://example.org/n/2019/0904/c1-2.html", True),
    ("https://example.org/politics/04/09/2019/abc", True),
    ("https://example.org/world/2019/SEP/04/story", True),
    ("https://example.org/archives/la-xpm-2019-sep-04-story.html", True),
    ("https://example.org/News/2019/9/4/story", True),
    ("https://example.org/2019/WORLD/asia/09/04/story/", True),
    ("https://example.org/TKY190904", True),
    ("https://example.org/korea/story-09042019171824.html", True),
    ("https://example.org/a/201909/04/WS5d6f.html", True),
    ("https://example.org/government/news/a-statement-4-september-2019", True),
    ("https://example.org/a/nk-09-04-19-128521638/1342958.html", True),
    ("https://example.org/2019/09/05/story", False),
    ("https://example.org/2019/9/14/story", False),
    ("https://example.org/1567555200.html", False),
    ("https://example.org/2019/09/story-04", False),
    ("https://example.org/korea/story-04092019171824.html", False),
    ("https://example.org/a/201909/14/WS5d6f.html", False),
    ("https://example.org/government/news/a-statement-14-september-2019", False),
    ("https://example.org/a/nk-09-14-19-128521638/1342958.html", False),
]


@pytest.mark.parametrize(("url", "holds"), ADDRESSES)
def test_an_address_date_reads_the_same_in_python_and_sql(con, url, holds):
    """address_holds_date: each written form of 4 Sep 2019 in an address, and near misses."""
    rule = ROW_RULES["address_holds_date"]
    sql = f"SELECT {rule.sql} FROM (SELECT ? AS url, DATE '2019-09-04' AS published_date, 'address' AS published_date_from)"
    assert con.execute(sql, [url]).fetchone() == (holds,)
    assert address_holds(url, dt.date(2019, 9, 4)) is holds


@pytest.mark.parametrize(
    ("content", "clean"),
    [
        (b'a,b\n"says, ""no"" , ok",\n', True),  # both doubts, both cleared in one pass
        (b'a,b\n"says, ""no"" , ok",\n1,2,\n', False),  # a field too many
        (b'a,b\n"x" ,\n', False),  # a space after a closing quote
    ],
)
def test_a_file_with_both_doubts_is_read_once_and_judged_on_both(tmp_path, content, clean):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    assert scan_file(path, ["a", "b"]).clean is clean
