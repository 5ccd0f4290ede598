"""Agreement rules: records of one table must agree with records of others, or say why not.

Each rule is one SQL query over the typed tables (named as the tables are, each with a ``_row``
column: the 0-based data row) that returns the ``_row`` and a ``value`` of every row of
``table`` that breaks it. Both validation engines run the same query, on tables that passed
every other check (a rule about agreement says nothing about rows that are already wrong).
"""

from dataclasses import dataclass

from ._base import LIST_SEPARATOR
from .vocabularies import ID_TABLE


@dataclass(frozen=True)
class AgreementRule:
    name: str
    table: str  # the table whose rows the problems point at
    column: str
    reads: tuple[str, ...]  # every table the query reads
    message: str  # may use {value}
    fix: str
    sql: str


# The package's own count for each tally, as a range: launches of unknown class (ballistic
# blank) may or may not be in a ballistic-only tally, and an open-ended salvo has no upper count.
TALLY_COUNTS = """
WITH scoped AS (
    SELECT t._row, t.counts, t.number_min, t.number_max, t.discrepancy, l.launch_date,
           l.missiles_min, l.missiles_max,
           CASE WHEN coalesce(t.ballistic_only, false) THEN l.ballistic IS TRUE
                ELSE l.launch_id IS NOT NULL END AS surely,
           CASE WHEN coalesce(t.ballistic_only, false) THEN l.ballistic IS NOT FALSE
                ELSE l.launch_id IS NOT NULL END AS maybe
    FROM launch_tallies t
    LEFT JOIN launches l
      ON l.launch_date BETWEEN make_date(CAST(t.year AS BIGINT), 1, 1) AND t.as_of),
counted AS (
    SELECT _row, any_value(counts) AS counts, any_value(number_min) AS number_min,
           any_value(number_max) AS number_max, any_value(discrepancy) AS discrepancy,
           CASE any_value(counts)
             WHEN 'launch_events' THEN count(DISTINCT launch_date) FILTER (WHERE surely)
             ELSE coalesce(sum(missiles_min) FILTER (WHERE surely), 0) END AS low,
           CASE any_value(counts)
             WHEN 'launch_events' THEN count(DISTINCT launch_date) FILTER (WHERE maybe)
             ELSE CASE WHEN count(*) FILTER (WHERE maybe AND missiles_max IS NULL) > 0
                       THEN NULL
                       ELSE coalesce(sum(missiles_max) FILTER (WHERE maybe), 0) END
           END AS high
    FROM scoped GROUP BY _row),
compared AS (
    SELECT _row, discrepancy,
           coalesce(high >= number_min, true) AND low <= coalesce(number_max, low) AS agrees,
           CASE WHEN low = high THEN CAST(low AS VARCHAR)
                WHEN high IS NULL THEN CAST(low AS VARCHAR) || ' or more'
                ELSE CAST(low AS VARCHAR) || ' to ' || CAST(high AS VARCHAR) END AS value
    FROM counted)
"""


def _id_columns() -> dict[str, str]:
    """Each table of stable IDs and its ID column, from the id_table vocabulary."""
    return {table: meaning.split(".", 1)[1] for table, meaning in ID_TABLE.items()}


def _current_ids(alias: str, column: str) -> str:
    """A condition: ``alias.column`` is the ID of a record now in the table ``alias.table_name``."""
    return " OR ".join(
        f"({alias}.table_name = '{table}' AND {alias}.{column} IN (SELECT {key} FROM {table}))"
        for table, key in _id_columns().items()
    )


