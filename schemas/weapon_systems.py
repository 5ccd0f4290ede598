"""weapon_systems: the missiles and launchers that launches and transfers reference."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ._base import ForeignKey, TableSpec, code, count, slug, text


class WeaponSystems(pa.DataFrameModel):
    system_id: Series[str] = slug(
        "Stable ID: the DPRK name as a slug (hwasong-11a), or a foreign designation when DPRK "
        "has given none.",
        example="hwasong-11a",
        unique=True,
    )
    dprk_name: Series[str] = text(
        "The name DPRK state media use.", example="Hwasong-11A", max_length=200
    )
    foreign_designations: Series[str] = text(
        "US/ROK designations and other names, separated by ';'.", example="KN-23", max_length=300
    )
    missile_class: Series[str] = code(
        "missile_class",
        "Range class; blank for systems that are not missiles (guns, air defence).",
        nullable=True,
    )
    propellant: Series[str] = code(
        "propellant", "Propellant type; blank for systems that are not missiles.", nullable=True
    )
    nominal_range_km: Series[pd.Int64Dtype] = count(
        "Nominal maximum range in km as a cited source gives it.", example=690
    )
    source_id: Series[str] = slug(
        "The source that describes the system.", example="csis-missile-threat-kn-23"
    )
    notes: Series[str] = text("Anything a reader should know.", example="")

    class Config:
        strict = True
        ordered = True


TABLE = TableSpec(
    name="weapon_systems",
    model=WeaponSystems,
    title="Weapon systems",
    description="DPRK missiles, rockets and launch vehicles, with DPRK and foreign names.",
    primary_key=("system_id",),
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
)
