"""Field-level provenance and source quality (issue #12): every filled fact of a record is
stated by one of its citations, never by aggregator copies alone, and every record cites an
original or a wire copy. Each rule across tables has a fixture that must fail it."""

from __future__ import annotations

import json

import pytest
from conftest import copy_fixture, validate_both_engines
from dprk_sanctions.crosstable import CROSS_TABLE_RULES


def set_link(package, table: str, row: int, **values: str) -> None:
    rows = package.rows(table)
    for column, value in values.items():
        rows[row + 1][rows[0].index(column)] = value
    package.write_rows(table, rows)


def problems(package, capsys) -> list[dict]:
    code, out = package.validate(capsys, "--format", "json")
    found = json.loads(out)["problems"]
    assert (code == 1) == bool(found)
    return found


def break_foreign_key(package):
    package.set_cell("launches", 0, "site_id", "no-such-site")
    return ("data/launches.csv", 2, "site_id")


def break_uncited(package):
    rows = package.rows("meeting_sources")
    package.write_rows("meeting_sources", rows[:1])
    return ("data/meetings.csv", 2, "meeting_id")


def break_record_reference(package):
    package.set_cell("seed_claims", 0, "record_ids", "no-such-record")
    return ("data/seed_claims.csv", 2, "record_ids")


def break_provenance(package):
    set_link(
        package,
        "launch_sources",
        0,
        supports="launch_date;site_id;system_id;missile_class;"
        "missiles_min;distance_km;landing_area;outcome;dprk_claim;ballistic;reported_by",
    )
    return ("data/launches.csv", 2, "launch_time")


def break_aggregator_only(package):
    package.set_cell("sources", 1, "copy_kind", "aggregator")  # the meeting's only source
    return ("data/meetings.csv", 2, "start_date")


def break_first_hand(package):
    package.set_cell("sources", 1, "copy_kind", "republication")
    return ("data/meetings.csv", 2, "meeting_id")


def add_source(package, source_id: str) -> int:
    """A copy of the first source under a new ID; its CSV line."""
    rows = package.rows("sources")
    source = dict(zip(rows[0], rows[1], strict=True))
    return package.append_row("sources", {**source, "source_id": source_id})


def break_unreferenced(package):
    line = add_source(package, "read-but-never-cited")
    return ("data/sources.csv", line, "source_id")


FIXTURES = {
    "foreign-key": break_foreign_key,
    "uncited": break_uncited,
    "record-reference": break_record_reference,
    "provenance": break_provenance,
    "aggregator-only": break_aggregator_only,
    "first-hand": break_first_hand,
    "unreferenced": break_unreferenced,
}


def test_every_cross_table_rule_has_a_fixture():
    assert set(FIXTURES) == set(CROSS_TABLE_RULES)


# No two fixtures of a group edit one table or break one record.
FIXTURE_GROUPS = [
    ["foreign-key", "record-reference", "aggregator-only"],
    ["provenance", "uncited"],
    ["first-hand", "unreferenced"],
]


@pytest.fixture(scope="module")
def group_hits(tmp_path_factory) -> dict[str, tuple[tuple, list[tuple]]]:
    """For each rule: where its fixture must be reported, and where its package reports it."""
    hits = {}
    for number, group in enumerate(FIXTURE_GROUPS):
        package = copy_fixture(tmp_path_factory.mktemp(f"cross-{number}") / "package")
        where = {rule: FIXTURES[rule](package) for rule in group}
        code, out = validate_both_engines(package.root, "--format", "json")
        assert code == 1, out
        found = json.loads(out)["problems"]
        for rule in group:
            at = [(p["file"], p["line"], p["column"]) for p in found if p["rule"] == rule]
            hits[rule] = (where[rule], at)
    return hits


def test_the_groups_hold_every_fixture_once():
    assert sorted(rule for group in FIXTURE_GROUPS for rule in group) == sorted(FIXTURES)


@pytest.mark.parametrize("rule", sorted(FIXTURES))
def test_every_cross_table_rule_fails_its_fixture(group_hits, rule):
    where, hits = group_hits[rule]
    assert where in hits


def test_an_unsupported_field_names_the_row_the_field_and_the_fix(package, capsys):
    break_provenance(package)
    code, out = package.validate(capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "data/launches.csv:2:launch_time: launch_time is stated by none of the record's "
        "citations (add launch_time to the supports of the row in data/launch_sources.csv "
        "whose source states it, or leave the cell empty)"
    )


def test_a_source_no_record_cites_names_its_row_and_the_fix(package, capsys):
    line = break_unreferenced(package)[1]
    code, out = package.validate(capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        f"data/sources.csv:{line}:source_id: 'read-but-never-cited' is cited by no record "
        "(cite it from the record it supports, or remove the row and add its ID to "
        "data/retired_ids.csv)"
    )


def test_a_source_cited_only_in_a_list_column_is_referenced(package, capsys):
    add_source(package, "cited-by-a-designation")
    designations = package.rows("designations")
    ids = designations[1][designations[0].index("source_ids")]
    package.set_cell("designations", 0, "source_ids", f"{ids};cited-by-a-designation")
    assert problems(package, capsys) == []


def test_an_unreadable_citing_table_skips_the_rule(package, capsys):
    break_unreferenced(package)
    package.path("launch_sources").write_bytes(b"\xff\xfe not utf-8")
    found = problems(package, capsys)
    assert "unreferenced" not in {p["rule"] for p in found}
    assert any(
        p["rule"] == "skipped"
        and "sources" in p["message"]
        and p["file"] == "data/launch_sources.csv"
        for p in found
    )


def test_a_blank_field_needs_no_source(package, capsys):
    break_provenance(package)
    package.set_cell("launches", 0, "launch_time", "")
    assert problems(package, capsys) == []


def test_unknown_asserts_nothing_and_needs_no_source(package, capsys):
    package.set_cell("launches", 2, "missile_class", "unknown")
    package.set_cell("launches", 2, "ballistic", "")
    set_link(
        package, "launch_sources", 2, supports="launch_date;missiles_min;missiles_max;reported_by"
    )
    assert problems(package, capsys) == []


def test_supports_names_only_fields_of_the_record(package, capsys):
    set_link(package, "launch_sources", 0, supports="launch_date;start_date")
    hits = [p for p in problems(package, capsys) if p["file"] == "data/launch_sources.csv"]
    assert [(h["line"], h["column"]) for h in hits] == [(2, "supports")]


def test_an_aggregator_may_add_support_beside_an_original(package, capsys):
    rows = package.rows("sources")
    aggregator = [*rows[2]]
    aggregator[0] = "aggregator-copy"
    aggregator[rows[0].index("copy_kind")] = "aggregator"
    package.write_rows("sources", [*rows, aggregator])
    link = package.rows("meeting_sources")
    package.write_rows("meeting_sources", [*link, [link[1][0], "aggregator-copy", "", link[1][3]]])
    assert problems(package, capsys) == []


def test_participants_cite_their_sources(package, capsys):
    package.set_cell("meeting_participants", 0, "source_ids", "fixture-database;no-such-source")
    hits = [(p["file"], p["column"], p["rule"]) for p in problems(package, capsys)]
    assert hits == [("data/meeting_participants.csv", "source_ids", "foreign-key")]


def test_provisions_need_their_covers_stated(package, capsys):
    set_link(
        package,
        "provision_sources",
        1,
        supports="resolution;adopted_date;paragraph;topic;applies_to;summary",
    )
    hits = [(p["file"], p["line"], p["column"], p["rule"]) for p in problems(package, capsys)]
    assert hits == [("data/provisions.csv", 3, "covers", "provenance")]
