"""The agreement rules: the CNS reconciliation and the official tallies must agree with the
launches, or say in notes why not. Each rule has a fixture that must fail it."""

from __future__ import annotations

import pytest
from conftest import copy_fixture, validate_both_engines
from dprk_sanctions.schemas import AGREEMENT_RULES
from dprk_sanctions.schemas.agreements import AgreementRule, _check_unique

RULES = {rule.name: rule for rule in AGREEMENT_RULES}

# rule -> (edits as (table, data row, {column: value}), data row of the rule's table that the
# problem points at, value the message shows); rows of tests/fixtures/valid
AGREEMENT_FIXTURES = {
    "cns-date-agrees": ([("cns_reconciliation", 1, {"kst_date": "2022-11-19"})], 1, "2022-11-19"),
    "cns-site-agrees": ([("cns_reconciliation", 2, {"cns_site_id": "sunan"})], 2, "sunan"),
    "cns-count-agrees": ([("launches", 1, {"missiles_min": "2", "missiles_max": "2"})], 1, "1"),
    "tally-agrees": ([("launch_tallies", 0, {"number_min": "2", "number_max": "2"})], 0, "1"),
    "tally-discrepancy-current": (
        [("launch_tallies", 0, {"discrepancy": "Counts differ"})],
        0,
        "1",
    ),
    "retired-id-reused": (
        [("retired_ids", 0, {"retired_id": "2022-11-18-sunan"})],
        0,
        "2022-11-18-sunan",
    ),
    "replacement-exists": (
        [("retired_ids", 0, {"replaced_by": "2030-01-01-nowhere"})],
        0,
        "2030-01-01-nowhere",
    ),
}
# an identifier given twice: both rows are reported; the fixture checks the first
for _column, _value in (
    ("wikidata_qid", "Q56226"),
    ("un_reference", "KPi.066"),
    ("opensanctions_id", "NK-abc"),
):
    AGREEMENT_FIXTURES[f"unique-{_column.replace('_', '-')}"] = (
        [
            ("actors", row, {_column: _value, "identifier_source_ids": "fixture-database"})
            for row in (0, 1)
        ],
        0,
        _value,
    )
for _column, _value in (("imo", "9161003"), ("mmsi", "273355410")):
    AGREEMENT_FIXTURES[f"unique-{_column}"] = ([("vessels", 0, {_column: _value})], 0, _value)
# a source published more than a day before the event it is cited for
AGREEMENT_FIXTURES.update(
    {
        "source-predates-launch": (
            [("sources", 0, {"published_date": "2024-09-10"})],
            0,
            "fixture-2024-09-18-launch (published 2024-09-10)",
        ),
        "source-predates-nuclear-test": (
            [("sources", 4, {"published_date": "2006-10-01"})],
            0,
            "fixture-2006-10-09-test (published 2006-10-01)",
        ),
        "source-predates-meeting": (
            [("meeting_sources", 0, {"source_id": "fixture-2006-10-14-resolution"})],
            0,
            "fixture-2006-10-14-resolution (published 2006-10-14)",
        ),
        "source-predates-participant": (
            [("meeting_participants", 0, {"source_ids": "fixture-2006-10-14-resolution"})],
            0,
            "fixture-2006-10-14-resolution (published 2006-10-14)",
        ),
        "source-predates-provision": (
            [("provision_sources", 0, {"source_id": "fixture-2006-10-09-test"})],
            0,
            "fixture-2006-10-09-test (published 2006-10-09)",
        ),
        "source-predates-designation": (
            [("designations", 0, {"source_ids": "fixture-database;fixture-2006-10-09-test"})],
            0,
            "fixture-2006-10-09-test (published 2006-10-09)",
        ),
    }
)
# where a rule accepts an explanation of the disagreement
EXPLAINED_IN = {
    "cns-date-agrees": "notes",
    "cns-site-agrees": "notes",
    "cns-count-agrees": "notes",
    "tally-agrees": "discrepancy",
}


