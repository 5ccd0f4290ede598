"""sources: every document a record cites."""

import pandera.pandas as pa
from pandera.typing import Series

from ._base import Date, TableSpec, code, date, row_rule, slug, text, url

UNDATED_SOURCE_TYPES = ("reference_database", "encyclopedia")
# Every cited record needs a citation of one of these copy kinds (the originator's own text, or
# a licensed wire copy of it) ...
FIRST_HAND_COPIES = ("original", "wire_copy")
# ... and no field may rest on these alone.
NEVER_SOLE_SUPPORT = ("aggregator",)


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
        "Date of publication as the document gives it; blank only for reference pages and for "
        "pages that show no date (notes then say 'undated').",
        example="2024-09-18",
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
        sql="published_date IS NOT NULL OR source_type IN ('reference_database', "
        "'encyclopedia') OR coalesce(lower(notes) LIKE '%undated%', false)",
    )
    def dated_source(cls, df):
        says_undated = df["notes"].str.contains("undated", case=False).fillna(False)
        dated = df["published_date"].notna() | df["source_type"].isin(UNDATED_SOURCE_TYPES)
        return (dated | says_undated).astype(bool)


TABLE = TableSpec(
    name="sources",
    model=Sources,
    title="Sources",
    description="Every document a record cites: publisher, title, URL and publication date.",
    primary_key=("source_id",),
)
