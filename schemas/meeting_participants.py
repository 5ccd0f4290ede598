"""meeting_participants: who took part in each meeting, with their title at the time."""

import pandera.pandas as pa
from pandera.typing import Series

from ._base import ForeignKey, TableSpec, pattern_text, slug, slug_list, text


class MeetingParticipants(pa.DataFrameModel):
    meeting_id: Series[str] = slug("The meeting.", example="2024-06-19-pyongyang-putin-kim")
    actor_id: Series[str] = slug("The participant.", example="kim-jong-un")
    side: Series[str] = pattern_text(
        "ISO 3166-1 alpha-3 code of the delegation the participant belonged to.",
        pattern=r"^[A-Z]{3}$",
        example="PRK",
        hint="three capital letters, e.g. PRK, RUS",
        nullable=False,
    )
    role_at_time: Series[str] = text(
        "Title at the time of the meeting.", example="Foreign Minister", max_length=300
    )
    source_ids: Series[str] = slug_list(
        "The sources, separated by ';', that name this participant at this meeting (and give "
        "the title, where role_at_time is filled).",
        example="kcna-2024-06-19-putin-visit;tass-2024-06-19-kim-putin-talks",
        nullable=False,
    )

    class Config:
        strict = True
        ordered = True
        unique = ["meeting_id", "actor_id"]


TABLE = TableSpec(
    name="meeting_participants",
    model=MeetingParticipants,
    title="Meeting participants",
    description="Who took part in each meeting, on which side, with the title they held then.",
    primary_key=("meeting_id", "actor_id"),
    foreign_keys=(
        ForeignKey("meeting_id", "meetings", "meeting_id"),
        ForeignKey("actor_id", "actors", "actor_id"),
        ForeignKey("source_ids", "sources", "source_id", list_separator=";"),
    ),
)
