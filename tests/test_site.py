"""The explorer (`dprk-data site`): its data, its files, and the page in headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import CHROMIUM_FLAGS, REPO
from dprk_sanctions.basemap import basemap
from dprk_sanctions.cli import main
from dprk_sanctions.report import latest_events
from dprk_sanctions.schemas import PLANNED_STATUS
from dprk_sanctions.site import (
    BUDGET,
    LAUNCHES_GEOJSON,
    SITES_GEOJSON,
    format_range,
    located_sites,
    site_launch_counts,
)

CLIP = (119.0, 32.0, 135.0, 45.0)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "explorer"
    assert main(["site", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def frames(repo_report):
    return repo_report.frames


def read_global(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :].strip().rstrip(";"))


def unpack(table: dict) -> list[dict]:
    """A packed table as explorer.js unpacks it: one dict per row."""
    return [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]


@pytest.fixture(scope="module")
def raw_data(site_dir) -> dict:
    return read_global(site_dir / "data.js")


@pytest.fixture(scope="module")
def data(raw_data) -> dict:
    """The data as the page sees it once explorer.js has unpacked the packed tables."""
    unpacked = dict(raw_data)
    unpacked["events"] = {table: unpack(t) for table, t in raw_data["events"].items()}
    unpacked["sources"] = {s.pop("source_id"): s for s in unpack(raw_data["sources"])}
    return unpacked


# ---- data shaping ----


def test_sites_geojson_holds_the_sites_with_coordinates(site_dir, frames):
    collection = json.loads((site_dir / SITES_GEOJSON).read_text(encoding="utf-8"))
    located = located_sites(frames).set_index("site_id")
    assert len(collection["features"]) == len(located)
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]  # RFC 7946: longitude first
        assert lon == pytest.approx(located.at[feature["id"], "longitude"])
        assert lat == pytest.approx(located.at[feature["id"], "latitude"])
    counts = site_launch_counts(frames)
    assert {f["id"]: f["properties"]["launches"] for f in collection["features"]} == {
        site: counts.get(site, 0) for site in located.index
    }


def test_launches_geojson_holds_every_launch(site_dir, frames):
    features = json.loads((site_dir / LAUNCHES_GEOJSON).read_text(encoding="utf-8"))["features"]
    assert [f["id"] for f in features] == frames["launches"]["launch_id"].tolist()
    located = set(located_sites(frames)["site_id"])
    unplaced = [f for f in features if f["geometry"] is None]
    assert len(unplaced) == int((~frames["launches"]["site_id"].isin(located)).sum()) > 0
    assert all(f["properties"]["site_id"] not in located for f in unplaced)


def test_every_event_is_in_the_data_file(data, frames):
    for table, key in (
        ("launches", "launch_id"),
        ("meetings", "meeting_id"),
        ("transfers", "transfer_id"),
        ("nuclear_tests", "nuclear_test_id"),
    ):
        assert [r[key] for r in data["events"][table]] == frames[table][key].tolist()
    cited = sum(len(c) for c in data["citations"]["launches"].values())
    assert cited == len(frames["launch_sources"])
    assert set(data["sources"]) >= set(frames["launch_sources"]["source_id"])


def test_tables_name_each_column_once(raw_data, frames):
    """Packed: a column list and a list of values per row, the same columns as the tables."""
    launches = raw_data["events"]["launches"]
    assert launches["columns"] == [*frames["launches"].columns, "missiles"]
    assert all(len(row) == len(launches["columns"]) for row in launches["rows"])
    assert raw_data["sources"]["columns"][0] == "source_id"
    assert '"publisher":' not in json.dumps(raw_data["sources"])


def test_ranges_stay_ranges_and_unknown_stays_unknown(data):
    assert format_range(2, 2) == "2"
    assert format_range(2, 5) == "2–5"
    assert format_range(2, None) == "at least 2"
    assert format_range(None, 3) == "at most 3"
    assert format_range(None, None) == "unknown"
    launches = data["events"]["launches"]
    spread = [r for r in launches if r["missiles_max"] not in (None, r["missiles_min"])]
    assert spread and all(
        r["missiles"] == f"{r['missiles_min']}–{r['missiles_max']}" for r in spread
    )
    open_ended = [r for r in launches if r["missiles_max"] is None]
    assert open_ended and all(r["missiles"].startswith("at least ") for r in open_ended)
    # an empty cell is null in the data, never 0 or ""
    assert any(r["launch_time"] is None for r in launches)
    assert not any(value == "" for r in launches for value in r.values())


def test_breaches_come_from_the_views(data, frames):
    breaches = data["breaches"]["launches"]
    launches = frames["launches"].set_index("launch_id")
    assert breaches and launches.loc[list(breaches), "ballistic"].fillna(False).all()
    assert set(data["breaches"]) == {"launches", "transfers", "nuclear_tests"}
    assert all(p in data["provisions"] for ids in breaches.values() for p in ids)


def test_the_folder_is_under_its_size_budget(site_dir):
    assert sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file()) < BUDGET == 2_000_000


def test_nothing_is_loaded_from_the_network(site_dir):
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", page)
    assert sorted(re.findall(r'<script src="([^"]+)"', page)) == [
        "basemap.js",
        "data.js",
        "explorer.js",
    ]
    style = (site_dir / "explorer.css").read_text(encoding="utf-8")
    assert "@import" not in style and "url(" not in style
    script = (site_dir / "explorer.js").read_text(encoding="utf-8")
    for call in ("fetch(", "XMLHttpRequest", "import(", "importScripts", "sendBeacon", "WebSocket"):
        assert call not in script
    assert re.findall(r"https?://[^\s\"']+", script) == ["http://www.w3.org/2000/svg"]


def test_basemap_lies_in_its_clip_box():
    collection = basemap()
    names = {f["properties"]["name"] for f in collection["features"]}
    assert {"North Korea", "South Korea", "China", "Japan", "Russia"} <= names
    west, south, east, north = CLIP
    assert collection["bbox"] == list(CLIP)
    points = [
        point
        for feature in collection["features"]
        for polygon in feature["geometry"]["coordinates"]
        for ring in polygon
        for point in ring
    ]
    assert len(points) > 1000
    assert all(west <= lon <= east and south <= lat <= north for lon, lat in points)


def test_assets_ship_as_package_data():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"assets/*.geojson"' in text and '"assets/explorer/*"' in text


def test_refuses_a_folder_it_did_not_write(tmp_path, capsys):
    (tmp_path / "mine.txt").write_text("notes", encoding="utf-8")
    assert main(["site", "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "refusing" in error
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "notes"


def test_invalid_package_writes_nothing(package, tmp_path, capsys):
    package.set_cell("launches", 0, "missile_class", "srmb")
    out = tmp_path / "explorer"
    assert main(["site", "--package", str(package.root), "--out", str(out)]) == 1
    assert "srmb" in capsys.readouterr().out
    assert not out.exists()


def test_a_write_error_is_one_line(tmp_path, capsys, monkeypatch):
    import dprk_sanctions.site as site

    def refuse(target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(site, "remove_stale_staging", refuse)
    assert main(["site", "--out", str(tmp_path / "explorer")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Permission denied" in error and "Traceback" not in error


def test_rebuild_replaces_its_own_folder(site_dir, tmp_path):
    out = tmp_path / "explorer"
    shutil.copytree(site_dir, out)
    (out / "data.js").write_text("stale", encoding="utf-8")
    assert main(["site", "--out", str(out)]) == 0
    assert (out / "data.js").read_bytes() == (site_dir / "data.js").read_bytes()


def test_a_users_page_in_a_build_folder_is_kept(tmp_path, capsys):
    """A folder a build wrote may be the site's too, but not over a file of the user's."""
    out = tmp_path / "dist"
    out.mkdir()
    (out / ".dprk-data-build").write_text('{"written_by": "dprk-data build"}\n')
    (out / "index.html").write_text("<h1>my landing page</h1>", encoding="utf-8")
    assert main(["site", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "was not written by dprk-data site" in error
    assert (out / "index.html").read_text(encoding="utf-8") == "<h1>my landing page</h1>"
    assert sorted(p.name for p in out.iterdir()) == [".dprk-data-build", "index.html"]


def test_the_explorer_in_a_build_folder_survives_rebuilds(
    package, prepared_build, tmp_path, capsys
):
    """Each explorer file carries its mark, so a rebuild (which rewrites the folder's marker)
    does not make them look like a user's files."""
    out = prepared_build(tmp_path / "dist")
    root = str(package.root)
    assert main(["site", "--package", root, "--out", str(out)]) == 0
    assert main(["build", "--quiet", "--package", root, "--out", str(out)]) == 0
    assert main(["site", "--package", root, "--out", str(out)]) == 0, capsys.readouterr().err
    assert (out / "dprk.duckdb").is_file()


def test_report_tells_sources_of_one_publisher_apart(frames):
    table = latest_events(frames)
    for cell in re.findall(r"<td>(<a .*?)</td></tr>", table):
        texts = re.findall(r">([^<]+)</a>", cell)
        assert len(texts) == len(set(texts)), texts


# ---- the page in headless Chromium ----


def screenshot_dir(tmp_path_factory) -> Path:
    """Screenshots for CI artifacts: $EXPLORER_SCREENSHOTS, else the test's tmp dir."""
    folder = os.environ.get("EXPLORER_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser(chromium):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("the test extra installs playwright")
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Page:
    """A page that records console messages, page errors and every request off file://."""

    def __init__(self, browser, site_dir: Path):
        self.site_dir = site_dir
        self.console: list[str] = []
        self.external: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 1100})
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.route("**/*", self._route)

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def open(self, fragment: str):
        self.page.goto(f"{(self.site_dir / 'index.html').as_uri()}#{fragment}")
        self.page.wait_for_selector("body[data-ready='yes']")
        return self.page

    def assert_clean(self) -> None:
        assert self.console == []
        assert self.external == []


