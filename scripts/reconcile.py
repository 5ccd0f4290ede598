"""Compare a copy of the CNS North Korea Missile Test Database with the committed
reconciliation table: which CNS records the table lacks, which it holds that the copy does not,
and which changed. Used when moving the package to a newer CNS version."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .package import Package

csv.field_size_limit(2**31 - 1)  # cells as long as validate reads them

RECONCILIATION = "cns_reconciliation"
UNKNOWN = ("", "unknown")


class ReconcileError(Exception):
    """The CNS file cannot be read as the database's JSON export."""


@dataclass(frozen=True)
class CnsRecord:
    cns_date: str
    cns_seq: int
    cns_time_utc: str
    cns_facility: str
    cns_missile: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.cns_date, self.cns_seq)


@dataclass(frozen=True)
class Comparison:
    missing: list[CnsRecord]  # in the CNS copy, not in the table
    extra: list[tuple[str, int]]  # in the table, not in the CNS copy
    changed: list[tuple[CnsRecord, dict[str, str]]]  # same key, other time/facility/missile

    @property
    def agrees(self) -> bool:
        return not (self.missing or self.extra or self.changed)


def _clean(value: object) -> str:
    text = "" if value is None else str(value).strip()
    return "" if text in UNKNOWN else text


def read_cns(path: Path) -> list[CnsRecord]:
    """Records of the CNS JSON (``{"timeBins": [{"year", "data": [...]}]}``), numbered per
    date in the file's order (the database has no IDs)."""
    try:
        bins = json.loads(path.read_text(encoding="utf-8"))["timeBins"]
        records = []
        seen: Counter[str] = Counter()
        for time_bin in bins:
            for item in time_bin["data"]:
                date = str(item["date"])
                seen[date] += 1
                records.append(
                    CnsRecord(
                        date,
                        seen[date],
                        _clean(item.get("time")).removesuffix(" (UTC)"),
                        _clean(item.get("facility")),
                        _clean(item.get("missile")),
                    )
                )
    except (OSError, UnicodeDecodeError) as error:
        raise ReconcileError(f"{path}: cannot read ({error})") from error
    except (ValueError, KeyError, TypeError) as error:
        raise ReconcileError(
            f"{path}: not the CNS database's JSON export (expected timeBins "
            f"with data records: {error!r})"
        ) from error
    return records


def compare(package: Package, cns_path: Path) -> Comparison:
    records = read_cns(cns_path)
    path = package.table_path(RECONCILIATION)
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            table = {(row["cns_date"], int(row["cns_seq"])): row for row in csv.DictReader(stream)}
    except (OSError, UnicodeDecodeError, KeyError, ValueError, TypeError) as error:
        # a table in the middle of an edit: validate says where; reconcile cannot compare
        raise ReconcileError(
            f"{path}: cannot be compared ({error.__class__.__name__}: {error}); run dprk-data "
            "validate and fix the table first"
        ) from None
    keys = {record.key for record in records}
    changed = []
    for record in records:
        row = table.get(record.key)
        if row is None:
            continue
        differences = {
            field: row[field]
            for field in ("cns_time_utc", "cns_facility", "cns_missile")
            if row[field] != getattr(record, field)
        }
        if differences:
            changed.append((record, differences))
    return Comparison(
        missing=[r for r in records if r.key not in table],
        extra=sorted(key for key in table if key not in keys),
        changed=changed,
    )
