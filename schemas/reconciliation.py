"""cns_reconciliation and launch_tallies: how the launches compare with the reference
database and with the official counts (the agreement rules in ``agreements.py`` check both)."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._base import (
    TIME_PATTERN,
    Date,
    ForeignKey,
    TableSpec,
    code,
    count,
    date,
    flag,
    ordered_rule,
    pattern_text,
    row_rule,
    slug,
    text,
)

CNS_DATE_PATTERN = r"^(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?$"


class CnsReconciliation(pa.DataFrameModel):
    cns_date: Series[str] = pattern_text(
        "The record's date as the CNS database writes it (usually the UTC date; a month "
        "alone for some early records).",
        pattern=CNS_DATE_PATTERN,
        example="2024-11-04",
        hint="YYYY-MM-DD or YYYY-MM",
        nullable=False,
    )
    cns_seq: Series[pd.Int64Dtype] = count(
        "Position of the record among the CNS records of the same cns_date, in the database's "
        "order (the database has one record per missile and no IDs).",
        example=1,
        nullable=False,
    )
    cns_time_utc: Series[str] = pattern_text(
        "The record's time in UTC as the CNS database gives it; blank when it says unknown.",
        pattern=TIME_PATTERN,
        example="22:30",
        hint="24-hour HH:MM in UTC, e.g. 22:30",
    )
    cns_facility: Series[str] = slug(
        "The CNS facility key (the database's launch-site code); blank when it says unknown.",
        example="sariwon",
        nullable=True,
    )
    cns_missile: Series[str] = slug(
        "The CNS missile key; blank when it says unknown.",
        example="hwasong-11a",
        nullable=True,
    )
    kst_date: Series[Date] = date(
        "The record's date in Korea (KST), derived from its UTC date and time; blank when "
        "the database gives only a month.",
        example="2024-11-05",
        nullable=True,
    )
    launch_id: Series[str] = slug(
        "The launch (salvo) that this missile belongs to; blank when the record is excused.",
        example="2024-11-05-sariwon",
        nullable=True,
    )
    cns_site_id: Series[str] = slug(
        "The package site that the CNS facility is; blank when none corresponds or CNS gives "
        "no facility.",
        example="sariwon",
        nullable=True,
    )
    reason: Series[str] = code(
        "cns_excuse",
        "Why the record maps to no launch; blank when it maps to one.",
        nullable=True,
    )
    notes: Series[str] = text(
        "Required where the record and its launch disagree (date, site or count): what each "
        "source says.",
        example="CNS time is UTC; the package keeps the Korean date",
    )

    class Config:
        strict = True
        ordered = True
        unique = ["cns_date", "cns_seq"]

    @row_rule(
        "mapped_or_excused",
        column="launch_id",
        reads=("launch_id", "reason"),
        message="the CNS record neither maps to a launch nor gives a reason",
        fix="fill launch_id with the launch this missile belongs to, or reason with why it "
        "maps to none (and never both)",
        sql="(launch_id IS NULL) <> (reason IS NULL)",
    )
    def mapped_or_excused(cls, df):
        return (df["launch_id"].isna() != df["reason"].isna()).astype(bool)


RECONCILIATION_TABLE = TableSpec(
    name="cns_reconciliation",
    model=CnsReconciliation,
    title="Reconciliation with the CNS database",
    description="Every record of the CNS North Korea Missile Test Database (one per missile), "
    "mapped to the launch it belongs to or excused with a reason. The version read is in "
    "schemas/package.py (CNS_VERSION).",
    primary_key=("cns_date", "cns_seq"),
    foreign_keys=(
        ForeignKey("launch_id", "launches", "launch_id"),
        ForeignKey("cns_site_id", "sites", "site_id"),
    ),
)


class LaunchTallies(pa.DataFrameModel):
    tally_id: Series[str] = slug(
        "Stable ID: year, authority, what is counted and the as-of date.",
        example="2022-japan-mod-missiles-2022-12-31",
        unique=True,
    )
    year: Series[pd.Int64Dtype] = count(
        "The calendar year counted.", example=2022, nullable=False, minimum=1984
    )
    authority: Series[str] = code("tally_authority", "Who counted.")
    counts: Series[str] = code("tally_counts", "What is counted.")
    ballistic_only: Series[pd.BooleanDtype] = flag(
        "True when the count is of ballistic missiles and satellite launches only; false when "
        "it includes cruise missiles or other launches; blank when the source does not say.",
        nullable=True,
    )
    number_min: Series[pd.Int64Dtype] = count(
        "The count ('at least N' is N).",
        example=59,
        nullable=False,
        minimum=0,
    )
    number_max: Series[pd.Int64Dtype] = count(
        "The high end when the count is a range; equal to number_min for a single figure, "
        "blank when open-ended.",
        example=59,
        minimum=0,
    )
    as_of: Series[Date] = date(
        "The date the count runs to (KST): the year's end for a year total, the launch's "
        "date for 'the Nth launch this year'.",
        example="2022-12-31",
    )
    source_id: Series[str] = slug(
        "The source that states the count.", example="yonhap-2022-12-31-year-count"
    )
    locator: Series[str] = text(
        "Where in the source the count stands.", example="para 3", max_length=200
    )
    discrepancy: Series[str] = text(
        "Why the package's own count for the same year, up to as_of, differs from this tally; "
        "required exactly when it differs (the validator checks both ways).",
        example="Japan counts two launch areas of 2 Nov as one occasion",
    )
    notes: Series[str] = text(
        "What exactly is counted, and caveats of the source.",
        example="Counts each missile; includes the 600 mm rockets",
    )

    class Config:
        strict = True
        ordered = True

    number_range = ordered_rule(
        "number_range",
        "number_min",
        "number_max",
        message="number_max is smaller than number_min",
        fix="number_min is the count and number_max the high end of a range",
    )

    @row_rule(
        "as_of_in_year",
        column="as_of",
        reads=("year", "as_of"),
        message="as_of is not in the counted year",
        fix="as_of is the day the count runs to, within the year it counts",
        sql="year(as_of) = year",
    )
    def as_of_in_year(cls, df):
        # the date's own year: a detour through nanosecond timestamps raised on a date after
        # 2262, and pandera then reported no row at all
        years = df["as_of"].dt.year
        return ((years == df["year"]) | df["as_of"].isna() | df["year"].isna()).astype(bool)


TALLIES_TABLE = TableSpec(
    name="launch_tallies",
    model=LaunchTallies,
    title="Official launch counts",
    description="Counts of DPRK launches by governments, the UN Panel and reference databases "
    "('the Nth launch this year', year totals), which the validator compares with the "
    "package's own counts.",
    primary_key=("tally_id",),
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
)
