"""Building blocks the table schemas are written with.

A column is declared once, with a pandera ``Field`` carrying its checks, its description and the
metadata that the descriptor, the DuckDB DDL and the data dictionary are generated from:

- ``type``: the Table Schema type (string, integer, number, boolean, date);
- ``example``: a valid value, shown in the data dictionary and in fix hints;
- ``hint``: how to write a valid value, appended to error messages;
- ``vocabulary`` / ``list_of``: the controlled vocabulary a code (or a ``;``-list of codes) is from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
import pandera.pandas as pa
import pyarrow

from . import check_kinds  # noqa: F401  (registers the custom pandera checks, not_in_future)
from .vocabularies import ALL as VOCABULARIES

# A date column: pandas holds it as a real date (pyarrow date32), not a timestamp.
Date = Annotated[pd.ArrowDtype, pyarrow.date32()]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s<>\"]+$"
TIME_PATTERN = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"
EARLIEST_DATE = dt.date(1950, 1, 1)
LIST_SEPARATOR = ";"


def list_pattern(item_pattern: str) -> str:
    """A pattern for a ``;``-separated list of items, each matching ``item_pattern``."""
    item = item_pattern.removeprefix("^").removesuffix("$")
    return rf"^{item}(?:{LIST_SEPARATOR}{item})*$"


def vocabulary_pattern(name: str) -> str:
    codes = "|".join(re.escape(code) for code in VOCABULARIES[name])
    return f"^(?:{codes})$"


def _meta(kind: str, example: Any, hint: str | None, **extra: Any) -> dict[str, Any]:
    meta = {"type": kind, "example": example}
    if hint:
        meta["hint"] = hint
    meta.update(extra)
    return meta


def slug(description: str, *, example: str, unique: bool = False, nullable: bool = False) -> Any:
    return pa.Field(
        str_matches=SLUG_PATTERN,
        unique=unique,
        nullable=nullable,
        description=description,
        metadata=_meta(
            "string",
            example,
            f"lowercase letters, digits and single hyphens, e.g. {example}",
            pattern=SLUG_PATTERN,
        ),
    )


def slug_list(description: str, *, example: str, nullable: bool = True) -> Any:
    pattern = list_pattern(SLUG_PATTERN)
    return pa.Field(
        str_matches=pattern,
        nullable=nullable,
        description=description,
        metadata=_meta(
            "string",
            example,
            f"IDs separated by ';' with no spaces, e.g. {example}",
            pattern=pattern,
            list_of="slug",
        ),
    )


def code(vocabulary: str, description: str, *, nullable: bool = False) -> Any:
    codes = list(VOCABULARIES[vocabulary])
    return pa.Field(
        isin=codes,
        nullable=nullable,
        description=description,
        metadata=_meta("string", codes[0], None, vocabulary=vocabulary),
    )


def code_list(vocabulary: str, description: str, *, nullable: bool = True) -> Any:
    codes = list(VOCABULARIES[vocabulary])
    pattern = list_pattern(vocabulary_pattern(vocabulary))
    example = LIST_SEPARATOR.join(codes[:2])
    return pa.Field(
        str_matches=pattern,
        nullable=nullable,
        description=description,
        metadata=_meta(
            "string",
            example,
            f"codes separated by ';' with no spaces, e.g. {example}",
            pattern=pattern,
            list_of=vocabulary,
        ),
    )


def text(description: str, *, example: str, nullable: bool = True, max_length: int = 2000) -> Any:
    return pa.Field(
        str_length={"min_value": 1, "max_value": max_length},
        nullable=nullable,
        description=description,
        metadata=_meta("string", example, None, max_length=max_length),
    )


def pattern_text(
    description: str, *, pattern: str, example: str, hint: str, nullable: bool = True
) -> Any:
    return pa.Field(
        str_matches=pattern,
        nullable=nullable,
        description=description,
        metadata=_meta("string", example, hint, pattern=pattern),
    )


def url(description: str, *, nullable: bool = False) -> Any:
    return pa.Field(
        str_matches=URL_PATTERN,
        str_length={"min_value": 1, "max_value": 2048},
        nullable=nullable,
        description=description,
        metadata=_meta(
            "string",
            "https://en.yna.co.kr/view/AEN20240918000652315",
            "a full http:// or https:// address",
            format="uri",
            pattern=URL_PATTERN,
            max_length=2048,
        ),
    )


def date(description: str, *, example: str, nullable: bool = False) -> Any:
    return pa.Field(
        ge=EARLIEST_DATE,
        not_in_future=(),
        nullable=nullable,
        description=description,
        metadata=_meta("date", example, f"an ISO 8601 date YYYY-MM-DD, e.g. {example}"),
    )


def designations_searched(subject: str) -> Any:
    """actors' and vessels' column telling "no listing found" from "never looked"."""
    return date(
        f"The day the curators last searched the stored sources for listings of this {subject} "
        "by the UN 1718 Committee, the US (Treasury and State Department), the EU, the UK, "
        "Japan, the ROK, Canada, Australia and Switzerland, recording each listing found in "
        "designations. Blank: never searched, or searched without ruling out a listing (a round "
        "seen only in part), so the absence of a designation says nothing, and the "
        "listed_at_time views give NULL (unknown) rather than false.",
        example="2026-12-01",
        nullable=True,
    )


def count(description: str, *, example: int, nullable: bool = True, minimum: int = 1) -> Any:
    return pa.Field(
        ge=minimum,
        nullable=nullable,
        description=description,
        metadata=_meta("integer", example, f"a whole number of at least {minimum}"),
    )


def number(
    description: str, *, example: float, minimum: float, maximum: float, nullable: bool = True
) -> Any:
    return pa.Field(
        in_range={"min_value": minimum, "max_value": maximum},
        nullable=nullable,
        description=description,
        metadata=_meta("number", example, f"a number from {minimum:g} to {maximum:g}"),
    )


def flag(description: str, *, nullable: bool = False) -> Any:
    return pa.Field(
        nullable=nullable,
        description=description,
        metadata=_meta("boolean", "true", "write true or false"),
    )


# --- Rules that involve more than one column of a row -------------------------------------------


@dataclass(frozen=True)
class RowRule:
    """A rule over several columns of one row; ``column`` is the cell an error points at and
    ``reads`` every column the rule reads (a broken cell among them explains a failure)."""

    name: str
    column: str
    reads: tuple[str, ...]
    message: str
    fix: str
    sql: str  # the same rule as a SQL boolean expression, for the DuckDB CHECK constraint


ROW_RULES: dict[str, RowRule] = {}


def row_rule(
    name: str, *, column: str, reads: tuple[str, ...], message: str, fix: str, sql: str
) -> Callable:
    """Declare a pandera dataframe check and remember which cell its failures point at.

    ``reads`` names every column the rule reads, in both forms (a test holds the pandas function
    and the SQL to it). ``sql`` states the same rule for the database, where NULL counts as
    passing (as in pandas, where an unknown value never fails a rule between columns).
    """
    if name in ROW_RULES:
        raise ValueError(f"row rule {name!r} is declared twice")
    if column not in reads:
        raise ValueError(f"row rule {name!r} points at {column!r}, which it does not read")
    ROW_RULES[name] = RowRule(name, column, reads, message, fix, sql)

    def decorate(function: Callable) -> Any:
        return pa.dataframe_check(name=name)(function)

    return decorate


def not_greater(low: pd.Series, high: pd.Series) -> pd.Series:
    """True where ``low <= high`` or either side is unknown."""
    return (low.isna() | high.isna() | (low <= high)).astype(bool)


def ordered_rule(name: str, low: str, high: str, *, message: str, fix: str) -> Any:
    """A row rule ``low <= high`` wherever both are known; errors point at ``high``."""

    def check(cls, df: pd.DataFrame) -> pd.Series:
        return not_greater(df[low], df[high])

    check.__name__ = check.__qualname__ = name
    return row_rule(
        name,
        column=high,
        reads=(low, high),
        message=message,
        fix=fix,
        sql=f"{low} IS NULL OR {high} IS NULL OR {low} <= {high}",
    )(check)


# --- Table-level metadata ------------------------------------------------------------------------


@dataclass(frozen=True)
class ForeignKey:
    """``fields`` of this table reference ``reference_fields`` of ``resource``.

    With ``list_separator`` set, the cell is a ``;``-separated list and each item must exist.
    """

    fields: str
    resource: str
    reference_fields: str
    list_separator: str | None = None


# A value that asserts nothing needs no source (a vocabulary's "unknown").
UNSTATED_VALUES = ("unknown",)


@dataclass(frozen=True)
class Citation:
    """Every key of this table must appear in ``resource.field`` (its citation link table).

    With ``supports`` set, the link table's column of that name lists, per citation, the fields
    of the record that source states: every filled fact of the record must be listed by at
    least one citation (field-level provenance), and by one whose source is not an aggregator.
    """

    resource: str
    field: str
    supports: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[pa.DataFrameModel]
    title: str
    description: str
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    cited_in: Citation | None = None
    # ';'-list columns whose items must be the key of a record in any table
    any_record_fields: tuple[str, ...] = ()
    # every key must be referenced by a foreign key of another table (a source no record
    # cites is a reading that supports nothing, most often a citation lost in an edit)
    referenced: bool = False
    min_rows: int = 1

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    @property
    def fact_fields(self) -> list[str]:
        """The columns that state facts a source must support: all but the key and notes."""
        return [c for c in self.columns if c not in self.primary_key and c != "notes"]

    @property
    def schema(self) -> pa.DataFrameSchema:
        return self.model.to_schema()

    @property
    def columns(self) -> list[str]:
        return list(self.schema.columns)
