"""Benchmark: validate, frictionless, DuckDB bare load and build on the same synthetic files.

``python -m dprk_sanctions.benchmark --sizes 10000 100000 1000000 --repeat 3``

Each tool runs in its own process; runs alternate between tools and repeat, and the table reports
the median wall time and peak RSS per tool and size, and the ratios against the DuckDB bare load
(the floor: parsing the CSVs into typed tables is unavoidable) measured in the same run. A
seeded-fault package checks that validate reports exactly the planted faults and that every
problem frictionless reports is among them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .ddl import SQL_TYPES
from .schemas import TABLES
from .synthetic import FAULT_KINDS, generate

BARE_LOAD = """
import sys, duckdb
con = duckdb.connect()
for name, columns in {tables!r}:
    types = ", ".join(f"'{{c}}': '{{t}}'" for c, t in columns)
    path = f"{{sys.argv[1]}}/data/{{name}}.csv"
    con.execute(f"CREATE TABLE {{name}} AS SELECT * FROM read_csv('{{path}}', header = true, "
                f"auto_detect = false, columns = {{{{{{types}}}}}})")
"""


def bare_load_script() -> str:
    tables = [
        (
            t.name,
            [(name, SQL_TYPES[col.metadata["type"]]) for name, col in t.schema.columns.items()],
        )
        for t in TABLES
    ]
    return BARE_LOAD.format(tables=tables)


@dataclass
class Run:
    tool: str
    size: int
    seconds: float
    peak_mb: float
    exit_code: int


# A tiny launcher: Linux keeps a process's peak RSS across exec, so a child forked from this
# (large) benchmark process would report at least our own size. The launcher is small, forks
# the tool, and reports the tool's own wall time, peak RSS and exit code.
LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
code = os.waitstatus_to_exitcode(status)
print(json.dumps([time.perf_counter() - started, usage.ru_maxrss, code]))
"""


def measure(command: list[str], tool: str, size: int) -> Run:
    """Wall time and peak RSS of one tool process, measured by the small launcher."""
    result = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, *command], capture_output=True, text=True, check=True
    )
    seconds, peak_kb, exit_code = json.loads(result.stdout)
    return Run(tool, size, seconds, peak_kb / 1024, exit_code)


def commands(package: Path, work: Path) -> dict[str, list[str]]:
    script = work / "bare_load.py"
    script.write_text(bare_load_script(), encoding="utf-8")
    python = sys.executable
    return {
        "duckdb_bare_load": [python, str(script), str(package)],
        "validate": [python, "-m", "dprk_sanctions", "validate", str(package)],
        "build": [
            python,
            "-m",
            "dprk_sanctions",
            "build",
            "--package",
            str(package),
            "--out",
            str(work / "dist"),
            "--quiet",
        ],
        "frictionless": [
            python,
            "-m",
            "frictionless",
            "validate",
            "--json",
            str(package / "datapackage.json"),
        ],
    }


def run_size(size: int, repeat: int, work: Path, tools: list[str]) -> list[Run]:
    package = generate(work / f"package-{size}", size)
    tool_commands = commands(package, work)
    runs = []
    for round_number in range(repeat):
        order = tools if round_number % 2 == 0 else list(reversed(tools))  # alternate
        for tool in order:
            print(
                f"... {size:,} launches, round {round_number + 1}/{repeat}: {tool}",
                file=sys.stderr,
                flush=True,
            )
            runs.append(measure(tool_commands[tool], tool, size))
    shutil.rmtree(package)
    return runs


def fault_check(work: Path, size: int, per_kind: int) -> dict:
    """Plant faults; compare what validate and frictionless report with what was planted."""
    package = generate(work / "faults", size, faults=per_kind)
    expected = json.loads((package / "expected-faults.json").read_text())
    ours = subprocess.run(
        [sys.executable, "-m", "dprk_sanctions", "validate", str(package), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    found = json.loads(ours.stdout)["problems"]
    planted = {(e["file"], e["line"], e["column"]) for e in expected}
    reported = {(p["file"], p["line"], p["column"]) for p in found}
    theirs = subprocess.run(
        [
            sys.executable,
            "-m",
            "frictionless",
            "validate",
            "--json",
            str(package / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    frictionless_errors = [
        (task["name"], error.get("rowNumber"), error.get("fieldName"))
        for task in json.loads(theirs.stdout).get("tasks", [])
        for error in task.get("errors", [])
    ]
    ours_by_place = {(Path(f).stem, line, column) for f, line, column in reported}
    ours_by_row = {(table, line) for table, line, _ in ours_by_place}
    outside = [
        e
        for e in frictionless_errors
        if (e[0], e[1], e[2]) not in ours_by_place
        and not (e[2] is None and (e[0], e[1]) in ours_by_row)
    ]
    shutil.rmtree(package)
    return {
        "planted": len(expected),
        "reported": len(found),
        "exact": planted == reported and len(found) == len(expected),
        "kinds": sorted(FAULT_KINDS),
        "frictionless_errors": len(frictionless_errors),
        "frictionless_outside_ours": outside[:10],
    }


def summarise(runs: list[Run]) -> list[dict]:
    rows = []
    for size in sorted({r.size for r in runs}):
        medians = {}
        for tool in sorted({r.tool for r in runs if r.size == size}):
            mine = [r for r in runs if r.size == size and r.tool == tool]
            medians[tool] = (
                statistics.median(r.seconds for r in mine),
                statistics.median(r.peak_mb for r in mine),
                all(r.exit_code == 0 for r in mine),
            )
        floor = medians["duckdb_bare_load"][0]
        for tool, (seconds, peak, ok) in medians.items():
            rows.append(
                {
                    "size": size,
                    "tool": tool,
                    "median_s": round(seconds, 3),
                    "peak_rss_mb": round(peak, 1),
                    "x_bare_load": round(seconds / floor, 2),
                    "all_exit_0": ok,
                }
            )
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| launches | tool | median s | × bare load | peak RSS MB | exit 0 |",
        "|---:|---|---:|---:|---:|---|",
    ]
    lines += [
        f"| {r['size']:,} | {r['tool']} | {r['median_s']:.2f} | {r['x_bare_load']:.2f} | "
        f"{r['peak_rss_mb']:.0f} | {r['all_exit_0']} |"
        for r in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--tools", nargs="+", default=["duckdb_bare_load", "validate", "build", "frictionless"]
    )
    parser.add_argument("--faults", type=int, default=3, help="faults of each kind to plant")
    parser.add_argument("--fault-size", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if "duckdb_bare_load" not in args.tools:
        args.tools.insert(0, "duckdb_bare_load")
    with tempfile.TemporaryDirectory(prefix="dprk-bench-") as temporary:
        work = Path(temporary)
        runs = [run for size in args.sizes for run in run_size(size, args.repeat, work, args.tools)]
        faults = fault_check(work, args.fault_size, args.faults) if args.faults else None
    rows = summarise(runs)
    print(markdown(rows))
    if faults:
        print(f"\nseeded faults: {json.dumps(faults)}")
    if args.json:
        machine = {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        }
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine,
                    "rows": rows,
                    "faults": faults,
                    "runs": [r.__dict__ for r in runs],
                },
                indent=1,
            )
            + "\n"
        )
    return 0 if all(r["all_exit_0"] for r in rows) and (not faults or faults["exact"]) else 1


if __name__ == "__main__":
    sys.exit(main())
