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


SANCTIONS_ROW = re.compile(r"^\| ([a-z][^|]*?) \| (\d+)(?: of (\d+))? \|$", re.MULTILINE)


def sanctions_counts(tables: dict[str, pd.DataFrame]) -> dict[str, tuple[int, ...]]:
    """Each count the sanctions section states, computed from the tables."""
    actors, vessels = tables["actors"], tables["vessels"]
    designations = tables["designations"]
    counts: dict[str, tuple[int, ...]] = {
        "ships": (len(vessels),),
        "voyages and port calls linked to transfers": (len(tables["transfer_vessels"]),),
        "designations": (len(designations),),
        "designations with a listing date": (int(designations["listed_date"].notna().sum()),),
        "designated actors": (designations["actor_id"].nunique(),),
        "designated ships": (designations["vessel_id"].nunique(),),
        "actors searched for designations": (
            int(actors["designations_searched"].notna().sum()),
            len(actors),
        ),
        "ships searched for designations": (
            int(vessels["designations_searched"].notna().sum()),
            len(vessels),
        ),
    }
    for authority, n in designations["authority"].value_counts().items():
        counts[f"designations by {authority}"] = (int(n),)
    return counts


def test_the_sanctions_counts_match_the_data(tables):
    stated = {
        label: tuple(int(v) for v in values if v)
        for label, *values in SANCTIONS_ROW.findall(
            section("Sanctions: identifiers, vessels and designations")
        )
    }
    assert stated == sanctions_counts(tables)
