"""FollowTheMoney entities (JSON lines) of the actors, vessels, designations, transfers and
meetings, so the package loads into OpenSanctions-style tools and Aleph.

The entities are written from the built DuckDB database; IDs are the package's, prefixed by
kind (``dprk-actor-kim-jong-un``), so they stay stable across releases.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

FILE_NAME = "dprk-entities.ftm.json"
PREFIX = "dprk"
ACTOR_SCHEMA = {
    "person": "Person",
    "organisation": "Organization",
    "armed_force": "Organization",
    "state": "LegalEntity",
}
AUTHORITY_NAMES = {
    "un_1718_committee": "United Nations Security Council (1718 Committee)",
    "us_ofac": "US Treasury Office of Foreign Assets Control",
    "us_state": "US Department of State",
    "us_government": "United States government",
    "eu": "Council of the European Union",
    "uk": "United Kingdom",
    "rok": "Republic of Korea",
    "japan": "Japan",
    "australia": "Australia",
    "canada": "Canada",
    "switzerland": "Switzerland",
}


def entity_id(kind: str, key: str) -> str:
    return f"{PREFIX}-{kind}-{key}"


def _entity(schema: str, key: str, kind: str, **properties: Any) -> dict:
    values = {}
    for name, value in properties.items():
        items = value if isinstance(value, list) else [value]
        items = list(
            dict.fromkeys(str(item) for item in items if item is not None and str(item) != "")
        )
        if items:
            values[name] = items
    return {"id": entity_id(kind, key), "schema": schema, "properties": values}


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    for row in cursor.fetchall():
        yield dict(zip(names, row, strict=True))


@cache
def ftm_countries() -> dict[str, str]:
    """FollowTheMoney's country code for each ISO 3166-1 alpha-3 code, as followthemoney's own
    cleaner gives it (derived by tools/derive_ftm_countries.py; a test holds the two equal), so
    the build need not import followthemoney."""
    path = Path(__file__).parent / "assets" / "ftm-countries.json"
    codes: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return codes


def _country(code: str | None) -> str | None:
    return ftm_countries().get(code) if code else None


def entities(con: duckdb.DuckDBPyConnection) -> Iterator[dict]:
    first_url = "(SELECT url FROM sources s WHERE s.source_id = string_split({column}, ';')[1])"
    for actor in _rows(con, "SELECT * FROM actors ORDER BY actor_id"):
        schema = ACTOR_SCHEMA[str(actor["actor_type"])]
        properties = {
            "name": actor["name"],
            "country": _country(actor["country"]),
            "notes": actor["notes"],
        }
        if schema != "LegalEntity" or actor["wikidata_qid"]:
            properties["wikidataId"] = actor["wikidata_qid"]
        if actor["actor_type"] == "state":
            properties["jurisdiction"] = _country(actor["country"])
        yield _entity(schema, actor["actor_id"], "actor", **properties)
    for vessel in _rows(
        con,
        "SELECT v.*, list(n.name) AS names, list(n.flag) AS flags, "
        + first_url.format(column="v.source_ids")
        + " AS url "
        "FROM vessels v LEFT JOIN vessel_names n USING (vessel_id) "
        "GROUP BY ALL ORDER BY vessel_id",
    ):
        names = [n for n in (vessel["names"] or []) if n and n != vessel["name"]]
        flags = sorted({f for f in (vessel["flags"] or []) if f})
        yield _entity(
            "Vessel",
            vessel["vessel_id"],
            "vessel",
            name=vessel["name"],
            imoNumber=f"IMO{vessel['imo']}" if vessel["imo"] else None,
            mmsi=vessel["mmsi"],
            type=vessel["vessel_type"],
            previousName=names,
            flag=[_country(f) for f in flags],
            notes=vessel["notes"],
            sourceUrl=vessel["url"],
        )
        if vessel["owner_id"]:
            yield _entity(
                "Ownership",
                vessel["vessel_id"],
                "ownership",
                owner=entity_id("actor", vessel["owner_id"]),
                asset=entity_id("vessel", vessel["vessel_id"]),
                role="owner or operator",
            )
    for listing in _rows(
        con,
        "SELECT d.*, "
        + first_url.format(column="d.source_ids")
        + " AS url FROM designations d ORDER BY designation_id",
    ):
        subject = (
            entity_id("actor", listing["actor_id"])
            if listing["actor_id"]
            else entity_id("vessel", listing["vessel_id"])
        )
        authority = str(listing["authority"])
        yield _entity(
            "Sanction",
            listing["designation_id"],
            "sanction",
            entity=subject,
            authority=AUTHORITY_NAMES.get(authority, authority),
            startDate=listing["listed_date"],
            endDate=listing["delisted_date"],
            program=listing["legal_basis"],
            summary=listing["notes"],
            sourceUrl=listing["url"],
        )
    for transfer in _rows(
        con,
        "SELECT t.*, list(DISTINCT v.vessel_id) AS vessels "
        "FROM transfers t LEFT JOIN transfer_vessels v USING "
        "(transfer_id) GROUP BY ALL ORDER BY transfer_id",
    ):
        involved = [
            entity_id("actor", transfer["supplier_id"]),
            entity_id("actor", transfer["recipient_id"]),
        ]
        involved += [entity_id("vessel", v) for v in (transfer["vessels"] or []) if v]
        yield _entity(
            "Event",
            transfer["transfer_id"],
            "transfer",
            name=f"Transfer: {transfer['item_description']}",
            startDate=transfer["period_start"],
            endDate=transfer["period_end"],
            date=transfer["reported_date"],
            involved=involved,
            summary=transfer["notes"],
            keywords=str(transfer["item_category"]),
        )
    for meeting in _rows(
        con,
        "SELECT m.*, list(p.actor_id) AS actors FROM meetings m "
        "LEFT JOIN meeting_participants p USING (meeting_id) "
        "GROUP BY ALL ORDER BY meeting_id",
    ):
        yield _entity(
            "Event",
            meeting["meeting_id"],
            "meeting",
            name=f"Meeting in {meeting['city']}",
            startDate=meeting["start_date"],
            endDate=meeting["end_date"],
            location=meeting["city"],
            country=[_country(meeting["country"]), _country(meeting["counterpart"])],
            involved=[entity_id("actor", a) for a in (meeting["actors"] or []) if a],
            summary=meeting["outcome"],
            notes=meeting["notes"],
        )


def write_ftm(con: duckdb.DuckDBPyConnection, target: Path) -> int:
    """Write the entities of ``con``'s current catalog as JSON lines; returns how many."""
    count = 0
    with target.open("w", encoding="utf-8") as stream:
        for entity in entities(con):
            stream.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count
