"""File-level problems: each is reported with its file and line, and never with a traceback.

The faults each break one file. Faults in different files are planted together, so a few
packages, each validated once by both engines, hold them all; each test then looks for its own
problem in its package's output.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import FixturePackage, copy_fixture, validate_both_engines
from dprk_sanctions.schemas import TABLES


def first_problem(output: str) -> str:
    return output.splitlines()[0]


def test_valid_fixture_passes(package, capsys):
    code, out = package.validate(capsys)
    assert code == 0, out
    assert out.startswith(f"valid: {len(TABLES)} tables")


# --- the faults: each edits one table and returns the texts its validation must print -----------

Edit = Callable[[FixturePackage], list[str]]


def bom(package: FixturePackage) -> list[str]:
    path = package.path("launches")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return ["data/launches.csv:1: the file starts with a byte-order mark"]


def crlf(package: FixturePackage) -> list[str]:
    path = package.path("sites")
    lines = path.read_bytes().count(b"\n")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return [f"data/sites.csv:1: {lines} line(s) end in CR or CRLF"]


def latin1(package: FixturePackage) -> list[str]:
    path = package.path("sites")
    path.write_bytes(path.read_bytes().replace("Kaechŏn".encode(), "Kaech\xf6n".encode("latin-1")))
    return ["data/sites.csv:2:alternate_names: byte 0xF6 is not valid UTF-8"]


def latin1_inside_a_two_line_cell(package: FixturePackage) -> list[str]:
    path = package.path("nuclear_tests")
    header = package.rows("nuclear_tests")[0]
    row = ",".join(["x-y", *[""] * (len(header) - 2)]).encode() + b',"first line\nsecond l\xe9ne"\n'
    lines = path.read_bytes().count(b"\n")
    path.write_bytes(path.read_bytes() + row)
    return [f"data/nuclear_tests.csv:{lines + 2}:{header[-1]}: byte 0xE9 is not valid UTF-8"]


def semicolons(package: FixturePackage) -> list[str]:
    rows = package.rows("meetings")
    package.path("meetings").write_text("\n".join(";".join(r) for r in rows) + "\n")
    return ["data/meetings.csv:1: the file is semicolon-separated (separate fields with commas)"]


def ragged_row(package: FixturePackage) -> list[str]:
    path = package.path("actors")
    lines = path.read_text().splitlines()
    width = lines[0].count(",") + 1
    lines[2] = lines[2] + ",extra"
    path.write_text("\n".join(lines) + "\n")
    return [f"data/actors.csv:3: row has {width + 1} fields but the header has {width}"]


def blank_line(package: FixturePackage) -> list[str]:
    path = package.path("actors")
    lines = path.read_text().splitlines()
    lines.insert(2, "")
    path.write_text("\n".join(lines) + "\n")
    return ["data/actors.csv:3: blank line"]


def header(table: str, edit: Callable[[list[str]], list[str]], expected: str) -> Edit:
    def fault(package: FixturePackage) -> list[str]:
        rows = package.rows(table)
        first = rows[0][0]
        new_header = edit(rows[0])
        body = [r + [""] * (len(new_header) - len(r)) for r in rows[1:]]
        package.write_rows(table, [new_header, *[b[: len(new_header)] for b in body]])
        return [f"data/{table}.csv:1: {expected} (the header must be exactly: {first},"]

    return fault


def empty_file(package: FixturePackage) -> list[str]:
    package.path("sources").write_bytes(b"")
    return ["data/sources.csv:1: the file is empty (the first line must be the header: source_id,"]


def header_only(package: FixturePackage) -> list[str]:
    path = package.path("meetings")
    path.write_text(path.read_text().splitlines()[0] + "\n")
    return ["data/meetings.csv:2: the file has a header but no rows"]


def missing_file(package: FixturePackage) -> list[str]:
    package.path("transfers").unlink()
    return ["data/transfers.csv: the file is missing"]


def unclosed_quote(package: FixturePackage) -> list[str]:
    path = package.path("actors")
    path.write_text(path.read_text() + 'x-y,"Unclosed,person,RUS,,\n')
    return ["data/actors.csv:6:name: a double quote is opened and never closed"]


def text_after_closing_quote(package: FixturePackage) -> list[str]:
    """A cell starting with a quoted word: lenient readers drop the quotes, so it is an error
    (the csv module's strict reading), at its line and column."""
    path = package.path("vessels")
    header = package.rows("vessels")[0]
    row = ["x-y", *[""] * (len(header) - 2), '"Quoted" then text']
    path.write_text(path.read_text() + ",".join(row) + "\n")
    line = len(package.rows("vessels"))
    return [
        f"data/vessels.csv:{line}:{header[-1]}: a quoted value is followed by more text before "
        "the next comma"
    ]


def space_after_closing_quote(package: FixturePackage) -> list[str]:
    """DuckDB trims the space and reads the cell; the csv module refuses the file: both engines
    must report it, at its line and column."""
    path = package.path("weapon_systems")
    header = package.rows("weapon_systems")[0]
    row = ["x-y", *[""] * (len(header) - 2), '"Quoted" ']
    path.write_text(path.read_text() + ",".join(row) + "\n")
    line = len(package.rows("weapon_systems"))
    return [f"data/weapon_systems.csv:{line}:{header[-1]}: a quoted value is followed by more"]


def quote_left_open_before_other_quotes(package: FixturePackage) -> list[str]:
    """The csv module runs into the next quote lines later: the problem is where the quote
    was opened."""
    path = package.path("provisions")
    header = package.rows("provisions")[0]
    opened = ["x-y", '"left open', *[""] * (len(header) - 2)]
    later = ["x-z", *[""] * (len(header) - 2), '"a, quoted cell"']
    line = len(package.rows("provisions")) + 1
    path.write_text(path.read_text() + ",".join(opened) + "\n" + ",".join(later) + "\n")
    return [f"data/provisions.csv:{line}:{header[1]}: a double quote is opened and never closed"]


def header_alone_without_line_break(package: FixturePackage) -> list[str]:
    path = package.path("designations")
    path.write_text(path.read_text().splitlines()[0])
    return ["data/designations.csv:2: the file has a header but no rows"]


def embedded_newline(package: FixturePackage) -> list[str]:
    package.set_cell("launches", 0, "notes", "first line\nsecond line")
    package.set_cell("launches", 1, "distance_km", "far")
    return [
        "data/launches.csv:2:notes: the cell contains a line break",
        # the record after the two-line cell starts on line 4, not 3
        "data/launches.csv:4:distance_km: 'far' is not a number",
    ]


def ten_megabyte_cell(package: FixturePackage) -> list[str]:
    line = package.set_cell("sources", 0, "notes", "x" * 10_000_000)
    return [f"data/sources.csv:{line}:notes: text is 10,000,000 characters long"]


# name: (the table it breaks, the fault)
FILE_FAULTS: dict[str, tuple[str, Edit]] = {
    "bom": ("launches", bom),
    "crlf": ("sites", crlf),
    "latin-1 bytes name line and column": ("sites", latin1),
    "semicolon delimiter": ("meetings", semicolons),
    "latin-1 byte on a cell's second line names its column": (
        "nuclear_tests",
        latin1_inside_a_two_line_cell,
    ),
    "ragged row": ("actors", ragged_row),
    "blank line": ("actors", blank_line),
    "header: duplicate column": (
        "launches",
        header("launches", lambda h: [*h, h[0]], "column 'launch_id' appears twice"),
    ),
    "header: missing column": (
        "nuclear_tests",
        header("nuclear_tests", lambda h: h[:-1], "missing column 'notes'"),
    ),
    "header: extra column": (
        "weapon_systems",
        header("weapon_systems", lambda h: [*h, "extra"], "unexpected column 'extra'"),
    ),
    "header: reordered columns": (
        "provisions",
        header("provisions", lambda h: [h[1], h[0], *h[2:]], "columns are in a different order"),
    ),
    "empty file": ("sources", empty_file),
    "header-only file": ("meetings", header_only),
    "missing file": ("transfers", missing_file),
    "unclosed quote": ("actors", unclosed_quote),
    "text after a closing quote": ("vessels", text_after_closing_quote),
    "a space after a closing quote": ("weapon_systems", space_after_closing_quote),
    "a quote left open before other quotes": ("provisions", quote_left_open_before_other_quotes),
    "a header alone, without a line break": ("designations", header_alone_without_line_break),
    "embedded newline points at its line and keeps later lines right": (
        "launches",
        embedded_newline,
    ),
    "ten-megabyte cell": ("sources", ten_megabyte_cell),
}


def groups() -> list[list[str]]:
    """The faults in as few packages as possible, no two in one file."""
    packed: list[list[str]] = []
    for name, (table, _) in FILE_FAULTS.items():
        group = next((g for g in packed if table not in {FILE_FAULTS[n][0] for n in g}), None)
        if group is None:
            packed.append(group := [])
        group.append(name)
    return packed


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, tuple[list[str], list[str]]]:
    """For each fault: the texts it expects and the output of validating its package."""
    found = {}
    for number, group in enumerate(groups()):
        package = copy_fixture(tmp_path_factory.mktemp(f"files-{number}") / "package")
        expected = {name: FILE_FAULTS[name][1](package) for name in group}
        code, out = validate_both_engines(package.root)
        assert code == 1, out
        for name in group:
            found[name] = (expected[name], out.splitlines())
    return found


