"""sources: every document a record cites."""

import datetime as dt
import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._base import Date, TableSpec, code, date, row_rule, slug, text, url
from .check_kinds import sql_literal

UNDATED_SOURCE_TYPES = ("reference_database", "encyclopedia")
# Every cited record needs a citation of one of these copy kinds (the originator's own text, or
# a licensed wire copy of it) ...
FIRST_HAND_COPIES = ("original", "wire_copy")
# ... and no field may rest on these alone.
NEVER_SOLE_SUPPORT = ("aggregator",)
# How a web address may carry its item's date, as strftime codes (the same in Python and DuckDB)
# plus %-m and %-d for an unpadded month and day, and %% for "anything between" (a LIKE
# wildcard): /2019/09/24/, 2019-09-24, 20190924, /2010-12/09/, 190924, /2014/1120/ (or Choson
# Sinbo's /2008/05/0805j0811), 24/09/2019, /2022/sep/21/, 2009-aug-29, /2018/2/28/, CNN's
# /2002/WORLD/asiapcf/east/12/10/, Radio Free Asia's -09242019110819.html, China Daily's
# /a/202109/28/, GOV.UK's ...-15-march-2022 (the hyphen before the day keeps the 5th from
# matching the 15th) and VOA's /a/nk-08-27-11-1285/ (month, day, two-digit year, hyphens on both
# sides). Compared ignoring case.
ADDRESS_DATE_FORMATS = (
    "%Y/%m/%d",
    "%Y-%m-%d",
    "%Y%m%d",
    "%Y-%m/%d",
    "%y%m%d",
    "%Y/%%%m%d",
    "%d/%m/%Y",
    "%Y/%b/%d",
    "%Y-%b-%d",
    "%Y/%-m/%-d",
    "%Y/%%/%m/%d/",
    "%m%d%Y",
    "%Y%m/%d",
    "-%-d-%B-%Y",
    "-%m-%d-%y-",
)
# a CASE chain, not ORs: DuckDB then formats the date only until a form matches (10x faster)
_ADDRESS_DATE_SQL = (
    "CASE "
    + " ".join(
        f"WHEN lower(url) LIKE '%' || lower(strftime(published_date, {sql_literal(pattern)})) "
        "|| '%' THEN true"
        for pattern in ADDRESS_DATE_FORMATS
    )
    + " ELSE false END"
)


def _rendered(pattern: str, day: dt.date) -> str:
    unpadded = pattern.replace("%-m", str(day.month)).replace("%-d", str(day.day))
    return day.strftime(unpadded).lower()


def address_holds(url: str, day: dt.date) -> bool:
    """Whether ``url`` carries ``day`` in one of ADDRESS_DATE_FORMATS, as the SQL rule reads it."""
    return any(
        re.search(".*".join(map(re.escape, _rendered(pattern, day).split("%"))), url.lower())
        for pattern in ADDRESS_DATE_FORMATS
    )


_ADDRESS_DATE_EXAMPLES = ", ".join(
    _rendered(pattern, dt.date(2019, 9, 4)).replace("%", "...") for pattern in ADDRESS_DATE_FORMATS
)


