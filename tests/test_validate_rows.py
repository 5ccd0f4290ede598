"""Row-level and cross-table problems, each at the right file:line:column with a fix.

Most faults are planted together, each in a row of its own (conftest.plant), in one package
that both engines validate once per module; each test then looks for its own problem at its own
line. Faults that change a whole table or count the problems get a package of their own.
"""

from __future__ import annotations

import json

import pytest
from conftest import Fault, copy_fixture, plant, validate_both_engines


def assert_reports(package, capsys, expected: str) -> str:
    code, out = package.validate(capsys)
    assert code == 1, out
    assert expected in out, out
    return out


# name: (fault, the text after "file:line:" that must be reported for the planted row)
FAULTS: dict[str, tuple[Fault, str]] = {
    "duplicate key names the other line": (
        Fault(table="actors", cells={"actor_id": "prk"}),
        "actor_id: duplicate key: 'prk' also stands on line(s) 2",
    ),
    **{
        f"key differing by case or spaces {variant!r}": (
            Fault(table="actors", cells={"actor_id": variant}),
            f"actor_id: {variant!r}",
        )
        for variant in ["PRK", "Prk", " prk", "prk "]
    },
    "duplicate composite key": (
        Fault(table="meeting_participants", duplicate=True),
        "appears more than once",
    ),
    "dangling foreign key suggests the near ID": (
        Fault(table="launches", cells={"site_id": "kaechn"}),
        "site_id: 'kaechn' is not a site_id in data/sites.csv "
        "(did you mean 'kaechon'? add it to data/sites.csv first, or correct the ID)",
    ),
    "dangling item in a list foreign key": (
        Fault(table="transfers", cells={"denied_by": "prk;rsu"}),
        "denied_by: 'rsu' is not a actor_id in data/actors.csv",
    ),
    "enum typo suggests the code": (
        Fault(table="launches", cells={"missile_class": "srmb"}),
        "missile_class: 'srmb' is not an allowed value (did you mean 'srbm'? use one of: srbm, mrbm",
    ),
    **{
        f"bad date {value}": (
            Fault(table="launches", cells={"launch_date": value}),
            f"launch_date: {message}",
        )
        for value, message in [
            ("2024-02-30", "'2024-02-30' is not a real calendar date (check the day and month)"),
            ("18/09/2024", "'18/09/2024' is not a date (write the date as YYYY-MM-DD)"),
            ("2024-9-18", "'2024-9-18' is not a date"),
            ("2999-01-01", "'2999-01-01' is in the future"),
            ("1949-12-31", "'1949-12-31' is too small"),
        ]
    },
    "latitude out of range": (
        Fault(table="sites", cells={"latitude": "200"}),
        "latitude: '200' is outside the range -90 to 90 (a number from -90 to 90)",
    ),
    **{
        f"non-positive missile count {value}": (
            Fault(table="launches", cells={"missiles_min": value}),
            f"missiles_min: '{value}' is too small",
        )
        for value in ["0", "-1"]
    },
    "fractional missile count": (
        Fault(table="launches", cells={"missiles_min": "2.5"}),
        "missiles_min: '2.5' is not an integer",
    ),
    # '01' would equal '1' once typed (a duplicate key the text comparison missed); 20 digits
    # do not fit the database's 64-bit integers (stored as NULL without a word)
    **{
        f"integer the database cannot hold as written {value!r}": (
            Fault(table="launches", cells={"missiles_max": value}),
            f"missiles_max: {value!r} is not an integer",
        )
        for value in ["01", "99999999999999999999"]
    },
    "min greater than max": (
        Fault(table="launches", base_row=1, cells={"missiles_min": "3"}),
        "missiles_max: missiles_max is smaller than missiles_min",
    ),
    "blank required cell": (
        Fault(table="sources", base_row=1, cells={"publisher": ""}),
        "publisher: required cell is empty",
    ),
    **{
        f"placeholder for unknown {token!r}": (
            Fault(table="launches", cells={"apogee_km": token}),
            f"apogee_km: {token!r} is written for an unknown value (leave the cell empty",
        )
        for token in ["N/A", "?", "n/a", "null", "-"]
    },
    "padded value": (
        Fault(table="launches", cells={"outcome": " success"}),
        "outcome: ' success' has spaces at the start or end (remove them)",
    ),
    **{
        f"formula injection {value!r}": (
            Fault(table="launches", cells={"dprk_claim": value}),
            f"dprk_claim: {value!r} starts with",
        )
        for value in ['=HYPERLINK("http://x")', "+cmd", "-2+3", "@SUM(A1)"]
    },
    "a negative number is not a formula": (
        Fault(table="launches", cells={"distance_km": "-5"}),
        "distance_km: '-5' is outside the range 0 to 20000",
    ),
    **{
        f"non-http URL {value!r}": (
            Fault(table="sources", cells={"url": value}),
            f"url: {value!r} is not an http(s) address",
        )
        for value in ["javascript:alert(1)", "ftp://example.org/x", "example.org"]
    },
    "undated news source": (
        Fault(table="sources", cells={"published_date": "", "published_date_from": ""}),
        "published_date: published_date is empty",
    ),
    "a date read from an address that does not hold it": (
        Fault(
            table="sources",
            cells={
                "url": "https://example.org/2024/09/17/launch",
                "published_date_from": "address",
            },
        ),
        "published_date: published_date_from is 'address' but the web address does not hold "
        "that date",
    ),
    "a seed claim must reference existing records": (
        Fault(table="seed_claims", cells={"record_ids": "2024-09-18-kaechon;2099-01-01-nowhere"}),
        "record_ids: '2099-01-01-nowhere' is not the ID of any record in the package",
    ),
    "a seed claim needs a verdict": (
        Fault(table="seed_claims", cells={"verdict": ""}),
        "verdict: required cell is empty",
    ),
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> dict[tuple[str, int], list[str]]:
    """The problems of one package holding every fault of FAULTS, by (file, line)."""
    package = copy_fixture(tmp_path_factory.mktemp("planted") / "package")
    plant(package, [fault for fault, _ in FAULTS.values()])
    code, out = validate_both_engines(package.root)
    assert code == 1, out
    by_line: dict[tuple[str, int], list[str]] = {}
    for text in out.splitlines()[:-1]:
        file, line, rest = text.split(":", 2)
        by_line.setdefault((file, int(line)), []).append(rest)
    return by_line


@pytest.mark.parametrize("name", FAULTS)
def test_each_planted_fault_is_reported_at_its_row(planted, name):
    fault, expected = FAULTS[name]
    found = planted.get((f"data/{fault.table}.csv", fault.line), [])
    assert any(expected in problem for problem in found), found


def test_a_negative_number_is_not_called_a_formula(planted):
    fault, _ = FAULTS["a negative number is not a formula"]
    found = planted[(f"data/{fault.table}.csv", fault.line)]
    assert not any("formula" in problem for problem in found), found


def test_uncited_launch(package, capsys):
    rows = package.rows("launch_sources")
    package.write_rows("launch_sources", [r for r in rows if r[0] != "2022-11-18-sunan"])
    assert_reports(
        package,
        capsys,
        "data/launches.csv:3:launch_id: '2022-11-18-sunan' cites no source "
        "(add a row to data/launch_sources.csv",
    )


def test_uncited_meeting_and_transfer(package, capsys):
    meeting = package.rows("meeting_sources")
    package.write_rows(
        "meeting_sources", [meeting[0], [*meeting[1][:1], "fixture-database", "", meeting[1][3]]]
    )
    transfer = package.rows("transfer_sources")
    package.write_rows(
        "transfer_sources",
        [transfer[0], [*transfer[1][:1], "fixture-database", "", transfer[1][3]]],
    )
    code, out = package.validate(capsys)
    assert code == 0, out  # re-cited with another source: still valid
    package.path("transfer_sources").write_text("transfer_id,source_id,locator,supports\n")
    assert_reports(
        package,
        capsys,
        "data/transfers.csv:2:transfer_id: 'prk-rus-hwasong-11-2023' cites no source",
    )


def test_all_errors_at_once(package, capsys):
    package.set_cell("launches", 0, "missile_class", "srmb")
    package.set_cell("launches", 1, "launch_date", "2024-02-30")
    package.set_cell("sites", 0, "latitude", "200")
    package.set_cell("transfers", 0, "supplier_id", "nobody")
    code, out = package.validate(capsys)
    assert code == 1
    assert out.strip().splitlines()[-1].startswith("4 problem(s) in 3 file(s)")


def test_json_format(package, capsys):
    package.set_cell("launches", 0, "missile_class", "srmb")
    code, out = package.validate(capsys, "--format", "json")
    payload = json.loads(out)
    assert code == 1 and payload["valid"] is False and payload["error_count"] == 1
    assert payload["problems"][0] | {"fix": None} == {
        "file": "data/launches.csv",
        "line": 2,
        "column": "missile_class",
        "rule": "isin('srbm', "
        "'mrbm', 'irbm', 'icbm', 'slbm', 'slv', 'cruise', 'guided_mlrs', 'mlrs', 'unknown')".replace(
            "isin('", "isin(['"
        ).replace("')", "'])"),
        "message": "'srmb' is not an allowed value",
        "fix": None,
    }


def test_github_format(package, capsys):
    package.set_cell("launches", 0, "missile_class", "srmb")
    code, out = package.validate(capsys, "--format", "github")
    first = out.splitlines()[0]
    assert code == 1
    assert first.startswith(
        "::error file=data/launches.csv,line=2,title=missile_class::"
        "'srmb' is not an allowed value (did you mean 'srbm'?"
    )


def test_a_date_after_2262_still_gets_every_row_rule(package, capsys):
    """A row rule that went through nanosecond timestamps raised on such a date, and pandera
    then reported nothing for it: the tally's as_of must still be held to its year."""
    package.set_cell("launch_tallies", 0, "as_of", "2999-06-30")
    code, out = package.validate(capsys, "--format", "json")  # both engines, same output
    assert code == 1
    rules = {
        p["rule"] for p in json.loads(out)["problems"] if p["file"] == "data/launch_tallies.csv"
    }
    assert {"not_in_future", "as_of_in_year"} <= rules


def test_a_date_the_address_holds_may_stay_unmarked_or_be_marked_address(package, capsys):
    """Blank published_date_from is for a date the address holds (no reader has checked the
    page); 'address' needs the same; a date the address does not hold needs 'page'."""
    dated = "https://example.org/2024/09/18/launch"
    package.set_cell("sources", 0, "url", dated)
    package.set_cell("sources", 0, "published_date_from", "")
    package.set_cell("sources", 1, "url", "https://example.org/news/20240913000123")
    package.set_cell("sources", 1, "published_date_from", "address")
    code, out = package.validate(capsys)  # both engines, same output
    assert code == 0, out
    package.set_cell("sources", 0, "published_date", "2024-09-17")
    code, out = package.validate(capsys)
    assert code == 1
    assert "published_date_from is missing for a date the web address does not hold" in out
