"""A synthetic, schema-valid package of any size, with optional seeded faults (for benchmarks).

``python -m dprk_sanctions.synthetic OUT --launches 100000 [--faults 3]`` writes OUT/data/*.csv
and OUT/datapackage.json. The fan-out is realistic: two citations per launch, one source per two
launches, a few hundred sites and systems, one meeting and one transfer per hundred launches.
With ``--faults N`` it plants N faults of each kind in FAULT_KINDS at known places and writes the
expected problems to OUT/expected-faults.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from .descriptor import render_descriptor
from .schemas import TABLES_BY_NAME

START = np.datetime64("1990-01-01", "D")
END = np.datetime64("2025-12-31", "D")
DAYS = int((END - START) // np.timedelta64(1, "D"))
# sources are published after every event they are cited for (the source-predates rules)
SOURCE_DAYS = 180
CLASSES = np.array(["srbm", "mrbm", "irbm", "icbm", "slbm", "slv"])

# kind -> (table, column, rule the validator reports)
FAULT_KINDS = {
    "enum_typo": ("launches", "missile_class", "isin"),
    "impossible_date": ("launches", "launch_date", "type_date"),
    "dangling_site": ("launches", "site_id", "foreign-key"),
    "min_above_max": ("launches", "missiles_max", "missiles_range"),
    "missing_token": ("launches", "distance_km", "missing_token"),
    "padded_value": ("sources", "publisher", "surrounding_space"),
    "bad_url": ("sources", "url", "str_matches"),
    "uncited_launch": ("launches", "launch_id", "uncited"),
}


def _days(offsets: np.ndarray) -> np.ndarray:
    """Whole days as timedeltas (numpy no longer adds bare integers to dates)."""
    return offsets.astype("timedelta64[D]")


def _ids(prefix: str, count: int) -> np.ndarray:
    return np.char.add(prefix, np.arange(count).astype(str))


def _write(frame: pd.DataFrame, root: Path, name: str) -> None:
    frame = frame[TABLES_BY_NAME[name].columns]
    frame.to_csv(root / "data" / f"{name}.csv", index=False, lineterminator="\n")


def reference_tables(rng: np.random.Generator, sources: int) -> dict[str, pd.DataFrame]:
    site_count, system_count = 300, 60
    source_ids = _ids("src-", sources)
    dates = (END + _days(rng.integers(1, SOURCE_DAYS, sources))).astype(str)
    # the three kinds of the real package, a third each: dated on the page, dated from a dated web
    # address, and an address that holds the date with nobody having checked the page (blank)
    kind = np.arange(sources) % 3
    numbers = np.arange(sources).astype(str)
    dated_urls = np.char.add(
        np.char.add("https://example.org/", np.char.replace(dates, "-", "/")), "/report-"
    )
    urls = np.where(
        kind == 0,
        np.char.add("https://example.org/report/", numbers),
        np.char.add(dated_urls, numbers),
    )
    date_from = np.where(kind == 0, "page", np.where(kind == 1, "address", ""))
    frames = {
        "sources": pd.DataFrame(
            {
                "source_id": source_ids,
                "publisher": "Synthetic Wire",
                "title": np.char.add("Synthetic report ", np.arange(sources).astype(str)),
                "url": urls,
                "published_date": dates,
                "published_date_from": date_from,
                "source_type": "wire",
                "originator": "Synthetic Wire",
                "originator_type": "wire_service",
                "copy_kind": "original",
                "notes": "",
            }
        ),
        "actors": pd.DataFrame(
            {
                "actor_id": ["prk", "rus"] + [f"person-{i}" for i in range(198)],
                "name": ["DPRK", "Russia"] + [f"Person {i}" for i in range(198)],
                "actor_type": ["state", "state"] + ["person"] * 198,
                "country": ["PRK", "RUS"] + ["PRK", "RUS"] * 99,
                "source_id": "src-0",
                "wikidata_qid": [f"Q{1000 + i}" for i in range(200)],
                "un_reference": "",
                "opensanctions_id": "",
                "identifier_source_ids": "src-0",
                "designations_searched": "2026-01-01",
                "notes": "",
            }
        ),
        "sites": pd.DataFrame(
            {
                "site_id": _ids("site-", site_count),
                "name": _ids("Site ", site_count),
                "alternate_names": "",
                "province": "Synthetic",
                "latitude": np.round(rng.uniform(38, 42, site_count), 3),
                "longitude": np.round(rng.uniform(124, 130, site_count), 3),
                "coordinate_precision": "town",
                "site_type": "inland_area",
                "source_id": "src-1",
                "notes": "",
            }
        ),
        "weapon_systems": pd.DataFrame(
            {
                "system_id": _ids("system-", system_count),
                "dprk_name": _ids("System ", system_count),
                "foreign_designations": "",
                "missile_class": rng.choice(CLASSES, system_count),
                "propellant": "solid",
                "nominal_range_km": rng.integers(100, 12000, system_count),
                "source_id": "src-2",
                "notes": "",
            }
        ),
        "provisions": pd.DataFrame(
            {
                "provision_id": ["unscr-1718-op2", "unscr-1718-op8b"],
                "resolution": [1718, 1718],
                "adopted_date": ["2006-10-14", "2006-10-14"],
                "paragraph": ["OP 2", "OP 8(b)"],
                "topic": ["launch_ban", "arms_export_ban"],
                "applies_to": ["launch", "export_from_dprk"],
                "covers": ["", "ballistic_missiles"],
                "summary": ["Launch ban.", "Arms export ban."],
                "notes": "",
            }
        ),
    }
    frames["provision_sources"] = pd.DataFrame(
        {
            "provision_id": frames["provisions"]["provision_id"],
            "source_id": "src-3",
            "locator": "",
            "supports": _supports(frames["provisions"], "provisions"),
        }
    )
    return frames


def _supports(frame: pd.DataFrame, table: str) -> pd.Series:
    """Each record's filled fact fields, as a citation that supports them all would list."""
    fields = TABLES_BY_NAME[table].fact_fields
    filled = (frame[fields].astype(str) != "") & frame[fields].notna()
    return filled.apply(lambda row: ";".join(f for f in fields if row[f]), axis=1)


