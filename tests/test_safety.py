"""Safe by construction (issue #11): no command loses data, no input gets a traceback or a false
error. Each test names the failure it guards against."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from conftest import (
    REPO,
    Fault,
    copy_build,
    copy_fixture,
    plant,
    run_in_process,
    validate_both_engines,
)
from dprk_sanctions import __version__
from dprk_sanctions.build import build
from dprk_sanctions.cli import main
from dprk_sanctions.outdir import MARKER
from dprk_sanctions.package import DATABASE, open_package

CLI = [sys.executable, "-m", "dprk_sanctions"]
FACTS = "launch_date;site_id;missile_class;missiles_min;missiles_max;ballistic;reported_by"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def one_line_error(result: subprocess.CompletedProcess, code: int) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = [
        line for line in result.stderr.strip().splitlines() if not line.startswith("... ")
    ]  # progress lines
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- data loss -----------------------------------------------------------------------------------


@pytest.mark.parametrize("out", ["data", ".", "{root}", "{parent}", "data/sub"])
def test_build_refuses_the_package_its_data_and_its_ancestors(package, out):
    before = tree_digest(package.root)
    target = out.format(root=package.root, parent=package.root.parent)
    line = one_line_error(run_in_process("build", "--out", target, cwd=package.root), 2)
    assert "refusing to build here" in line
    assert tree_digest(package.root) == before


def test_build_refuses_a_folder_it_did_not_write(package, tmp_path):
    mine = tmp_path / "my-notes"
    mine.mkdir()
    (mine / "thesis.txt").write_text("two years of work")
    line = one_line_error(
        run_in_process("build", "--package", str(package.root), "--out", str(mine)), 2
    )
    assert str(mine) in line and MARKER in line
    assert (mine / "thesis.txt").read_text() == "two years of work"
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.txt"]


def test_query_and_connect_refuse_a_folder_they_did_not_write(package, tmp_path):
    mine = tmp_path / "photos"
    mine.mkdir()
    (mine / "a.jpg").write_bytes(b"\xff\xd8")
    result = run_in_process("query", "SELECT 1", "--package", str(package.root), "--out", str(mine))
    assert "refusing to build here" in one_line_error(result, 2)
    from dprk_sanctions import connect
    from dprk_sanctions.outdir import OutputDirError

    with pytest.raises(OutputDirError):
        connect(package.root, out=mine)
    assert (mine / "a.jpg").read_bytes() == b"\xff\xd8"


def test_build_replaces_its_own_output_and_keeps_files_it_did_not_write(
    package, tmp_path, prepared_build
):
    out = tmp_path / "dist"
    prepared_build(out)
    assert (out / MARKER).is_file()
    (out / "report.html").write_text("<html>report</html>")
    (out / "launch-timeline.png").write_bytes(b"\x89PNG")
    build(open_package(package.root), out=out)
    assert (out / "report.html").read_text() == "<html>report</html>"
    assert (out / "launch-timeline.png").read_bytes() == b"\x89PNG"
    assert (out / DATABASE).is_file()


def test_an_empty_folder_is_a_fine_output(package, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    build(open_package(package.root), out=out)


def test_stale_staging_folders_are_cleaned_and_ignored_by_git(package, tmp_path):
    out = tmp_path / "dist"
    stale = tmp_path / ".dist.staging.abc123"
    stale.mkdir()
    (stale / MARKER).write_text(json.dumps({"pid": 2**22 + 12345}))  # no such process
    (stale / "dprk.duckdb").write_bytes(b"half a database")
    foreign = tmp_path / ".dist.staging.not-ours"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not the build's")
    complete = tmp_path / ".dist.staging.killed-mid-swap"
    complete.mkdir()
    (complete / MARKER).write_text(json.dumps({"written_by": "dprk-data build"}))  # no pid
    (complete / "notes.txt").write_text("a user's file being carried across")
    build(open_package(package.root), out=out)
    assert not stale.exists()
    assert (foreign / "keep.txt").is_file()  # no marker: not ours to delete
    assert (complete / "notes.txt").is_file()  # complete: killed while carrying; kept
    for name in (".dist.staging.x1y2/", ".dist.previous/", ".dist.lock"):
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=REPO, check=False)
        assert ignored.returncode == 0, name


@pytest.fixture(scope="module")
def built_package(tmp_path_factory, fixture_build) -> tuple[Path, Path]:
    """The fixture package and a copy of its build, shared by the tests that only read or query
    them (the query sandbox tests check that nothing in either changed)."""
    base = tmp_path_factory.mktemp("built")
    package = copy_fixture(base / "package")
    copy_build(fixture_build, base / "dist")
    return package.root, base / "dist"


@pytest.mark.parametrize(
    "sql",
    [
        "COPY (SELECT * FROM launches) TO '{root}/data/launches.csv'",
        "EXPORT DATABASE '{tmp}/exported'",
        "ATTACH '{tmp}/new.duckdb' AS other (READ_ONLY false)",
        "SELECT * FROM read_csv('{root}/data/launches.csv')",
        "SET enable_external_access = true",
        "INSTALL httpfs",
    ],
)
def test_query_never_writes_or_reads_a_file(built_package, tmp_path, sql):
    root, out = built_package
    before = tree_digest(root), tree_digest(out)
    statement = sql.format(root=root, tmp=tmp_path)
    line = one_line_error(
        run_in_process("query", statement, "--package", str(root), "--out", str(out)), 1
    )
    assert "query never" in line
    assert (tree_digest(root), tree_digest(out)) == before
    assert not (tmp_path / "exported").exists() and not (tmp_path / "new.duckdb").exists()


def test_query_joins_a_users_file_with_the_explicit_flag(built_package, tmp_path):
    root, out = built_package
    mine = tmp_path / "mine.csv"
    mine.write_text("launch_id,tag\n2024-09-18-kaechon,watch\n")
    before = mine.read_bytes()
    result = run_in_process(
        "query",
        "SELECT l.launch_id, m.tag FROM launches l JOIN mine m USING (launch_id)",
        "--with",
        f"mine={mine}",
        "--package",
        str(root),
        "--out",
        str(out),
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["launch_id,tag", "2024-09-18-kaechon,watch"]
    assert mine.read_bytes() == before
    bad = run_in_process(
        "query",
        "SELECT 1",
        "--with",
        "not a name",
        "--package",
        str(root),
        "--out",
        str(out),
    )
    assert "NAME=FILE" in one_line_error(bad, 2)


@pytest.mark.slow
def test_ctrl_c_stops_a_build_and_leaves_the_old_output(package, tmp_path, prepared_build):
    """Ctrl-C while the new database is being written: the old output stays as it was and the
    staging folder goes. The old output is a build of the small fixture; the interrupted build
    is of a synthetic package large enough to be caught mid-write."""
    from dprk_sanctions.synthetic import generate

    out = tmp_path / "dist"
    prepared_build(out)
    before = tree_digest(out)
    root = generate(tmp_path / "big", launches=25_000)  # its database load takes about 1 s
    command = [*CLI, "build", "--package", str(root), "--out", str(out)]
    with subprocess.Popen(
        command,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        # a suite started in the background ignores SIGINT, and a child would inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if "loading DuckDB" in line:
                break
        assert list(tmp_path.glob(".dist.staging.*")), "the build should be writing by now"
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=60)
        finally:
            process.kill()
            process.stderr.read()
    assert code == 130
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".dist.staging.*"))


# --- wrong answers -------------------------------------------------------------------------------


def test_validate_checks_the_package_of_the_working_directory(package, tmp_path):
    package.set_cell("launches", 0, "missile_class", "srmb")
    result = run_in_process("validate", cwd=package.root / "data")
    assert result.returncode == 1
    assert f"in {package.root}." in result.stdout
    assert "srmb" in result.stdout
    elsewhere = tmp_path / "no-package-here"
    elsewhere.mkdir()
    assert "no datapackage.json" in one_line_error(run_in_process("validate", cwd=elsewhere), 2)


def test_an_unreadable_table_skips_the_checks_that_read_it(package, capsys):
    path = package.path("launches")
    path.write_bytes(path.read_bytes().replace(b",", b";"))
    code, out = package.validate(capsys)
    assert code == 1
    problems = out.strip().splitlines()[:-1]
    assert problems == [
        "data/launches.csv: the file could not be read, so the references to it from "
        "launch_sources, cns_reconciliation, seed_claims were not checked (fix this file "
        "first, then validate "
        "again)",
        "data/launches.csv:1: the file is semicolon-separated (separate fields with commas)",
    ]


def test_an_unclosed_quote_in_the_last_row_is_a_quoting_error(package, capsys):
    with package.path("actors").open("a", encoding="utf-8") as stream:
        stream.write('new-actor,Name,person,RUS,,"note\n')
    code, out = package.validate(capsys)
    assert code == 1
    assert "data/actors.csv:6:wikidata_qid: a double quote is opened and never closed" in out
    assert "spaces" not in out


CONTROL_CELLS = ["Na\x00me", "Na\x1b[31mme", "Na\x0bme", "Na\x0cme", "Na\tme"]


@pytest.fixture(scope="module")
def control_character_problems(tmp_path_factory) -> tuple[list[Fault], list[str]]:
    """One package with each control character in the name of an actor of its own."""
    package = copy_fixture(tmp_path_factory.mktemp("control") / "package")
    faults = [Fault(table="actors", cells={"name": cell}) for cell in CONTROL_CELLS]
    plant(package, faults)
    code, out = validate_both_engines(package.root)
    assert code == 1
    return faults, out.splitlines()


@pytest.mark.parametrize("number", range(len(CONTROL_CELLS)))
def test_control_characters_in_a_cell_are_rejected(control_character_problems, number):
    faults, lines = control_character_problems
    cell = CONTROL_CELLS[number]
    expected = f"data/actors.csv:{faults[number].line}:name: {cell!r} contains a control character"
    assert any(line.startswith(expected) for line in lines), lines


def test_a_nul_after_a_closing_quote_is_rejected(package, capsys):
    path = package.path("actors")
    lines = path.read_bytes().split(b"\n")
    first = lines[1].split(b",")
    first[1] = b'"' + first[1] + b'"\x00'
    lines[1] = b",".join(first)
    path.write_bytes(b"\n".join(lines))
    code, out = package.validate(capsys)
    assert code == 1
    assert "\ndata/actors.csv:2:name: " in f"\n{out}"  # text after the quote, in its cell


def test_query_neutralises_control_characters(built_package):
    root, out = built_package
    result = run_in_process(
        "query",
        "SELECT chr(27) || '[2J' || chr(7) AS x",
        "--package",
        str(root),
        "--out",
        str(out),
    )
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[2J\\x07" in result.stdout


def test_validate_reports_a_stale_descriptor(package, capsys):
    descriptor = json.loads((package.root / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"][0]["description"] = "edited by hand"
    (package.root / "datapackage.json").write_text(json.dumps(descriptor))
    code, out = package.validate(capsys)
    assert code == 1
    assert out.startswith(
        "datapackage.json: differs from what schemas/ generates (stale or "
        "edited by hand) (regenerate it with: dprk-data descriptor)"
    )


def test_a_launch_after_the_coverage_period_is_a_valid_contribution(package, capsys):
    from dprk_sanctions.schemas import COVERAGE

    end = next(c for c in COVERAGE if c["table"] == "launches")["complete_to"]
    assert end is not None and end < "2026-06-15"
    package.append_row(
        "launches",
        {
            "launch_id": "2026-06-15-kaechon",
            "launch_date": "2026-06-15",
            "site_id": "kaechon",
            "missile_class": "srbm",
            "missiles_min": "1",
            "missiles_max": "1",
            "ballistic": "true",
            "reported_by": "rok_jcs",
        },
    )
    # an undated reference database: a dated source must not predate the launch it reports
    package.append_row(
        "launch_sources",
        {"launch_id": "2026-06-15-kaechon", "source_id": "fixture-database", "supports": FACTS},
    )
    code, out = package.validate(capsys)
    assert (code, out.strip().splitlines()[-1].startswith("valid:")) == (0, True), out


# --- tracebacks become one-line errors -----------------------------------------------------------


def test_a_build_that_cannot_write_says_so_in_one_line(package, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    line = one_line_error(
        run_in_process("build", "--package", str(package.root), "--out", str(blocker / "dist")), 2
    )
    assert str(blocker) in line
    report = one_line_error(
        run_in_process("report", "--package", str(package.root), "--out", str(blocker / "dist")),
        2,
    )
    assert "cannot write" in report


@pytest.fixture
def world_readable_dir():
    """A folder another user can enter (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="dprk-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def test_a_read_only_checkout_gets_one_line_errors(package, world_readable_dir):
    """Root ignores file permissions, so a root run drops the capabilities that let it."""
    rows = package.rows("launches")
    package.write_rows("launches", [rows[0], *reversed(rows[1:])])  # so fmt has work to do
    root = world_readable_dir / "ro"
    shutil.copytree(package.root, root)
    (root / "docs").mkdir()
    for path in [*root.rglob("*"), root]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    prefix = (
        ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
        if os.geteuid() == 0
        else []
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    commands = [["build"], ["report"], ["descriptor"], ["fmt"]]
    # one unprivileged process runs the four commands, each as `dprk-data ARGS` would
    result = subprocess.run(
        [*prefix, sys.executable, "-c", FOUR_COMMANDS, json.dumps(commands)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for args, (code, err) in zip(commands, json.loads(result.stdout), strict=True):
        assert code == 2, (args, err)
        assert "Traceback" not in err, err
        assert "cannot write" in err, err
        assert "validating" not in err, "the write should fail before validation"


FOUR_COMMANDS = """
import contextlib, io, json, sys, traceback
from dprk_sanctions.cli import main
results = []
for args in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except BaseException:
            traceback.print_exc()
            code = -1
    results.append((code, err.getvalue()))
print(json.dumps(results))
"""


def test_a_package_path_with_a_quote_builds(package, tmp_path):
    quoted = tmp_path / "analyst's copy"
    shutil.copytree(package.root, quoted)
    result = run_in_process("build", "--package", str(quoted), "--out", str(tmp_path / "it's dist"))
    assert result.returncode == 0, result.stderr
    query = run_in_process(
        "query",
        "SELECT count(*) AS n FROM launches",
        "--package",
        str(quoted),
        "--out",
        str(tmp_path / "it's dist"),
        "--format",
        "csv",
    )
    assert query.stdout.splitlines() == ["n", "3"]


@pytest.mark.parametrize("sql", ["", "   ", "-- only a comment", "/* nothing */"])
def test_an_empty_query_is_a_usage_error(package, tmp_path, sql):
    line = one_line_error(
        run_in_process(
            "query", sql, "--package", str(package.root), "--out", str(tmp_path / "dist")
        ),
        2,
    )
    assert "no SQL statement" in line or "empty" in line


def test_a_closed_pipe_ends_query_quietly(built_package):
    root, out = built_package
    command = " ".join(
        [
            *(f"'{c}'" for c in CLI),
            "query",
            "'SELECT * FROM range(100000)'",
            "--package",
            f"'{root}'",
            "--out",
            f"'{out}'",
            "| head -1",
        ]
    )
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip() == "range"
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr


def test_descriptor_for_a_mistyped_package_creates_nothing(tmp_path):
    typo = tmp_path / "pakage"
    line = one_line_error(run_in_process("descriptor", "--package", str(typo)), 2)
    assert "not a package" in line
    assert not typo.exists()


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"dprk-data {__version__}"
    assert __version__[0].isdigit()


# --- contributors' friction ----------------------------------------------------------------------


def test_committed_files_hold_no_per_file_hashes_or_counts():
    descriptor = json.loads((REPO / "datapackage.json").read_text())
    assert not any("hash" in r or "bytes" in r for r in descriptor["resources"])
    assert " rows)" not in (REPO / "docs" / "data-dictionary.md").read_text()


def test_the_release_descriptor_carries_hashes(built_package):
    import zipfile

    _, out = built_package
    with zipfile.ZipFile(out / "dprk-sanctions-data.zip") as archive:
        released = json.loads(archive.read("datapackage.json"))
        launches = next(r for r in released["resources"] if r["name"] == "launches")
        data = archive.read("data/launches.csv")
    assert launches["bytes"] == len(data)
    assert launches["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_two_contributions_adding_different_rows_merge_cleanly(package):
    root = package.root
    assert main(["fmt", "--package", str(root)]) == 0
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "base", cwd=root)
    source = "fixture-database"  # undated: it may report launches of any day
    for branch, day in (("a", "2023-03-01"), ("b", "2024-12-01")):
        git("checkout", "-qb", branch, "main", cwd=root)
        launch_id = f"{day}-kaechon"
        package.append_row(
            "launches",
            {
                "launch_id": launch_id,
                "launch_date": day,
                "site_id": "kaechon",
                "missile_class": "srbm",
                "missiles_min": "1",
                "missiles_max": "1",
                "ballistic": "true",
                "reported_by": "rok_jcs",
            },
        )
        package.append_row(
            "launch_sources", {"launch_id": launch_id, "source_id": source, "supports": FACTS}
        )
        assert main(["fmt", "--package", str(root)]) == 0
        git("commit", "-qam", branch, cwd=root)
    git("checkout", "-q", "a", cwd=root)
    merge = git("merge", "-q", "--no-edit", "b", cwd=root)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert main(["validate", str(root)]) == 0


def test_fmt_is_lossless_and_check_reports(package, capsys):
    before = {t: sorted(map(tuple, package.rows(t)[1:])) for t in ("launches", "sources")}
    rows = package.rows("launches")
    package.write_rows("launches", [rows[0], *reversed(rows[1:])])
    assert main(["fmt", "--check", "--package", str(package.root)]) == 1
    assert "data/launches.csv: not in canonical order" in capsys.readouterr().out
    assert main(["fmt", "--package", str(package.root)]) == 0
    assert main(["fmt", "--check", "--package", str(package.root)]) == 0
    after = {t: sorted(map(tuple, package.rows(t)[1:])) for t in ("launches", "sources")}
    assert after == before
    ids = [r[0] for r in package.rows("launches")[1:]]
    assert ids == sorted(ids)


def test_fmt_leaves_a_broken_file_alone(package, capsys):
    path = package.path("actors")
    path.write_bytes(path.read_bytes() + b'x,"unclosed\n')
    before = path.read_bytes()
    assert main(["fmt", "--package", str(package.root)]) == 2
    assert path.read_bytes() == before


def test_the_database_opens_in_duckdb_1_0_and_later(built_package):
    """The file header's storage version: 64 is what DuckDB 1.0 writes and every later
    client reads (.ci/run also opens the file with an older DuckDB release)."""
    _, out = built_package
    header = (out / DATABASE).read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert struct.unpack("<Q", header[12:20])[0] == 64
    con = duckdb.connect(str(out / DATABASE), read_only=True)
    assert con.execute("SELECT count(*) FROM launches").fetchone() == (3,)
    con.close()


def test_an_interrupt_inside_a_duckdb_statement_exits_130(monkeypatch, capsys):
    import duckdb
    from dprk_sanctions import cli

    def interrupted(args):
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr(cli, "_validate", interrupted)
    assert cli.main(["validate"]) == 130
    assert capsys.readouterr().err == "interrupted: nothing was changed\n"


def test_report_never_overwrites_a_file_it_did_not_write(package, tmp_path):
    """--png pointed at a table, or a user's report.html in --out: refused, nothing written."""
    table = package.path("sites")
    before = table.read_bytes()
    line = one_line_error(run_in_process("report", "--png", str(table), cwd=package.root), 2)
    assert "was not written by dprk-data report" in line
    assert table.read_bytes() == before
    mine = tmp_path / "docs"
    mine.mkdir()
    (mine / "report.html").write_text("my own report")
    line = one_line_error(run_in_process("report", "--out", str(mine), cwd=package.root), 2)
    assert "report.html" in line and (mine / "report.html").read_text() == "my own report"
    assert not (mine / "launch-timeline.png").exists()
    # its own earlier output it replaces
    assert run_in_process("report", "--out", str(tmp_path / "r"), cwd=package.root).returncode == 0
    assert run_in_process("report", "--out", str(tmp_path / "r"), cwd=package.root).returncode == 0


def test_descriptor_never_overwrites_another_packages_files(tmp_path):
    other = tmp_path / "other"
    (other / "data").mkdir(parents=True)
    (other / "datapackage.json").write_text('{"name": "my-other-package"}')
    (other / "CITATION.cff").write_text("title: mine\n")
    line = one_line_error(run_in_process("descriptor", "--package", str(other)), 2)
    assert "my-other-package" in line
    assert (other / "datapackage.json").read_text() == '{"name": "my-other-package"}'
    assert (other / "CITATION.cff").read_text() == "title: mine\n"
    (other / "datapackage.json").unlink()  # no descriptor, but a CITATION.cff it would replace
    line = one_line_error(run_in_process("descriptor", "--package", str(other)), 2)
    assert "CITATION.cff" in line and (other / "CITATION.cff").read_text() == "title: mine\n"


def test_a_descriptor_left_with_merge_conflict_markers_is_regenerated(package):
    """The file is generated and names this package: regenerating it is the fix."""
    descriptor = package.root / "datapackage.json"
    good = descriptor.read_text()
    lines = good.split("\n")
    descriptor.write_text(
        "\n".join([*lines[:5], "<<<<<<< HEAD", "=======", ">>>>>>> b", *lines[5:]])
    )
    assert run_in_process("descriptor", "--package", str(package.root)).returncode == 0
    assert descriptor.read_text() == good
    descriptor.write_text("not json at all")
    line = one_line_error(run_in_process("descriptor", "--package", str(package.root)), 2)
    assert "is not valid JSON and does not name this package" in line
    assert descriptor.read_text() == "not json at all"


def test_a_users_folder_where_the_build_keeps_its_previous_output_is_kept(
    package, tmp_path, prepared_build
):
    out = tmp_path / "dist"
    prepared_build(out)
    previous = tmp_path / ".dist.previous"
    previous.mkdir()
    (previous / "important.txt").write_text("my backup")
    line = one_line_error(run_in_process("build", "--out", str(out), cwd=package.root), 2)
    assert ".dist.previous is in the way" in line
    assert (previous / "important.txt").read_text() == "my backup"
    assert (out / DATABASE).is_file()


def test_a_package_folder_named_like_a_glob_is_read_as_itself(tmp_path):
    """DuckDB reads 'pkg[1]/data/x.csv' as a pattern matching 'pkg1/data/x.csv': the engine
    must read the package's own files, so a fault in the sibling never decides the verdict."""
    clean = copy_fixture(tmp_path / "pkg[1]")
    sibling = copy_fixture(tmp_path / "pkg1")
    sibling.set_cell("sites", 0, "name", "=HYPERLINK(1)")
    assert validate_both_engines(clean.root)[0] == 0
    clean.set_cell("sites", 0, "name", "=HYPERLINK(1)")
    sibling.set_cell("sites", 0, "name", "Sohae")
    code, out = validate_both_engines(clean.root)
    assert code == 1 and "HYPERLINK" in out


def test_files_of_yours_inside_an_output_subfolder_survive_a_rebuild(
    package, tmp_path, prepared_build
):
    out = tmp_path / "dist"
    prepared_build(out)
    (out / "parquet" / "NOTES-mine.txt").write_text("my notes on the parquet files")
    build(open_package(package.root), out=out)
    assert (out / "parquet" / "NOTES-mine.txt").read_text() == "my notes on the parquet files"
    assert (out / "parquet" / "launches.parquet").is_file()


def test_a_second_build_to_the_same_folder_is_refused_while_the_first_runs(
    package, tmp_path, prepared_build
):
    """While one run holds the folder's lock, another is refused before touching anything
    (two builds at once had carried a user's files into each other's staging folders)."""
    import fcntl

    out = tmp_path / "dist"
    prepared_build(out)
    (out / "notes.txt").write_text("mine")
    with open(tmp_path / ".dist.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        line = one_line_error(run_in_process("build", "--out", str(out), cwd=package.root), 2)
    assert "another run is writing dist now" in line
    assert (out / "notes.txt").read_text() == "mine"
    assert not list(tmp_path.glob(".dist.staging.*"))
    build(open_package(package.root), out=out)  # the lock is released with its holder
    assert (out / "notes.txt").read_text() == "mine"


def test_sigterm_stops_a_command_as_ctrl_c_does():
    """SIGTERM becomes KeyboardInterrupt while a command runs, so the build's undo runs (the
    Ctrl-C test shows the undo); the previous handler comes back afterwards."""
    from dprk_sanctions.cli import _stop_on_sigterm

    before = signal.getsignal(signal.SIGTERM)
    restore = _stop_on_sigterm()
    try:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
    finally:
        restore()
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_file_that_cannot_be_opened_is_one_line_and_exit_2(package, capsys, monkeypatch):
    """A table left unreadable (another user's file, a sudo edit): no traceback."""
    from pathlib import Path

    real = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == "sites.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    def read_bytes(self):
        with refuse(self, "rb") as stream:
            return stream.read()

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    for command in (["validate"], ["validate", "--engine", "pandas"], ["fmt", "--check"]):
        assert main([*command, "--package", str(package.root)]) == 2, command
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "sites.csv: Permission denied" in err, err
        assert len(err.splitlines()) == 1


def test_fmt_writes_through_a_link_and_keeps_the_files_mode(package, capsys):
    shared = package.root.parent / "shared-launches.csv"
    package.path("launches").rename(shared)
    package.path("launches").symlink_to(shared)
    rows = package.rows("launches")
    package.write_rows("launches", [rows[0], *reversed(rows[1:])])  # through the link
    package.path("sites").chmod(0o664)
    sites = package.rows("sites")
    package.write_rows("sites", [sites[0], *reversed(sites[1:])])
    assert main(["fmt", "--package", str(package.root)]) == 0
    assert package.path("launches").is_symlink()
    ids = [r[0] for r in package.rows("launches")[1:]]
    assert ids == sorted(ids)  # the shared file itself was formatted
    assert package.path("sites").stat().st_mode & 0o777 == 0o664


def _query(root: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return run_in_process("query", *args, "--package", str(root), "--out", str(out))


def test_a_users_file_is_read_by_its_own_name_never_as_a_pattern(built_package, tmp_path):
    root, out = built_package
    (tmp_path / "mine[1].csv").write_text("launch_id,x\nA,1\n")
    (tmp_path / "mine1.csv").write_text("launch_id,x\nB,999\n")
    result = _query(root, out, "SELECT x FROM m", "--with", f"m={tmp_path / 'mine[1].csv'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2:3] == ["1"]


def test_a_users_file_may_not_take_a_package_tables_name(built_package, tmp_path):
    root, out = built_package
    mine = tmp_path / "sites.csv"
    mine.write_text("site_id,name\nx,y\n")
    for name in ("sites", "launch_details", "Launches"):
        result = _query(root, out, "SELECT 1", "--with", f"{name}={mine}")
        assert result.returncode == 2, (name, result.stdout)
        assert f"the package has a table or view named {name}" in result.stderr


def test_json_keeps_every_column_and_stays_json(built_package):
    root, out = built_package
    repeated = _query(root, out, "SELECT 1 AS a, 2 AS a", "--format", "json")
    assert repeated.returncode == 1 and "a appears more than once" in repeated.stderr
    result = _query(
        root, out, "SELECT 'nan'::DOUBLE AS n, 'inf'::DOUBLE AS i, 1.5 AS d", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"n": None, "i": "Infinity", "d": "1.5"}]


def test_c1_control_characters_are_escaped(built_package):
    root, out = built_package
    result = _query(root, out, "SELECT chr(155) || '2J' AS csi, chr(133) AS nel")
    assert "\x9b" not in result.stdout and "\x85" not in result.stdout
    assert "\\x9b2J" in result.stdout and "\\x85" in result.stdout


def test_a_database_another_process_holds_is_one_line(built_package):
    root, out = built_package
    script = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
        " time.sleep(30)"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(out / DATABASE)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
            result = _query(root, out, "SELECT 1")
            assert result.returncode == 1
            assert result.stderr.startswith("error: ") and "cannot be opened" in result.stderr
            assert len(result.stderr.splitlines()) == 1
        finally:
            holder.kill()


def test_a_release_folder_is_read_as_it_is_and_never_rebuilt(package, tmp_path, prepared_build):
    release = tmp_path / "release-9.9.9"
    prepared_build(release)
    (release / ".dprk-data-build").write_text('{"written_by": "dprk-data release"}\n')
    before = {p: p.read_bytes() for p in release.rglob("*") if p.is_file()}
    package.set_cell("launches", 0, "distance_km", "401")  # the data moves on
    result = _query(
        package.root,
        release,
        "SELECT distance_km FROM launches WHERE launch_id = '2024-09-18-kaechon'",
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["distance_km", "400.0"]
    assert {p: p.read_bytes() for p in release.rglob("*") if p.is_file()} == before


def test_a_file_named_like_a_change_file_does_not_make_a_build_a_release(
    package, tmp_path, prepared_build
):
    out = tmp_path / "dist"
    prepared_build(out)
    (out / "changes-since-last-week.json").write_text("{}\n")  # a user's file, kept by builds
    package.set_cell("launches", 0, "distance_km", "401")
    result = _query(
        package.root,
        out,
        "SELECT distance_km FROM launches WHERE launch_id = '2024-09-18-kaechon'",
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["distance_km", "401.0"]  # rebuilt


def test_json_holds_nan_inside_lists_and_structs(built_package):
    root, out = built_package
    result = _query(
        root,
        out,
        "SELECT ['nan'::DOUBLE, 1.0] AS l, {'x': 'inf'::DOUBLE} AS s",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"l": [None, 1.0], "s": {"x": "Infinity"}}]


def test_a_current_build_is_read_from_inside_its_folder(package, prepared_build):
    """Nothing needs building, so nothing refuses the folder: the current directory may be it."""
    out = package.root / "dist"
    prepared_build(out)
    result = run_in_process(
        "query",
        "SELECT count(*) AS n FROM launches",
        "--package",
        "..",
        "--format",
        "csv",
        cwd=out,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "3"]


def test_outputs_of_other_commands_do_not_lock_the_build_out(package, capsys):
    """site, report or release run before the first build leave dist/ without the build's
    marker; the build uses the folder and keeps them. A file of the user's still stops it."""
    out = package.root / "dist"
    (out / "explorer").mkdir(parents=True)
    (out / "explorer" / ".dprk-data-build").write_text('{"written_by": "dprk-data site"}\n')
    (out / "explorer" / "index.html").write_text("<html>explorer</html>")
    (out / ".explorer.lock").write_text("")
    (out / "report.html").write_text(
        "<html><head><meta name='generator' content='dprk-data report'></head></html>"
    )
    build(open_package(package.root))
    assert (out / DATABASE).is_file()
    assert (out / "explorer" / "index.html").read_text() == "<html>explorer</html>"
    assert (out / "report.html").is_file()
    other = package.root / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert main(["build", "--package", str(package.root), "--out", str(other)]) == 2
    assert "no build wrote it" in capsys.readouterr().err
    assert (other / "notes.txt").read_text() == "mine"


def test_fmt_stopped_between_tables_says_which_it_formatted(package, monkeypatch):
    import dprk_sanctions.fmt as fmt

    for table in ("actors", "sites"):
        rows = package.rows(table)
        package.write_rows(table, [rows[0], *reversed(rows[1:])])
    real = fmt.write_bytes
    calls = []

    def stop_on_the_second(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(fmt, "write_bytes", stop_on_the_second)
    result = run_in_process("fmt", "--package", str(package.root))
    assert result.returncode == 130
    first = calls[0].relative_to(package.root).as_posix()
    assert result.stderr.startswith(f"interrupted: {first} already formatted")
    assert "nothing was changed" not in result.stderr


STREAMED = [
    "SELECT launch_id, launch_date, missiles_min, notes FROM launches ORDER BY launch_id",
    "SELECT NULL AS x",
    "SELECT * FROM range(0)",
    "SELECT ['nan'::DOUBLE, 1.0] AS l, {'x': 'inf'::DOUBLE} AS s, 'é\n\"q\"' AS t",
    "SELECT i, 'row ' || i AS t FROM range(25003) r(i)",  # more than two batches
]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_streamed_result_prints_what_the_whole_result_formats_to(built_package, fmt):
    """`query` writes rows batch by batch; the text is the library's formatting of the whole
    result, with the final line break."""
    from dprk_sanctions.query import format_result, run_query

    root, out = built_package
    for sql in STREAMED:
        whole = format_result(run_query(open_package(root), sql, out), fmt)
        printed = _query(root, out, sql, "--format", fmt)
        assert printed.returncode == 0, printed.stderr
        assert printed.stdout == whole + "\n", sql


@pytest.mark.slow
def test_a_large_result_is_written_without_holding_it_whole(built_package):
    """A million rows as CSV take no more memory than a thousand (peak RSS of the process, read
    with wait4): three million fetched whole had taken 880 MB more."""
    root, out = built_package
    rss = {}
    for rows in (1000, 1_000_000):
        sql = f"SELECT i, 'some text ' || i AS t FROM range({rows}) r(i)"
        args = [*CLI, "query", sql, "--package", str(root), "--out", str(out), "--format", "csv"]
        with subprocess.Popen(args, stdout=subprocess.DEVNULL) as process:
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        assert process.returncode == 0
        rss[rows] = usage.ru_maxrss // 1024  # MB
    assert rss[1_000_000] - rss[1000] < 100, rss
