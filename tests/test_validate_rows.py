"""Row-level and cross-table problems, each at the right file:line:column with a fix."""

from __future__ import annotations

import json

import pytest


def assert_reports(package, capsys, expected: str) -> str:
    code, out = package.validate(capsys)
    assert code == 1, out
    assert expected in out, out
    return out


def test_duplicate_primary_key_names_the_other_line(package, capsys):
    line = package.append_row("actors", {"actor_id": "prk", "name": "Again", "actor_type": "state"})
    assert_reports(
        package,
        capsys,
        f"data/actors.csv:{line}:actor_id: duplicate key: 'prk' also stands on line(s) 2",
    )


@pytest.mark.parametrize("variant", ["PRK", "Prk", " prk", "prk "])
def test_key_differing_by_case_or_spaces(package, capsys, variant):
    line = package.append_row(
        "actors", {"actor_id": variant, "name": "Variant", "actor_type": "state"}
    )
    code, out = package.validate(capsys)
    assert code == 1
    assert f"data/actors.csv:{line}:actor_id: {variant!r}" in out


def test_duplicate_composite_key(package, capsys):
    rows = package.rows("meeting_participants")
    package.write_rows("meeting_participants", [*rows, rows[1]])
    assert_reports(package, capsys, "data/meeting_participants.csv:4:")
    _code, out = package.validate(capsys)
    assert "appears more than once" in out


def test_dangling_foreign_key_suggests_the_near_id(package, capsys):
    line = package.set_cell("launches", 0, "site_id", "kaechn")
    assert_reports(
        package,
        capsys,
        f"data/launches.csv:{line}:site_id: 'kaechn' is not a site_id in data/sites.csv "
        "(did you mean 'kaechon'? add it to data/sites.csv first, or correct the ID)",
    )


def test_dangling_item_in_list_foreign_key(package, capsys):
    line = package.set_cell("transfers", 0, "denied_by", "prk;rsu")
    assert_reports(
        package,
        capsys,
        f"data/transfers.csv:{line}:denied_by: 'rsu' is not a actor_id in data/actors.csv",
    )


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


def test_enum_typo_suggests_the_code(package, capsys):
    line = package.set_cell("launches", 0, "missile_class", "srmb")
    assert_reports(
        package,
        capsys,
        f"data/launches.csv:{line}:missile_class: 'srmb' is not an allowed value "
        "(did you mean 'srbm'? use one of: srbm, mrbm",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "'2024-02-30' is not a real calendar date (check the day and month)"),
        ("18/09/2024", "'18/09/2024' is not a date (write the date as YYYY-MM-DD)"),
        ("2024-9-18", "'2024-9-18' is not a date"),
        ("2999-01-01", "'2999-01-01' is in the future"),
        ("1949-12-31", "'1949-12-31' is too small"),
    ],
)
def test_bad_dates(package, capsys, value, message):
    line = package.set_cell("launches", 0, "launch_date", value)
    assert_reports(package, capsys, f"data/launches.csv:{line}:launch_date: {message}")


def test_latitude_out_of_range(package, capsys):
    line = package.set_cell("sites", 0, "latitude", "200")
    assert_reports(
        package,
        capsys,
        f"data/sites.csv:{line}:latitude: '200.0' is outside the range -90 to 90 (a number from -90 to 90)",
    )


@pytest.mark.parametrize("value", ["0", "-1"])
def test_non_positive_missile_count(package, capsys, value):
    line = package.set_cell("launches", 0, "missiles_min", value)
    assert_reports(
        package, capsys, f"data/launches.csv:{line}:missiles_min: '{value}' is too small"
    )


def test_fractional_missile_count(package, capsys):
    line = package.set_cell("launches", 0, "missiles_min", "2.5")
    assert_reports(
        package, capsys, f"data/launches.csv:{line}:missiles_min: '2.5' is not an integer"
    )


def test_min_greater_than_max(package, capsys):
    line = package.set_cell("launches", 1, "missiles_min", "3")
    assert_reports(
        package,
        capsys,
        f"data/launches.csv:{line}:missiles_max: missiles_max is smaller than missiles_min",
    )


def test_blank_required_cell(package, capsys):
    line = package.set_cell("sources", 1, "publisher", "")
    assert_reports(package, capsys, f"data/sources.csv:{line}:publisher: required cell is empty")


@pytest.mark.parametrize("token", ["N/A", "?", "n/a", "null", "-"])
def test_placeholder_for_unknown(package, capsys, token):
    line = package.set_cell("launches", 0, "apogee_km", token)
    code, out = package.validate(capsys)
    assert code == 1
    assert f"data/launches.csv:{line}:apogee_km: {token!r} is written for an unknown value" in out
    assert "leave the cell empty" in out


def test_padded_value(package, capsys):
    line = package.set_cell("launches", 0, "outcome", " success")
    assert_reports(
        package,
        capsys,
        f"data/launches.csv:{line}:outcome: ' success' has spaces at "
        "the start or end (remove them)",
    )


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+cmd", "-2+3", "@SUM(A1)"])
def test_formula_injection(package, capsys, value):
    line = package.set_cell("launches", 0, "dprk_claim", value)
    assert_reports(package, capsys, f"data/launches.csv:{line}:dprk_claim: {value!r} starts with")


def test_negative_number_is_not_a_formula(package, capsys):
    line = package.set_cell("launches", 0, "distance_km", "-5")
    _code, out = package.validate(capsys)
    assert f"data/launches.csv:{line}:distance_km: '-5.0' is outside the range 0 to 20000" in out
    assert "formula" not in out


@pytest.mark.parametrize("value", ["javascript:alert(1)", "ftp://example.org/x", "example.org"])
def test_non_http_url(package, capsys, value):
    line = package.set_cell("sources", 0, "url", value)
    assert_reports(
        package, capsys, f"data/sources.csv:{line}:url: {value!r} is not an http(s) address"
    )


def test_undated_news_source(package, capsys):
    line = package.set_cell("sources", 0, "published_date", "")
    assert_reports(
        package, capsys, f"data/sources.csv:{line}:published_date: published_date is empty"
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
        "'mrbm', 'irbm', 'icbm', 'slbm', 'slv', 'cruise', 'guided_mlrs', 'unknown')".replace(
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


def test_seed_claim_must_reference_existing_records(package, capsys):
    line = package.set_cell("seed_claims", 0, "record_ids", "2024-09-18-kaechon;2099-01-01-nowhere")
    assert_reports(
        package,
        capsys,
        f"data/seed_claims.csv:{line}:record_ids: '2099-01-01-nowhere' "
        "is not the ID of any record in the package",
    )


def test_seed_claim_needs_a_verdict(package, capsys):
    line = package.set_cell("seed_claims", 0, "verdict", "")
    assert_reports(package, capsys, f"data/seed_claims.csv:{line}:verdict: required cell is empty")
