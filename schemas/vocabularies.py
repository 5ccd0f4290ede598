"""Controlled vocabularies, declared once and shared by every table that uses them.

Each vocabulary maps a code (what the CSV holds) to its meaning (what the data dictionary, the
descriptor's ``categories`` and the DuckDB ``ENUM`` comments show).
"""

from types import MappingProxyType

Vocabulary = MappingProxyType


def _vocab(**codes: str) -> MappingProxyType:
    return MappingProxyType(dict(codes))


MISSILE_CLASS = _vocab(
    srbm="Short-range ballistic missile (under 1,000 km); includes the 600 mm 'super-large' "
    "guided rockets, which South Korea, Japan and the US count as SRBMs",
    mrbm="Medium-range ballistic missile (1,000-3,000 km)",
    irbm="Intermediate-range ballistic missile (3,000-5,500 km)",
    icbm="Intercontinental ballistic missile (over 5,500 km)",
    slbm="Submarine-launched ballistic missile",
    slv="Satellite launch vehicle (uses ballistic-missile technology under the UN resolutions)",
    cruise="Cruise missile (not ballistic)",
    guided_mlrs="Guided artillery rocket below the SRBM threshold (a source read says it is "
    "guided)",
    mlrs="Artillery rocket of a multiple rocket launcher, below the SRBM threshold, that no source "
    "read calls guided",
    unknown="Reported as a launch but the class was not identified",
)

LANDING_AREA = _vocab(
    east_sea=(
        "Came down in the East Sea / Sea of Japan; no source places it inside Japan's exclusive "
        "economic zone (some say outside it, others only that it fell into the East Sea)"
    ),
    yellow_sea="Yellow Sea / West Sea",
    japan_eez="Inside Japan's exclusive economic zone",
    overflew_japan="Flew over Japanese territory",
    pacific="Pacific Ocean beyond Japan",
    land="Impact on land (e.g. an inland target island or range)",
    unknown="Where it came down was not established",
)

OUTCOME = _vocab(
    success="Flew as intended according to the reporting governments",
    failure="Failed (exploded or fell shortly after launch) according to the reporting governments",
    partial="Part of the flight or salvo failed",
    unknown="Outcome not established",
)

# Who reported a launch, as the curators have applied the codes (an audit of 40 launches on
# 2026-12-02 found these bodies standing for each code in the cited pages).
REPORTER = _vocab(
    rok_jcs="South Korea's military: the Joint Chiefs of Staff or the Ministry of National Defense",
    japan_mod="Japan's Ministry of Defense (formerly the Defense Agency) or its minister",
    japan_coast_guard="Japan Coast Guard",
    japan_pmo="Japan's Prime Minister, the Prime Minister's Office or the Chief Cabinet Secretary",
    us_indopacom="US Indo-Pacific Command (or US Pacific Command, its former name)",
    us_dod="US Department of Defense / Department of War, another of its commands (NORAD, "
    "Strategic Command, US Forces Korea) or one of its officials, named or not",
    kcna="DPRK state media: the Korean Central News Agency, Korean Central Television, Rodong "
    "Sinmun",
    other="Another government or agency (named in notes)",
)

COORDINATE_PRECISION = _vocab(
    exact="Coordinates of the launch pad or facility itself",
    site="Within about a kilometre of the launch site",
    town="Centre of the named town or city",
    county="Centre of the county",
    province="Centre of the province",
    unknown="No coordinates or their precision not known",
)

SITE_TYPE = _vocab(
    launch_complex="A purpose-built launch complex",
    airfield="An airfield or airport used as a launch area",
    town_area="A town or city area named as the launch point",
    coastal_area="A coastal launch area",
    sea_area="A sea area (submarine or barge launches)",
    test_site="A nuclear test site",
    inland_area="An inland area or county",
    unknown="Type of site not known",
)

PROPELLANT = _vocab(
    solid="Solid-propellant",
    liquid="Liquid-propellant",
    unknown="Not established",
)

SOURCE_TYPE = _vocab(
    government="A government statement, briefing or publication",
    state_media="DPRK (or other) state media",
    wire="A news agency wire report (Yonhap, Reuters, AP, AFP, Kyodo)",
    news="A newspaper, broadcaster or specialist news site",
    reference_database="A curated reference database (CNS/NTI, CSIS Missile Threat)",
    research_report="A report by a research institute or investigator",
    un_document="A United Nations document, resolution or press release",
    encyclopedia="An encyclopedia article",
    other="Any other source (say what in notes)",
)

