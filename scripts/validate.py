"""Validate a package: file level, then every pandera check, then rules across tables.

Two engines give the same answers (a differential test holds them to it): ``pandas`` runs the
pandera models on whole tables and returns typed frames (what the Python API loads); ``duckdb``
loads the CSVs into DuckDB, lets a SQL prefilter compiled from the same models pick out the rows
that could fail, and runs the pandera models on those rows only (what the CLI and the build use).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb
import numpy as np
import pandas as pd

from .agreements import RuleInput, agreement_problems, clean_tables, frame_input
from .crosstable import cross_table_problems
from .csvfile import read_csv
from .package import DESCRIPTOR, DICTIONARY, InvalidPackageError, Package, descriptor_problems
from .problems import Problem
from .rowchecks import check_rows, tables_text_failures
from .schemas import TABLES


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # pandas engine

    @property
    def valid(self) -> bool:
        return not self.problems


def _descriptor_problems(package: Package) -> list[Problem]:
    return [
        Problem(
            DESCRIPTOR,
            None,
            None,
            "descriptor",
            f"{name}: {message}",
            "regenerate it with: dprk-data descriptor",
        )
        for name, message in descriptor_problems(package)
    ]


def generated_problems(package: Package) -> list[Problem]:
    """Generated files that differ from what schemas/ generates today: a contributor changed a
    schema and forgot ``dprk-data descriptor``. The dictionary is checked where the package has
    one (a checkout; a release zip has none)."""
    from .descriptor import is_current
    from .dictionary import render_dictionary

    problems = []
    if not is_current(package.descriptor):
        problems.append(
            Problem(
                DESCRIPTOR,
                None,
                None,
                "stale-generated",
                "differs from what schemas/ generates (stale or edited by hand)",
                "regenerate it with: dprk-data descriptor",
            )
        )
    dictionary = package.root / DICTIONARY
    if dictionary.is_file() and dictionary.read_text(encoding="utf-8") != render_dictionary(
        package.root
    ):
        problems.append(
            Problem(
                DICTIONARY,
                None,
                None,
                "stale-generated",
                "differs from what schemas/ generates (stale or edited by hand)",
                "regenerate it with: dprk-data descriptor",
            )
        )
    return problems


def require_valid(report: Report, package: Package) -> Report:
    """``report``, or InvalidPackageError listing its problems: for callers that go on only
    with a valid package (build, release, report, site, the Python API)."""
    if not report.valid:
        raise InvalidPackageError(report.problems, report.rows, str(package.root))
    return report


def relocate(problems: list[Problem], package: Package) -> list[Problem]:
    """Name each table's file as the package's descriptor does. The rules name the declared
    paths (schemas/, data/<table>.csv); a descriptor that points elsewhere is the truth about
    where the rows are, so messages, fixes and locations follow it."""
    moved = {
        table.path: package.table_file(table.name)
        for table in TABLES
        if package.table_file(table.name) != table.path
    }
    if not moved:
        return problems

    def text(value: str) -> str:
        for declared, actual in moved.items():
            value = value.replace(declared, actual)
        return value

    return [
        replace(
            problem,
            file=moved.get(problem.file, problem.file),
            message=text(problem.message),
            fix=text(problem.fix),
        )
        for problem in problems
    ]


def _package_problems(package: Package) -> list[Problem]:
    missing = _descriptor_problems(package)
    return missing or generated_problems(package)


def validate_with_pandas(package: Package) -> Report:
    report = Report(problems=_package_problems(package))
    lines: dict[str, np.ndarray] = {}
    # relocate() below names the descriptor's paths
    raws = {t.name: read_csv(package.table_path(t.name), t.path, t.columns) for t in TABLES}
    readable = {
        t.name: (t, frame)
        for t in TABLES
        if (frame := raws[t.name].frame) is not None and raws[t.name].lines is not None
    }
    pass_one = tables_text_failures(readable)  # pass 1's text rules for every table at once
    for table in TABLES:
        raw = raws[table.name]
        report.problems += raw.problems
        if raw.frame is None or raw.lines is None:  # unreadable
            continue
        result = check_rows(table, raw.frame, raw.lines, pass_one.get(table.name, []))
        report.problems += result.problems
        report.frames[table.name] = result.typed
        report.rows[table.name] = len(result.typed)
        lines[table.name] = raw.lines
    report.problems += cross_table_problems(report.frames, lines)
    con = duckdb.connect()
    try:
        report.problems += agreement_problems(
            con,
            lambda name: _frame_input(report.frames, lines, name),
            clean_tables(report.problems),
        )
    finally:
        con.close()
    report.problems = relocate(report.problems, package)
    return report


def _frame_input(
    frames: dict[str, pd.DataFrame], lines: dict[str, np.ndarray], name: str
) -> RuleInput | None:
    return frame_input(frames[name], lines[name]) if name in frames else None


def validate_with_duckdb(package: Package, con: duckdb.DuckDBPyConnection | None = None) -> Report:
    """Validate in DuckDB. A caller that passes ``con`` (the build) finds the text tables
    (raw_<table>) in it afterwards; otherwise the connection is closed here."""
    from .sqlengine import validate_sql

    own = con is None
    con = duckdb.connect() if con is None else con
    try:
        problems, rows = validate_sql(package, con)
    finally:
        if own:
            con.close()
    return Report(problems=_package_problems(package) + relocate(problems, package), rows=rows)


def validate_package(package: Package, engine: str = "pandas") -> Report:
    if engine == "duckdb":
        return validate_with_duckdb(package)
    return validate_with_pandas(package)
