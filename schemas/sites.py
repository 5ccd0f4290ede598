"""sites: where launches take place."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._base import LIST_SEPARATOR, ForeignKey, TableSpec, code, number, row_rule, slug, text


class Sites(pa.DataFrameModel):
    site_id: Series[str] = slug(
        "Stable ID: the place's common romanised name, e.g. kaechon, sohae, sunan.",
        example="kaechon",
        unique=True,
    )
    name: Series[str] = text(
        "Name of the place as most sources write it.",
        example="Kaechon",
        nullable=False,
        max_length=200,
    )
    alternate_names: Series[str] = text(
        f"Other spellings and names, separated by '{LIST_SEPARATOR}'.",
        example="Kaechŏn",
        max_length=500,
    )
    province: Series[str] = text("DPRK province.", example="South Pyongan", max_length=100)
    latitude: Series[pd.Float64Dtype] = number(
        "Latitude in decimal degrees (WGS 84), only when a cited source gives it.",
        example=39.70,
        minimum=-90,
        maximum=90,
    )
    longitude: Series[pd.Float64Dtype] = number(
        "Longitude in decimal degrees (WGS 84), only when a cited source gives it.",
        example=125.90,
        minimum=-180,
        maximum=180,
    )
    coordinate_precision: Series[str] = code(
        "coordinate_precision",
        "How closely the coordinates (or, without coordinates, the named place) locate the "
        "launch point.",
    )
    site_type: Series[str] = code("site_type", "What kind of place it is.")
    source_id: Series[str] = slug(
        "The source that names or locates the site.", example="yonhap-2024-09-18-kaechon-srbm"
    )
    notes: Series[str] = text("Anything a reader should know.", example="")

    class Config:
        strict = True
        ordered = True

    @row_rule(
        "coordinates_in_pairs",
        column="longitude",
        reads=("latitude", "longitude"),
        message="latitude and longitude must be given together",
        fix="fill both or leave both empty",
        sql="(latitude IS NULL) = (longitude IS NULL)",
    )
    def coordinates_in_pairs(cls, df):
        return (df["latitude"].isna() == df["longitude"].isna()).astype(bool)

    @row_rule(
        "precision_matches_coordinates",
        column="coordinate_precision",
        reads=("latitude", "coordinate_precision"),
        message="coordinates are given but coordinate_precision is 'unknown'",
        fix="say how closely the coordinates locate the launch point (exact, site, town, county, "
        "province)",
        sql="coordinate_precision <> 'unknown' OR latitude IS NULL",
    )
    def precision_matches_coordinates(cls, df):
        unknown = df["coordinate_precision"] == "unknown"
        return (~unknown | df["latitude"].isna()).astype(bool)


TABLE = TableSpec(
    name="sites",
    model=Sites,
    title="Launch sites",
    description="Places DPRK launches were made from, with coordinates where a source gives them.",
    primary_key=("site_id",),
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
)
