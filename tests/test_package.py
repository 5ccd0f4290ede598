"""The committed package itself: valid, descriptor and dictionary fresh, frictionless happy."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO
from dprk_sanctions.generated import check_generated

# Count assertions: a bad export or a lost file must not pass as a valid, smaller package.
MINIMUM_ROWS = {
    "launches": 200,
    "sources": 500,
    "meetings": 25,
    "transfers": 20,
    "provisions": 15,
    "seed_claims": 10,
    "sites": 30,
    "weapon_systems": 20,
}


@pytest.fixture(scope="module")
def report(repo_report):
    return repo_report


def test_committed_package_is_valid(report):
    assert report.valid, "\n".join(p.as_text() for p in report.problems[:20])


@pytest.mark.parametrize(("table", "minimum"), MINIMUM_ROWS.items())
def test_minimum_rows(report, table, minimum):
    assert report.rows[table] >= minimum


def test_generated_files_are_fresh():
    stale = check_generated(REPO)
    assert not stale, f"stale generated files {stale}: run `dprk-data descriptor`"


def test_frictionless_validates_the_descriptor():
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_frictionless_catches_what_it_can_of_a_bad_copy(package):
    package.set_cell("launches", 0, "missile_class", "srmb")
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "datapackage.json"],
        cwd=package.root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode != 0


def test_launch_years_have_no_gap(report):
    years = set(pd.Series(report.frames["launches"]["launch_date"]).map(lambda d: d.year))
    # 2018 had no launch (the 2018 moratorium); every other year from 2016 has records
    assert years >= {
        2012,
        2013,
        2014,
        2015,
        2016,
        2017,
        2019,
        2020,
        2021,
        2022,
        2023,
        2024,
        2025,
        2026,
    }


def test_every_seed_claim_has_a_verdict_and_sources(report):
    claims = report.frames["seed_claims"]
    assert claims["verdict"].notna().all()
    assert claims["source_ids"].notna().all()


def test_every_committed_table_takes_the_duckdb_path():
    """The byte scan sends the committed tables to DuckDB, not the pandas way: a scan that
    mistook quotes inside a quoted cell for a spaced cell quote had sent sources.csv, and with
    it every rule across tables, the slow way on each validation."""
    from dprk_sanctions.package import open_package
    from dprk_sanctions.schemas import TABLES
    from dprk_sanctions.sqlscan import scan_file

    package = open_package(REPO)
    slow = [t.name for t in TABLES if not scan_file(package.table_path(t.name), t.columns).clean]
    assert slow == []