ORIGINATOR_TYPE = _vocab(
    dprk_state_media="DPRK state media (KCNA, Rodong Sinmun, KCTV)",
    government="A government body: ministry, military command, head of state's office",
    un_body="A United Nations body (Security Council, its committees and panels, Secretariat)",
    research_institute="A research institute or think tank (CNS, CSIS, 38 North, RUSI)",
    wire_service="A news agency (Yonhap, Reuters, AP, AFP, Kyodo, TASS, Xinhua)",
    news_outlet="A newspaper, broadcaster or specialist news site",
    reference_work="An encyclopedia or reference database",
    other="Anyone else (say who in notes)",
)

COPY_KIND = _vocab(
    original="Published by the originator at its own address",
    wire_copy="A news agency's story carried verbatim by a licensed outlet that names the agency",
    republication="The text copied by another site that is neither the originator nor a "
    "licensed outlet",
    aggregator="A content farm or aggregation site; never the only support for a field",
)

PUBLISHED_DATE_FROM = _vocab(
    page="The page itself shows the full date (a dateline, a date under the headline, a timestamp)",
    address="The page shows no full date (at most a weekday or a day of the month); the date is "
    "the one its own web address carries, which the validator checks",
    dateline="The page shows the day and month of its dateline but no year, and its web address "
    "no full date; the year is that of the events the page reports",
)

ACTOR_TYPE = _vocab(
    state="A state",
    person="A person",
    organisation="An organisation or agency",
    armed_force="An armed force or military unit",
)

MEETING_LEVEL = _vocab(
    summit="Heads of state or government",
    ministerial="Foreign or other ministers (a meeting led by defence ministers is military)",
    security_council="Security Council secretaries or national security advisers",
    military="Defence ministers or senior military officers",
    intelligence="Heads of intelligence services",
    parliamentary="Speakers or senior parliamentarians",
    delegation="Another high-level delegation",
)

ITEM_CATEGORY = _vocab(
    ballistic_missiles="Ballistic missiles and their launchers",
    artillery_ammunition="Artillery shells and other ammunition",
    artillery_rockets="Multiple-launch rocket system rockets",
    artillery_systems="Guns, howitzers and rocket launchers",
    small_arms="Small arms and light weapons",
    troops="Military personnel",
    fuel="Fuel and refined petroleum",
    military_technology="Military technology, know-how or components",
    aircraft="Aircraft and drones",
    air_defence="Air-defence systems",
    other="Anything else (say what in item_description)",
)

EVIDENCE_TYPE = _vocab(
    debris_analysis="Analysis of recovered weapon debris or markings",
    satellite_imagery="Commercial or government satellite imagery",
    intelligence_assessment="An intelligence service's assessment",
    government_statement="An official government statement",
    un_report="A UN panel or multilateral monitoring report",
    media_investigation="An investigation by journalists",
    research_report="A report by a research institute or investigator",
)

TRANSFER_STATUS = _vocab(
    confirmed="Established by physical evidence or by both parties",
    likely="Assessed as probable by governments or investigators",
    alleged="Claimed by one party without public evidence",
    planned="Reported as intended or being arranged, with no report yet that it took place",
    denied="Alleged, and denied by the parties concerned with no public evidence either way",
)
# A transfer reported only as intended: the report and the explorer show it apart and never count
# it among transfers that took place.
PLANNED_STATUS = "planned"
assert PLANNED_STATUS in TRANSFER_STATUS

PROVISION_TOPIC = _vocab(
    launch_ban="Bans launches using ballistic-missile technology",
    arms_export_ban="Bans arms exports from the DPRK",
    arms_import_ban="Bans arms supplies to the DPRK",
    technical_assistance_ban="Bans training, technical help or services for banned items",
    nuclear_test_ban="Bans nuclear tests",
    supply_cap="Caps the quantity of an item supplied: a delivery breaches it only above the cap",
    panel_mandate="Creates, extends or ends the Panel of Experts",
    monitoring="Monitoring outside the UN framework",
    other="Other provision",
)

APPLIES_TO = _vocab(
    launch="A DPRK launch using ballistic-missile technology",
    nuclear_test="A DPRK nuclear test",
    export_from_dprk="An arms transfer from the DPRK",
    import_to_dprk="An arms transfer to the DPRK",
    no_event="Prohibits no event: it creates, extends or ends monitoring",
)