def event_tables(rng: np.random.Generator, launches: int, sources: int) -> dict[str, pd.DataFrame]:
    days = START + _days(rng.integers(0, DAYS, launches))
    launch_ids = np.char.add(np.char.add(days.astype(str), "-l"), np.arange(launches).astype(str))
    low = rng.integers(1, 4, launches)
    distance = np.round(rng.uniform(50, 1500, launches), 1)
    classes = rng.choice(CLASSES, launches)
    frames = {
        "launches": pd.DataFrame(
            {
                "launch_id": launch_ids,
                "launch_date": days.astype(str),
                "launch_time": [
                    f"{h:02d}:{m:02d}"
                    for h, m in zip(
                        rng.integers(0, 24, launches), rng.integers(0, 60, launches), strict=True
                    )
                ],
                "site_id": np.char.add("site-", rng.integers(0, 300, launches).astype(str)),
                "system_id": np.char.add("system-", rng.integers(0, 60, launches).astype(str)),
                "missile_class": classes,
                "missiles_min": low,
                "missiles_max": low + rng.integers(0, 3, launches),
                "distance_km": distance,
                "apogee_km": np.round(distance * rng.uniform(0.1, 2, launches), 1),
                "landing_area": "east_sea",
                "outcome": "success",
                "dprk_claim": "Synthetic claim of a routine test",
                "ballistic": "true",
                "reported_by": "rok_jcs;japan_mod",
                "notes": "",
            }
        ),
    }
    citations = np.repeat(launch_ids, 2)
    cited = rng.integers(0, sources, citations.size)
    cited[::2] = np.arange(launches) % sources  # every source is cited by some launch
    cited_sources = np.char.add("src-", cited.astype(str))
    every_fact = ";".join(TABLES_BY_NAME["launches"].fact_fields)
    frames["launch_sources"] = pd.DataFrame(
        {
            "launch_id": citations,
            "source_id": cited_sources,
            "locator": "para 1",
            "supports": every_fact,
        }
    ).drop_duplicates(["launch_id", "source_id"])
    events = max(launches // 100, 1)
    meeting_ids = _ids("meeting-", events)
    start = START + _days(rng.integers(0, DAYS, events))
    frames["meetings"] = pd.DataFrame(
        {
            "meeting_id": meeting_ids,
            "start_date": start.astype(str),
            "end_date": (start + np.timedelta64(1, "D")).astype(str),
            "city": "Pyongyang",
            "country": "PRK",
            "counterpart": "RUS",
            "level": "ministerial",
            "outcome": "",
            "notes": "",
        }
    )
    frames["meeting_participants"] = pd.DataFrame(
        {
            "meeting_id": np.repeat(meeting_ids, 2),
            "actor_id": ["person-0", "person-1"] * events,
            "side": ["PRK", "RUS"] * events,
            "role_at_time": "Minister",
            "source_ids": "src-4",
        }
    )
    frames["meeting_sources"] = pd.DataFrame(
        {
            "meeting_id": meeting_ids,
            "source_id": "src-4",
            "locator": "",
            "supports": _supports(frames["meetings"], "meetings"),
        }
    )
    transfer_ids = _ids("transfer-", events)
    reported = START + _days(rng.integers(0, DAYS, events))
    frames["transfers"] = pd.DataFrame(
        {
            "transfer_id": transfer_ids,
            "supplier_id": "prk",
            "recipient_id": "rus",
            "item_category": "ballistic_missiles",
            "system_id": "system-1",
            "item_description": "Synthetic missiles",
            "quantity_min": 10,
            "quantity_max": 20,
            "quantity_unit": "missiles",
            "period_start": "",
            "period_end": "",
            "reported_date": reported.astype(str),
            "evidence_type": "debris_analysis",
            "status": "confirmed",
            "denied_by": "prk;rus",
            "use_location": "",
            "notes": "",
        }
    )
    frames["transfer_sources"] = pd.DataFrame(
        {
            "transfer_id": transfer_ids,
            "source_id": "src-5",
            "locator": "",
            "supports": _supports(frames["transfers"], "transfers"),
        }
    )
    frames |= nuclear_and_reconciliation_tables(rng, frames["launches"])
    frames |= sanctions_tables(transfer_ids)
    frames["seed_claims"] = pd.DataFrame(
        {
            "seed_file": "000_synthetic.txt",
            "claim_id": ["s000-c01"],
            "claim": "A claim.",
            "verdict": "supported",
            "record_ids": launch_ids[0],
            "source_ids": "src-0",
            "note": "",
        }
    )
    return frames


def nuclear_and_reconciliation_tables(
    rng: np.random.Generator, launches: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Six nuclear tests, one CNS record per missile (agreeing with its launch), one tally per
    year (its count equal to the package's) and a few tombstones."""
    dates = ["2006-10-09", "2009-05-25", "2013-02-12", "2016-01-06", "2016-09-09", "2017-09-03"]
    test_ids = [f"{d}-site-0" for d in dates]
    frames = {
        "nuclear_tests": pd.DataFrame(
            {
                "nuclear_test_id": test_ids,
                "test_date": dates,
                "test_time": "10:30",
                "site_id": "site-0",
                "dprk_claim": "Synthetic claim",
                "notes": "",
            }
        ),
        "nuclear_test_sources": pd.DataFrame(
            {
                "nuclear_test_id": test_ids,
                "source_id": "src-6",
                "locator": "",
                "supports": "test_date;test_time;site_id;dprk_claim",
            }
        ),
        "nuclear_test_estimates": pd.DataFrame(
            {
                "nuclear_test_id": np.repeat(test_ids, 2),
                "estimator": ["usgs", "kma"] * 6,
                "quantity": "body_wave_magnitude",
                "value_min": np.round(rng.uniform(4, 6, 12), 1),
                "value_max": "",
                "source_id": "src-7",
                "locator": "",
                "notes": "",
            }
        ),
    }
    frames["nuclear_test_estimates"]["value_max"] = frames["nuclear_test_estimates"]["value_min"]
    days = launches["launch_date"]
    missiles = launches.loc[launches.index.repeat(launches["missiles_min"])]  # one per missile
    frames["cns_reconciliation"] = pd.DataFrame(
        {
            "cns_date": missiles["launch_date"].values,
            "cns_seq": missiles.groupby("launch_date").cumcount().to_numpy() + 1,
            "cns_time_utc": "",
            "cns_facility": missiles["site_id"].values,
            "cns_missile": "",
            "kst_date": missiles["launch_date"].values,
            "launch_id": missiles["launch_id"].values,
            "cns_site_id": missiles["site_id"].values,
            "reason": "",
            "notes": "",
        }
    )
    per_year = days.str[:4].to_frame("year").assign(day=days).groupby("year")["day"].nunique()
    frames["launch_tallies"] = pd.DataFrame(
        {
            "tally_id": [f"{year}-rok-jcs-launch-events" for year in per_year.index],
            "year": per_year.index.astype(int),
            "authority": "rok_jcs",
            "counts": "launch_events",
            "ballistic_only": "true",
            "number_min": per_year.values,
            "number_max": per_year.values,
            "as_of": [f"{year}-12-31" for year in per_year.index],
            "source_id": "src-8",
            "locator": "",
            "discrepancy": "",
            "notes": "",
        }
    )
    frames["retired_ids"] = pd.DataFrame(
        {
            "retired_id": [f"old-{i}" for i in range(3)],
            "table_name": "launches",
            "replaced_by": launches["launch_id"].iloc[:3].values,
            "retired_date": "2025-01-01",
            "reason": "Renamed",
            "notes": "",
        }
    )
    return frames


def sanctions_tables(transfer_ids: np.ndarray) -> dict[str, pd.DataFrame]:
    """A ship per hundred transfers, one voyage per transfer and a designation per ship."""
    ships = max(len(transfer_ids) // 100, 1)
    vessel_ids = _ids("vessel-", ships)
    return {
        "vessels": pd.DataFrame(
            {
                "vessel_id": vessel_ids,
                "name": _ids("Ship ", ships),
                "imo": "",
                "mmsi": "",
                "vessel_type": "cargo ship",
                "owner_id": "prk",
                "source_ids": "src-9",
                "designations_searched": "",
                "notes": "",
            }
        ),
        "vessel_names": pd.DataFrame(
            {
                "vessel_id": vessel_ids,
                "name": _ids("Ship ", ships),
                "flag": "RUS",
                "valid_from": "",
                "valid_to": "",
                "source_ids": "src-9",
                "notes": "",
            }
        ),
        "transfer_vessels": pd.DataFrame(
            {
                "voyage_id": np.char.add("voyage-", transfer_ids),
                "transfer_id": transfer_ids,
                "vessel_id": np.resize(vessel_ids, len(transfer_ids)),
                "port_from": "Rajin",
                "port_to": "Dunai",
                "voyage_start": "",
                "voyage_end": "",
                "source_ids": "src-9",
                "notes": "",
            }
        ),
        "designations": pd.DataFrame(
            {
                "designation_id": np.char.add(vessel_ids, "-us-ofac"),
                "actor_id": "",
                "vessel_id": vessel_ids,
                "authority": "us_ofac",
                "listed_date": "2024-01-01",
                "legal_basis": "E.O. 14024",
                "delisted_date": "",
                "source_ids": "src-9",
                "notes": "",
            }
        ),
    }


def plant_faults(
    frames: dict[str, pd.DataFrame], per_kind: int, rng: np.random.Generator
) -> list[dict]:
    """Break ``per_kind`` distinct rows per fault kind; return the expected problems."""
    launches, sources = frames["launches"], frames["sources"]
    # distinct launch rows for each kind, avoiding the first rows that other tables reference
    picks = rng.choice(np.arange(10, len(launches)), size=per_kind * 6, replace=False)
    launch_rows = iter(picks.tolist())
    source_rows = iter(
        rng.choice(np.arange(10, len(sources)), size=per_kind * 2, replace=False).tolist()
    )
    expected = []
    for kind, (table, column, rule) in FAULT_KINDS.items():
        for _ in range(per_kind):
            frame = frames[table]
            row = next(source_rows) if table == "sources" else next(launch_rows)
            if kind == "enum_typo":
                frame.at[row, column] = "srmb"
            elif kind == "impossible_date":
                frame.at[row, column] = "2019-02-30"
            elif kind == "dangling_site":
                frame.at[row, column] = "site-missing"
            elif kind == "min_above_max":
                frame.at[row, "missiles_min"] = 5
                frame.at[row, "missiles_max"] = 2
            elif kind == "missing_token":
                frame[column] = frame[column].astype(object)
                frame.at[row, column] = "N/A"
            elif kind == "padded_value":
                frame.at[row, column] = " Synthetic Wire"
            elif kind == "bad_url":
                frame.at[row, column] = "javascript:alert(1)"
                # a date read on the page: the address rules then have nothing to say
                frame.at[row, "published_date_from"] = "page"
            elif kind == "uncited_launch":
                launch_id = frame.at[row, "launch_id"]
                links = frames["launch_sources"]
                frames["launch_sources"] = links[links["launch_id"] != launch_id]
            expected.append(
                {
                    "kind": kind,
                    "file": f"data/{table}.csv",
                    "line": row + 2,
                    "column": column,
                    "rule": rule,
                }
            )
    return expected


def generate(out: Path, launches: int, faults: int = 0, seed: int = 20240918) -> Path:
    rng = np.random.default_rng(seed)
    (out / "data").mkdir(parents=True, exist_ok=True)
    sources = max(launches // 2, 10)
    frames = reference_tables(rng, sources) | event_tables(rng, launches, sources)
    expected = plant_faults(frames, faults, rng) if faults else []
    for name, frame in frames.items():
        _write(frame, out, name)
    (out / "datapackage.json").write_text(render_descriptor(out), encoding="utf-8")
    if faults:
        (out / "expected-faults.json").write_text(json.dumps(expected, indent=1) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--launches", type=int, default=10_000)
    parser.add_argument("--faults", type=int, default=0, help="faults of each kind to plant")
    args = parser.parse_args()
    started = dt.datetime.now()
    generate(args.out, args.launches, args.faults)
    print(
        f"wrote {args.out} ({args.launches:,} launches) in "
        f"{(dt.datetime.now() - started).total_seconds():.1f} s"
    )


if __name__ == "__main__":
    main()
