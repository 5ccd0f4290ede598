"""retired_ids: tombstones. An ID, once published, is never reused and never silently dropped:
a record removed or renamed leaves a row here (the agreement rules and ``validate --base`` check
it)."""

import pandera.pandas as pa
from pandera.typing import Series

from ._base import Date, TableSpec, code, date, slug, text


class RetiredIds(pa.DataFrameModel):
    retired_id: Series[str] = slug(
        "The ID no longer in use.", example="2025-05-08-wonsan-hwasong-11a"
    )
    table_name: Series[str] = code("id_table", "The table the ID belonged to.")
    replaced_by: Series[str] = slug(
        "The ID that replaces it in the same table (a rename or a merge); blank when the record "
        "was withdrawn.",
        example="2025-05-08-wonsan-kn-23",
        nullable=True,
    )
    retired_date: Series[Date] = date("The date the ID was retired.", example="2026-11-27")
    reason: Series[str] = text(
        "Why, in a sentence.",
        example="Renamed after the system ID changed to kn-23",
        nullable=False,
        max_length=500,
    )
    notes: Series[str] = text("Anything else a reader should know.", example="")

    class Config:
        strict = True
        ordered = True
        unique = ["table_name", "retired_id"]


TABLE = TableSpec(
    name="retired_ids",
    model=RetiredIds,
    title="Retired IDs",
    description="Tombstones: every ID removed or renamed since the first published data, with "
    "its replacement (if any), the date and the reason. Retired IDs are never reused.",
    primary_key=("table_name", "retired_id"),
)
