"""`dprk-data diff`: rows matched by key, never by line; correct on a corpus of synthetic edits
and on real revisions of this repository."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest
from conftest import REPO, git
from dprk_sanctions.cli import main
from dprk_sanctions.diff import _blobs_at, diff_package, diff_sides, read_directory
from dprk_sanctions.schemas import TABLES


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _copy(package, tmp_path, name: str):
    target = tmp_path / name
    shutil.copytree(package.root, target)
    return target


def test_reordered_rows_and_requoted_cells_are_no_change(package, tmp_path, capsys):
    base = _copy(package, tmp_path, "base")
    rows = package.rows("launches")
    package.write_rows("launches", [rows[0], *reversed(rows[1:])])
    code, out, _ = _run(capsys, str(base), str(package.root))
    assert code == 0 and out.startswith("no differences"), out


def test_the_synthetic_corpus(package, tmp_path, capsys):
    base = _copy(package, tmp_path, "base")
    original = package.rows("launches")
    # a field change, a quoted line break in a changed cell, a rename (remove + add with a
    # tombstone), an added citation, and rows reordered
    package.set_cell("launches", 0, "apogee_km", "101")
    package.set_cell("launches", 1, "notes", 'two\nlines, "quoted"')
    rows = package.rows("launches")
    renamed = list(rows[3])
    renamed[0] = "2024-09-19-sinpo"
    package.write_rows("launches", [rows[0], rows[2], rows[1], renamed])
    citations = package.rows("launch_sources")
    moved = [[("2024-09-19-sinpo" if r[0] == rows[3][0] else r[0]), *r[1:]] for r in citations]
    package.write_rows("launch_sources", moved)
    package.append_row(
        "retired_ids",
        {
            "retired_id": rows[3][0],
            "table_name": "launches",
            "replaced_by": "2024-09-19-sinpo",
            "retired_date": "2024-09-20",
            "reason": "Renamed",
        },
    )
    code, out, _ = _run(capsys, str(base), str(package.root), "--format", "json")
    assert code == 0
    result = json.loads(out)
    launches = result["tables"]["launches"]
    assert [r["launch_id"] for r in launches["added"]] == ["2024-09-19-sinpo"]
    assert [r["launch_id"] for r in launches["removed"]] == [rows[3][0]]
    changed = {tuple(c["key"]): c["fields"] for c in launches["changed"]}
    assert changed == {
        (rows[1][0],): {"apogee_km": {"old": original[1][9], "new": "101"}},
        (rows[2][0],): {"notes": {"old": original[2][15], "new": 'two\nlines, "quoted"'}},
    }
    cites = result["tables"]["launch_sources"]
    assert {r["launch_id"] for r in cites["added"]} == {"2024-09-19-sinpo"}
    assert {r["launch_id"] for r in cites["removed"]} == {rows[3][0]}
    assert result["summary"]["retired_ids"] == {"added": 1, "removed": 0, "changed": 0}
    assert set(result["summary"]) == {"launches", "launch_sources", "retired_ids"}


def test_text_and_markdown_name_the_changes(package, tmp_path, capsys):
    base = _copy(package, tmp_path, "base")
    package.set_cell("launches", 0, "apogee_km", "101")
    _, text, _ = _run(capsys, str(base), str(package.root))
    assert "launches: 0 added, 0 removed, 1 changed" in text
    assert "~ 2024-09-18-kaechon: apogee_km: '' -> '101'" in text
    _, markdown, _ = _run(capsys, str(base), str(package.root), "--format", "markdown")
    assert "| launches | 0 | 0 | 1 |" in markdown
    assert "- ~ 2024-09-18-kaechon: apogee_km: '' -> '101'" in markdown


def test_git_revisions_and_the_default_merge_base(git_package, capsys):
    root = git_package.root
    git_package.set_cell("launches", 0, "apogee_km", "101")
    code, out, _ = _run(capsys, "--package", str(root))  # merge base with main .. work tree
    assert code == 0 and "1 changed" in out
    git(root, "commit", "-qam", "second")
    code, out, _ = _run(capsys, "HEAD~1", "HEAD", "--package", str(root), "--format", "json")
    assert json.loads(out)["summary"] == {"launches": {"added": 0, "removed": 0, "changed": 1}}


def test_a_side_that_does_not_exist_is_a_usage_error(git_package, capsys):
    code, out, err = _run(capsys, "no-such-revision", "--package", str(git_package.root))
    assert code == 2 and out == ""
    assert err.startswith(
        "error: 'no-such-revision' is neither a package directory nor a git revision"
    )


def _keys_at(revision: str, table) -> set[tuple[str, ...]]:
    shown = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{revision}:{table.path}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if shown.returncode:
        return set()
    return {
        tuple(row[k] for k in table.primary_key)
        for row in csv.DictReader(io.StringIO(shown.stdout))
    }


@pytest.mark.parametrize(("base", "head"), [("ca24e99", "b32c2f7"), ("0589569", "3401a77")])
def test_two_real_revisions_of_this_repository(base, head):
    """Added and removed keys agree with a plain set comparison of the two revisions."""
    result = diff_package(REPO, base, head)
    for table in TABLES:
        old, new = _keys_at(base, table), _keys_at(head, table)
        found = result.table(table.name)
        added = {found.key_of(r) for r in found.added} if found else set()
        removed = {found.key_of(r) for r in found.removed} if found else set()
        assert added == new - old, table.name
        assert removed == old - new, table.name


def test_diff_reads_the_same_package_as_no_change():
    tables = read_directory(REPO)
    assert diff_sides(tables, tables, "a", "b").empty


def test_a_change_past_the_first_80_characters_shows(package, tmp_path, capsys):
    base = _copy(package, tmp_path, "base")
    long_note = "The first hundred characters of this note stay as they are, word for word, " * 2
    package.set_cell("launches", 0, "notes", long_note + "then 500 km")
    base_package = type(package)(base)
    base_package.set_cell("launches", 0, "notes", long_note + "then 600 km")
    _, out, _ = _run(capsys, str(base), str(package.root))
    assert "then 600 km' -> '...", out
    assert "then 600 km" in out and "then 500 km" in out


def test_keys_and_cells_reach_the_terminal_escaped(package, tmp_path, capsys):
    base = _copy(package, tmp_path, "base")
    package.append_row(
        "sites",
        {
            "site_id": "evil\x1b[2K\x1b[1Ax",
            "name": "N",
            "coordinate_precision": "unknown",
            "site_type": "coastal_area",
            "source_id": "fixture-database",
        },
    )
    _, out, _ = _run(capsys, str(base), str(package.root))
    assert "\x1b" not in out
    assert "+ evil\\x1b[2K\\x1b[1Ax" in out


def test_cells_longer_than_the_csv_modules_default_limit(package, tmp_path, capsys):
    base = _copy(package, tmp_path, "base")
    package.set_cell("sources", 0, "notes", "x" * 200_000)
    code, out, err = _run(capsys, str(base), str(package.root))
    assert code == 0 and "sources: 0 added, 0 removed, 1 changed" in out, err


def test_a_byte_order_mark_or_latin_1_byte_is_no_traceback(git_package, capsys):
    """validate --base reads the tables twice: a file validate reports as unreadable, or with
    a BOM, must not make every record look removed, nor raise."""
    root = git_package.root
    path = git_package.path("launches")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert main(["validate", str(root), "--base", "HEAD"]) == 1
    out = capsys.readouterr().out
    assert "byte-order mark" in out and "tombstone" not in out
    path.write_bytes(path.read_bytes()[3:].replace(b"Lofted", b"Loft\xe9d", 1))
    assert main(["validate", str(root), "--base", "HEAD"]) == 1
    out = capsys.readouterr().out
    assert "is not valid UTF-8" in out and "tombstone" not in out
    code, out, _ = _run(capsys, "HEAD", "--package", str(root))
    assert code == 0


def test_a_change_after_many_line_breaks_shows(package, tmp_path, capsys):
    base = _copy(package, tmp_path, "base")
    package.set_cell("sites", 0, "notes", "a\n" * 70 + "new ending")
    type(package)(base).set_cell("sites", 0, "notes", "a\n" * 70 + "old ending")
    _, out, _ = _run(capsys, str(base), str(package.root))
    assert "old ending'" in out and "new ending'" in out


def test_one_git_process_reads_each_file_as_git_show_does(git_package):
    """The files of a revision come from one ``git cat-file --batch``: each the bytes ``git
    show`` gives, a directory or a path that is not there (even one with a space) left out,
    in any order asked."""
    root = git_package.root
    path = git_package.path("launches")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes() + b"\n\n")  # a BOM, blank lines
    git(root, "commit", "-qam", "bytes")
    asked = ["data/sites.csv", "data", "no/such.csv", "no such.csv", "data/launches.csv"]
    texts = _blobs_at(root, "HEAD", asked)
    assert list(texts) == ["data/sites.csv", "data/launches.csv"]
    for name, text in texts.items():
        shown = subprocess.run(
            ["git", "-C", str(root), "show", f"HEAD:{name}"], capture_output=True, check=True
        )
        assert text == shown.stdout.decode("utf-8")
