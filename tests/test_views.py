"""The analyst views' SQL on small hand-made tables: each case is one the view's description
decides (an unknown end, a same-day meeting, a withdrawn rename, a quantity cap)."""

from __future__ import annotations

import duckdb
import pytest
from dprk_sanctions.views import VIEWS


def view(con: duckdb.DuckDBPyConnection, name: str, select: str) -> list[tuple]:
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {VIEWS[name][1]}")
    return con.execute(select).fetchall()


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_meetings_before_launches_say_what_is_known_of_the_end(con):
    con.execute(
        "CREATE TABLE launches (launch_id VARCHAR, launch_date DATE, missile_class VARCHAR, "
        "system_id VARCHAR, site_id VARCHAR)"
    )
    con.execute("INSERT INTO launches VALUES ('launch', DATE '2025-02-26', 'srbm', NULL, NULL)")
    con.execute(
        "CREATE TABLE meetings (meeting_id VARCHAR, start_date DATE, end_date DATE, "
        "city VARCHAR, level VARCHAR, counterpart VARCHAR)"
    )
    con.execute(
        """INSERT INTO meetings VALUES
        ('ended-before', '2025-02-20', '2025-02-21', 'Moscow', 'ministerial', 'RUS'),
        ('end-unknown', '2025-02-24', NULL, 'Moscow', 'ministerial', 'RUS'),
        ('ends-that-day', '2025-02-25', '2025-02-26', 'Moscow', 'ministerial', 'RUS'),
        ('still-going', '2025-02-25', '2025-02-28', 'Moscow', 'ministerial', 'RUS'),
        ('starts-after', '2025-02-27', '2025-02-28', 'Moscow', 'ministerial', 'RUS'),
        ('too-early', '2025-01-01', '2025-01-26', 'Moscow', 'ministerial', 'RUS'),
        ('ended-30-days-before', '2025-01-20', '2025-01-27', 'Moscow', 'ministerial', 'RUS'),
        ('china', '2025-02-25', '2025-02-25', 'Beijing', 'ministerial', 'CHN')"""
    )
    rows = view(
        con,
        "launches_after_russia_meetings",
        "SELECT meeting_id, days_after_start, days_after_end, ended_before_launch "
        "FROM launches_after_russia_meetings ORDER BY meeting_id",
    )
    assert rows == [
        ("end-unknown", 2, None, None),  # a blank end is unknown, not the first day
        ("ended-30-days-before", 37, 30, True),
        ("ended-before", 6, 5, True),
        ("ends-that-day", 1, 0, None),  # no times: the order within the day is unknown
        ("still-going", 1, -2, False),
    ]


def test_a_rename_then_withdrawal_maps_to_nothing(con):
    con.execute(
        "CREATE TABLE retired_ids (table_name VARCHAR, retired_id VARCHAR, replaced_by VARCHAR)"
    )
    con.execute(
        """INSERT INTO retired_ids VALUES
        ('meetings', 'first-name', 'second-name'),
        ('meetings', 'second-name', NULL),
        ('launches', 'old', 'older-rename'),
        ('launches', 'older-rename', 'current')"""
    )
    rows = view(con, "id_map", "SELECT id, current_id FROM id_map ORDER BY id")
    assert rows == [
        ("first-name", None),
        ("old", "current"),
        ("older-rename", "current"),
        ("second-name", None),
    ]


def test_a_quantity_cap_is_not_a_breach_by_itself(con):
    con.execute(
        "CREATE TABLE transfers (transfer_id VARCHAR, supplier_id VARCHAR, recipient_id VARCHAR, "
        "item_category VARCHAR, status VARCHAR, period_start DATE, period_end DATE, "
        "reported_date DATE)"
    )
    con.execute(
        """INSERT INTO transfers VALUES
        ('fuel', 'rus', 'prk', 'fuel', 'confirmed', '2023-01-01', '2023-12-31', NULL),
        ('shells', 'prk', 'rus', 'artillery_ammunition', 'likely', '2023-08-01', NULL, NULL)"""
    )
    con.execute(
        "CREATE TABLE provisions (provision_id VARCHAR, resolution INTEGER, paragraph VARCHAR, "
        "summary VARCHAR, topic VARCHAR, applies_to VARCHAR, covers VARCHAR, adopted_date DATE)"
    )
    con.execute(
        """INSERT INTO provisions VALUES
        ('cap', 2397, 'OP 5', 'a cap', 'supply_cap', 'import_to_dprk', 'fuel', '2017-12-22'),
        ('ban', 1874, 'OP 9', 'a ban', 'arms_export_ban', 'export_from_dprk',
         'artillery_ammunition', '2009-06-12')"""
    )
    rows = view(con, "transfer_breaches", "SELECT transfer_id, provision_id FROM transfer_breaches")
    assert rows == [("shells", "ban")]
