"""transfers: documented or alleged transfers of arms, troops, fuel or military technology."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._base import (
    Citation,
    Date,
    ForeignKey,
    TableSpec,
    code,
    count,
    date,
    ordered_rule,
    row_rule,
    slug,
    slug_list,
    text,
)


class Transfers(pa.DataFrameModel):
    transfer_id: Series[str] = slug(
        "Stable ID: supplier, recipient, item and first year, e.g. prk-rus-hwasong-11-2023.",
        example="prk-rus-hwasong-11-2023",
        unique=True,
    )
    supplier_id: Series[str] = slug("The supplying actor.", example="prk")
    recipient_id: Series[str] = slug("The receiving actor.", example="rus")
    item_category: Series[str] = code("item_category", "What kind of item was transferred.")
    system_id: Series[str] = slug(
        "The weapon system, when one is identified.", example="hwasong-11a", nullable=True
    )
    item_description: Series[str] = text(
        "What was transferred, with system names as the sources give them.",
        example="KN-23/KN-24 short-range ballistic missiles and launchers",
        nullable=False,
        max_length=1000,
    )
    quantity_min: Series[pd.Int64Dtype] = count("Lowest quantity a cited source gives.", example=50)
    quantity_max: Series[pd.Int64Dtype] = count(
        "Highest quantity a cited source gives; blank when open-ended.", example=100
    )
    quantity_unit: Series[str] = text(
        "Unit of the quantity (missiles, rounds, containers...).", example="missiles", max_length=50
    )
    period_start: Series[Date] = date(
        "When the transfer began (first of the month or year "
        "when only that is known; notes say so).",
        example="2023-08-01",
        nullable=True,
    )
    period_end: Series[Date] = date(
        "When the transfer ended or was last reported.", example="2024-02-28", nullable=True
    )
    reported_date: Series[Date] = date(
        "When it was first publicly reported (the first of the month when the pages give only the "
        "month; notes say so).",
        example="2024-01-04",
    )
    evidence_type: Series[str] = code("evidence_type", "The strongest evidence cited.")
    status: Series[str] = code("transfer_status", "How well established the transfer is.")
    denied_by: Series[str] = slug_list(
        "Actors that publicly denied it, separated by ';'.", example="prk;rus"
    )
    use_location: Series[str] = text(
        "Where the items were used, when known.", example="Kharkiv, Ukraine", max_length=300
    )
    notes: Series[str] = text("Disagreements between sources and anything else.", example="")

    class Config:
        strict = True
        ordered = True

    quantity_range = ordered_rule(
        "quantity_range",
        "quantity_min",
        "quantity_max",
        message="quantity_max is smaller than quantity_min",
        fix="quantity_min is the lowest figure a source gives and quantity_max the highest",
    )

    @row_rule(
        "quantity_has_unit",
        column="quantity_unit",
        reads=("quantity_min", "quantity_max", "quantity_unit"),
        message="a quantity is given without its unit",
        fix="say what the quantity counts (missiles, rounds, containers, troops...)",
        sql="(quantity_min IS NULL AND quantity_max IS NULL) OR quantity_unit IS NOT NULL",
    )
    def quantity_has_unit(cls, df):
        has_quantity = df["quantity_min"].notna() | df["quantity_max"].notna()
        return (~has_quantity | df["quantity_unit"].notna()).astype(bool)

    transfer_period_ordered = ordered_rule(
        "transfer_period_ordered",
        "period_start",
        "period_end",
        message="period_end is before period_start",
        fix="period_start is when the transfer began and period_end when it ended",
    )

    @row_rule(
        "distinct_parties",
        column="recipient_id",
        reads=("supplier_id", "recipient_id"),
        message="supplier and recipient are the same actor",
        fix="a transfer goes from one actor to another",
        sql="supplier_id <> recipient_id",
    )
    def distinct_parties(cls, df):
        return (df["supplier_id"] != df["recipient_id"]).fillna(True).astype(bool)

    @row_rule(
        "denied_has_denier",
        column="denied_by",
        reads=("status", "denied_by"),
        message="status is 'denied' but denied_by is empty",
        fix="name in denied_by the actors that denied it",
        sql="status <> 'denied' OR denied_by IS NOT NULL",
    )
    def denied_has_denier(cls, df):
        return ((df["status"] != "denied") | df["denied_by"].notna()).fillna(True).astype(bool)


TABLE = TableSpec(
    name="transfers",
    model=Transfers,
    title="Transfers",
    description="Documented or alleged transfers of arms, munitions, troops, fuel or military "
    "technology to or from the DPRK.",
    primary_key=("transfer_id",),
    foreign_keys=(
        ForeignKey("supplier_id", "actors", "actor_id"),
        ForeignKey("recipient_id", "actors", "actor_id"),
        ForeignKey("system_id", "weapon_systems", "system_id"),
        ForeignKey("denied_by", "actors", "actor_id", list_separator=";"),
    ),
    cited_in=Citation("transfer_sources", "transfer_id", supports="supports"),
)