@pytest.fixture
def page(browser, site_dir):
    opened = Page(browser, site_dir)
    yield opened
    opened.page.close()


@pytest.mark.browser
def test_map_renders_basemap_and_one_circle_per_site(page, frames, tmp_path_factory):
    view = page.open("map")
    assert view.locator("path.land").count() == len(basemap()["features"])
    counts = site_launch_counts(frames)
    located = [s for s in located_sites(frames)["site_id"] if counts.get(s)]
    assert view.locator("circle.site").count() == len(located)
    assert "launch salvo" in view.locator("#map-svg").get_attribute("aria-label")
    assert "complete 2016-01-01 to" in view.locator(".coverage").inner_text()
    view.screenshot(path=str(screenshot_dir(tmp_path_factory) / "explorer-map.png"), full_page=True)
    # click a site: its launches are listed
    busiest = max(located, key=lambda site: counts[site])
    view.locator(f"circle[data-site='{busiest}']").dispatch_event("click")  # may lie under another
    assert view.locator("#site-panel li").count() == counts[busiest]
    # the keyboard does the same: Tab to a circle, Enter
    other = next(s for s in located if s != busiest)
    view.locator(f"circle[data-site='{other}']").focus()
    view.keyboard.press("Enter")
    assert view.locator("#site-panel li").count() == counts[other]
    page.assert_clean()


