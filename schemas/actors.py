"""actors: states, people and organisations that meet, supply or receive."""

import pandera.pandas as pa
from pandera.typing import Series

from ._base import (
    Date,
    ForeignKey,
    TableSpec,
    code,
    designations_searched,
    pattern_text,
    row_rule,
    slug,
    slug_list,
    text,
)


class Actors(pa.DataFrameModel):
    actor_id: Series[str] = slug(
        "Stable ID: ISO 3166-1 alpha-3 code in lower case for states (prk, rus), a name slug for "
        "people (choe-son-hui), a short slug for organisations.",
        example="choe-son-hui",
        unique=True,
    )
    name: Series[str] = text(
        "Name in English.", example="Choe Son Hui", nullable=False, max_length=200
    )
    actor_type: Series[str] = code("actor_type", "Whether a state, person, organisation or force.")
    country: Series[str] = pattern_text(
        "ISO 3166-1 alpha-3 code of the state the actor belongs to; blank for international "
        "organisations.",
        pattern=r"^[A-Z]{3}$",
        example="PRK",
        hint="three capital letters (ISO 3166-1 alpha-3)",
    )
    source_id: Series[str] = slug(
        "A source that identifies the actor (optional for states).",
        example="kcna-2024-11-01-choe-moscow",
        nullable=True,
    )
    wikidata_qid: Series[str] = pattern_text(
        "Wikidata item ID, where a source read states it (unique per actor).",
        pattern=r"^Q[1-9][0-9]*$",
        example="Q56226",
        hint="Q followed by digits, e.g. Q56226",
    )
    un_reference: Series[str] = pattern_text(
        "Reference number on the UN Security Council 1718 sanctions list (KPi.nnn for people, "
        "KPe.nnn for entities), where the actor is listed (unique per actor).",
        pattern=r"^KP[ei]\.[0-9]{3}$",
        example="KPi.066",
        hint="KPi. or KPe. and three digits",
    )
    opensanctions_id: Series[str] = pattern_text(
        "OpenSanctions entity ID, where a source read states it (unique per actor).",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        example="NK-3DqVQ5BmXMXMYwBTW5WtnR",
        hint="letters, digits, '.', '_' and '-', e.g. NK-3DqVQ5BmXMXMYwBTW5WtnR",
    )
    identifier_source_ids: Series[str] = slug_list(
        "The sources that state the identifiers, separated by ';'.",
        example="un-press-2017-12-22-res-2397",
    )
    designations_searched: Series[Date] = designations_searched("actor")
    notes: Series[str] = text("Anything a reader should know.", example="")

    class Config:
        strict = True
        ordered = True

    @row_rule(
        "identifiers_cited",
        column="identifier_source_ids",
        reads=("wikidata_qid", "un_reference", "opensanctions_id", "identifier_source_ids"),
        message="an identifier is given but identifier_source_ids names no source for it",
        fix="list the sources that state the Wikidata ID, UN reference or OpenSanctions ID",
        sql="identifier_source_ids IS NOT NULL OR (wikidata_qid IS NULL AND un_reference IS NULL "
        "AND opensanctions_id IS NULL)",
    )
    def identifiers_cited(cls, df):
        given = df[["wikidata_qid", "un_reference", "opensanctions_id"]].notna().any(axis=1)
        return (df["identifier_source_ids"].notna() | ~given).astype(bool)


TABLE = TableSpec(
    name="actors",
    model=Actors,
    title="Actors",
    description="States, people and organisations that take part in meetings and transfers.",
    primary_key=("actor_id",),
    foreign_keys=(
        ForeignKey("source_id", "sources", "source_id"),
        ForeignKey("identifier_source_ids", "sources", "source_id", list_separator=";"),
    ),
)