def test_every_agreement_rule_has_a_fixture():
    assert set(AGREEMENT_FIXTURES) == set(RULES)


def _break(package, rule_name: str) -> None:
    edits, _, _ = AGREEMENT_FIXTURES[rule_name]
    for table, edited_row, cells in edits:
        for column, value in cells.items():
            package.set_cell(table, edited_row, column, value)


# The fixtures in packages of their own: no two in a package break one table, so each fixture
# breaks exactly its own rule (a test below checks a package reports nothing else).
FIXTURE_GROUPS = [
    [
        "cns-date-agrees",
        "tally-agrees",
        "retired-id-reused",
        "unique-wikidata-qid",
        "unique-imo",
        "source-predates-launch",
        "source-predates-meeting",
        "source-predates-provision",
    ],
    [
        "cns-site-agrees",
        "tally-discrepancy-current",
        "replacement-exists",
        "unique-un-reference",
        "unique-mmsi",
        "source-predates-nuclear-test",
        "source-predates-participant",
    ],
    ["cns-count-agrees", "unique-opensanctions-id", "source-predates-designation"],
]


def expected_problem(rule_name: str) -> str:
    rule = RULES[rule_name]
    shown = AGREEMENT_FIXTURES[rule_name][2]
    line = AGREEMENT_FIXTURES[rule_name][1] + 2
    message = rule.message.format(value=shown)
    return f"data/{rule.table}.csv:{line}:{rule.column}: {message} ({rule.fix})"


@pytest.fixture(scope="module")
def group_outputs(tmp_path_factory) -> list[list[str]]:
    """The problems each group's package prints, one package per group."""
    outputs = []
    for number, group in enumerate(FIXTURE_GROUPS):
        package = copy_fixture(tmp_path_factory.mktemp(f"agreements-{number}") / "package")
        for rule_name in group:
            _break(package, rule_name)
        code, out = validate_both_engines(package.root)
        assert code == 1, out
        outputs.append(out.splitlines()[:-1])  # without the summary line
    return outputs


def test_the_groups_hold_every_fixture_once():
    names = [name for group in FIXTURE_GROUPS for name in group]
    assert sorted(names) == sorted(AGREEMENT_FIXTURES)
    for group in FIXTURE_GROUPS:
        edited = [t for name in group for t in {e[0] for e in AGREEMENT_FIXTURES[name][0]}]
        assert len(edited) == len(set(edited)), group


@pytest.mark.parametrize("rule_name", sorted(AGREEMENT_FIXTURES))
def test_every_agreement_rule_fails_its_fixture(group_outputs, rule_name):
    number = next(i for i, group in enumerate(FIXTURE_GROUPS) if rule_name in group)
    assert expected_problem(rule_name) in group_outputs[number], group_outputs[number]


@pytest.mark.parametrize("number", range(len(FIXTURE_GROUPS)))
def test_each_fixture_breaks_only_its_rule(group_outputs, number):
    """The problems of a group are its fixtures' and nothing else (a duplicate identifier is
    reported on both rows)."""
    group = FIXTURE_GROUPS[number]
    expected = sum(2 if name.startswith("unique-") else 1 for name in group)
    assert len(group_outputs[number]) == expected, group_outputs[number]


def test_an_explanation_settles_each_disagreement(package, capsys):
    """Every rule that accepts an explanation, broken in one package: each reports its problem;
    then each explained: valid."""
    for rule_name in EXPLAINED_IN:
        _break(package, rule_name)
    code, out = package.validate(capsys)
    assert code == 1
    for rule_name in EXPLAINED_IN:
        assert expected_problem(rule_name) in out, out
    for rule_name, column in EXPLAINED_IN.items():
        row = AGREEMENT_FIXTURES[rule_name][1]
        package.set_cell(RULES[rule_name].table, row, column, "Sources differ: see the notes")
    code, out = package.validate(capsys)
    assert code == 0, out


