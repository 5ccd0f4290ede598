"""The citation link tables: which source backs which record, and where in it."""

import pandera.pandas as pa
from pandera.typing import Series

from . import launches, meetings, nuclear_tests, provisions, transfers
from ._base import ForeignKey, TableSpec, list_pattern, pattern_text, slug, text

LOCATOR_DESCRIPTION = "Where in the source the fact stands (page, paragraph, table row)."


def supports_field(record_table: TableSpec) -> object:
    """The ``supports`` column: which fields of the record this source states."""
    fields = record_table.fact_fields
    item = "(?:" + "|".join(fields) + ")"
    example = ";".join(fields[:2])
    return pattern_text(
        f"The fields of the {record_table.name} row that this source states, separated by ';' "
        f"(any of: {', '.join(fields)}). Every filled field of the row must be listed by at "
        "least one of its citations; list only what you read in this source. A field that "
        "holds a ';'-list (e.g. reported_by) is listed when this source states at least one of "
        "its items; together the citations must state every item.",
        pattern=list_pattern(item),
        example=example,
        hint=f"field names of {record_table.name} separated by ';' with no spaces, e.g. {example}",
        nullable=False,
    )


def citation_table(
    record: str, record_table: TableSpec, example: str, title: str | None = None
) -> TableSpec:
    """A link table ``<record>_sources`` with columns (<record>_id, source_id, locator,
    supports)."""
    key = f"{record}_id"
    annotations = {
        key: Series[str],
        "source_id": Series[str],
        "locator": Series[str],
        "supports": Series[str],
    }
    namespace = {
        "__annotations__": annotations,
        key: slug(f"The {record} cited.", example=example),
        "source_id": slug("The source that backs it.", example="yonhap-2024-09-18-kaechon-srbm"),
        "locator": text(LOCATOR_DESCRIPTION, example="para 2", max_length=200),
        "supports": supports_field(record_table),
        "Config": type(
            "Config", (), {"strict": True, "ordered": True, "unique": [key, "source_id"]}
        ),
    }
    title = title or record.title()
    model = type(f"{title.replace(' ', '')}Sources", (pa.DataFrameModel,), namespace)
    return TableSpec(
        name=f"{record}_sources",
        model=model,
        title=f"{title} citations",
        description=f"Links each {record.replace('_', ' ')} to the sources that back it.",
        primary_key=(key, "source_id"),
        foreign_keys=(
            ForeignKey(key, record_table.name, key),
            ForeignKey("source_id", "sources", "source_id"),
        ),
    )


LAUNCH_SOURCES = citation_table("launch", launches.TABLE, "2024-09-18-kaechon")
TRANSFER_SOURCES = citation_table("transfer", transfers.TABLE, "prk-rus-hwasong-11-2023")
MEETING_SOURCES = citation_table("meeting", meetings.TABLE, "2024-06-19-pyongyang-putin-kim")
PROVISION_SOURCES = citation_table("provision", provisions.TABLE, "unscr-1718-op8a")
NUCLEAR_TEST_SOURCES = citation_table(
    "nuclear_test", nuclear_tests.TABLE, "2006-10-09-punggye-ri", title="Nuclear test"
)
