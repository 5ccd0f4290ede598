"""vessels, vessel_names, transfer_vessels and designations: the ships sources tie to the
transfers, and which authority listed which actor or vessel, when and under what."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._base import (
    Date,
    ForeignKey,
    TableSpec,
    code,
    date,
    designations_searched,
    ordered_rule,
    pattern_text,
    row_rule,
    slug,
    slug_list,
    text,
)

IMO_PATTERN = r"^[0-9]{7}$"
MMSI_PATTERN = r"^[0-9]{9}$"
ALPHA3_PATTERN = r"^[A-Z]{3}$"
SOURCES_DESCRIPTION = "The sources that state it, separated by ';'."


def imo_check_digit_sql(column: str) -> str:
    """SQL: the IMO number's last digit is the weighted sum of the first six (weights 7 to 2)
    modulo 10."""
    digits = " + ".join(
        f"{weight} * CAST(substr({column}, {position}, 1) AS INTEGER)"
        for position, weight in enumerate(range(7, 1, -1), start=1)
    )
    return f"{column} IS NULL OR (({digits}) % 10) = CAST(substr({column}, 7, 1) AS INTEGER)"


def imo_check_digit_ok(values: list) -> list[bool]:
    ok = []
    for value in values:
        if value is None or value != value or not str(value).isdigit() or len(str(value)) != 7:
            ok.append(True)  # missing, or a form error the pattern check reports
            continue
        digits = [int(c) for c in str(value)]
        ok.append(
            sum(d * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10 == digits[6]
        )
    return ok


class Vessels(pa.DataFrameModel):
    vessel_id: Series[str] = slug(
        "Stable ID: the ship's name, with its IMO number when known.",
        example="lady-r-9161003",
        unique=True,
    )
    name: Series[str] = text(
        "The name sources use most, or the latest.",
        example="Lady R",
        nullable=False,
        max_length=200,
    )
    imo: Series[str] = pattern_text(
        "IMO ship identification number (7 digits, the last a check digit); blank when no "
        "source read gives it.",
        pattern=IMO_PATTERN,
        example="9161003",
        hint="7 digits, e.g. 9161003",
    )
    mmsi: Series[str] = pattern_text(
        "Maritime Mobile Service Identity (9 digits) when a source gives it.",
        pattern=MMSI_PATTERN,
        example="273355410",
        hint="9 digits, e.g. 273355410",
    )
    vessel_type: Series[str] = text(
        "Type of ship as sources describe it.", example="ro-ro cargo ship", max_length=100
    )
    owner_id: Series[str] = slug(
        "Owner or operator, as an actor; blank when no source names one.",
        example="mg-flot",
        nullable=True,
    )
    source_ids: Series[str] = slug_list(
        SOURCES_DESCRIPTION, example="osc-2025-02-18-red-passage", nullable=False
    )
    designations_searched: Series[Date] = designations_searched("vessel")
    notes: Series[str] = text("Disagreements and caveats, naming the sources.", example="")

    class Config:
        strict = True
        ordered = True

    @row_rule(
        "imo_check_digit",
        column="imo",
        reads=("imo",),
        message="the IMO number's check digit is wrong",
        fix="the last digit is the sum of the first six times 7, 6, 5, 4, 3, 2, modulo 10; "
        "copy the number again from the source",
        sql=imo_check_digit_sql("imo"),
    )
    def imo_check_digit(cls, df):
        return pd.Series(imo_check_digit_ok(df["imo"].tolist()), index=df.index, dtype=bool)


VESSELS = TableSpec(
    name="vessels",
    model=Vessels,
    title="Vessels",
    description="Ships that sources tie to the transfers, with IMO numbers where a source gives "
    "them.",
    primary_key=("vessel_id",),
    foreign_keys=(
        ForeignKey("owner_id", "actors", "actor_id"),
        ForeignKey("source_ids", "sources", "source_id", list_separator=";"),
    ),
)


class VesselNames(pa.DataFrameModel):
    vessel_id: Series[str] = slug("The ship.", example="lady-r-9161003")
    name: Series[str] = text(
        "A name the ship sailed under.", example="Lady R", nullable=False, max_length=200
    )
    flag: Series[str] = pattern_text(
        "The flag state under that name (ISO 3166-1 alpha-3).",
        pattern=ALPHA3_PATTERN,
        example="RUS",
        hint="three capital letters, e.g. RUS",
    )
    valid_from: Series[Date] = date(
        "First date a source gives for this name and flag.", example="2022-01-01", nullable=True
    )
    valid_to: Series[Date] = date(
        "Last date a source gives for this name and flag.", example="2024-12-31", nullable=True
    )
    source_ids: Series[str] = slug_list(
        SOURCES_DESCRIPTION, example="osc-2025-02-18-red-passage", nullable=False
    )
    notes: Series[str] = text("Caveats, naming the sources.", example="")

    class Config:
        strict = True
        ordered = True
        unique = ["vessel_id", "name"]

    name_period = ordered_rule(
        "name_period",
        "valid_from",
        "valid_to",
        message="valid_to is before valid_from",
        fix="valid_from is the first date a source gives for the name and valid_to the last",
    )


VESSEL_NAMES = TableSpec(
    name="vessel_names",
    model=VesselNames,
    title="Vessel names and flags",
    description="The names and flags each ship sailed under, with dates where sources give them.",
    primary_key=("vessel_id", "name"),
    foreign_keys=(
        ForeignKey("vessel_id", "vessels", "vessel_id"),
        ForeignKey("source_ids", "sources", "source_id", list_separator=";"),
    ),
)


class TransferVessels(pa.DataFrameModel):
    voyage_id: Series[str] = slug(
        "Stable ID of the reported voyage or port call.", example="angara-2023-09-07", unique=True
    )
    transfer_id: Series[str] = slug(
        "The transfer the voyage carried.", example="prk-rus-munitions-containers-2023"
    )
    vessel_id: Series[str] = slug("The ship.", example="angara")
    port_from: Series[str] = text(
        "Port of loading as the source names it.", example="Rajin", max_length=100
    )
    port_to: Series[str] = text(
        "Port of discharge as the source names it.", example="Dunai", max_length=100
    )
    voyage_start: Series[Date] = date(
        "First date of the voyage or voyages the source reports.",
        example="2023-09-07",
        nullable=True,
    )
    voyage_end: Series[Date] = date(
        "Last date of the voyage or voyages the source reports.",
        example="2023-10-01",
        nullable=True,
    )
    source_ids: Series[str] = slug_list(
        SOURCES_DESCRIPTION, example="yonhap-2023-10-14-kirby-1000-containers", nullable=False
    )
    notes: Series[str] = text("What the source reports, in the curators' words.", example="")

    class Config:
        strict = True
        ordered = True

    voyage_period = ordered_rule(
        "voyage_period",
        "voyage_start",
        "voyage_end",
        message="voyage_end is before voyage_start",
        fix="voyage_start is the first date the source gives and voyage_end the last",
    )


TRANSFER_VESSELS = TableSpec(
    name="transfer_vessels",
    model=TransferVessels,
    title="Transfer voyages",
    description="Which ships carried which transfers, with ports and voyage dates as sources "
    "report them.",
    primary_key=("voyage_id",),
    foreign_keys=(
        ForeignKey("transfer_id", "transfers", "transfer_id"),
        ForeignKey("vessel_id", "vessels", "vessel_id"),
        ForeignKey("source_ids", "sources", "source_id", list_separator=";"),
    ),
)


class Designations(pa.DataFrameModel):
    designation_id: Series[str] = slug(
        "Stable ID: subject, authority and date or sequence.",
        example="kim-jong-un-us-ofac-2016-07-06",
        unique=True,
    )
    actor_id: Series[str] = slug(
        "The actor listed; blank when the subject is a vessel.",
        example="kim-jong-un",
        nullable=True,
    )
    vessel_id: Series[str] = slug(
        "The vessel listed; blank when the subject is an actor.", example="angara", nullable=True
    )
    authority: Series[str] = code("authority", "Who listed it.")
    listed_date: Series[Date] = date(
        "The date the authority listed it (its own calendar); "
        "blank when no source read gives the day.",
        example="2016-07-06",
        nullable=True,
    )
    legal_basis: Series[str] = text(
        "The resolution paragraph or national legal basis the source names.",
        example="E.O. 13687",
        max_length=300,
    )
    delisted_date: Series[Date] = date(
        "The date it was removed from the list, if it was.", example="2021-02-16", nullable=True
    )
    source_ids: Series[str] = slug_list(
        SOURCES_DESCRIPTION, example="yonhap-aju-2016-07-07-kim-jong-un-ofac", nullable=False
    )
    notes: Series[str] = text(
        "Caveats: month-only dates, disagreements, naming the sources.", example=""
    )

    class Config:
        strict = True
        ordered = True

    listing_period = ordered_rule(
        "listing_period",
        "listed_date",
        "delisted_date",
        message="delisted_date is before listed_date",
        fix="listed_date is when the authority listed the subject, delisted_date when it "
        "removed it",
    )

    @row_rule(
        "one_subject",
        column="actor_id",
        reads=("actor_id", "vessel_id"),
        message="a designation lists exactly one actor or one vessel",
        fix="fill actor_id or vessel_id, not both and not neither",
        sql="(actor_id IS NULL) <> (vessel_id IS NULL)",
    )
    def one_subject(cls, df):
        return (df["actor_id"].isna() != df["vessel_id"].isna()).astype(bool)


DESIGNATIONS = TableSpec(
    name="designations",
    model=Designations,
    title="Sanctions designations",
    description="Which authority listed which actor or vessel, when, under what, and whether "
    "it was delisted.",
    primary_key=("designation_id",),
    foreign_keys=(
        ForeignKey("actor_id", "actors", "actor_id"),
        ForeignKey("vessel_id", "vessels", "vessel_id"),
        ForeignKey("source_ids", "sources", "source_id", list_separator=";"),
    ),
)