def test_faults_are_packed_into_few_packages():
    assert len(groups()) <= 5
    assert sorted(n for g in groups() for n in g) == sorted(FILE_FAULTS)


@pytest.mark.parametrize("name", FILE_FAULTS)
def test_each_file_fault_is_reported(outputs, name):
    expected, lines = outputs[name]
    for text in expected:
        assert any(line.startswith(text) for line in lines), (text, lines)


def test_a_ten_megabyte_value_is_not_echoed(outputs):
    _, lines = outputs["ten-megabyte cell"]
    assert max(len(line) for line in lines) < 2000


def test_a_lone_quote_inside_an_unquoted_cell_is_a_literal_quote(package):
    """As for the csv module, pyarrow and fmt: the cell keeps its quote and the file is valid."""
    from dprk_sanctions.api import load_table

    path = package.path("sites")
    lines = path.read_text().splitlines()
    lines[1] += 'a 24" tube'  # an empty notes cell gets a literal quote
    path.write_text("\n".join(lines) + "\n")
    code, out = validate_both_engines(package.root)
    assert code == 0, out
    assert load_table("sites", package.root)["notes"].iloc[0].endswith('24" tube')


def test_no_descriptor_is_a_usage_error(tmp_path, capsys):
    from dprk_sanctions.cli import main

    assert main(["validate", str(tmp_path)]) == 2
    assert "no such descriptor" in capsys.readouterr().err


