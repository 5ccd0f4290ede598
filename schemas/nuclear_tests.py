"""nuclear_tests and nuclear_test_estimates: the DPRK's nuclear tests and what each agency
measured or estimated of them."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._base import (
    TIME_PATTERN,
    Citation,
    Date,
    ForeignKey,
    TableSpec,
    code,
    date,
    number,
    ordered_rule,
    pattern_text,
    row_rule,
    slug,
    text,
)


class NuclearTests(pa.DataFrameModel):
    nuclear_test_id: Series[str] = slug(
        "Stable ID: the Korean date and the site, e.g. 2006-10-09-punggye-ri.",
        example="2006-10-09-punggye-ri",
        unique=True,
    )
    test_date: Series[Date] = date(
        "Date of the test in Korea (KST, UTC+9); seismic agencies date it in UTC.",
        example="2006-10-09",
    )
    test_time: Series[str] = pattern_text(
        "Time of the explosion in KST, 24-hour HH:MM, as the cited sources give it (converted "
        "from UTC where they give UTC).",
        pattern=TIME_PATTERN,
        example="10:35",
        hint="24-hour HH:MM in KST, e.g. 10:35",
    )
    site_id: Series[str] = slug(
        "Where the test took place; blank when no source names a place.",
        example="punggye-ri",
        nullable=True,
    )
    dprk_claim: Series[str] = text(
        "What DPRK state media said the test was, in the curators' words; blank if silent.",
        example="Test of a hydrogen bomb for an ICBM",
        max_length=1000,
    )
    notes: Series[str] = text(
        "Disagreements between sources (naming them) and anything else a reader should know.",
        example="USGS gives 01:35 UTC",
    )

    class Config:
        strict = True
        ordered = True


TABLE = TableSpec(
    name="nuclear_tests",
    model=NuclearTests,
    title="Nuclear tests",
    description="DPRK nuclear tests, one row per test; measurements and yield estimates are in "
    "nuclear_test_estimates.",
    primary_key=("nuclear_test_id",),
    foreign_keys=(ForeignKey("site_id", "sites", "site_id"),),
    cited_in=Citation("nuclear_test_sources", "nuclear_test_id", supports="supports"),
)


class NuclearTestEstimates(pa.DataFrameModel):
    nuclear_test_id: Series[str] = slug(
        "The test measured or estimated.", example="2006-10-09-punggye-ri"
    )
    estimator: Series[str] = code("estimator", "Who measured or estimated it.")
    quantity: Series[str] = code("nuclear_quantity", "What was measured or estimated.")
    value_min: Series[pd.Float64Dtype] = number(
        "The figure, or the low end of the range, the estimator gave; blank when it gave only "
        "an upper bound ('less than 1 kiloton').",
        example=4.1,
        minimum=0,
        maximum=100000,
    )
    value_max: Series[pd.Float64Dtype] = number(
        "The high end of the range; equal to value_min for a single figure, blank when "
        "open-ended ('more than 50 kilotons').",
        example=4.3,
        minimum=0,
        maximum=100000,
    )
    source_id: Series[str] = slug(
        "The source the figure was read in.", example="usgs-2006-10-09-event-page"
    )
    locator: Series[str] = text(
        "Where in the source the figure stands.", example="para 2", max_length=200
    )
    notes: Series[str] = text(
        "Caveats: preliminary or revised figures, what the range means.",
        example="Preliminary; revised to 4.3 the next day",
    )

    class Config:
        strict = True
        ordered = True
        unique = ["nuclear_test_id", "estimator", "quantity", "source_id"]

    value_range = ordered_rule(
        "value_range",
        "value_min",
        "value_max",
        message="value_max is smaller than value_min",
        fix="value_min is the low end of the range the estimator gave and value_max the high end",
    )

    @row_rule(
        "value_given",
        column="value_min",
        reads=("value_min", "value_max"),
        message="neither value_min nor value_max is given",
        fix="write the figure in both (a single figure), or the bound the estimator gave",
        sql="value_min IS NOT NULL OR value_max IS NOT NULL",
    )
    def value_given(cls, df):
        return (df["value_min"].notna() | df["value_max"].notna()).astype(bool)


ESTIMATES_TABLE = TableSpec(
    name="nuclear_test_estimates",
    model=NuclearTestEstimates,
    title="Nuclear test measurements and estimates",
    description="Seismic magnitudes and yield estimates of each nuclear test, one row per "
    "estimator, quantity and source; disagreements are kept as separate rows.",
    primary_key=("nuclear_test_id", "estimator", "quantity", "source_id"),
    foreign_keys=(
        ForeignKey("nuclear_test_id", "nuclear_tests", "nuclear_test_id"),
        ForeignKey("source_id", "sources", "source_id"),
    ),
)