AGREEMENT_RULES: tuple[AgreementRule, ...] = (
    AgreementRule(
        "cns-date-agrees",
        table="cns_reconciliation",
        column="kst_date",
        reads=("cns_reconciliation", "launches"),
        message="the CNS record's Korean date {value} is not the launch_date of its launch "
        "and notes do not say why",
        fix="correct kst_date or launch_id, or say in notes what date each source gives",
        sql="""
        SELECT c._row, strftime(c.kst_date, '%Y-%m-%d') AS value
        FROM cns_reconciliation c JOIN launches l ON l.launch_id = c.launch_id
        WHERE c.kst_date <> l.launch_date AND c.notes IS NULL
        """,
    ),
    AgreementRule(
        "cns-site-agrees",
        table="cns_reconciliation",
        column="cns_site_id",
        reads=("cns_reconciliation", "launches"),
        message="the CNS facility's site {value} is not the site_id of its launch and notes do "
        "not say why",
        fix="correct cns_site_id or launch_id, or say in notes where each source places it",
        sql="""
        SELECT c._row, c.cns_site_id AS value
        FROM cns_reconciliation c JOIN launches l ON l.launch_id = c.launch_id
        WHERE c.cns_site_id <> l.site_id AND c.notes IS NULL
        """,
    ),
    AgreementRule(
        "cns-count-agrees",
        table="cns_reconciliation",
        column="launch_id",
        reads=("cns_reconciliation", "launches"),
        message="{value} CNS records map to this launch, outside its missiles_min to "
        "missiles_max, and none of them has notes saying why",
        fix="map the records to the right launches, correct the launch's count, or say in the "
        "notes of one of them why the counts differ",
        sql="""
        WITH mapped AS (
            SELECT launch_id, count(*) AS n, min(_row) AS first_row,
                   bool_or(notes IS NOT NULL) AS explained
            FROM cns_reconciliation WHERE launch_id IS NOT NULL GROUP BY launch_id)
        SELECT m.first_row AS _row, CAST(m.n AS VARCHAR) AS value
        FROM mapped m JOIN launches l ON l.launch_id = m.launch_id
        WHERE NOT m.explained
          AND (m.n < l.missiles_min OR m.n > coalesce(l.missiles_max, m.n))
        """,
    ),
    AgreementRule(
        "tally-agrees",
        table="launch_tallies",
        column="number_min",
        reads=("launch_tallies", "launches"),
        message="the package counts {value} for this year up to as_of, outside the tally, and "
        "discrepancy does not say why",
        fix="find the launch the package lacks or has in excess, or say in discrepancy what "
        "the tally counts differently",
        sql=TALLY_COUNTS + "SELECT _row, value FROM compared WHERE NOT agrees "
        "AND discrepancy IS NULL",
    ),
    AgreementRule(
        "tally-discrepancy-current",
        table="launch_tallies",
        column="discrepancy",
        reads=("launch_tallies", "launches"),
        message="explains a difference, but the package now counts {value}, within the tally",
        fix="empty discrepancy (the counts agree now), or check whether a launch was lost",
        sql=TALLY_COUNTS + "SELECT _row, value FROM compared WHERE agrees "
        "AND discrepancy IS NOT NULL",
    ),
    AgreementRule(
        "retired-id-reused",
        table="retired_ids",
        column="retired_id",
        reads=("retired_ids", *ID_TABLE),
        message="{value} is retired but a record of its table uses it again",
        fix="a retired ID is never reused: give the record a new ID",
        sql=f"SELECT r._row, r.retired_id AS value FROM retired_ids r "
        f"WHERE {_current_ids('r', 'retired_id')}",
    ),
    AgreementRule(
        "replacement-exists",
        table="retired_ids",
        column="replaced_by",
        reads=("retired_ids", *ID_TABLE),
        message="{value} is neither a record of the table nor another retired ID of it",
        fix="name the ID that replaces the retired one in the same table, or leave it empty "
        "when the record was withdrawn",
        sql=f"""
        SELECT r._row, r.replaced_by AS value FROM retired_ids r
        WHERE r.replaced_by IS NOT NULL
          AND NOT ({_current_ids("r", "replaced_by")})
          AND NOT EXISTS (SELECT 1 FROM retired_ids o
                          WHERE o.table_name = r.table_name AND o.retired_id = r.replaced_by)
        """,
    ),
)

# Identifiers that may be blank but, where given, belong to one record only (a unique check on
# the column would count blanks as duplicates).
UNIQUE_WHEN_GIVEN = (
    ("actors", "wikidata_qid"),
    ("actors", "un_reference"),
    ("actors", "opensanctions_id"),
    ("vessels", "imo"),
    ("vessels", "mmsi"),
)


