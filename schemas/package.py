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
        "version": "0.1.0",
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
