"""provisions: UN Security Council resolution paragraphs on the DPRK and what each prohibits."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._base import Date, ForeignKey, TableSpec, code, count, date, slug, text


class Provisions(pa.DataFrameModel):
    provision_id: Series[str] = slug(
        "Stable ID: resolution and operative paragraph, e.g. unscr-1718-op8a.",
        example="unscr-1718-op8a", unique=True,
    )
    resolution: Series[pd.Int64Dtype] = count(
        "UN Security Council resolution number.", example=1718, nullable=False
    )
    adopted_date: Series[Date] = date("Date the resolution was adopted (New York).",
                                      example="2006-10-14")
    paragraph: Series[str] = text("Operative paragraph, e.g. OP 8(a).", example="OP 8(a)",
                                  nullable=False, max_length=50)
    topic: Series[str] = code("provision_topic", "What the paragraph is about.")
    applies_to: Series[str] = code(
        "applies_to", "Which kind of event the paragraph prohibits; the DuckDB views derive "
        "breaches from it."
    )
    summary: Series[str] = text("What it prohibits or establishes, in the curators' words.",
                                example="States must prevent the supply of arms to the DPRK.",
                                nullable=False)
    source_id: Series[str] = slug("The text of the resolution or an official summary.",
                                  example="un-press-2006-10-14-sc8853")

    class Config:
        strict = True
        ordered = True


TABLE = TableSpec(
    name="provisions",
    model=Provisions,
    title="UN Security Council provisions",
    description="Operative paragraphs of UN Security Council resolutions on the DPRK that ban "
    "launches and arms trade, and the monitoring arrangements.",
    primary_key=("provision_id",),
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
)
