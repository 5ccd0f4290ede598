"""The HTML report: written from the real data, rendered by headless Chromium without errors."""

from __future__ import annotations

import re
import subprocess

import pandas as pd
import pytest
from conftest import CHROMIUM_FLAGS, REPO
from dprk_sanctions.cli import main
from dprk_sanctions.report import (
    CLASS_COLOURS,
    DATE_BASIS_LABELS,
    _source_text,
    coverage_table,
    launches_per_month,
    russia_meeting_dates,
    transfers_figure,
)
from dprk_sanctions.schemas import COVERAGE, PLANNED_STATUS
from dprk_sanctions.schemas.vocabularies import MISSILE_CLASS, PUBLISHED_DATE_FROM

FLAGS = ["--headless", *CHROMIUM_FLAGS]


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["report", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def frames(repo_report):
    return repo_report.frames


def test_report_is_self_contained(report_dir):
    page = (report_dir / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 3
    # no network needed to view it: nothing is loaded from elsewhere
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']https?:""", page)
    assert "Latest events" in page and "Coverage" in page
    assert (report_dir / "launch-timeline.png").read_bytes().startswith(b"\x89PNG")


def test_monthly_counts_add_up_to_all_launches(frames):
    counts = launches_per_month(frames)
    assert counts.to_numpy().sum() == len(frames["launches"])
    assert len(russia_meeting_dates(frames)) == int(
        (frames["meetings"]["counterpart"] == "RUS").sum()
    )


def test_the_transfers_chart_leaves_out_planned_transfers(frames):
    planned = int((frames["transfers"]["status"] == PLANNED_STATUS).sum())
    axis = transfers_figure(frames).axes[0]
    assert planned and f"({planned} reported only as planned not shown)" in axis.get_title()
    counted = sum(patch.get_width() for patch in axis.patches)
    assert counted == len(frames["transfers"]) - planned


def test_the_coverage_table_says_where_no_period_is_claimed(frames):
    unclaimed = [c for c in COVERAGE if c["complete_from"] is None]
    table = coverage_table(frames)
    assert unclaimed and table.count("none claimed") == len(unclaimed)
    for entry in COVERAGE:
        if entry["complete_from"] is not None:
            assert f"{entry['complete_from']} to {entry['complete_to']}" in table


def test_coverage_declaration_matches_the_data(frames):
    """Each complete period is a real, past period with records in it. Rows after it are
    allowed (a contribution adds them before anyone can vouch that the period is complete)."""
    import datetime as dt

    first_date = {
        "launches": "launch_date",
        "meetings": "start_date",
        "transfers": "reported_date",
        "nuclear_tests": "test_date",
    }
    for entry in COVERAGE:
        start, end = entry["complete_from"], entry["complete_to"]
        if start is None or end is None:  # no period claimed: neither end is given
            assert start is end is None and entry["note"].startswith("no period")
            continue
        dates = frames[entry["table"]][first_date[entry["table"]]].dropna().map(dt.date.isoformat)
        assert start < end <= dt.date.today().isoformat()
        assert ((dates >= start) & (dates <= end)).any()


def test_readme_shows_the_timeline():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "(docs/img/launch-timeline.png)" in readme
    assert (REPO / "docs/img/launch-timeline.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.browser
def test_report_renders_in_headless_chromium(report_dir, tmp_path, chromium):
    browser = chromium
    url = (report_dir / "report.html").as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run(
        [
            browser,
            *FLAGS,
            *profile,
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-rendered="yes"' in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    assert not console, console
    screenshot = report_dir / "report-screenshot.png"  # beside the report, never the checkout
    shot = subprocess.run(
        [browser, *FLAGS, *profile, "--window-size=1200,2400", f"--screenshot={screenshot}", url],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.read_bytes().startswith(b"\x89PNG")


def test_every_missile_class_has_a_colour():
    assert set(CLASS_COLOURS) == set(MISSILE_CLASS)


def test_every_date_basis_but_the_page_has_a_label():
    assert set(DATE_BASIS_LABELS) == set(PUBLISHED_DATE_FROM) - {"page"}


@pytest.mark.parametrize(
    ("published_date", "published_date_from", "shown"),
    [
        ("2024-09-18", "page", "Wire (2024-09-18): Title"),
        ("2024-09-18", "address", "Wire (2024-09-18, from its web address): Title"),
        ("2024-09-18", "dateline", "Wire (2024-09-18, its dateline showing no year): Title"),
        (None, None, "Wire (undated): Title"),
    ],
)
def test_a_source_says_where_its_date_was_read(published_date, published_date_from, shown):
    source = pd.Series(
        {
            "publisher": "Wire",
            "title": "Title",
            "published_date": published_date,
            "published_date_from": published_date_from,
        }
    )
    assert _source_text(source) == shown
