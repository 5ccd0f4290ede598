"""`dprk-data release`: the versioning rule is checked against the changes since the previous
release, and the release folder holds the versioned files and a change file with reasons."""

from __future__ import annotations

import json

import pytest
from conftest import git
from dprk_sanctions.cli import main
from dprk_sanctions.diff import PackageDiff, TableDiff
from dprk_sanctions.generated import write_generated
from dprk_sanctions.release import bump_level, required_level
from dprk_sanctions.schemas import PACKAGE

VERSION = PACKAGE["version"]


def _tag_previous(package, version: str) -> None:
    """Commit the package as release ``version`` (tag data-v<version>), then restore today's
    generated files."""
    descriptor = json.loads((package.root / "datapackage.json").read_text())
    descriptor["version"] = version
    (package.root / "datapackage.json").write_text(json.dumps(descriptor))
    git(package.root, "commit", "-qam", f"release {version}")
    git(package.root, "tag", f"data-v{version}")
    write_generated(package.root)
    (package.root / "CHANGELOG.md").write_text(
        f"# Changelog\n\n## {VERSION} (2026-12-01)\n\nOne launch withdrawn (no original source).\n"
        "\n## 0.0.1\n\nEarlier.\n",
        encoding="utf-8",
    )


def _release(package, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["release", "--package", str(package.root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _withdraw(package, launch_id: str) -> None:
    for table in ("launches", "launch_sources"):
        rows = package.rows(table)
        package.write_rows(table, [r for r in rows if r[0] != launch_id])
    package.append_row(
        "retired_ids",
        {
            "retired_id": launch_id,
            "table_name": "launches",
            "retired_date": "2026-12-01",
            "reason": "Withdrawn: no original source",
        },
    )


def test_a_release_writes_its_files_and_a_change_file_with_reasons(git_package, capsys, tmp_path):
    major, minor, _ = (int(p) for p in VERSION.split("."))
    previous = f"{major}.{minor - 1}.0" if minor else f"{major - 1}.0.0"
    _tag_previous(git_package, previous)
    _withdraw(git_package, "2024-09-19-unidentified")
    code, out, err = _release(git_package, capsys, "--check")
    assert code == 0, err
    assert f"since {previous}" in out and "MINOR" in out  # a row added to retired_ids
    out_dir = tmp_path / "release"
    code, out, err = _release(git_package, capsys, "--out", str(out_dir), "--quiet")
    assert code == 0, err
    assert f"release {VERSION} (MINOR since {previous})" in out
    names = {p.name for p in out_dir.iterdir()}
    assert {
        f"{PACKAGE['name']}-{VERSION}.zip",
        f"changes-{VERSION}.json",
        "CITATION.cff",
        ".zenodo.json",
        "dprk.duckdb",
        "parquet",
    } <= names
    changes = json.loads((out_dir / f"changes-{VERSION}.json").read_text())
    assert changes["previous"]["version"] == previous
    assert changes["changelog"] == "One launch withdrawn (no original source)."
    removed = changes["changes"]["tables"]["launches"]["removed"]
    assert [(r["launch_id"], r["_retired"]["reason"]) for r in removed] == [
        ("2024-09-19-unidentified", "Withdrawn: no original source")
    ]
    # the fixture's older tombstone (2024) predates the previous release: not listed again
    assert changes["retired_since_previous"] == []
    assert f'version: "{VERSION}"' in (out_dir / "CITATION.cff").read_text()
    assert json.loads((out_dir / ".zenodo.json").read_text())["version"] == VERSION


def test_a_version_not_raised_enough_is_refused(git_package, capsys):
    _tag_previous(git_package, VERSION)
    _withdraw(git_package, "2024-09-19-unidentified")
    code, out, err = _release(git_package, capsys, "--check")
    assert code == 2 and out == ""
    assert f"the changes since {VERSION}" in err and "are MINOR" in err
    assert "raise it in schemas/package.py" in err


def test_a_release_needs_its_changelog_section(git_package, capsys):
    _tag_previous(git_package, "0.0.1")
    (git_package.root / "CHANGELOG.md").write_text("# Changelog\n", encoding="utf-8")
    code, _, err = _release(git_package, capsys, "--check")
    assert code == 2 and f"CHANGELOG.md has no section '## {VERSION}'" in err


def _descriptor(fields: list[dict]) -> dict:
    return {"resources": [{"name": "launches", "schema": {"fields": fields}}]}


@pytest.mark.parametrize(
    ("before", "after", "level"),
    [
        ([{"name": "a", "type": "string"}], [], "major"),
        ([{"name": "a", "type": "string"}], [{"name": "a", "type": "integer"}], "major"),
        (
            [{"name": "a", "type": "string", "categories": ["x", "y"]}],
            [{"name": "a", "type": "string", "categories": ["x"]}],
            "major",
        ),
        (
            [{"name": "a", "type": "string", "categories": ["x"]}],
            [{"name": "a", "type": "string", "categories": ["x", "y"]}],
            "minor",
        ),
        ([], [{"name": "a", "type": "string"}], "minor"),
        ([{"name": "a", "type": "string"}], [{"name": "a", "type": "string"}], "none"),
    ],
)
def test_the_versioning_rule(before, after, level):
    nothing = PackageDiff("a", "b", [])
    assert required_level(nothing, _descriptor(before), _descriptor(after))[0] == level


def test_row_changes_are_a_patch_and_new_rows_a_minor():
    same = _descriptor([{"name": "a", "type": "string"}])
    changed = TableDiff("launches", ("launch_id",), removed=[{"launch_id": "x"}])
    assert required_level(PackageDiff("a", "b", [changed]), same, same)[0] == "patch"
    added = TableDiff("launches", ("launch_id",), added=[{"launch_id": "x"}])
    assert required_level(PackageDiff("a", "b", [added]), same, same)[0] == "minor"


@pytest.mark.parametrize(
    ("before", "after", "level"),
    [
        ("1.0.0", "1.0.0", "none"),
        ("1.0.0", "1.0.1", "patch"),
        ("1.0.3", "1.1.0", "minor"),
        ("1.4.0", "2.0.0", "major"),
        ("1.1.0", "1.0.0", "none"),
    ],
)
def test_bump_level(before, after, level):
    assert bump_level(before, after) == level


def test_without_a_tag_an_earlier_release_is_not_guessed(git_package, capsys):
    """The first data commit stands in for the previous release only before the first one:
    after it, comparing with it would certify changes that release already held."""
    write_generated(git_package.root)
    (git_package.root / "CHANGELOG.md").write_text(
        f"# Changelog\n\n## {VERSION} (2026-12-01)\n\nA release.\n", encoding="utf-8"
    )
    code, out, _ = _release(git_package, capsys, "--check")
    assert code == 0 and out.startswith("release --check checked nothing: no data-v* tag")
    code, out, err = _release(git_package, capsys, "--quiet")
    assert code == 2 and out == ""
    assert f"no data-v* tag marks the previous release (CHANGELOG.md lists {VERSION})" in err
    assert not (git_package.root / "dist").exists()


def test_a_shallow_clone_has_no_previous_release_to_find(git_package, capsys, tmp_path):
    git_package.set_cell("launches", 0, "notes", "A second commit")
    git(git_package.root, "commit", "-qam", "second")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{git_package.root}", str(clone))
    code = main(["release", "--check", "--package", str(clone)])
    captured = capsys.readouterr()
    assert code == 0 and captured.out.startswith("release --check checked nothing: ")
    assert main(["release", "--quiet", "--package", str(clone)]) == 2
    assert "this clone is shallow" in capsys.readouterr().err


def test_a_previous_release_that_names_nothing_is_one_line(git_package, capsys):
    code, out, err = _release(git_package, capsys, "--check", "--previous", "nonsense")
    assert code == 2 and out == ""
    assert err.startswith("error: 'nonsense' is neither") and len(err.splitlines()) == 1


def test_a_release_folder_says_it_is_one(git_package, capsys, tmp_path):
    _tag_previous(git_package, "0.0.1")
    out_dir = tmp_path / "release"
    code, _, err = _release(git_package, capsys, "--out", str(out_dir), "--quiet")
    assert code == 0, err
    marker = json.loads((out_dir / ".dprk-data-build").read_text())
    assert marker == {"written_by": "dprk-data release", "version": VERSION}