ESTIMATOR = _vocab(
    usgs="United States Geological Survey",
    kma="Korea Meteorological Administration (South Korea)",
    ctbto="Comprehensive Nuclear-Test-Ban Treaty Organization (its Preparatory Commission)",
    cenc="China Earthquake Networks Center",
    norsar="NORSAR (Norway)",
    jma="Japan Meteorological Agency",
    gfz="GFZ German Research Centre for Geosciences",
    rok_government="South Korea's government (defence ministry, JCS, intelligence service)",
    japan_government="Japan's government (Ministry of Defense, Prime Minister's Office)",
    us_government="The United States government (intelligence community, Defense, State)",
    dprk="The DPRK's own statement",
    other="Another agency or researcher (named in notes)",
)

NUCLEAR_QUANTITY = _vocab(
    body_wave_magnitude="Seismic body-wave magnitude (mb)",
    magnitude="Seismic magnitude on a scale the source does not state",
    yield_kt="Explosive yield in kilotons of TNT",
)

CNS_EXCUSE = _vocab(
    undatable="No source gives the day of the event (the CNS entry itself gives a month or an "
    "estimated date)",
    unsourced="No source besides the CNS database was found for the event",
    duplicate="The CNS database lists the same missile twice",
    not_a_launch="The record is not a launch",
    date_disputed="Sources disagree on the day so far that the record cannot be matched",
    outside_inclusion_rule="A launch the package's inclusion rule leaves out",
)

TALLY_AUTHORITY = _vocab(
    rok_jcs="South Korea's Joint Chiefs of Staff",
    rok_mnd="South Korea's Ministry of National Defense",
    japan_mod="Japan's Ministry of Defense",
    un_panel="The UN Panel of Experts (1874 Committee)",
    us_government="The United States government",
    cns="The CNS North Korea Missile Test Database",
    csis="CSIS Missile Defense Project",
    yonhap="Yonhap News Agency's own count",
    other="Another counter (named in notes)",
)

TALLY_COUNTS = _vocab(
    launch_events="Launch events: a day (or an announced event) counted once",
    missiles="Missiles fired",
)

AUTHORITY = _vocab(
    un_1718_committee="The UN Security Council or its 1718 Committee",
    us_ofac="US Treasury, Office of Foreign Assets Control",
    us_state="US Department of State",
    us_government="The US government, the source naming no agency",
    eu="The European Union (Council)",
    uk="The United Kingdom (FCDO / OFSI)",
    rok="The Republic of Korea",
    japan="Japan",
    australia="Australia",
    canada="Canada",
    switzerland="Switzerland",
    other="Another authority (named in notes)",
)

# The tables whose records have a stable one-column ID that users cite (a tombstone in
# retired_ids names one of them; a test keeps this list equal to those tables).
ID_TABLE = _vocab(
    sources="sources.source_id",
    actors="actors.actor_id",
    sites="sites.site_id",
    weapon_systems="weapon_systems.system_id",
    provisions="provisions.provision_id",
    launches="launches.launch_id",
    meetings="meetings.meeting_id",
    transfers="transfers.transfer_id",
    nuclear_tests="nuclear_tests.nuclear_test_id",
    launch_tallies="launch_tallies.tally_id",
    vessels="vessels.vessel_id",
    transfer_vessels="transfer_vessels.voyage_id",
    designations="designations.designation_id",
    seed_claims="seed_claims.claim_id",
)

VERDICT = _vocab(
    supported="Other sources support the claim",
    corrected="Other sources show the claim is wrong in a detail; the records hold the correction",
    unsupported="No other source found that supports it",
    out_of_scope="Opinion or a claim the package does not record",
)

ALL = MappingProxyType(
    {
        "missile_class": MISSILE_CLASS,
        "landing_area": LANDING_AREA,
        "outcome": OUTCOME,
        "reporter": REPORTER,
        "coordinate_precision": COORDINATE_PRECISION,
        "site_type": SITE_TYPE,
        "propellant": PROPELLANT,
        "source_type": SOURCE_TYPE,
        "originator_type": ORIGINATOR_TYPE,
        "copy_kind": COPY_KIND,
        "published_date_from": PUBLISHED_DATE_FROM,
        "actor_type": ACTOR_TYPE,
        "meeting_level": MEETING_LEVEL,
        "item_category": ITEM_CATEGORY,
        "evidence_type": EVIDENCE_TYPE,
        "transfer_status": TRANSFER_STATUS,
        "provision_topic": PROVISION_TOPIC,
        "applies_to": APPLIES_TO,
        "verdict": VERDICT,
        "estimator": ESTIMATOR,
        "nuclear_quantity": NUCLEAR_QUANTITY,
        "cns_excuse": CNS_EXCUSE,
        "tally_authority": TALLY_AUTHORITY,
        "tally_counts": TALLY_COUNTS,
        "id_table": ID_TABLE,
        "authority": AUTHORITY,
    }
)
