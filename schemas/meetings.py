"""meetings: high-level meetings between DPRK officials and those of other states."""

import pandera.pandas as pa
from pandera.typing import Series

from ._base import (
    Citation,
    Date,
    TableSpec,
    code,
    date,
    ordered_rule,
    pattern_text,
    slug,
    text,
)

ISO3 = r"^[A-Z]{3}$"


class Meetings(pa.DataFrameModel):
    meeting_id: Series[str] = slug(
        "Stable ID: start date, city and a short topic, e.g. 2024-06-19-pyongyang-putin-kim.",
        example="2024-06-19-pyongyang-putin-kim",
        unique=True,
    )
    start_date: Series[Date] = date(
        "First day of the meeting or visit (local date).", example="2024-06-19"
    )
    end_date: Series[Date] = date(
        "Last day of the meeting or visit (local date); blank when no source gives it.",
        example="2024-06-19",
        nullable=True,
    )
    city: Series[str] = text(
        "City where it took place.", example="Pyongyang", nullable=False, max_length=100
    )
    country: Series[str] = pattern_text(
        "ISO 3166-1 alpha-3 code of the country where it took place.",
        pattern=ISO3,
        example="PRK",
        hint="three capital letters, e.g. PRK, RUS, CHN",
        nullable=False,
    )
    counterpart: Series[str] = pattern_text(
        "ISO 3166-1 alpha-3 code of the state the DPRK met.",
        pattern=ISO3,
        example="RUS",
        hint="three capital letters, e.g. RUS, CHN",
        nullable=False,
    )
    level: Series[str] = code("meeting_level", "Highest level of the meeting.")
    outcome: Series[str] = text(
        "What came out of it, in the curators' words.",
        example="Comprehensive Strategic Partnership treaty signed",
    )
    notes: Series[str] = text("Disagreements between sources and anything else.", example="")

    class Config:
        strict = True
        ordered = True

    meeting_dates_ordered = ordered_rule(
        "meeting_dates_ordered",
        "start_date",
        "end_date",
        message="end_date is before start_date",
        fix="end_date is the last day of the meeting; for a one-day meeting repeat start_date",
    )


TABLE = TableSpec(
    name="meetings",
    model=Meetings,
    title="Meetings",
    description="High-level meetings and visits between DPRK officials and those of Russia, "
    "China and other states.",
    primary_key=("meeting_id",),
    cited_in=Citation("meeting_sources", "meeting_id", supports="supports"),
)
