"""provisions: UN Security Council resolution paragraphs on the DPRK and what each prohibits."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._base import Citation, Date, TableSpec, code, code_list, count, date, slug, text


class Provisions(pa.DataFrameModel):
    provision_id: Series[str] = slug(
        "Stable ID: resolution and operative paragraph, e.g. unscr-1718-op8a.",
        example="unscr-1718-op8a",
        unique=True,
    )
    resolution: Series[pd.Int64Dtype] = count(
        "UN Security Council resolution number; blank for arrangements outside a resolution "
        "(a vetoed draft, the MSMT).",
        example=1718,
    )
    adopted_date: Series[Date] = date(
        "Date the resolution was adopted, or the arrangement began (New York date).",
        example="2006-10-14",
        nullable=True,
    )
    paragraph: Series[str] = text(
        "Operative paragraph, e.g. OP 8(a); blank when no source read gives its number.",
        example="OP 8(a)",
        max_length=50,
    )
    topic: Series[str] = code("provision_topic", "What the paragraph is about.")
    applies_to: Series[str] = code(
        "applies_to",
        "Which kind of event the paragraph prohibits; the DuckDB views derive breaches from it.",
    )
    covers: Series[str] = code_list(
        "item_category",
        "For bans on transfers: the item categories the paragraph covers, separated by ';'. "
        "The breach views match transfers on these; blank for launch bans and monitoring.",
    )
    summary: Series[str] = text(
        "What it prohibits or establishes, in the curators' words.",
        example="States must prevent the supply of arms to the DPRK.",
        nullable=False,
    )
    notes: Series[str] = text(
        "Caveats, such as a paragraph number inferred from cross-references.", example=""
    )

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
    cited_in=Citation("provision_sources", "provision_id", supports="supports"),
)
