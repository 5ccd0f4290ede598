"""Every rule the schemas declare has a generated fixture that must fail it.

The inventory is read from the pandera models themselves, so a new check gets a failing fixture
automatically, and a check that silently stops checking (or a table the validator skips) turns
this module red. The faults are planted together, each in its own appended row, in one package
that both engines validate once (they must print the same problems); every expected problem is
then looked up by file, line and column, so each maps back to the rule that found it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from conftest import Fault, plant
from dprk_sanctions.rowchecks import RAW_MESSAGES
from dprk_sanctions.schemas import ROW_RULES, TABLES
from dprk_sanctions.schemas.check_kinds import CHECK_KINDS, kind_of


def _violation(check, meta) -> str:
    """A cell value that fails ``check`` and nothing before it, as its kind declares."""
    return kind_of(check.name).violation(check.statistics, meta)


@dataclass(kw_only=True)
class Case(Fault):
    """One planted fault (see conftest.plant) and the rule that must report it."""

    name: str
    column: str
    rule: str  # the rule name (column checks: a prefix of it)
    message: str | None = None  # the exact text expected, where the test pins it


def column_cases() -> list[Case]:
    cases = []
    for table in TABLES:
        for name, column in table.schema.columns.items():
            for check in column.checks:
                value = _violation(check, column.metadata)
                assert value is not None, f"no generated violation for {table.name}.{name} {check}"
                cases.append(
                    Case(
                        name=f"{table.name}.{name}.{check.name}",
                        table=table.name,
                        cells={name: value},
                        column=name,
                        rule=check.name,
                    )
                )
            if not column.nullable:
                cases.append(
                    Case(
                        name=f"{table.name}.{name}.required",
                        table=table.name,
                        cells={name: ""},
                        column=name,
                        rule="not_nullable",
                    )
                )
    return cases


def unique_cases() -> list[Case]:
    return [
        Case(
            name=f"{table.name}.{name}.unique",
            table=table.name,
            column=name,
            rule="field_uniqueness",
            duplicate=True,
        )
        for table in TABLES
        for name, column in table.schema.columns.items()
        if column.unique
    ]


# One hand-made failing row per row rule: (table, data row, {column: value}).
ROW_RULE_FIXTURES = {
    "dated_source": ("sources", 0, {"published_date": "", "published_date_from": ""}),
    "date_basis_given": ("sources", 0, {"published_date_from": ""}),
    "address_holds_date": ("sources", 0, {"published_date_from": "address"}),
    "dateline_not_in_address": (
        "sources",
        0,
        {"published_date_from": "dateline", "url": "https://example.org/2024/09/18/launch"},
    ),
    "coordinates_in_pairs": ("sites", 0, {"longitude": ""}),
    "precision_matches_coordinates": ("sites", 0, {"coordinate_precision": "unknown"}),
    "missiles_range": ("launches", 1, {"missiles_min": "3"}),
    "apogee_plausible": ("launches", 0, {"apogee_km": "9000"}),
    "ballistic_matches_class": ("launches", 2, {"ballistic": "true"}),
    "meeting_dates_ordered": ("meetings", 0, {"end_date": "2024-09-01"}),
    "quantity_range": ("transfers", 0, {"quantity_min": "500"}),
    "quantity_has_unit": ("transfers", 0, {"quantity_unit": ""}),
    "transfer_period_ordered": ("transfers", 0, {"period_end": "2023-01-01"}),
    "distinct_parties": ("transfers", 0, {"recipient_id": "prk"}),
    "denied_has_denier": ("transfers", 0, {"status": "denied", "denied_by": ""}),
    "value_range": ("nuclear_test_estimates", 1, {"value_min": "2"}),
    "value_given": ("nuclear_test_estimates", 0, {"value_min": "", "value_max": ""}),
    "mapped_or_excused": ("cns_reconciliation", 0, {"reason": ""}),
    "number_range": ("launch_tallies", 0, {"number_min": "2"}),
    "as_of_in_year": ("launch_tallies", 0, {"as_of": "2023-12-31"}),
    "imo_check_digit": ("vessels", 1, {"imo": "9161004"}),
    "name_period": ("vessel_names", 0, {"valid_to": "2021-12-31"}),
    "voyage_period": ("transfer_vessels", 0, {"voyage_end": "2023-09-01"}),
    "listing_period": ("designations", 0, {"delisted_date": "2022-01-01"}),
    "one_subject": ("designations", 0, {"actor_id": "kim-jong-un"}),
    "identifiers_cited": ("actors", 0, {"wikidata_qid": "Q1"}),
}


def row_rule_cases() -> list[Case]:
    cases = []
    for rule, (table, row, cells) in sorted(ROW_RULE_FIXTURES.items()):
        expected = ROW_RULES[rule]
        cases.append(
            Case(
                name=rule,
                table=table,
                cells=dict(cells),
                column=expected.column,
                rule=rule,
                base_row=row,
                message=f"{expected.message} ({expected.fix})",
            )
        )
    return cases


TEXT_RULE_FIXTURES = {
    "surrounding_space": "padded ",
    "missing_token": "N/A",
    "line_break": "two\nlines",
    "formula": "=1+1",
    "control_character": "tab\there",
}


def text_rule_cases(rules: list[str]) -> list[Case]:
    cases = []
    for rule in rules:
        for table in TABLES:
            column = next(iter(table.schema.columns))
            cases.append(
                Case(
                    name=f"{table.name}.{rule}",
                    table=table.name,
                    cells={column: TEXT_RULE_FIXTURES[rule]},
                    column=column,
                    rule=rule,
                )
            )
    return cases


def problems_of(package, capsys) -> list[dict]:
    code, out = package.validate(capsys, "--format", "json")  # both engines, same output
    assert code == 1
    return json.loads(out)["problems"]


def assert_found(cases: list[Case], problems: list[dict]) -> None:
    at: dict[tuple, list[dict]] = {}
    for problem in problems:
        at.setdefault((problem["file"], problem["line"], problem["column"]), []).append(problem)
    missing = []
    for case in cases:
        hits = at.get((f"data/{case.table}.csv", case.line, case.column), [])
        if case.message is not None:
            found = any(f"{h['message']} ({h['fix']})" == case.message for h in hits)
        else:
            found = any(h["rule"].startswith(case.rule) for h in hits)
        if not found:
            missing.append(f"{case.name}: line {case.line} {case.column}: {hits}")
    assert not missing, "\n".join(missing)


def test_every_column_check_and_unique_column_fails_its_fixture(package, capsys):
    cases = column_cases() + unique_cases()
    plant(package, cases)
    assert_found(cases, problems_of(package, capsys))


def test_every_row_rule_has_a_fixture():
    assert set(ROW_RULE_FIXTURES) == set(ROW_RULES)


def test_every_row_rule_fails_its_fixture(package, capsys):
    cases = row_rule_cases()
    plant(package, cases)
    assert_found(cases, problems_of(package, capsys))


def test_every_text_rule_has_a_fixture():
    assert set(TEXT_RULE_FIXTURES) == set(RAW_MESSAGES)


# Line breaks and control characters send a table to the pandas fallback of the DuckDB
# engine, so they are planted apart from the rules the SQL prefilter must catch itself.
@pytest.mark.parametrize(
    "rules",
    [["surrounding_space", "missing_token", "formula"], ["line_break", "control_character"]],
    ids=["prefilter", "fallback"],
)
def test_every_text_rule_applies_to_every_table(package, capsys, rules):
    cases = text_rule_cases(rules)
    plant(package, cases)
    problems = problems_of(package, capsys)
    for rule in rules:
        expected = {(f"data/{c.table}.csv", c.line, c.column) for c in cases if c.rule == rule}
        found = {(p["file"], p["line"], p["column"]) for p in problems if p["rule"] == rule}
        assert found == expected, rule


def test_each_planted_case_is_its_own_row():
    cases = column_cases() + unique_cases() + row_rule_cases()
    assert len({c.name for c in cases}) == len(cases)


def test_declaring_a_row_rule_twice_is_an_error():
    from dprk_sanctions.schemas._base import row_rule

    with pytest.raises(ValueError, match="declared twice"):
        row_rule("missiles_range", column="x", reads=("x",), message="", fix="", sql="true")


def test_a_row_rule_reads_the_cell_it_points_at():
    from dprk_sanctions.schemas._base import row_rule

    with pytest.raises(ValueError, match="does not read"):
        row_rule("new_rule", column="x", reads=("y",), message="", fix="", sql="true")


def test_each_row_rule_reads_exactly_the_columns_it_declares(package):
    """Both forms of a row rule read only the columns it declares in ``reads``: the pandas
    check runs on a frame holding nothing else (a KeyError otherwise), and the SQL names no
    other column of its table; so a broken cell that a rule reads is never missed."""
    from dprk_sanctions.package import open_package
    from dprk_sanctions.validate import validate_package

    frames = validate_package(open_package(package.root), engine="pandas").frames
    checked = set()
    for table in TABLES:
        for check in table.schema.checks:
            if check.name not in ROW_RULES:
                continue
            rule = ROW_RULES[check.name]
            assert set(rule.reads) <= set(table.columns), rule.name
            named = {c for c in table.columns if re.search(rf"\b{c}\b", rule.sql)}
            assert named == set(rule.reads), rule.name
            result = check(frames[table.name][list(rule.reads)])
            assert bool(result.check_passed), rule.name  # the fixture is valid
            checked.add(rule.name)
    assert checked == set(ROW_RULES)


def test_check_kinds_are_declared_once_and_all_used():
    """Each kind is declared once (schemas/check_kinds.py) and used by a column, so its failing
    fixture above runs; a check of an undeclared kind fails loudly, never goes unchecked."""
    from dprk_sanctions.schemas.check_kinds import declare

    used = {c.name for t in TABLES for col in t.schema.columns.values() for c in col.checks}
    assert used == set(CHECK_KINDS)
    with pytest.raises(ValueError, match="declared twice"):
        declare(CHECK_KINDS["isin"])
    with pytest.raises(NotImplementedError, match=r"declare it in schemas/check_kinds\.py"):
        kind_of("str_startswith")


def _dtype_mismatches(table, typed) -> list[str]:
    from pandera.engines.pandas_engine import Engine

    wrong = []
    for name, column in table.schema.columns.items():
        series = typed[name]
        verdict = column.dtype.check(Engine.dtype(series.dtype), series)
        if not (verdict if isinstance(verdict, bool) else verdict.all()):
            wrong.append(f"{table.name}.{name}: {series.dtype}, model {column.dtype}")
    return wrong


def test_typed_frames_have_the_models_dtypes():
    """Pass 2 of the row checks does not re-check dtypes on every validation: ``typed_frame``
    makes them from each column's type whatever the data. This holds it to the model: on every
    table of the fixture, and on a row whose every cell is empty or broken."""
    import pandas as pd
    from conftest import FIXTURE
    from dprk_sanctions.rowchecks import typed_frame

    wrong = []
    for table in TABLES:
        raw = pd.read_csv(FIXTURE / "data" / f"{table.name}.csv", dtype=str, keep_default_na=False)
        raw = raw.replace("", None)
        broken = pd.DataFrame([{c: None for c in raw.columns}, {c: "x" for c in raw.columns}])
        for frame, bad in ((raw, set()), (broken, {(1, c) for c in raw.columns})):
            wrong += _dtype_mismatches(table, typed_frame(table, frame, bad))
    assert not wrong, "\n".join(wrong)
    # and the comparison itself can fail: a count column left as text is caught
    launches = next(t for t in TABLES if t.name == "launches")
    raw = pd.read_csv(FIXTURE / "data" / "launches.csv", dtype=str, keep_default_na=False)
    assert _dtype_mismatches(launches, raw.replace("", None))
