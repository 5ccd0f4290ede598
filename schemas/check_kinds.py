"""Every kind of column check the schemas may use, declared once.

A kind is a pandera check (built in, or registered here) together with everything the rest of
the package derives from it: the SQL condition a passing value meets (DuckDB CHECK constraints
and the DuckDB engine's prefilter), the Table Schema constraints (datapackage.json and the data
dictionary), the message and fix a failing cell gets, and a cell that fails it (the rule
inventory's fixture). A column check of a kind not declared here fails loudly wherever it is
used, never silently unchecked.

To add a kind: declare one ``CheckKind`` below (and, for a custom check, register its pandera
method here), then use it in a schema.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.extensions as extensions

from .. import clock
from .vocabularies import ALL as VOCABULARIES

Stats = dict[str, Any]  # the check's statistics (its arguments)
Meta = dict[str, Any]  # the column's metadata (type, hint, vocabulary, pattern...)
Message = tuple[str, str]  # a failing cell's message and fix

# Python's \s for str patterns; RE2's \s is ASCII-only, so patterns are given Python's class.
PYTHON_WHITESPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
PATTERN_BREAKER = "Not Valid!"  # fails every pattern of the package (a space and a '!')


def latest_allowed_date() -> dt.date:
    """Today in UTC+14 (the package's clock, in one place)."""
    return clock.latest_allowed_date()


@extensions.register_check_method(statistics=[])
def not_in_future(series: pd.Series) -> pd.Series:
    """Dates may not lie after today (UTC+14)."""
    return series <= latest_allowed_date()


def sql_literal(value: object) -> str:
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def re2_pattern(pattern: str) -> str:
    """A Python regex of this package as RE2 with the same meaning (only \\s differs)."""
    inside = pattern.replace(r"[^\s", f"[^{PYTHON_WHITESPACE}")
    return inside.replace(r"\s", f"[{PYTHON_WHITESPACE}]")


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _below(value: Any) -> str:
    """A cell one step under ``value`` (a day before a date, one less than a number)."""
    return (
        (value - dt.timedelta(days=1)).isoformat() if isinstance(value, dt.date) else str(value - 1)
    )


def _above(value: Any) -> str:
    return (
        (value + dt.timedelta(days=1)).isoformat() if isinstance(value, dt.date) else str(value + 1)
    )


def _suggest(value: str, allowed: list[str]) -> str:
    match = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}? " if match else ""


@dataclass(frozen=True)
class CheckKind:
    """One kind of column check and everything derived from it."""

    name: str  # the pandera check's name
    sql: Callable[[str, Stats, Meta], str]  # (column, stats, meta): a passing value's condition
    constraints: Callable[[Stats, Meta], dict[str, Any]]  # Table Schema field constraints
    problem: Callable[[str, object, Stats, Meta, str], tuple[str, str]]
    # (shown value, value, stats, meta, the column's hint) -> (message, fix)
    violation: Callable[[Stats, Meta], str]  # a cell that fails this check and nothing before it
    in_ddl: bool = True  # False: checked on validation only (it moves, or an ENUM type holds it)


CHECK_KINDS: dict[str, CheckKind] = {}


def declare(kind: CheckKind) -> CheckKind:
    if kind.name in CHECK_KINDS:
        raise ValueError(f"check kind {kind.name!r} is declared twice")
    CHECK_KINDS[kind.name] = kind
    return kind


def kind_of(check_name: str) -> CheckKind:
    """The kind of a check, by its name or a failure case's ``name(arguments)``."""
    name = check_name.split("(", 1)[0]
    if name not in CHECK_KINDS:
        raise NotImplementedError(
            f"check {name!r} has no declared kind; declare it in schemas/check_kinds.py"
        )
    return CHECK_KINDS[name]


def _isin_problem(shown: str, value: object, stats: Stats, meta: Meta, hint: str) -> Message:
    vocabulary = meta.get("vocabulary")
    allowed = [
        str(code) for code in (VOCABULARIES[vocabulary] if vocabulary else stats["allowed_values"])
    ]
    fix = f"{_suggest(str(value), allowed)}use one of: {', '.join(allowed)}"
    return f"{shown} is not an allowed value", fix


def _pattern(stats: Stats, meta: Meta) -> str:
    """The column's pattern where its metadata gives one, else the check's (meta.get with a
    default of type Any reads as Any | None to mypy)."""
    pattern: str = meta["pattern"] if "pattern" in meta else stats["pattern"]
    return pattern


