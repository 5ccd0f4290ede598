"""The single source of truth: one pandera model per table, with table-level metadata.

``TABLES`` lists the tables in an order where every table comes after the tables it references,
which is the order the validator checks foreign keys in and the DuckDB build loads them in.
"""

from . import (
    actors,
    launches,
    meeting_participants,
    meetings,
    nuclear_tests,
    provisions,
    reconciliation,
    retired_ids,
    sanctions,
    seed_claims,
    sites,
    sources,
    transfers,
    weapon_systems,
)
from ._base import ROW_RULES, UNSTATED_VALUES, Citation, ForeignKey, RowRule, TableSpec
from ._citations import (
    LAUNCH_SOURCES,
    MEETING_SOURCES,
    NUCLEAR_TEST_SOURCES,
    PROVISION_SOURCES,
    TRANSFER_SOURCES,
)
from .agreements import AGREEMENT_RULES, AgreementRule
from .package import CNS_VERSION, COVERAGE, PACKAGE, CoverageEntry
from .sources import FIRST_HAND_COPIES, NEVER_SOLE_SUPPORT
from .vocabularies import ALL as VOCABULARIES
from .vocabularies import PLANNED_STATUS

TABLES: tuple[TableSpec, ...] = (
    sources.TABLE,
    actors.TABLE,
    sites.TABLE,
    weapon_systems.TABLE,
    sanctions.VESSELS,
    sanctions.VESSEL_NAMES,
    sanctions.DESIGNATIONS,
    provisions.TABLE,
    PROVISION_SOURCES,
    launches.TABLE,
    LAUNCH_SOURCES,
    meetings.TABLE,
    meeting_participants.TABLE,
    MEETING_SOURCES,
    transfers.TABLE,
    TRANSFER_SOURCES,
    sanctions.TRANSFER_VESSELS,
    nuclear_tests.TABLE,
    NUCLEAR_TEST_SOURCES,
    nuclear_tests.ESTIMATES_TABLE,
    reconciliation.RECONCILIATION_TABLE,
    reconciliation.TALLIES_TABLE,
    seed_claims.TABLE,
    retired_ids.TABLE,
)
TABLES_BY_NAME: dict[str, TableSpec] = {table.name: table for table in TABLES}

__all__ = [
    "AGREEMENT_RULES",
    "CNS_VERSION",
    "COVERAGE",
    "FIRST_HAND_COPIES",
    "NEVER_SOLE_SUPPORT",
    "PACKAGE",
    "PLANNED_STATUS",
    "ROW_RULES",
    "TABLES",
    "TABLES_BY_NAME",
    "UNSTATED_VALUES",
    "VOCABULARIES",
    "AgreementRule",
    "Citation",
    "CoverageEntry",
    "ForeignKey",
    "RowRule",
    "TableSpec",
]
