"""The citation link tables: which source backs which record, and where in it."""

import pandera.pandas as pa
from pandera.typing import Series

from ._base import ForeignKey, TableSpec, slug, text

LOCATOR_DESCRIPTION = "Where in the source the fact stands (page, paragraph, table row)."


def citation_table(record: str, record_table: str, example: str) -> TableSpec:
    """A link table ``<record>_sources`` with columns (<record>_id, source_id, locator)."""
    key = f"{record}_id"
    annotations = {key: Series[str], "source_id": Series[str], "locator": Series[str]}
    namespace = {
        "__annotations__": annotations,
        key: slug(f"The {record} cited.", example=example),
        "source_id": slug("The source that backs it.", example="yonhap-2024-09-18-kaechon-srbm"),
        "locator": text(LOCATOR_DESCRIPTION, example="para 2", max_length=200),
        "Config": type("Config", (), {"strict": True, "ordered": True,
                                      "unique": [key, "source_id"]}),
    }
    model = type(f"{record.title()}Sources", (pa.DataFrameModel,), namespace)
    return TableSpec(
        name=f"{record}_sources",
        model=model,
        title=f"{record.title()} citations",
        description=f"Links each {record} to the sources that back it.",
        primary_key=(key, "source_id"),
        foreign_keys=(
            ForeignKey(key, record_table, key),
            ForeignKey("source_id", "sources", "source_id"),
        ),
    )


LAUNCH_SOURCES = citation_table("launch", "launches", "2024-09-18-kaechon")
TRANSFER_SOURCES = citation_table("transfer", "transfers", "prk-rus-hwasong-11-2023")
MEETING_SOURCES = citation_table("meeting", "meetings", "2024-06-19-pyongyang-putin-kim")
