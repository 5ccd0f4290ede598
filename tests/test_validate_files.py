"""File-level problems: each is reported with its file and line, and never with a traceback."""

from __future__ import annotations

import pytest
from dprk_sanctions.schemas import TABLES


def first_problem(output: str) -> str:
    return output.splitlines()[0]


def test_valid_fixture_passes(package, capsys):
    code, out = package.validate(capsys)
    assert code == 0, out
    assert out.startswith(f"valid: {len(TABLES)} tables")


def test_bom(package, capsys):
    path = package.path("launches")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out = package.validate(capsys)
    assert code == 1
    assert first_problem(out).startswith(
        "data/launches.csv:1: the file starts with a byte-order mark"
    )


def test_crlf(package, capsys):
    path = package.path("sites")
    lines = path.read_bytes().count(b"\n")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    code, out = package.validate(capsys)
    assert code == 1
    assert f"data/sites.csv:1: {lines} line(s) end in CR or CRLF" in out


def test_latin1_bytes_name_line_and_column(package, capsys):
    path = package.path("sites")
    path.write_bytes(path.read_bytes().replace("Kaechŏn".encode(), "Kaech\xf6n".encode("latin-1")))
    code, out = package.validate(capsys)
    assert code == 1
    assert "data/sites.csv:2:alternate_names: byte 0xF6 is not valid UTF-8" in out


def test_semicolon_delimiter(package, capsys):
    rows = package.rows("meetings")
    package.path("meetings").write_text("\n".join(";".join(r) for r in rows) + "\n")
    code, out = package.validate(capsys)
    assert code == 1
    assert (
        "data/meetings.csv:1: the file is semicolon-separated (separate fields with commas)" in out
    )


def test_ragged_row(package, capsys):
    path = package.path("actors")
    lines = path.read_text().splitlines()
    width = lines[0].count(",") + 1
    lines[2] = lines[2] + ",extra"
    path.write_text("\n".join(lines) + "\n")
    code, out = package.validate(capsys)
    assert code == 1
    assert f"data/actors.csv:3: row has {width + 1} fields but the header has {width}" in out


def test_blank_line(package, capsys):
    path = package.path("actors")
    lines = path.read_text().splitlines()
    lines.insert(2, "")
    path.write_text("\n".join(lines) + "\n")
    code, out = package.validate(capsys)
    assert code == 1
    assert "data/actors.csv:3: blank line" in out


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda h: [*h, "launch_id"], "column 'launch_id' appears twice"),
        (lambda h: h[:-1], "missing column 'notes'"),
        (lambda h: [*h, "extra"], "unexpected column 'extra'"),
        (lambda h: [h[1], h[0], *h[2:]], "columns are in a different order"),
    ],
    ids=["duplicate", "missing", "extra", "reordered"],
)
def test_header_problems(package, capsys, edit, expected):
    rows = package.rows("launches")
    header = edit(rows[0])
    body = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
    package.write_rows("launches", [header, *[b[: len(header)] for b in body]])
    code, out = package.validate(capsys)
    assert code == 1
    assert f"data/launches.csv:1: {expected} (the header must be exactly: launch_id," in out


def test_empty_file(package, capsys):
    package.path("sources").write_bytes(b"")
    code, out = package.validate(capsys)
    assert code == 1
    assert (
        "data/sources.csv:1: the file is empty (the first line must be the header: source_id,"
        in out
    )


def test_header_only_file(package, capsys):
    path = package.path("meetings")
    path.write_text(path.read_text().splitlines()[0] + "\n")
    code, out = package.validate(capsys)
    assert code == 1
    assert "data/meetings.csv:2: the file has a header but no rows" in out


def test_missing_file(package, capsys):
    package.path("transfers").unlink()
    code, out = package.validate(capsys)
    assert code == 1
    assert "data/transfers.csv: the file is missing" in out


def test_unclosed_quote(package, capsys):
    path = package.path("actors")
    path.write_text(path.read_text() + 'x-y,"Unclosed,person,RUS,,\n')
    code, out = package.validate(capsys)
    assert code == 1
    assert "data/actors.csv:6: the CSV cannot be parsed" in out


def test_embedded_newline_points_at_its_line_and_keeps_later_lines_right(package, capsys):
    package.set_cell("launches", 0, "notes", "first line\nsecond line")
    package.set_cell("launches", 1, "distance_km", "far")
    code, out = package.validate(capsys)
    assert code == 1
    assert "data/launches.csv:2:notes: the cell contains a line break" in out
    # the record after the two-line cell starts on line 4, not 3
    assert "data/launches.csv:4:distance_km: 'far' is not a number" in out


def test_ten_megabyte_cell(package, capsys):
    line = package.set_cell("sources", 0, "notes", "x" * 10_000_000)
    code, out = package.validate(capsys)
    assert code == 1
    assert f"data/sources.csv:{line}:notes: text is 10,000,000 characters long" in out
    assert len(out) < 2000  # the value itself is not echoed


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
