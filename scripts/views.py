"""Analyst views created in the DuckDB database. Each is documented in the README."""


def listed_on(day: str, searched: str) -> str:
    """Aggregates over the joined designations ``d``: the listings found, and whether one was
    in force on ``day``. False only when none was and the subject's designations were searched
    (``searched``, its designations_searched) on or after ``day``; NULL (unknown) when the only
    listings found have no date, or when no such search was made."""
    return f"""
        string_agg(DISTINCT CAST(d.authority AS VARCHAR) || ' '
                   || coalesce(CAST(d.listed_date AS VARCHAR), 'date unknown'), '; ')
            FILTER (WHERE d.designation_id IS NOT NULL) AS designations,
        CASE WHEN bool_or(d.listed_date <= {day}
                          AND (d.delisted_date IS NULL OR d.delisted_date > {day})) THEN true
             WHEN bool_or(d.designation_id IS NOT NULL AND d.listed_date IS NULL) THEN NULL
             WHEN NOT coalesce(bool_or({searched} >= {day}), false) THEN NULL
             ELSE false END AS listed_at_time"""


VIEWS: dict[str, tuple[str, str]] = {
    "launch_details": (
        "Each launch with its site (name, province, coordinates) and weapon system names.",
        """
        SELECT l.*, s.name AS site_name, s.province, s.latitude, s.longitude,
               s.coordinate_precision, w.dprk_name, w.foreign_designations,
               w.missile_class AS system_class, year(l.launch_date) AS launch_year
        FROM launches l
        LEFT JOIN sites s USING (site_id)
        LEFT JOIN weapon_systems w USING (system_id)
        """,
    ),
    "launches_after_russia_meetings": (
        "Each launch with every DPRK–Russia meeting that began on or before its day and whose "
        "last known day (its end, else its start) falls in the 30 days before it or later. "
        "days_after_start and days_after_end count the days from the meeting's first and last "
        "day to the launch (days_after_end is NULL when no source gives the end); "
        "ended_before_launch is true when the meeting ended on an earlier day, false when it "
        "went on after the launch day, and NULL when its end is unknown or is the launch day.",
        """
        SELECT l.launch_id, l.launch_date, l.missile_class, l.system_id, l.site_id,
               m.meeting_id, m.start_date AS meeting_start, m.end_date AS meeting_end,
               m.city AS meeting_city, m.level AS meeting_level,
               date_diff('day', m.start_date, l.launch_date) AS days_after_start,
               date_diff('day', m.end_date, l.launch_date) AS days_after_end,
               CASE WHEN m.end_date < l.launch_date THEN true
                    WHEN m.end_date > l.launch_date THEN false END AS ended_before_launch
        FROM launches l
        JOIN meetings m
          ON m.counterpart = 'RUS'
         AND m.start_date <= l.launch_date
         AND date_diff('day', coalesce(m.end_date, m.start_date), l.launch_date) <= 30
        """,
    ),
    "transfer_evidence": (
        "Each transfer with its parties' names and the sources that back it (sources joined "
        "with ' | ', which a title may also hold: source_count counts them).",
        """
        SELECT t.*, sup.name AS supplier_name, rec.name AS recipient_name,
               count(ts.source_id) AS source_count,
               string_agg(s.publisher || ': ' || s.title || ' <' || s.url || '>', ' | '
                          ORDER BY s.published_date, s.source_id) AS sources
        FROM transfers t
        JOIN actors sup ON sup.actor_id = t.supplier_id
        JOIN actors rec ON rec.actor_id = t.recipient_id
        LEFT JOIN transfer_sources ts ON ts.transfer_id = t.transfer_id
        LEFT JOIN sources s ON s.source_id = ts.source_id
        GROUP BY ALL
        """,
    ),
    "launch_breaches": (
        "Each launch that used ballistic-missile technology with each UN Security Council "
        "provision banning such launches that was in force on its date (derived from the "
        "provisions table).",
        """
        SELECT l.launch_id, l.launch_date, l.missile_class, p.provision_id, p.resolution,
               p.paragraph, p.summary
        FROM launches l
        JOIN provisions p
          ON p.applies_to = 'launch'
         AND (p.adopted_date IS NULL OR p.adopted_date <= l.launch_date)
        WHERE l.ballistic
        """,
    ),
    "transfer_breaches": (
        "Each transfer from or to the DPRK with each UN Security Council provision in force "
        "whose covered item categories include it (derived from the provisions table). Quantity "
        "caps (topic supply_cap) are left out: a delivery breaches a cap only above it, which "
        "the view cannot tell. status says whether the transfer took place (planned: not yet "
        "reported as done).",
        """
        SELECT t.transfer_id, t.supplier_id, t.recipient_id, t.item_category, t.status,
               p.provision_id, p.resolution, p.paragraph, p.summary
        FROM transfers t
        JOIN provisions p
          ON ((p.applies_to = 'export_from_dprk' AND t.supplier_id = 'prk')
           OR (p.applies_to = 'import_to_dprk' AND t.recipient_id = 'prk'))
         AND list_contains(string_split(p.covers, ';'), t.item_category::VARCHAR)
         AND p.topic <> 'supply_cap'
         AND (p.adopted_date IS NULL
              OR p.adopted_date <= coalesce(t.period_end, t.period_start, t.reported_date))
        """,
    ),
    "nuclear_test_breaches": (
        "Each nuclear test with each UN Security Council provision banning nuclear tests that "
        "was in force on its date (derived from the provisions table).",
        """
        SELECT n.nuclear_test_id, n.test_date, p.provision_id, p.resolution, p.paragraph,
               p.summary
        FROM nuclear_tests n
        JOIN provisions p
          ON p.applies_to = 'nuclear_test'
         AND (p.adopted_date IS NULL OR p.adopted_date <= n.test_date)
        """,
    ),
    "nuclear_test_responses": (
        "Each nuclear test with the first Security Council resolution adopted after it (among "
        "the package's provisions), the days between, and that resolution's provisions.",
        """
        WITH resolutions AS (
            SELECT resolution, min(adopted_date) AS adopted_date,
                   string_agg(provision_id, ';' ORDER BY provision_id) AS provision_ids
            FROM provisions
            WHERE resolution IS NOT NULL AND adopted_date IS NOT NULL
            GROUP BY resolution),
        ranked AS (
            SELECT n.nuclear_test_id, n.test_date, r.resolution, r.adopted_date,
                   r.provision_ids,
                   row_number() OVER (PARTITION BY n.nuclear_test_id
                                      ORDER BY r.adopted_date, r.resolution) AS rank
            FROM nuclear_tests n
            JOIN resolutions r ON r.adopted_date >= n.test_date)
        SELECT nuclear_test_id, test_date, resolution, adopted_date,
               date_diff('day', test_date, adopted_date) AS days_after_test, provision_ids
        FROM ranked
        WHERE rank = 1
        ORDER BY test_date
        """,
    ),
    "nuclear_test_magnitudes": (
        "Each nuclear test with the range of seismic magnitudes and of yield estimates "
        "reported, and how many estimator codes gave each: agencies outside the vocabulary "
        "share the code other (named in the estimates' notes) and count once.",
        """
        SELECT n.nuclear_test_id, n.test_date,
               min(e.value_min) FILTER (WHERE e.quantity <> 'yield_kt') AS magnitude_low,
               max(coalesce(e.value_max, e.value_min)) FILTER (WHERE e.quantity <> 'yield_kt')
                   AS magnitude_high,
               count(DISTINCT e.estimator) FILTER (WHERE e.quantity <> 'yield_kt')
                   AS magnitude_estimators,
               min(e.value_min) FILTER (WHERE e.quantity = 'yield_kt') AS yield_kt_low,
               max(e.value_max) FILTER (WHERE e.quantity = 'yield_kt') AS yield_kt_high,
               count(DISTINCT e.estimator) FILTER (WHERE e.quantity = 'yield_kt')
                   AS yield_estimators
        FROM nuclear_tests n
        LEFT JOIN nuclear_test_estimates e USING (nuclear_test_id)
        GROUP BY ALL
        ORDER BY n.test_date
        """,
    ),
    "transfer_parties_listed": (
        "Each transfer with each of its parties (supplier, recipient, and the vessels that "
        "carried it) and whether a designation was in force on the transfer's date (its period "
        "end, else start, else report date): listed_at_time is NULL (unknown) when the only "
        "designations found have no listing date, or when the party's designations were not "
        "searched on or after that date (designations_searched in actors and vessels).",
        """
        WITH parties AS (
            SELECT t.transfer_id, coalesce(t.period_end, t.period_start, t.reported_date)
                       AS event_date, 'supplier' AS role, t.supplier_id AS actor_id,
                   NULL AS vessel_id
            FROM transfers t
            UNION ALL
            SELECT t.transfer_id, coalesce(t.period_end, t.period_start, t.reported_date),
                   'recipient', t.recipient_id, NULL
            FROM transfers t
            UNION ALL
            SELECT DISTINCT t.transfer_id,
                   coalesce(t.period_end, t.period_start, t.reported_date), 'vessel', NULL,
                   v.vessel_id
            FROM transfers t JOIN transfer_vessels v USING (transfer_id))
        SELECT p.transfer_id, p.event_date, p.role, coalesce(p.actor_id, p.vessel_id) AS party_id,
               coalesce(a.name, vs.name) AS party_name,
               coalesce(CAST(a.actor_type AS VARCHAR), 'vessel') AS party_type,
               """
        + listed_on("p.event_date", "coalesce(a.designations_searched, vs.designations_searched)")
        + """
        FROM parties p
        LEFT JOIN actors a ON a.actor_id = p.actor_id
        LEFT JOIN vessels vs ON vs.vessel_id = p.vessel_id
        LEFT JOIN designations d
          ON (d.actor_id = p.actor_id OR d.vessel_id = p.vessel_id)
        GROUP BY ALL
        """,
    ),
    "meeting_participants_listed": (
        "Each meeting participant and whether a designation of them was in force on the "
        "meeting's first day: NULL (unknown) when the only designations found have no listing "
        "date, or when the participant's designations were not searched on or after that day "
        "(designations_searched in actors).",
        """
        SELECT m.meeting_id, m.start_date, p.actor_id, a.name,
               """
        + listed_on("m.start_date", "a.designations_searched")
        + """
        FROM meeting_participants p
        JOIN meetings m USING (meeting_id)
        JOIN actors a USING (actor_id)
        LEFT JOIN designations d ON d.actor_id = p.actor_id
        GROUP BY ALL
        """,
    ),
    "designated_subject_events": (
        "Each designated actor or vessel with the events it appears in: transfers it supplied, "
        "received or carried, and meetings it took part in. event_date is a meeting's first "
        "day, a transfer's period start, else its report date.",
        """
        WITH subjects AS (
            SELECT DISTINCT actor_id, vessel_id FROM designations),
        events AS (
            SELECT supplier_id AS actor_id, NULL AS vessel_id, 'transfer' AS event_type,
                   transfer_id AS event_id, 'supplier' AS role,
                   coalesce(period_start, reported_date) AS event_date
            FROM transfers
            UNION ALL
            SELECT recipient_id, NULL, 'transfer', transfer_id, 'recipient',
                   coalesce(period_start, reported_date)
            FROM transfers
            UNION ALL
            SELECT DISTINCT NULL, v.vessel_id, 'transfer', v.transfer_id, 'vessel',
                   coalesce(t.period_start, t.reported_date)
            FROM transfer_vessels v JOIN transfers t USING (transfer_id)
            UNION ALL
            SELECT p.actor_id, NULL, 'meeting', p.meeting_id, 'participant', m.start_date
            FROM meeting_participants p JOIN meetings m USING (meeting_id))
        SELECT coalesce(s.actor_id, s.vessel_id) AS subject_id,
               CASE WHEN s.actor_id IS NULL THEN 'vessel' ELSE 'actor' END AS subject_type,
               e.event_type, e.event_id, e.role, e.event_date
        FROM subjects s
        JOIN events e ON e.actor_id = s.actor_id OR e.vessel_id = s.vessel_id
        ORDER BY subject_id, e.event_date
        """,
    ),
    "id_map": (
        "Every retired ID with the current ID it stands for (NULL when the record, or the "
        "record it was renamed to, was withdrawn). Current IDs are not listed: join old "
        "citations to it with a LEFT JOIN and keep the ID itself where no row matches.",
        """
        WITH RECURSIVE chain(table_name, start_id, id, depth) AS (
            SELECT table_name, retired_id, replaced_by, 1
            FROM retired_ids
            UNION ALL
            SELECT c.table_name, c.start_id, r.replaced_by, c.depth + 1
            FROM chain c
            JOIN retired_ids r ON r.table_name = c.table_name AND r.retired_id = c.id
            WHERE c.depth < 100),
        resolved AS (
            -- the last step of each chain, NULL included (arg_max would skip a NULL id)
            SELECT table_name, start_id, id AS current_id
            FROM chain
            QUALIFY row_number() OVER (PARTITION BY table_name, start_id
                                       ORDER BY depth DESC) = 1)
        SELECT CAST(table_name AS VARCHAR) AS table_name, start_id AS id, current_id,
               true AS retired
        FROM resolved
        """,
    ),
    "launches_by_year_class": (
        "Salvos (events: rows of launches, one missile type from one site on one Korean day), "
        "Korean launch days and missiles (fewest reported) per year and missile class.",
        """
        SELECT year(launch_date) AS launch_year, missile_class,
               count(*) AS events, count(DISTINCT launch_date) AS launch_days,
               sum(missiles_min) AS missiles_min,
               count(*) FILTER (WHERE ballistic) AS ballistic_events
        FROM launches
        GROUP BY ALL
        ORDER BY launch_year, missile_class
        """,
    ),
}


def views_sql() -> list[str]:
    statements = []
    for name, (description, query) in VIEWS.items():
        statements.append(f"CREATE VIEW {name} AS {query.strip()};")
        escaped = description.replace("'", "''")
        statements.append(f"COMMENT ON VIEW {name} IS '{escaped}';")
    return statements