def test_a_listing_announced_before_it_took_effect_may_cite_the_announcement(package, capsys):
    """The designation rule accepts notes that name the early source and say why."""
    _break(package, "source-predates-designation")
    assert package.validate(capsys)[0] == 1
    package.set_cell(
        "designations",
        0,
        "notes",
        "fixture-2006-10-09-test reported the listing before it took effect.",
    )
    code, out = package.validate(capsys)
    assert code == 0, out


def test_a_source_dated_the_day_before_its_event_may_report_it(package, capsys):
    # a US page dates an early-morning Korean launch the day before
    package.set_cell("sources", 0, "published_date", "2024-09-17")
    code, out = package.validate(capsys)
    assert code == 0, out
    package.set_cell("sources", 0, "published_date", "2024-09-16")
    code, out = package.validate(capsys)
    assert code == 1 and "fixture-2024-09-18-launch (published 2024-09-16)" in out, out


def test_agreement_is_not_checked_on_rows_that_are_already_wrong(package, capsys):
    _break(package, "cns-date-agrees")
    package.set_cell("launches", 1, "missiles_min", "x")
    code, out = package.validate(capsys)
    assert code == 1
    assert "missiles_min" in out
    assert "cns-date" not in out and "Korean date" not in out, out


def test_an_open_ended_count_agrees_with_any_larger_tally(package, capsys):
    # the 2024-09-18 salvo has at least two missiles: a tally of 9 missiles is possible
    package.set_cell("launch_tallies", 1, "number_min", "9")
    assert package.validate(capsys)[0] == 0


def test_a_launch_of_unknown_class_may_or_may_not_be_counted(package, capsys):
    # class unknown (ballistic blank) counts in the high end of a ballistic-only tally only
    package.set_cell("launches", 2, "missile_class", "unknown")
    package.set_cell("launches", 2, "ballistic", "")
    package.set_cell("launch_tallies", 0, "as_of", "2024-09-19")
    package.set_cell("launch_tallies", 0, "number_max", "2")
    assert package.validate(capsys)[0] == 0
    package.set_cell("launch_tallies", 0, "number_min", "3")
    package.set_cell("launch_tallies", 0, "number_max", "3")
    code, out = package.validate(capsys)
    assert code == 1 and "counts 1 to 2 for this year" in out, out


def test_a_tally_without_any_launch_in_its_period_counts_zero(package, capsys):
    package.set_cell("launch_tallies", 0, "as_of", "2024-01-31")
    code, out = package.validate(capsys)
    assert code == 1 and "the package counts 0 for this year" in out, out
    package.set_cell("launch_tallies", 0, "number_min", "0")
    package.set_cell("launch_tallies", 0, "number_max", "0")
    assert package.validate(capsys)[0] == 0


def test_declaring_an_agreement_rule_twice_is_an_error():
    rule = AGREEMENT_RULES[0]
    with pytest.raises(ValueError, match="declared twice"):
        _check_unique((rule, AgreementRule(rule.name, "launches", "launch_id", (), "", "", "")))


def test_the_id_tables_are_the_tables_with_a_one_column_id():
    from dprk_sanctions.schemas import TABLES, VOCABULARIES

    keyed = {t.name for t in TABLES if len(t.primary_key) == 1 and t.name != "cns_reconciliation"}
    assert set(VOCABULARIES["id_table"]) == keyed
    for table in TABLES:
        if table.name in keyed:
            assert VOCABULARIES["id_table"][table.name] == f"{table.name}.{table.primary_key[0]}"


def test_a_replacement_may_itself_be_retired(package, capsys):
    package.append_row(
        "retired_ids",
        {
            "retired_id": "2024-09-16-kaechon",
            "table_name": "launches",
            "replaced_by": "2024-09-17-kaechon",
            "retired_date": "2024-09-19",
            "reason": "Renamed",
        },
    )
    assert package.validate(capsys)[0] == 0
