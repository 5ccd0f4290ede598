"""Shared fixtures: a small valid package copied to a temporary directory, and ways to break it."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from dprk_sanctions.cli import main
from dprk_sanctions.descriptor import render_descriptor
from dprk_sanctions.package import open_package
from dprk_sanctions.schemas import TABLES
from dprk_sanctions.schemas.check_kinds import PATTERN_BREAKER
from dprk_sanctions.validate import Report, validate_package
from hypothesis import HealthCheck, settings

# The differential property tests: a fixed seed always; a quick budget before every commit,
# a larger one in CI (.ci/run sets HYPOTHESIS_PROFILE=ci).
_COMMON: dict[str, Any] = {
    "derandomize": True,
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
}
settings.register_profile("default", max_examples=10, **_COMMON)
settings.register_profile("ci", max_examples=100, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
# Chromium for the browser tests: Debian's (CI installs it), never a downloaded one. Without the
# background-networking flags it keeps calling Google's hosts, which this network refuses.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary: a skip on a machine without it, a failure in CI."""
    found = next(
        (
            path
            for name in ("chromium", "chromium-browser", "google-chrome")
            if (path := shutil.which(name))
        ),
        None,
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("chromium is not installed on this machine (CI installs it)")
    return found


REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_report() -> Report:
    """The committed package validated once per test process: the package, report and site
    tests read the same rows (no test changes a frame; pandas' copy-on-write keeps derived
    frames apart)."""
    return validate_package(open_package(REPO))


class FixturePackage:
    """A writable copy of the valid fixture package."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, table: str) -> Path:
        return self.root / "data" / f"{table}.csv"

    def rows(self, table: str) -> list[list[str]]:
        with self.path(table).open(encoding="utf-8", newline="") as stream:
            return list(csv.reader(stream))

    def write_rows(self, table: str, rows: list[list[str]]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        self.path(table).write_text(buffer.getvalue(), encoding="utf-8", newline="")

    def set_cell(self, table: str, row: int, column: str, value: str) -> int:
        """Set a cell of data row ``row`` (0-based); return its CSV line number."""
        rows = self.rows(table)
        rows[row + 1][rows[0].index(column)] = value
        self.write_rows(table, rows)
        return row + 2

    def append_row(self, table: str, values: dict[str, str]) -> int:
        rows = self.rows(table)
        rows.append([values.get(name, "") for name in rows[0]])
        self.write_rows(table, rows)
        return len(rows)

    def validate(self, capsys, *extra: str) -> tuple[int, str]:
        """Validate with both engines; they must agree exactly (a differential test)."""
        return validate_both_engines(self.root, *extra)


def run_in_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``dprk-data ARGS`` run in this process (from ``cwd``, default the repository), for tests
    of what it says and leaves behind, where a subprocess would add only its start-up; argparse's
    usage errors exit through SystemExit, as they do for a user. Signals, permissions and pipes
    keep a real subprocess."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd or REPO)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 2
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(["dprk-data", *args], code, out.getvalue(), err.getvalue())


def validate_both_engines(root: Path, *extra: str) -> tuple[int, str]:
    """Exit code and output of ``dprk-data validate`` on ``root``, run in-process with each
    engine; the two must agree exactly (a differential test)."""
    results = {}
    for engine in ("duckdb", "pandas"):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = main(["validate", str(root), "--engine", engine, *extra])
        results[engine] = (code, buffer.getvalue())
    assert results["duckdb"] == results["pandas"], (
        f"engines disagree:\n--- duckdb\n{results['duckdb'][1]}\n--- pandas\n{results['pandas'][1]}"
    )
    return results["duckdb"]


def copy_fixture(root: Path) -> FixturePackage:
    """A writable copy of the valid fixture package at ``root``, with its descriptor."""
    shutil.copytree(FIXTURE, root)
    (root / "datapackage.json").write_text(render_descriptor(root), encoding="utf-8")
    return FixturePackage(root)


# --- many faults in one package -----------------------------------------------------------------


@dataclass(kw_only=True)
class Fault:
    """One fault planted in a row of its own: a copy of data row ``base_row`` of ``table`` with
    ``cells`` set and, unless ``duplicate``, a new primary key on a key column the fault leaves
    alone. ``plant`` sets ``line``, the CSV line of the planted row."""

    table: str
    cells: dict[str, str] = field(default_factory=dict)
    base_row: int = 0
    duplicate: bool = False  # append the base row unchanged (a duplicate key)
    line: int = field(default=0, init=False)


def _new_key(table_name: str, row: list[str], header: list[str], faulted: set[str], n: int) -> None:
    """Make the planted row's primary key new, on a key column the fault leaves alone."""
    table = next(t for t in TABLES if t.name == table_name)
    columns = table.schema.columns
    for key in table.primary_key:
        if key in faulted:
            continue
        index = header.index(key)
        if columns[key].metadata["type"] == "integer":
            row[index] = str(900 + n)
        elif columns[key].metadata.get("vocabulary") is None:
            row[index] = f"{row[index]}-f{n}"
        else:
            continue
        return


def plant(package: FixturePackage, faults: list[Any]) -> None:
    """Append each fault's row to its table and set its ``line``: many faults, one package, so
    one validation per engine checks them all and each problem maps back to its fault."""
    tables: dict[str, list[list[str]]] = {}
    row_of: dict[int, int] = {}
    for number, fault in enumerate(faults):
        rows = tables.setdefault(fault.table, package.rows(fault.table))
        header = rows[0]
        row = list(rows[fault.base_row + 1])
        if not fault.duplicate:
            _new_key(fault.table, row, header, set(fault.cells), number)
        for column, value in fault.cells.items():
            # two faults in one key column must not also make a duplicate key
            row[header.index(column)] = f"{value} {number}" if value == PATTERN_BREAKER else value
        rows.append(row)
        row_of[number] = len(rows) - 1
    for name, rows in tables.items():
        package.write_rows(name, rows)
    for number, fault in enumerate(faults):
        # the line the record starts on, as an editor counts (quoted line breaks count)
        rows = tables[fault.table]
        fault.line = 1 + sum(1 + "".join(r).count("\n") for r in rows[: row_of[number]])


@pytest.fixture
def package(tmp_path: Path) -> FixturePackage:
    return copy_fixture(tmp_path / "package")


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unchanged fixture built once per test process, for the tests that only read a build
    (none writes to it; they copy what they change). Its fingerprint holds for every copy of
    the fixture: it hashes the inputs by their paths inside the package."""
    from dprk_sanctions.build import build

    root = tmp_path_factory.mktemp("fixture-build")
    out = root / "dist"
    build(open_package(copy_fixture(root / "package").root), out=out)
    return out


def copy_build(build_folder: Path, target: Path) -> Path:
    """A copy of a build's folder at ``target``: marker file included, it is what that build
    wrote."""
    shutil.copytree(build_folder, target, symlinks=True)
    return target


@pytest.fixture
def prepared_build(fixture_build: Path) -> Callable[[Path], Path]:
    """Put a build of the unchanged fixture at a folder, for a test whose first build only
    prepares the folder it then tests."""
    return lambda target: copy_build(fixture_build, target)


def git(root: Path, *args: str) -> str:
    import subprocess

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


@pytest.fixture
def git_package(package: FixturePackage) -> FixturePackage:
    """The fixture package as the first commit of a git repository on branch main."""
    git(package.root, "init", "-q", "-b", "main")
    git(package.root, "add", "-A")
    git(package.root, "commit", "-q", "-m", "first")
    return package
