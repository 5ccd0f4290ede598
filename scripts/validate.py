"""Validate a package: file level, then every pandera check, then rules across tables."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .crosstable import cross_table_problems
from .csvfile import read_csv
from .package import DESCRIPTOR, Package, descriptor_problems
from .problems import Problem
from .rowchecks import check_rows
from .schemas import TABLES


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems


def validate_package(package: Package) -> Report:
    report = Report()
    for name, message in descriptor_problems(package):
        report.problems.append(Problem(DESCRIPTOR, None, None, "descriptor", f"{name}: {message}",
                                       "regenerate it with: dprk-data descriptor"))
    lines: dict[str, np.ndarray] = {}
    for table in TABLES:
        path = package.table_path(table.name)
        file = path.relative_to(package.root).as_posix()
        raw = read_csv(path, file, table.columns)
        report.problems += raw.problems
        if not raw.readable:
            continue
        typed, problems = check_rows(table, raw.frame, raw.lines)
        report.problems += problems
        report.frames[table.name] = typed
        report.rows[table.name] = len(typed)
        lines[table.name] = raw.lines
    report.problems += cross_table_problems(report.frames, lines)
    return report
