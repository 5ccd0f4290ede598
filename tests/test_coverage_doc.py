"""docs/coverage.md's launch and meeting tables are checked against the data, so the doc cannot
drift."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import REPO
from dprk_sanctions import load_tables

LAUNCH_ROW = re.compile(r"^\| (\d{4}) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|", re.MULTILINE)
MEETING_ROW = re.compile(r"^\| (\d{4}) \| (\d+|0 found) \| (\d+|0 found) \|", re.MULTILINE)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return load_tables(REPO)  # validates the package once for both tests


def section(heading: str) -> str:
    """The text of docs/coverage.md under ``## heading``, up to the next heading."""
    doc = (REPO / "docs" / "coverage.md").read_text(encoding="utf-8")
    return doc.split(f"## {heading}", 1)[1].split("##", 1)[0]


def test_the_yearly_launch_table_matches_the_data(tables):
    stated = {
        int(m[0]): tuple(int(v) for v in m[1:]) for m in LAUNCH_ROW.findall(section("Launches"))
    }
    launches = tables["launches"]
    years = launches["launch_date"].map(lambda d: d.year)
    ballistic = launches["ballistic"].fillna(False).astype(bool)
    for year in range(min(years), max(years) + 1):
        of_year = years == year
        counted = (
            int(of_year.sum()),
            int((of_year & ballistic).sum()),
            int(launches.loc[of_year & ballistic, "launch_date"].nunique()),
            int(launches.loc[of_year & ballistic, "missiles_min"].fillna(0).sum()),
        )
        assert stated.get(year) == counted, year


def test_the_yearly_meeting_table_matches_the_data(tables):
    stated = {
        int(m[0]): tuple(int(v.removesuffix(" found")) for v in m[1:])
        for m in MEETING_ROW.findall(section("Meetings"))
    }
    meetings = tables["meetings"]
    years = meetings["start_date"].map(lambda d: d.year)
    assert sorted(stated) == list(range(min(years), max(stated) + 1))
    for year, counts in stated.items():
        of_year = meetings[years == year]
        counted = tuple(int((of_year["counterpart"] == c).sum()) for c in ("RUS", "CHN"))
        assert counts == counted, year