@pytest.mark.browser
def test_a_filter_changes_the_visible_rows(page, frames, tmp_path_factory):
    meetings = page.open("table/meetings")
    note = meetings.locator(".coverage").inner_text()
    assert "no period claimed complete" in note and "complete 20" not in note
    meta = meetings.locator("#meta").inner_text()
    assert "Complete only for: ballistic-missile" in meta and "null" not in meta
    view = page.open("table/launches")
    rows = view.locator("#events-table tbody tr")
    assert rows.count() == len(frames["launches"])
    view.select_option("#filter-class", "icbm")
    icbm = int((frames["launches"]["missile_class"] == "icbm").sum())
    assert 0 < rows.count() == icbm < len(frames["launches"])
    view.fill("#year-from", "2022")
    view.dispatch_event("#year-from", "change")
    years = frames["launches"]["launch_date"].map(lambda d: d.year)
    recent = int(((frames["launches"]["missile_class"] == "icbm") & (years >= 2022)).sum())
    assert rows.count() == recent < icbm
    view.fill("#table-search", "Hwasong-18")
    assert 0 < rows.count() < recent
    # sortable: the date heading's button reverses the order
    first = rows.first.inner_text()
    view.locator("th button", has_text="Date").click()
    assert rows.first.inner_text() != first
    view.locator("th button", has_text="Date").click()
    assert rows.first.inner_text() == first
    view.screenshot(path=str(screenshot_dir(tmp_path_factory) / "explorer-table.png"))
    view.goto(view.url.split("#")[0] + "#timeline")
    assert view.locator("#timeline-svg g.month rect").count() == recent
    # transfers reported only as planned are hollow marks, the others filled (years from 2022)
    transfers = frames["transfers"]
    russian = transfers["supplier_id"].eq("rus") | transfers["recipient_id"].eq("rus")
    first = transfers["period_start"].fillna(transfers["reported_date"])
    shown = transfers[russian & first.map(lambda d: d.year >= 2022)]
    planned = int((shown["status"] == PLANNED_STATUS).sum())
    assert 0 < planned < len(shown)
    assert view.locator("#timeline-svg rect.transfer-mark.planned").count() == planned
    assert view.locator("#timeline-svg rect.transfer-mark").count() == len(shown)
    page.assert_clean()


