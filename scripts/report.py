"""``dprk-data report``: a self-contained HTML page (charts inline as SVG) and a timeline PNG."""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from .atomic import write_bytes, write_text
from .basemap import rings as basemap_rings
from .outdir import REPORT_MARK, OutputDirError, has_mark, probe_writable
from .package import Package
from .schemas import COVERAGE, PACKAGE, PLANNED_STATUS, VOCABULARIES, CoverageEntry
from .validate import require_valid, validate_package

if TYPE_CHECKING:
    from matplotlib.figure import Figure

HTML_NAME = "report.html"
PNG_NAME = "launch-timeline.png"
# written into the page and the PNG, so a later run overwrites only files it wrote itself
CLASS_COLOURS = {
    "srbm": "#4c72b0",
    "mrbm": "#55a868",
    "irbm": "#c44e52",
    "icbm": "#8172b2",
    "slbm": "#ccb974",
    "slv": "#64b5cd",
    "cruise": "#999999",
    "guided_mlrs": "#dd8452",
    "mlrs": "#e6a57e",
    "unknown": "#333333",
}
LATEST = 15
LABEL_MIN_LAUNCHES = 9  # label the busiest sites only, so names stay readable
SITES_VIEW = (123.5, 37.4, 131.0, 41.6)  # west, south, east, north: the DPRK and its coasts


def new_figure(width: float, height: float) -> Figure:
    """A matplotlib figure, through the object API (no pyplot state, no GUI backend).
    matplotlib is imported here, not with the module: the explorer uses this module's tables
    and needs no charts."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.hashsalt"] = "dprk-sanctions-data"  # stable SVG ids between runs
    return Figure(figsize=(width, height), dpi=100)


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def launches_per_month(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    launches = frames["launches"]
    months = pd.to_datetime(launches["launch_date"].astype(str)).dt.to_period("M")
    counts = pd.crosstab(months, launches["missile_class"].astype(str))
    full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    return counts.reindex(full, fill_value=0)


def russia_meeting_dates(frames: dict[str, pd.DataFrame]) -> list[dt.date]:
    meetings = frames["meetings"]
    return sorted(meetings.loc[meetings["counterpart"] == "RUS", "start_date"].tolist())


def timeline_figure(frames: dict[str, pd.DataFrame]):
    import matplotlib.dates as mdates

    counts = launches_per_month(frames)
    figure = new_figure(12, 4.2)
    axis = figure.subplots()
    bottom = pd.Series(0, index=counts.index)
    assert isinstance(counts.index, pd.PeriodIndex)  # launches_per_month reindexes by month
    x = counts.index.to_timestamp()
    for code in VOCABULARIES["missile_class"]:
        if code in counts:
            # only the months with launches: an empty month drew an invisible bar, and those
            # thousands of patches were most of the report's drawing time
            month = (counts[code] > 0).to_numpy()
            axis.bar(
                x[month],
                counts[code][month],
                bottom=bottom[month],
                width=25,
                label=code,
                color=CLASS_COLOURS[code],
            )
            bottom += counts[code]
    for index, day in enumerate(russia_meeting_dates(frames)):
        axis.axvline(
            # matplotlib annotates x as float; its date converter takes the Timestamp
            pd.Timestamp(day),  # type: ignore[arg-type]
            color="#d62728",
            alpha=0.45,
            linewidth=0.9,
            label="DPRK–Russia meeting" if index == 0 else None,
        )
    axis.set_ylabel("launch salvos per month")
    axis.set_title("DPRK launches per month by missile class, with DPRK–Russia meetings")
    # a label every five years (one a year overlaps on a 35-year axis), a tick every year
    axis.xaxis.set_major_locator(mdates.YearLocator(base=5))
    axis.xaxis.set_minor_locator(mdates.YearLocator())
    axis.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axis.legend(ncol=5, fontsize=8, loc="upper left")
    axis.grid(axis="y", alpha=0.3)
    return figure


def site_launch_counts(frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Launches per site (launches of unknown site are not counted)."""
    counts = frames["launches"]["site_id"].dropna().value_counts()
    return {str(site): int(count) for site, count in counts.items()}


