"""seed_claims: each factual claim of a seed document, checked against other sources."""

import pandera.pandas as pa
from pandera.typing import Series

from ._base import ForeignKey, TableSpec, code, pattern_text, slug, slug_list, text


class SeedClaims(pa.DataFrameModel):
    seed_file: Series[str] = pattern_text(
        "File name of the seed document under seeds/.",
        pattern=r"^[A-Za-z0-9_.-]+\.txt$",
        example="000_0e8e679eac042ace.txt",
        hint="the file name of a seed under seeds/, e.g. 000_0e8e679eac042ace.txt",
        nullable=False,
    )
    claim_id: Series[str] = slug(
        "Stable ID of the claim, unique across seeds.", example="s000-c01", unique=True
    )
    claim: Series[str] = text(
        "The claim, in the curators' words (not the article's).",
        example="DPRK fired several SRBMs toward its east coast.",
        nullable=False,
        max_length=1000,
    )
    verdict: Series[str] = code("verdict", "What other sources say of the claim.")
    record_ids: Series[str] = slug_list(
        "IDs of the records (launches, meetings, transfers, provisions, sources) that hold it, "
        "separated by ';'.",
        example="2024-09-18-kaechon",
    )
    source_ids: Series[str] = slug_list(
        "Sources, other than the seed itself, that decide the verdict; separated by ';'.",
        example="yonhap-2024-09-18-kaechon-srbm",
        nullable=False,
    )
    note: Series[str] = text(
        "Why the verdict, especially where the seed differs from the records.", example=""
    )

    class Config:
        strict = True
        ordered = True


TABLE = TableSpec(
    name="seed_claims",
    model=SeedClaims,
    title="Seed claims",
    description="Each factual claim in the seed documents the package started from, with a "
    "verdict from other sources and the records that hold it.",
    primary_key=("claim_id",),
    foreign_keys=(ForeignKey("source_ids", "sources", "source_id", list_separator=";"),),
    any_record_fields=("record_ids",),
)
