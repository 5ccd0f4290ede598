"""Shared fixtures: a small valid package copied to a temporary directory, and ways to break it."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from dprk_sanctions.cli import main
from dprk_sanctions.descriptor import render_descriptor
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
        results = {}
        for engine in ("duckdb", "pandas"):
            code = main(["validate", str(self.root), "--engine", engine, *extra])
            results[engine] = (code, capsys.readouterr().out)
        assert results["duckdb"] == results["pandas"], (
            f"engines disagree:\n--- duckdb\n{results['duckdb'][1]}\n"
            f"--- pandas\n{results['pandas'][1]}"
        )
        return results["duckdb"]


@pytest.fixture
def package(tmp_path: Path) -> FixturePackage:
    root = tmp_path / "package"
    shutil.copytree(FIXTURE, root)
    (root / "datapackage.json").write_text(render_descriptor(root), encoding="utf-8")
    return FixturePackage(root)


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