def _pattern_problem(shown: str, value: object, stats: Stats, meta: Meta, hint: str) -> Message:
    if meta.get("list_of") and meta["list_of"] in VOCABULARIES:
        allowed = ", ".join(VOCABULARIES[meta["list_of"]])
        return f"{shown} is not a ';'-separated list of allowed codes", f"{hint}; codes: {allowed}"
    if meta.get("format") == "uri":
        return f"{shown} is not an http(s) address", "give a full http:// or https:// URL"
    return f"{shown} does not have the expected form", hint


def _length_problem(shown: str, value: object, stats: Stats, meta: Meta, hint: str) -> Message:
    limit = meta.get("max_length")
    return (
        f"text is {len(str(value)):,} characters long",
        f"keep it under {limit:,} characters" if limit else "shorten it",
    )


def _length_constraints(stats: Stats, meta: Meta) -> dict[str, Any]:
    limits = {"minLength": stats.get("min_value"), "maxLength": stats.get("max_value")}
    return {key: value for key, value in limits.items() if value is not None}


def _length_violation(stats: Stats, meta: Meta) -> str:
    prefix = "https://example.org/" if meta.get("format") == "uri" else ""
    return prefix + "x" * (stats["max_value"] + 1)


declare(
    CheckKind(
        "isin",
        sql=lambda column, stats, meta: (
            f"{column} IN ({', '.join(sql_literal(v) for v in stats['allowed_values'])})"
        ),
        constraints=lambda stats, meta: {"enum": list(stats["allowed_values"])},
        problem=_isin_problem,
        violation=lambda stats, meta: "not_a_code",
        in_ddl=False,  # the column's ENUM type holds it
    )
)
declare(
    CheckKind(
        "str_matches",
        sql=lambda column, stats, meta: (
            f"regexp_matches({column}, {sql_literal(re2_pattern(_pattern(stats, meta)))})"
        ),
        constraints=lambda stats, meta: {
            # Table Schema patterns match the whole value already
            "pattern": _pattern(stats, meta).removeprefix("^").removesuffix("$")
        },
        problem=_pattern_problem,
        violation=lambda stats, meta: (
            "https://example.org/x y" if meta.get("format") == "uri" else PATTERN_BREAKER
        ),
    )
)
declare(
    CheckKind(
        "str_length",
        sql=lambda column, stats, meta: (
            f"length({column}) BETWEEN {stats.get('min_value') or 0} AND {stats['max_value']}"
        ),
        constraints=_length_constraints,
        problem=_length_problem,
        violation=_length_violation,
    )
)
declare(
    CheckKind(
        "greater_than_or_equal_to",
        sql=lambda column, stats, meta: f"{column} >= {sql_literal(stats['min_value'])}",
        constraints=lambda stats, meta: {"minimum": _json_value(stats["min_value"])},
        problem=lambda shown, value, stats, meta, hint: (
            f"{shown} is too small",
            f"the smallest allowed is {_json_value(stats['min_value'])}",
        ),
        violation=lambda stats, meta: _below(stats["min_value"]),
    )
)
declare(
    CheckKind(
        "in_range",  # both bounds in one check: one message naming the whole range
        sql=lambda column, stats, meta: (
            f"{column} BETWEEN {sql_literal(stats['min_value'])} "
            f"AND {sql_literal(stats['max_value'])}"
        ),
        constraints=lambda stats, meta: {
            "minimum": _json_value(stats["min_value"]),
            "maximum": _json_value(stats["max_value"]),
        },
        problem=lambda shown, value, stats, meta, hint: (
            f"{shown} is outside the range {stats['min_value']:g} to {stats['max_value']:g}",
            hint,
        ),
        violation=lambda stats, meta: _above(stats["max_value"]),
    )
)
declare(
    CheckKind(
        "not_in_future",
        sql=lambda column, stats, meta: f"{column} <= {sql_literal(latest_allowed_date())}",
        constraints=lambda stats, meta: {},  # Table Schema has no moving bound
        problem=lambda shown, value, stats, meta, hint: (
            f"{shown} is in the future",
            "check the year; records hold events that happened",
        ),
        violation=lambda stats, meta: "2999-01-01",
        in_ddl=False,  # "not in the future" moves with the calendar; a database keeps its CHECKs
    )
)