def _unique_when_given(table: str, column: str) -> AgreementRule:
    return AgreementRule(
        f"unique-{column.replace('_', '-')}",
        table=table,
        column=column,
        reads=(table,),
        message=f"{{value}} is the {column} of another row of {table} too",
        fix="an identifier names one record: correct it, or merge the two records",
        sql=f"""
        SELECT _row, {column} AS value FROM {table}
        WHERE {column} IS NOT NULL
          AND {column} IN (SELECT {column} FROM {table} GROUP BY {column} HAVING count(*) > 1)
        """,
    )


AGREEMENT_RULES += tuple(_unique_when_given(table, column) for table, column in UNIQUE_WHEN_GIVEN)


# A page cannot report an event written before it happened: a source cited for an event must be
# published no earlier than the day before it (a day's grace for time zones: US pages date an
# early-morning Korean launch the day before).
@dataclass(frozen=True)
class DatedEvent:
    event: str  # names the rule: source-predates-<event>
    table: str  # the citing table
    column: str  # its source column: a source_id, or a ';'-list of them (..._ids)
    dated: str  # the table holding the event's date, joined on key (unless it is ``table``)
    key: str
    date_column: str
    explained_in: str | None = None  # a column of ``table`` that may name the source to say why
    dated_record: str = ""  # what the date belongs to, in messages (default: the event)


SOURCE_DATED_EVENTS = (
    DatedEvent("launch", "launch_sources", "source_id", "launches", "launch_id", "launch_date"),
    DatedEvent(
        "nuclear-test",
        "nuclear_test_sources",
        "source_id",
        "nuclear_tests",
        "nuclear_test_id",
        "test_date",
    ),
    DatedEvent("meeting", "meeting_sources", "source_id", "meetings", "meeting_id", "start_date"),
    DatedEvent(
        "participant",
        "meeting_participants",
        "source_ids",
        "meetings",
        "meeting_id",
        "start_date",
        dated_record="meeting",
    ),
    DatedEvent(
        "provision",
        "provision_sources",
        "source_id",
        "provisions",
        "provision_id",
        "adopted_date",
    ),
    # a listing is often announced before it takes effect, and the announcement may be the page
    # that names the subject: allowed where the notes name the source and say so
    DatedEvent(
        "designation",
        "designations",
        "source_ids",
        "designations",
        "designation_id",
        "listed_date",
        explained_in="notes",
    ),
)


def _source_predates(spec: DatedEvent) -> AgreementRule:
    cited = (
        f"(SELECT *, unnest(string_split({spec.column}, '{LIST_SEPARATOR}')) AS source_id "
        f"FROM {spec.table})"
        if spec.column.endswith("_ids")
        else spec.table
    )
    # a citing table that holds the date itself needs no join
    joined = spec.dated != spec.table
    event = f"JOIN {spec.dated} e ON e.{spec.key} = c.{spec.key}" if joined else ""
    event_date = f"{'e' if joined else 'c'}.{spec.date_column}"
    unexplained = (
        f"AND NOT contains(coalesce(c.{spec.explained_in}, ''), c.source_id)"
        if spec.explained_in
        else ""
    )
    explain = (
        f", or name the source in {spec.explained_in} and say why" if spec.explained_in else ""
    )
    return AgreementRule(
        f"source-predates-{spec.event}",
        table=spec.table,
        column=spec.column,
        reads=tuple(dict.fromkeys((spec.table, spec.dated, "sources"))),
        message=f"cites {{value}}, more than a day before the {spec.date_column} of its "
        f"{(spec.dated_record or spec.event).replace('-', ' ')}: a page written before an event "
        "can announce it, not report it",
        fix=f"cite a report published after the event instead{explain}, or correct the source's "
        "published_date if it is wrong",
        sql=f"""
        SELECT c._row, c.source_id || ' (published ' || strftime(s.published_date, '%Y-%m-%d')
               || ')' AS value
        FROM {cited} c
        {event}
        JOIN sources s ON s.source_id = c.source_id
        WHERE s.published_date < {event_date} - 1 {unexplained}
        """,
    )


AGREEMENT_RULES += tuple(_source_predates(event) for event in SOURCE_DATED_EVENTS)


def _check_unique(rules: tuple[AgreementRule, ...]) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise ValueError(f"agreement rule {rule.name!r} is declared twice")
        seen.add(rule.name)


_check_unique(AGREEMENT_RULES)
