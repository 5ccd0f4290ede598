"""launches: one row per salvo, that is missiles of one type from one site on one day."""

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
    code_list,
    count,
    date,
    flag,
    number,
    ordered_rule,
    pattern_text,
    row_rule,
    slug,
    text,
)
from .check_kinds import sql_literal

NON_BALLISTIC_CLASSES = ("cruise", "guided_mlrs", "mlrs")
_NON_BALLISTIC_SQL = ", ".join(sql_literal(code) for code in NON_BALLISTIC_CLASSES)


class Launches(pa.DataFrameModel):
    launch_id: Series[str] = slug(
        "Stable ID: the Korean date and the site, e.g. 2024-09-18-kaechon; a suffix tells "
        "apart salvos of the same day and site.",
        example="2024-09-18-kaechon",
        unique=True,
    )
    launch_date: Series[Date] = date(
        "Date of the launch in Korea (KST, UTC+9). UTC- and US-dated sources often give the day "
        "before for early-morning launches.",
        example="2024-09-18",
    )
    launch_time: Series[str] = pattern_text(
        "Time of the (first) launch in KST, 24-hour HH:MM, as first reported.",
        pattern=TIME_PATTERN,
        example="06:50",
        hint="24-hour HH:MM in KST, e.g. 06:50",
    )
    site_id: Series[str] = slug(
        "Where it was launched from; blank when no source names a place.",
        example="kaechon",
        nullable=True,
    )
    system_id: Series[str] = slug(
        "The weapon system; blank when the sources do not identify it.",
        example="hwasong-11a",
        nullable=True,
    )
    missile_class: Series[str] = code("missile_class", "Range class of the missiles fired.")
    missiles_min: Series[pd.Int64Dtype] = count(
        "Fewest missiles any cited source reports for this salvo ('at least two' is 2).",
        example=2,
        nullable=False,
    )
    missiles_max: Series[pd.Int64Dtype] = count(
        "Most missiles any cited source reports; blank when open-ended ('at least two').",
        example=2,
    )
    distance_km: Series[pd.Float64Dtype] = number(
        "Flight distance in km as first reported (usually by South Korea's JCS); other "
        "figures in notes.",
        example=400,
        minimum=0,
        maximum=20000,
    )
    apogee_km: Series[pd.Float64Dtype] = number(
        "Highest altitude in km as first reported; other figures in notes.",
        example=100,
        minimum=0,
        maximum=10000,
    )
    landing_area: Series[str] = code("landing_area", "Where the missiles came down.", nullable=True)
    outcome: Series[str] = code(
        "outcome", "Outcome as assessed by the reporting governments.", nullable=True
    )
    dprk_claim: Series[str] = text(
        "What DPRK state media said it was, in the curators' words; blank if silent.",
        example="Test of a new tactical ballistic missile with a 4.5-tonne warhead",
        max_length=1000,
    )
    ballistic: Series[pd.BooleanDtype] = flag(
        "True when it used ballistic-missile technology (ballistic missiles and satellite "
        "launch vehicles), which UN Security Council resolutions ban; blank when the sources "
        "leave it open (class unknown).",
        nullable=True,
    )
    reported_by: Series[str] = code_list(
        "reporter", "Who reported the launch, as a ';'-separated list of codes."
    )
    notes: Series[str] = text(
        "Disagreements between sources (naming them) and anything else a reader should know.",
        example="JCS: about 400 km; Japan MOD: at least two missiles",
    )

    class Config:
        strict = True
        ordered = True

    missiles_range = ordered_rule(
        "missiles_range",
        "missiles_min",
        "missiles_max",
        message="missiles_max is smaller than missiles_min",
        fix="missiles_min is the lowest count a source gives and missiles_max the highest",
    )

    @row_rule(
        "apogee_plausible",
        column="apogee_km",
        reads=("distance_km", "apogee_km"),
        message="apogee_km is more than the flight distance allows for a non-lofted missile "
        "and no lofted-trajectory note explains it",
        fix="check the figures; a lofted ICBM can reach 6,000 km up while flying 1,000 km, "
        "but an apogee above 10 times the distance is a typo",
        sql="apogee_km IS NULL OR distance_km IS NULL OR apogee_km <= distance_km * 10 + 50",
    )
    def apogee_plausible(cls, df):
        distance = df["distance_km"]
        apogee = df["apogee_km"]
        return (distance.isna() | apogee.isna() | (apogee <= distance * 10 + 50)).astype(bool)

    @row_rule(
        "ballistic_matches_class",
        column="ballistic",
        reads=("missile_class", "ballistic"),
        message="ballistic does not match missile_class",
        fix="cruise missiles and artillery rockets (guided_mlrs, mlrs) are ballistic=false; "
        "ballistic missiles and satellite launch vehicles are ballistic=true; only class unknown "
        "may leave it blank",
        sql="missile_class = 'unknown' OR "
        f"coalesce(ballistic = (missile_class NOT IN ({_NON_BALLISTIC_SQL})), false)",
    )
    def ballistic_matches_class(cls, df):
        non_ballistic = df["missile_class"].isin(NON_BALLISTIC_CLASSES)
        unknown = df["missile_class"] == "unknown"
        consistent = (df["ballistic"] != non_ballistic).fillna(False)
        return (unknown | consistent).astype(bool)


TABLE = TableSpec(
    name="launches",
    model=Launches,
    title="Launches",
    description="DPRK ballistic-missile and satellite launches (and some cruise-missile "
    "launches), one row per salvo: missiles of one type from one site on one day.",
    primary_key=("launch_id",),
    foreign_keys=(
        ForeignKey("site_id", "sites", "site_id"),
        ForeignKey("system_id", "weapon_systems", "system_id"),
    ),
    cited_in=Citation("launch_sources", "launch_id", supports="supports"),
)
