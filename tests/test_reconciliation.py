"""The reconciliation with the CNS database: the committed table covers every record of the
CNS version it names, and `dprk-data reconcile` finds what a CNS copy and the table disagree on."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
from conftest import REPO
from dprk_sanctions.cli import main
from dprk_sanctions.schemas import CNS_VERSION


def _table(root) -> list[dict[str, str]]:
    with (root / "data" / "cns_reconciliation.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_table_holds_every_record_of_the_cns_version_it_names():
    rows = _table(REPO)
    assert len(rows) == CNS_VERSION["records"]
    years = Counter(int(row["cns_date"][:4]) for row in rows)
    assert dict(years) == dict(CNS_VERSION["records_by_year"])


def test_every_record_is_mapped_or_excused():
    rows = _table(REPO)
    assert all(bool(row["launch_id"]) != bool(row["reason"]) for row in rows)


def _cns_json(rows: list[dict[str, str]]) -> dict:
    """A CNS export holding exactly these records, in their order."""
    bins: dict[int, list[dict]] = {}
    for row in sorted(rows, key=lambda r: (r["cns_date"], int(r["cns_seq"]))):
        bins.setdefault(int(row["cns_date"][:4]), []).append(
            {
                "date": row["cns_date"],
                "time": f"{row['cns_time_utc']} (UTC)" if row["cns_time_utc"] else "unknown",
                "facility": row["cns_facility"] or "unknown",
                "missile": row["cns_missile"] or "unknown",
            }
        )
    return {"timeBins": [{"year": year, "data": data} for year, data in sorted(bins.items())]}


def _reconcile(package, capsys, cns: dict | str) -> tuple[int, str, str]:
    path = package.root / "cns.json"
    path.write_text(cns if isinstance(cns, str) else json.dumps(cns), encoding="utf-8")
    code = main(["reconcile", str(path), "--package", str(package.root)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_reconcile_agrees_with_the_copy_the_table_was_made_from(package, capsys):
    code, out, _ = _reconcile(package, capsys, _cns_json(_table(package.root)))
    assert code == 0, out
    assert "holds every record" in out


def test_reconcile_reports_missing_extra_and_changed_records(package, capsys):
    rows = _table(package.root)
    cns = _cns_json(rows)
    cns["timeBins"][-1]["data"].append(
        {
            "date": "2024-09-17",
            "time": "22:10 (UTC)",
            "facility": "kaechon",
            "missile": "hwasong-11a",
        }
    )
    cns["timeBins"] = [b for b in cns["timeBins"] if b["year"] != 1984]  # drop a record
    cns["timeBins"][0]["data"][0]["facility"] = "pyongyang"  # change one
    code, out, _ = _reconcile(package, capsys, cns)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3, out
    assert "CNS record 2024-09-17 #3 (kaechon, hwasong-11a) is missing" in lines[0]
    assert "1984-09 #1 is not in this CNS copy" in lines[1]
    assert "2022-11-18 #1 changed: cns_facility 'sunan' here, 'pyongyang' in CNS" in lines[2]


@pytest.mark.parametrize("text", ["not json", "[]", '{"timeBins": [{"year": 1}]}'])
def test_reconcile_rejects_a_file_that_is_not_the_cns_export(package, capsys, text):
    code, out, err = _reconcile(package, capsys, text)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and "not the CNS database's JSON export" in err
    assert len(err.strip().splitlines()) == 1


def test_a_table_in_the_middle_of_an_edit_is_one_line_and_exit_2(package, capsys):
    cns = _cns_json(_table(package.root))
    package.set_cell("cns_reconciliation", 0, "cns_seq", "")
    code, out, err = _reconcile(package, capsys, cns)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and "run dprk-data validate" in err
    assert len(err.splitlines()) == 1
    package.path("cns_reconciliation").unlink()
    code, _, err = _reconcile(package, capsys, cns)
    assert code == 2 and len(err.splitlines()) == 1