def located_sites(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Sites with coordinates: the ones a map can place."""
    sites = frames["sites"]
    return sites[sites["latitude"].notna() & sites["longitude"].notna()]


def sites_figure(frames: dict[str, pd.DataFrame]):
    counts = pd.Series(site_launch_counts(frames), dtype="int64")
    located = located_sites(frames).copy()
    located["launches"] = located["site_id"].map(counts).fillna(0).astype(int)
    figure = new_figure(7, 6.5)
    axis = figure.subplots()
    for ring in basemap_rings():  # Natural Earth, as in the explorer
        axis.fill(*zip(*ring, strict=True), facecolor="#f4f1ea", edgecolor="#9a9388", lw=0.5)
    axis.set_facecolor("#dbe9f4")
    axis.scatter(
        located["longitude"],
        located["latitude"],
        s=located["launches"] * 25 + 10,
        alpha=0.6,
        color="#4c72b0",
        edgecolor="black",
    )
    for row in located[located["launches"] >= LABEL_MIN_LAUNCHES].itertuples():
        axis.annotate(
            f"{str(row.name).split(' (')[0]} ({row.launches})",  # the short name
            (row.longitude, row.latitude),
            fontsize=8,
            xytext=(4, 4),
            textcoords="offset points",
        )
    unlocated = int(counts[~counts.index.isin(located["site_id"])].sum())
    axis.set_title(
        f"Launch sites with coordinates, sized by launches (named: "
        f"{LABEL_MIN_LAUNCHES} or more)\n({unlocated} launches are from sites "
        "without coordinates; dprk-data site writes an interactive map)",
        fontsize=10,
    )
    axis.set_xlabel("longitude (°E)")
    axis.set_ylabel("latitude (°N)")
    west, south, east, north = SITES_VIEW
    axis.set_xlim(west, east)
    axis.set_ylim(south, north)
    axis.set_aspect(1 / math.cos(math.radians((south + north) / 2)))  # equirectangular
    axis.grid(alpha=0.3)
    return figure


def transfers_figure(frames: dict[str, pd.DataFrame]):
    """Transfers that took place (or are reported as such) by year; planned ones are left out
    and counted in the title."""
    planned = frames["transfers"]["status"] == PLANNED_STATUS
    transfers = frames["transfers"][~planned].copy()
    transfers["year"] = [d.year for d in transfers["reported_date"]]
    transfers["direction"] = transfers["supplier_id"] + " → " + transfers["recipient_id"]
    table = pd.crosstab(
        [
            transfers["year"],
            transfers["direction"].where(
                transfers["direction"].isin(["prk → rus", "rus → prk"]), "other"
            ),
        ],
        transfers["evidence_type"].astype(str),
    )
    figure = new_figure(10, 4.5)
    axis = figure.subplots()
    table.plot.barh(stacked=True, ax=axis, colormap="tab10")
    axis.set_xlabel("transfers (by year first reported)")
    axis.set_ylabel("year, direction")
    axis.set_title(
        "Transfers by year, direction and evidence type "
        f"({int(planned.sum())} reported only as planned not shown)"
    )
    axis.legend(fontsize=8)
    return figure


def _link(url: str, text: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'


# How a date not read whole on the page is labelled, by its published_date_from code.
DATE_BASIS_LABELS = {
    "address": "from its web address",
    "dateline": "its dateline showing no year",
}


def source_date_label(published_date: Any, published_date_from: Any) -> str:
    """A source's date as the report and the explorer show it: the date, with where it was
    read when that is not the page (published_date_from), or 'undated'."""
    if pd.isna(published_date):
        return "undated"
    basis = DATE_BASIS_LABELS.get(published_date_from)
    return f"{published_date}, {basis}" if basis else str(published_date)


def _source_text(source: pd.Series) -> str:
    """Publisher, date and title: two sources of one publisher stay distinguishable."""
    day = source_date_label(source["published_date"], source["published_date_from"])
    return f"{source['publisher']} ({day}): {source['title']}"


def latest_events(frames: dict[str, pd.DataFrame]) -> str:
    sources = frames["sources"].set_index("source_id")
    events = []
    for kind, table, key, date_column, links in (
        ("launch", "launches", "launch_id", "launch_date", "launch_sources"),
        ("meeting", "meetings", "meeting_id", "start_date", "meeting_sources"),
        ("transfer", "transfers", "transfer_id", "reported_date", "transfer_sources"),
    ):
        cited = frames[links].groupby(key)["source_id"].apply(list)
        for row in frames[table].itertuples():
            record = getattr(row, key)
            urls = [
                _link(cast(str, sources.at[s, "url"]), _source_text(sources.loc[s]))
                for s in cited.get(record, [])[:3]
            ]
            events.append((getattr(row, date_column), kind, record, ", ".join(urls)))
    events.sort(key=lambda e: (e[0], e[2]), reverse=True)
    rows = "".join(
        f"<tr><td>{d}</td><td>{k}</td><td><code>{html.escape(r)}</code></td><td>{links}</td></tr>"
        for d, k, r, links in events[:LATEST]
    )
    return (
        "<table><thead><tr><th>date</th><th>kind</th><th>record</th><th>sources</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def complete_period(entry: CoverageEntry) -> str:
    """The period an entry of COVERAGE claims complete, or that it claims none."""
    if entry["complete_from"] is None:
        return "none claimed"
    return f"{entry['complete_from']} to {entry['complete_to']}"


def coverage_table(frames: dict[str, pd.DataFrame]) -> str:
    rows = "".join(
        f"<tr><td>{c['table']}</td><td>{len(frames[c['table']]):,}</td>"
        f"<td>{html.escape(c['scope'])}</td><td>{complete_period(c)}</td>"
        f"<td>{html.escape(c['note'])}</td></tr>"
        for c in COVERAGE
    )
    return (
        "<table><thead><tr><th>table</th><th>rows</th><th>scope</th><th>complete</th>"
        f"<th>note</th></tr></thead><tbody>{rows}</tbody></table>"
    )


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="generator" content="dprk-data report">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }}
section {{ margin-bottom: 2.5rem; }} svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; font-size: 0.9rem; }}
td, th {{ border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }}
</style></head>
<body>
<h1>{title}</h1>
<p>Version {version}. Generated from the validated package on {generated}. Every record cites its
sources; see the data dictionary and docs/coverage.md in the repository.</p>
<section id="timeline"><h2>Launches over time</h2>{timeline}</section>
<section id="sites"><h2>Launch sites</h2>{sites}</section>
<section id="transfers"><h2>Transfers</h2>{transfers}</section>
<section id="coverage"><h2>Coverage</h2>{coverage}</section>
<section id="latest"><h2>Latest events</h2>{latest}</section>
<script>
  // marks the page as rendered once every chart is in the DOM (checked by the browser test)
  const charts = document.querySelectorAll("section svg").length;
  document.body.dataset.charts = String(charts);
  document.body.dataset.rendered = charts >= 3 ? "yes" : "no";
</script>
</body></html>
"""


def render_page(frames: dict[str, pd.DataFrame], generated: str, timeline: Figure) -> str:
    return PAGE.format(
        title=html.escape(PACKAGE["title"]),
        version=PACKAGE["version"],
        generated=generated,
        timeline=_svg(timeline),
        sites=_svg(sites_figure(frames)),
        transfers=_svg(transfers_figure(frames)),
        coverage=coverage_table(frames),
        latest=latest_events(frames),
    )


def timeline_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": REPORT_MARK})
    return buffer.getvalue()


def write_report(
    package: Package,
    out: str | Path | None = None,
    png: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write the HTML report and the timeline PNG (and a copy of the PNG at ``png``); returns
    the paths written. Raises OutputDirError when the folder cannot be written (before
    validating) and InvalidPackageError when the package is invalid."""
    say = progress or (lambda message: None)
    target = Path(out) if out else package.default_out
    probe_writable(target, target, "report")  # fail before validating, not after
    written = [target / HTML_NAME, target / PNG_NAME] + ([Path(png)] if png else [])
    refuse_foreign_files(written)
    say("validating")
    report = require_valid(validate_package(package), package)
    say("drawing charts")
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    timeline = timeline_figure(report.frames)  # drawn once: the page's SVG and the PNG
    write_text(written[0], render_page(report.frames, generated, timeline))
    image = timeline_png(timeline)
    write_bytes(written[1], image)
    if png:
        write_bytes(written[2], image)
    return written


def refuse_foreign_files(paths: list[Path]) -> None:
    """Raise OutputDirError (nothing written) when a path holds something this command did not
    write: a user's page or image, or a data file passed by mistake as --png."""
    for path in paths:
        if not os.path.lexists(path):
            continue
        if not has_mark(path, REPORT_MARK):
            raise OutputDirError(
                f"{path}: exists and was not written by dprk-data report; nothing was written "
                "(move it away or choose another path)"
            )