@pytest.mark.browser
def test_an_event_page_shows_its_citations(page, frames, data, tmp_path_factory):
    cited = frames["launch_sources"]["launch_id"].value_counts()
    launch = cited.index[0]
    view = page.open(f"launch/{launch}")
    items = view.locator("#citations li")
    assert items.count() == cited.iloc[0]
    first = data["citations"]["launches"][launch][0]
    text = items.first.inner_text()
    assert data["sources"][first[0]]["title"] in text
    assert f"Locator: {first[1]}" in text if first[1] else "Locator: unknown" in text
    assert all(field in text for field in first[2])
    assert (
        view.locator("a", has_text=data["sources"][first[0]]["title"]).first.get_attribute("href")
        == (data["sources"][first[0]]["url"])
    )
    if data["breaches"]["launches"].get(launch):
        assert "UNSCR" in view.locator("section", has_text="UN provisions breached").inner_text()
    view.screenshot(
        path=str(screenshot_dir(tmp_path_factory) / "explorer-event.png"), full_page=True
    )
    page.assert_clean()


@pytest.mark.browser
def test_a_citation_says_where_its_date_was_read(page, data, frames):
    """A date read from the web address says so; a source with no date reads 'undated'."""
    sources = frames["sources"].set_index("source_id")

    def first_citing(condition):
        for launch_id, cited in data["citations"]["launches"].items():
            for source_id, *_ in cited:
                if condition(sources.loc[source_id]):
                    return launch_id, sources.loc[source_id]
        raise AssertionError("no such citation in the package")

    launch, source = first_citing(lambda s: s["published_date_from"] == "address")
    text = page.open(f"launch/{launch}").locator("#citations").inner_text()
    assert f"({source['published_date']}, from its web address)" in text
    launch, source = first_citing(lambda s: pd.isna(s["published_date"]))
    assert "(undated)" in page.open(f"launch/{launch}").locator("#citations").inner_text()
    page.assert_clean()


@pytest.mark.browser
def test_unknown_values_read_unknown(page, data):
    launch = next(r for r in data["events"]["launches"] if r["launch_time"] is None)
    view = page.open(f"launch/{launch['launch_id']}")
    fields = view.locator("dl.fields").first.inner_text()
    assert re.search(r"launch_time\s+unknown", fields)
    open_ended = next(r for r in data["events"]["launches"] if r["missiles_max"] is None)
    view = page.open(f"launch/{open_ended['launch_id']}")
    assert f"at least {open_ended['missiles_min']}" in view.locator("main").inner_text()
    page.assert_clean()