class Sources(pa.DataFrameModel):
    source_id: Series[str] = slug(
        "Stable ID: publisher, published date and topic, e.g. yonhap-2024-09-18-kaechon-srbm.",
        example="yonhap-2024-09-18-kaechon-srbm",
        unique=True,
    )
    publisher: Series[str] = text(
        "Who published it (agency, newspaper, ministry, institute).",
        example="Yonhap News Agency",
        nullable=False,
        max_length=200,
    )
    title: Series[str] = text(
        "The document's title or headline.",
        example="N. Korea fires multiple short-range ballistic missiles into East Sea",
        nullable=False,
        max_length=500,
    )
    url: Series[str] = url("Where a reader can open it (http or https).")
    published_date: Series[Date] = date(
        "Date of publication as the page shows it or, for a page that shows no full date, as its "
        "own web address carries it, or as its dateline gives the day and month (the year then "
        "that of the events it reports); published_date_from says which. Blank only for "
        "reference pages and for pages with none of these (notes then say 'undated').",
        example="2024-09-18",
        nullable=True,
    )
    published_date_from: Series[str] = code(
        "published_date_from",
        "Where published_date was read: on the page, or (for a page that shows no full date) in "
        "the page's own web address, or in its dateline without a year. Blank when "
        "published_date is, and for a date the address holds where no reader has yet checked "
        "whether the page shows it too.",
        nullable=True,
    )
    source_type: Series[str] = code("source_type", "What kind of document it is.")
    originator: Series[str] = text(
        "Who wrote the text originally (the agency, ministry or outlet), when it is not the "
        "publisher of the copy cited, e.g. Yonhap for a Yonhap story on another site.",
        example="Yonhap",
        nullable=False,
        max_length=200,
    )
    originator_type: Series[str] = code("originator_type", "What kind of body the originator is.")
    copy_kind: Series[str] = code(
        "copy_kind",
        "What the cited page is: the originator's own, a licensed wire copy, a "
        "republication or an aggregator's copy. Every record needs a citation of an original or "
        "wire copy, and an aggregator is never the only support for a field.",
    )
    notes: Series[str] = text("Anything a reader should know about the source.", example="")

    class Config:
        strict = True
        ordered = True

    @row_rule(
        "dated_source",
        column="published_date",
        reads=("published_date", "source_type", "notes"),
        message="published_date is empty and notes do not say the page is undated",
        fix="give the date the document was published, or write 'undated' in notes when the "
        "page shows no date",
        sql="published_date IS NOT NULL OR source_type IN "
        f"({', '.join(sql_literal(kind) for kind in UNDATED_SOURCE_TYPES)}) "
        "OR coalesce(lower(notes) LIKE '%undated%', false)",
    )
    def dated_source(cls, df):
        says_undated = df["notes"].str.contains("undated", case=False).fillna(False)
        dated = df["published_date"].notna() | df["source_type"].isin(UNDATED_SOURCE_TYPES)
        return (dated | says_undated).astype(bool)

    @row_rule(
        "date_basis_given",
        column="published_date_from",
        reads=("published_date", "published_date_from", "url"),
        message="published_date_from is missing for a date the web address does not hold, or "
        "given without a published_date",
        fix="write 'page' for a date read on the page; blank is for a blank published_date, or "
        "for a date the address holds when no reader has checked the page",
        sql="CASE WHEN published_date_from IS NOT NULL THEN published_date IS NOT NULL "
        f"WHEN published_date IS NULL THEN true ELSE {_ADDRESS_DATE_SQL} END",
    )
    def date_basis_given(cls, df):
        given = df["published_date_from"].notna()
        dated = df["published_date"].notna()
        return (given == dated) | _holds(df, ~given & dated)

    @row_rule(
        "address_holds_date",
        column="published_date",
        reads=("published_date", "published_date_from", "url"),
        message="published_date_from is 'address' but the web address does not hold that date",
        fix="a date read from the address must appear in it, written like one of "
        f"{_ADDRESS_DATE_EXAMPLES} (for 4 Sep 2019); otherwise give the date the page shows and "
        "'page', or leave both blank and say 'undated' in notes",
        sql=f"published_date_from IS DISTINCT FROM 'address' OR published_date IS NULL OR "
        f"({_ADDRESS_DATE_SQL})",
    )
    def address_holds_date(cls, df):
        from_address = df["published_date_from"].eq("address").fillna(False)
        return ~from_address | df["published_date"].isna() | _holds(df, from_address)

    @row_rule(
        "dateline_not_in_address",
        column="published_date_from",
        reads=("published_date", "published_date_from", "url"),
        message="published_date_from is 'dateline' but the web address holds that date",
        fix="a date the address holds comes before a dateline without a year: write 'address'",
        sql=f"published_date_from IS DISTINCT FROM 'dateline' OR published_date IS NULL OR "
        f"NOT ({_ADDRESS_DATE_SQL})",
    )
    def dateline_not_in_address(cls, df):
        from_dateline = df["published_date_from"].eq("dateline").fillna(False)
        return ~_holds(df, from_dateline)


def _holds(df: pd.DataFrame, rows: pd.Series) -> pd.Series:
    """address_holds for the dated ``rows`` (a mask); False elsewhere. A Python loop, over the
    rows asked about only (the DuckDB engine, the default, does this in SQL)."""
    holds = pd.Series(False, index=df.index)
    rows = rows & df["published_date"].notna()
    for index, address, day in zip(
        df.index[rows], df.loc[rows, "url"], df.loc[rows, "published_date"], strict=True
    ):
        holds[index] = isinstance(address, str) and address_holds(address, day)
    return holds


TABLE = TableSpec(
    name="sources",
    model=Sources,
    title="Sources",
    description=(
        "Every document a record cites (a source no record cites is an error): publisher, "
        "title, URL and publication date."
    ),
    primary_key=("source_id",),
    referenced=True,
)
