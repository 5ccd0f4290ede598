"""``dprk-data site``: a static explorer (map, timeline, tables, one page per event) in one folder.

The folder works from file:// and on any static host: the page, its script and style, the data
(``data.js``, a script setting a global, since browsers refuse fetch() from file://) and the
basemap (Natural Earth, derived once by tools/derive_basemap.py) are all in it, and nothing is
loaded from elsewhere. GeoJSON of sites and launches is written beside them for GIS users.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .atomic import replace_directory
from .basemap import asset, basemap
from .outdir import (
    OutputDirError,
    cannot_write,
    check_output_dir,
    has_mark,
    marker_writer,
    probe_writable,
    remove_stale_staging,
    write_marker,
)
from .package import Package, PackageError
from .report import CLASS_COLOURS, located_sites, site_launch_counts, source_date_label
from .schemas import COVERAGE, PACKAGE, PLANNED_STATUS, VOCABULARIES
from .validate import require_valid, validate_package
from .views import VIEWS

FOLDER = "explorer"
STATIC = ("index.html", "explorer.js", "explorer.css")
SITES_GEOJSON = "launch-sites.geojson"
LAUNCHES_GEOJSON = "launches.geojson"
WRITTEN_BY = "dprk-data site"  # the mark in every file it writes, and its folder marker
BUDGET = 2_000_000  # bytes: the whole folder, so it loads quickly from a static host
# event table -> (key, citation table, breach view of views.py or None)
EVENTS = {
    "launches": ("launch_id", "launch_sources", "launch_breaches"),
    "meetings": ("meeting_id", "meeting_sources", None),
    "transfers": ("transfer_id", "transfer_sources", "transfer_breaches"),
    "nuclear_tests": ("nuclear_test_id", "nuclear_test_sources", "nuclear_test_breaches"),
}


# what the page shows of a source (explorer.js keys them by the first); "date" is the label
# report.source_date_label makes of published_date and published_date_from
SOURCE_COLUMNS = ("source_id", "publisher", "title", "url", "date", "copy_kind", "originator")


class SiteError(PackageError):
    """The explorer could not be written (exit code 2)."""


@dataclass(frozen=True)
class SiteResult:
    folder: Path
    files: dict[str, int]  # name -> bytes

    @property
    def size(self) -> int:
        return sum(self.files.values())


def _value(value: Any) -> Any:
    """A cell as JSON: unknown (NA) stays null, never 0 or ''."""
    if value is None or (not isinstance(value, list | dict) and pd.isna(value)):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(column): _value(cell) for column, cell in row.items()}
        for row in frame.to_dict("records")
    ]


def format_range(low: Any, high: Any) -> str:
    """A count as the sources give it: '2', '2–3', 'at least 2', 'at most 3' or 'unknown'."""
    low, high = _value(low), _value(high)
    if low is None and high is None:
        return "unknown"
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"at most {high}"
    return str(low) if low == high else f"{low}–{high}"


def breaches(frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, list[str]]]:
    """Event ID -> UN provisions it breaches, from the package's own breach views (views.py)."""
    con = duckdb.connect()
    try:
        for name in ("launches", "transfers", "nuclear_tests", "provisions"):
            con.register(name, frames[name])
        result: dict[str, dict[str, list[str]]] = {}
        for table, (key, _, view) in EVENTS.items():
            if view is None:
                continue
            rows = con.sql(f"SELECT {key}, provision_id FROM ({VIEWS[view][1]}) ORDER BY ALL")
            found: dict[str, list[str]] = {}
            for record, provision in rows.fetchall():
                found.setdefault(record, []).append(provision)
            result[table] = found
        return result
    finally:
        con.close()


def citations(frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, list[list[Any]]]]:
    """Per event table: record ID -> [source_id, locator, supported fields] for each citation."""
    result = {}
    for table, (key, links, _) in EVENTS.items():
        cited: dict[str, list[list[Any]]] = {}
        for row in frames[links].itertuples(index=False):
            supports = _value(row.supports)
            cited.setdefault(getattr(row, key), []).append(
                [row.source_id, _value(row.locator), supports.split(";") if supports else []]
            )
        result[table] = cited
    return result


