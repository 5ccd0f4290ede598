"""actors: states, people and organisations that meet, supply or receive."""

import pandera.pandas as pa
from pandera.typing import Series

from ._base import ForeignKey, TableSpec, code, pattern_text, slug, text


class Actors(pa.DataFrameModel):
    actor_id: Series[str] = slug(
        "Stable ID: ISO 3166-1 alpha-3 code in lower case for states (prk, rus), a name slug for "
        "people (choe-son-hui), a short slug for organisations.",
        example="choe-son-hui", unique=True,
    )
    name: Series[str] = text("Name in English.", example="Choe Son Hui", nullable=False,
                             max_length=200)
    actor_type: Series[str] = code("actor_type", "Whether a state, person, organisation or force.")
    country: Series[str] = pattern_text(
        "ISO 3166-1 alpha-3 code of the state the actor belongs to; blank for international "
        "organisations.",
        pattern=r"^[A-Z]{3}$", example="PRK", hint="three capital letters (ISO 3166-1 alpha-3)",
    )
    source_id: Series[str] = slug(
        "A source that identifies the actor (optional for states).",
        example="kcna-2024-11-01-choe-moscow", nullable=True,
    )
    notes: Series[str] = text("Anything a reader should know.", example="")

    class Config:
        strict = True
        ordered = True


TABLE = TableSpec(
    name="actors",
    model=Actors,
    title="Actors",
    description="States, people and organisations that take part in meetings and transfers.",
    primary_key=("actor_id",),
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
)
