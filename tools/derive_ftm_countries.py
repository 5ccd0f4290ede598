"""Derive the FollowTheMoney country code of every ISO 3166-1 alpha-3 code, for the export.

The package writes countries as ISO alpha-3 codes (``PRK``); FollowTheMoney writes its own
codes (``kp``). The build looks the code up in ``scripts/assets/ftm-countries.json`` instead of
importing followthemoney, whose import takes half a second and pulls in SQLAlchemy, rdflib and
networkx for every user. Run this by hand, with the test extra installed, when followthemoney
changes; a test (tests/test_ftm.py) fails when the file no longer matches it:

    python tools/derive_ftm_countries.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "scripts" / "assets" / "ftm-countries.json"


def derive() -> dict[str, str]:
    """Every alpha-3 code that rigour (followthemoney's territory data) knows, with the code
    followthemoney's own country cleaner gives it."""
    from followthemoney import registry
    from rigour.territories import get_territories

    codes: dict[str, str] = {}
    for territory in get_territories():
        if territory.alpha3:
            alpha3 = territory.alpha3.upper()
            cleaned = registry.country.clean(alpha3)
            if cleaned:
                codes[alpha3] = cleaned
    return codes


def render(codes: dict[str, str]) -> str:
    """One code per line, sorted, so a change reads as a small diff."""
    return json.dumps(codes, indent=0, sort_keys=True) + "\n"


if __name__ == "__main__":
    from dprk_sanctions.atomic import write_text

    write_text(OUT, render(derive()))
    print(f"wrote {OUT}")