def test_descriptor_with_escaping_path_is_refused(package, capsys):
    descriptor = package.root / "datapackage.json"
    descriptor.write_text(descriptor.read_text().replace('"data/actors.csv"', '"../actors.csv"'))
    code, _out = package.validate(capsys)
    assert code == 2


def test_validation_never_changes_files(package, capsys):
    package.set_cell("launches", 0, "notes", " padded ")
    path = package.path("launches")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    before = {p: p.read_bytes() for p in package.root.rglob("*") if p.is_file()}
    package.validate(capsys)
    after = {p: p.read_bytes() for p in package.root.rglob("*") if p.is_file()}
    assert before == after


@pytest.mark.parametrize("engine", ["duckdb", "pandas"])
def test_problems_name_the_file_the_descriptor_points_at(package, engine):
    """The descriptor is the one source for file paths: a table moved to tables/ is reported
    there, in the location, the message and the fix, by both engines."""
    import json

    from dprk_sanctions.package import open_package
    from dprk_sanctions.validate import validate_package

    (package.root / "tables").mkdir()
    package.path("sources").rename(package.root / "tables" / "sources.csv")
    descriptor = json.loads((package.root / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "sources":
            resource["path"] = "tables/sources.csv"
    (package.root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    package.set_cell("launch_sources", 0, "source_id", "no-such-source")
    problems = validate_package(open_package(package.root), engine=engine).problems
    dangling = [p for p in problems if p.rule == "foreign-key"]
    assert [p.file for p in dangling] == ["data/launch_sources.csv"]
    assert "tables/sources.csv" in dangling[0].message
    assert "tables/sources.csv" in dangling[0].fix
    everything = " ".join(f"{p.file} {p.message} {p.fix}" for p in problems)
    assert "data/sources.csv" not in everything


def test_the_quoting_fault_is_found_past_clean_records():
    """The scan starts at a record; a later record that opens with a quoted cell is read as
    quoted (a line break starts a cell, as a comma does)."""
    from dprk_sanctions.csvfile import _quoting_fault

    text = 'a,b\n1,2\n"x" y,3\n'
    assert _quoting_fault(text, 2, ["a", "b"]) == (3, "a", False)
    assert _quoting_fault('a,b\n1,"open\n2,3\n', 2, ["a", "b"]) == (2, "b", True)