def cited_sources(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """The sources that a citation or an estimate cites, packed (explorer.js keys them by ID)."""
    used = set(frames["nuclear_test_estimates"]["source_id"])
    for _, links, _ in EVENTS.values():
        used |= set(frames[links]["source_id"])
    sources = frames["sources"]
    shown = sources[sources["source_id"].isin(used)].assign(
        date=lambda s: [
            source_date_label(day, read_from)
            for day, read_from in zip(s["published_date"], s["published_date_from"], strict=True)
        ]
    )
    return packed(records(shown[list(SOURCE_COLUMNS)]), list(SOURCE_COLUMNS))


def _point(row: dict[str, Any]) -> dict[str, Any]:
    # RFC 7946: longitude first; six decimals is well below any site's precision
    return {
        "type": "Point",
        "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)],
    }


def sites_geojson(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Sites with coordinates only (sites without them are left out, not put at 0,0)."""
    counts = site_launch_counts(frames)
    features = []
    for row in records(located_sites(frames)):
        properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        properties["launches"] = counts.get(row["site_id"], 0)
        features.append(
            {
                "type": "Feature",
                "id": row["site_id"],
                "geometry": _point(row),
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "generator": WRITTEN_BY, "features": features}


def launches_geojson(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Every launch, at its site; a launch whose site is unknown or has no coordinates has a
    null geometry (RFC 7946 allows it), so the file holds all launches."""
    sites = {row["site_id"]: row for row in records(located_sites(frames))}
    features = []
    for row in records(frames["launches"]):
        site = sites.get(row["site_id"])
        properties = {k: v for k, v in row.items() if k != "notes"}
        properties["missiles"] = format_range(row["missiles_min"], row["missiles_max"])
        properties["site_name"] = site["name"] if site else None
        properties["coordinate_precision"] = site["coordinate_precision"] if site else None
        features.append(
            {
                "type": "Feature",
                "id": row["launch_id"],
                "geometry": _point(site) if site else None,
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "generator": WRITTEN_BY, "features": features}


def packed(rows: list[dict[str, Any]], columns: list[str]) -> dict[str, Any]:
    """Rows as one list of column names and a list of values per row: the data file names each
    column once instead of once per row (explorer.js unpacks it on load)."""
    return {"columns": columns, "rows": [[row[c] for c in columns] for row in rows]}


# a count shown as a range: the column the page shows, and the two it is made from
RANGES = {
    "launches": ("missiles", "missiles_min", "missiles_max"),
    "transfers": ("quantity", "quantity_min", "quantity_max"),
}


def _with_ranges(frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, Any]]:
    """Each event table, packed, with its count range where it has one."""
    events = {}
    for table in EVENTS:
        rows, columns = records(frames[table]), [str(c) for c in frames[table].columns]
        if table in RANGES:
            shown, low, high = RANGES[table]
            for row in rows:
                row[shown] = format_range(row[low], row[high])
            columns.append(shown)
        events[table] = packed(rows, columns)
    return events


def _grouped(frame: pd.DataFrame, key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in records(frame):
        grouped.setdefault(row.pop(key), []).append(row)
    return grouped


def explorer_data(frames: dict[str, pd.DataFrame], generated: str) -> dict[str, Any]:
    """Everything the page shows, taken from the validated tables: no new facts."""
    provisions = frames["provisions"][["provision_id", "resolution", "paragraph", "adopted_date"]]
    provisions = provisions.assign(summary=frames["provisions"]["summary"])
    return {
        "meta": {
            "title": PACKAGE["title"],
            "version": PACKAGE["version"],
            "generated": generated,
            "homepage": PACKAGE["homepage"],
        },
        "coverage": [dict(entry) for entry in COVERAGE],
        "planned_status": PLANNED_STATUS,
        "classes": list(VOCABULARIES["missile_class"]),
        "colours": CLASS_COLOURS,
        "events": _with_ranges(frames),
        "sites": records(frames["sites"].drop(columns=["source_id"])),
        "systems": {r.pop("system_id"): r for r in records(frames["weapon_systems"])},
        "actors": {r["actor_id"]: r["name"] for r in records(frames["actors"])},
        "sources": cited_sources(frames),
        "provisions": {r.pop("provision_id"): r for r in records(provisions)},
        "citations": citations(frames),
        "breaches": breaches(frames),
        "participants": _grouped(
            frames["meeting_participants"][["meeting_id", "actor_id", "side", "role_at_time"]],
            "meeting_id",
        ),
        "estimates": _grouped(
            frames["nuclear_test_estimates"].drop(columns=["notes"]), "nuclear_test_id"
        ),
    }


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _marked(name: str, content: bytes) -> bytes:
    """``content`` with the explorer's mark near its start, where ``has_mark`` looks for it (the
    GeoJSON files carry it as their "generator" member)."""
    if name.endswith(".html"):
        doctype, _, rest = content.partition(b"\n")
        return doctype + f"\n<!-- written by {WRITTEN_BY} -->\n".encode() + rest
    if name.endswith((".js", ".css")):
        return f"/* written by {WRITTEN_BY} */\n".encode() + content
    return content


def render_files(frames: dict[str, pd.DataFrame], generated: str) -> dict[str, bytes]:
    """Every file of the explorer folder, by name, each carrying the explorer's mark."""
    files = {name: _marked(name, asset(f"explorer/{name}")) for name in STATIC}
    data = explorer_data(frames, generated)
    files["data.js"] = _marked("data.js", f"window.DPRK_DATA = {_json(data)};\n".encode())
    files["basemap.js"] = _marked(
        "basemap.js", f"window.DPRK_BASEMAP = {_json(basemap())};\n".encode()
    )
    files[SITES_GEOJSON] = (_json(sites_geojson(frames)) + "\n").encode()
    files[LAUNCHES_GEOJSON] = (_json(launches_geojson(frames)) + "\n").encode()
    return files


OUTPUT_NAMES = (*STATIC, "data.js", "basemap.js", SITES_GEOJSON, LAUNCHES_GEOJSON)


def _refuse_files_of_others(target: Path) -> None:
    """A file with one of the explorer's names that the explorer did not write (a user's
    index.html in a build's dist/) is not the explorer's to replace: nothing is written. A
    folder whose marker says the explorer wrote it last is the explorer's, files and all (an
    explorer written before the files carried the mark)."""
    if marker_writer(target) == WRITTEN_BY:
        return
    for name in OUTPUT_NAMES:
        if os.path.lexists(target / name) and not has_mark(target / name, WRITTEN_BY):
            raise OutputDirError(
                f"{target / name}: exists and was not written by dprk-data site; nothing was "
                "written (move it away or choose another folder with --out)"
            )


def default_folder(package: Package) -> Path:
    return package.default_out / FOLDER


def build_site(package: Package, out: str | Path | None = None) -> SiteResult:
    """Validate, then write the explorer folder atomically. Raises OutputDirError for a folder
    it may not replace, InvalidPackageError (listing the problems) for an invalid package and
    SiteError when the folder cannot be written."""
    target = check_output_dir(package, Path(out) if out else default_folder(package))
    _refuse_files_of_others(target)
    probe_writable(target.parent, target, "explorer")  # fail before validating, not after
    report = require_valid(validate_package(package), package)
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    files = render_files(report.frames, generated)
    try:
        with replace_directory(target, marker=write_marker, clean=remove_stale_staging) as staging:
            for name, data in files.items():
                (staging / name).write_bytes(data)
            write_marker(staging, pid=None, written_by=WRITTEN_BY)
    except OSError as error:
        raise SiteError(cannot_write(target, "explorer", error)) from None
    return SiteResult(target, {name: len(data) for name, data in files.items()})
