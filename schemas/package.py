"""Package-level metadata of the data package (its own semver, separate from the code's)."""

from types import MappingProxyType

PACKAGE = MappingProxyType(
    {
        "name": "dprk-sanctions-data",
        "title": "DPRK launches, arms transfers and high-level meetings",
        "description": (
            "A curated, validated record of what the DPRK (North Korea) launches, what arms it "
            "trades (above all with Russia) and which high-level meetings come before its tests, "
            "with the UN Security Council provisions they touch. Every record cites the sources "
            "it was curated from; disagreements between sources are kept as ranges and notes."
        ),
        "version": "1.0.0",
        "homepage": "https://github.com/dprk-sanctions-data/dprk-sanctions-data",
        "keywords": ["north-korea", "dprk", "sanctions", "ballistic-missiles", "russia",
                     "arms-transfers", "unscr-1718"],
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (the data)",
            }
        ],
        "contributors": [
            {"title": "DPRK sanctions data contributors", "roles": ["creator"]},
        ],
        "sources": [
            {"title": "Cited news, government, UN and reference documents; see the sources table",
             "path": "data/sources.csv"},
        ],
    }
)

# Which periods each event table covers completely (docs/coverage.md explains how it was checked).
# The report shows it; a test keeps it consistent with the data.
COVERAGE = (
    {"table": "launches", "scope": "ballistic-missile and satellite launches",
     "complete_from": "2016-01-01", "complete_to": "2026-05-27",
     "note": "2012-2015 curated and checked against the CNS database, with thinner sourcing; "
             "cruise missiles and artillery are included where found, not complete; "
             "nothing after 2026-05-27 was found in the sources available"},
    {"table": "meetings", "scope": "DPRK–Russia meetings at minister level or above",
     "complete_from": "2023-01-01", "complete_to": "2026-01-31",
     "note": "DPRK–China meetings where found; the sources available thin out from "
             "February 2026 and no later meeting was found"},
    {"table": "transfers", "scope": "DPRK–Russia transfers reported publicly",
     "complete_from": "2022-01-01", "complete_to": "2026-01-31",
     "note": "earlier DPRK arms exports are examples, not complete; the sources available "
             "thin out from February 2026"},
)
