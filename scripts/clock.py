"""The one clock of the rules: the latest date a record may carry. Light on purpose (no pandas
or pandera), so the plan of a clean validation (quickcheck) can fill in the same date."""

from __future__ import annotations

import datetime as dt


def latest_allowed_date() -> dt.date:
    """Today in UTC+14, the earliest calendar on Earth: no record may be dated later."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()
