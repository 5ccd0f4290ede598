"""The installed entry points, run as a user would (usage errors in-process: a subprocess would
add only its start-up)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_in_process
from dprk_sanctions.schemas import TABLES


def run(*args, cwd=REPO):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def test_console_script_validates_the_repository():
    result = run(str(Path(sys.executable).parent / "dprk-data"), "validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith(f"valid: {len(TABLES)} tables")


def test_python_dash_m_reports_problems_without_traceback(package):
    package.set_cell("launches", 0, "launch_date", "18/09/2024")
    result = run(
        sys.executable, "-m", "dprk_sanctions", "validate", str(package.root), "--format", "github"
    )
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=data/launches.csv,line=2,title=launch_date::")
    assert "Traceback" not in result.stdout + result.stderr


def test_bad_usage_exits_2(tmp_path):
    assert run_in_process("validate", "--format", "xml").returncode == 2
    assert run_in_process().returncode == 2
    result = run_in_process("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "no such descriptor" in result.stderr and "Traceback" not in result.stderr


def test_descriptor_check_reports_staleness(package):
    result = run_in_process("descriptor", "--check", "--package", str(package.root))
    # the fixture copy has a fresh descriptor but no data dictionary
    assert result.returncode == 1
    assert "docs/data-dictionary.md: stale" in result.stdout


IMPORTED = """
import sys
from dprk_sanctions.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
heavy = ("pandas", "pandera", "pyarrow", "importlib.metadata")
print(code, *sorted(name for name in heavy if name in sys.modules), file=sys.stderr)
"""


def imported_by(*args: str) -> list[str]:
    """Exit code, then which of pandas, pandera, pyarrow and importlib.metadata a command
    imported, in a fresh interpreter."""
    result = run(sys.executable, "-c", IMPORTED, *args)
    return result.stderr.split()


def test_commands_import_only_what_they_need(package, tmp_path):
    """The tool starts without pandas and pandera when a command does not need them (query,
    and validate of a valid package); the version's metadata look-up happens only for
    --version."""
    out = tmp_path / "dist"
    assert (
        run_in_process("build", "--package", str(package.root), "--out", str(out)).returncode == 0
    )
    assert imported_by("--help") == ["0"]
    assert imported_by("--version") == ["0", "importlib.metadata"]
    query = imported_by("query", "--package", str(package.root), "--out", str(out), "SELECT 1")
    assert query[0] == "0" and not {"pandas", "pandera", "pyarrow"} & set(query)
    # validate of a package in which nothing is wrong: the quick check, then nothing more
    valid = imported_by("validate", str(package.root))
    assert valid[0] == "0" and not {"pandas", "pandera", "pyarrow"} & set(valid)
