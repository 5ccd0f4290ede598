"""Package-level metadata of the data package (its own semver, separate from the code's)."""

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypedDict, cast


class Contributor(TypedDict):
    title: str
    roles: list[str]


class PackageMetadata(TypedDict):
    name: str
    title: str
    description: str
    version: str
    released: str
    homepage: str
    keywords: list[str]
    licenses: list[dict[str, str]]
    contributors: list[Contributor]
    sources: list[dict[str, str]]


class CnsVersion(TypedDict):
    publisher: str
    copy: str
    commit: str
    commit_date: str
    path: str
    records: int
    records_by_year: Mapping[int, int]


# Read-only mappings at run time, typed key by key for a type checker (a TypedDict types a dict;
# the cast says this mapping has the same keys and values).
def _package_metadata(metadata: PackageMetadata) -> PackageMetadata:
    return cast(PackageMetadata, MappingProxyType(metadata))


def _cns_version(version: CnsVersion) -> CnsVersion:
    return cast(CnsVersion, MappingProxyType(version))


PACKAGE = _package_metadata(
    {
        "name": "dprk-sanctions-data",
        "title": "DPRK launches, nuclear tests, arms transfers and high-level meetings",
        "description": (
            "A curated, validated record of what the DPRK (North Korea) launches, its nuclear "
            "tests, what arms it trades (above all with Russia) and which high-level meetings "
            "come before its tests, with the UN Security Council provisions they touch. Every "
            "record cites the sources it was curated from; disagreements between sources are "
            "kept as ranges and notes."
        ),
        "version": "1.1.0",
        "released": "2026-12-01",
        "homepage": "https://github.com/dprk-sanctions-data/dprk-sanctions-data",
        "keywords": [
            "north-korea",
            "dprk",
            "sanctions",
            "ballistic-missiles",
            "russia",
            "arms-transfers",
            "unscr-1718",
        ],
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
            {
                "title": (
                    "Cited news, government, UN and reference documents; see the sources table"
                ),
                "path": "data/sources.csv",
            },
        ],
    }
)


class CoverageEntry(TypedDict):
    table: str
    scope: str
    complete_from: str | None  # None: no period is claimed complete
    complete_to: str | None
    note: str


# Which periods each event table covers completely (docs/coverage.md explains how it was checked);
# None where no period is claimed. The report and the explorer show it; a test keeps it
# consistent with the data.
COVERAGE: tuple[CoverageEntry, ...] = (
    {
        "table": "launches",
        "scope": "ballistic-missile and satellite launches",
        "complete_from": "2016-01-01",
        "complete_to": "2026-05-27",
        "note": "cruise missiles and artillery are included where found, not complete; "
        "nothing after 2026-05-27 was found in the sources available",
    },
    {
        "table": "launches",
        "scope": "launches of the CNS database's class (300 km range or 500 kg payload and up, "
        "and satellite launch vehicles)",
        "complete_from": "1993-05-29",
        "complete_to": "2026-04-18",
        "note": "every CNS record since 1984 maps to a launch or is excused in "
        "cns_reconciliation; the eleven 1984-1992 records have no day in any source; "
        "shorter-range launches before 2016 are included where found, not complete",
    },
    {
        "table": "nuclear_tests",
        "scope": "nuclear tests",
        "complete_from": "2006-10-09",
        "complete_to": "2026-12-01",
        "note": "six tests; a search on 2026-12-01 found no later one",
    },
    # No period claimed: a second, independent search on 2026-12-02 found meetings and transfers
    # that the first curation (once called complete) had missed.
    {
        "table": "meetings",
        "scope": "DPRK meetings with Russian ministers and above, and with China's leaders, "
        "foreign and defence ministers and Politburo-led delegations",
        "complete_from": None,
        "complete_to": None,
        "note": "no period is claimed complete: a second search found meetings the first had "
        "missed; rows are what two searches found",
    },
    {
        "table": "transfers",
        "scope": "DPRK–Russia transfers reported publicly, and earlier DPRK arms exports",
        "complete_from": None,
        "complete_to": None,
        "note": "no period is claimed complete: a second search found DPRK–Russia transfers the "
        "first had missed; rows are what two searches found",
    },
)

# The version of the CNS North Korea Missile Test Database that data/cns_reconciliation.csv maps,
# read through a public copy; `dprk-data reconcile FILE` compares another copy with the table.
CNS_VERSION = _cns_version(
    {
        "publisher": "James Martin Center for Nonproliferation Studies (CNS) / NTI",
        "copy": "https://github.com/nagix/nk-missile-tests",
        "commit": "a0cc65874d36a4a0fdf16b73919d23a3a8f5dac5",
        "commit_date": "2026-04-21",
        "path": "data/test.en.json",
        "records": 339,
        "records_by_year": MappingProxyType(
            {
                1984: 6,
                1986: 1,
                1990: 2,
                1991: 1,
                1992: 1,
                1993: 4,
                1998: 1,
                2006: 7,
                2009: 8,
                2012: 2,
                2013: 6,
                2014: 19,
                2015: 15,
                2016: 24,
                2017: 21,
                2019: 27,
                2020: 9,
                2021: 6,
                2022: 69,
                2023: 33,
                2024: 41,
                2025: 11,
                2026: 25,
            }
        ),
    }
)
