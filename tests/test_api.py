"""The pandas loader and the DuckDB connection of the Python API."""

from __future__ import annotations

import datetime as dt

import dprk_sanctions as dprk
import pandas as pd
import pytest


def test_loader_dtypes(package):
    launches = dprk.load_table("launches", package.root)
    assert launches["launch_date"].dtype == pd.ArrowDtype(__import__("pyarrow").date32())
    assert launches["launch_date"].iloc[0] == dt.date(2024, 9, 18)
    assert launches["missiles_min"].dtype == "Int64"
    assert launches["missiles_max"].isna().iloc[0]  # 'at least two': max unknown
    assert launches["distance_km"].dtype == "Float64"
    assert launches["ballistic"].dtype == "boolean"
    assert isinstance(launches["missile_class"].dtype, pd.CategoricalDtype)
    assert list(launches["missile_class"].cat.categories)[:3] == ["srbm", "mrbm", "irbm"]
    assert launches["launch_id"].dtype == "str"


def test_load_tables_returns_every_table(package):
    tables = dprk.load_tables(package.root)
    assert set(tables) >= {"launches", "sources", "provisions", "seed_claims"}


def test_loader_refuses_invalid_package(package):
    package.set_cell("launches", 0, "missile_class", "srmb")
    with pytest.raises(dprk.InvalidPackageError, match="'srmb' is not an allowed value"):
        dprk.load_table("launches", package.root)


def test_loader_unknown_table(package):
    with pytest.raises(KeyError, match="no table 'missiles'"):
        dprk.load_table("missiles", package.root)


def test_connect_is_read_only_and_builds(package, tmp_path):
    con = dprk.connect(package.root, out=tmp_path / "dist")
    try:
        assert con.execute("SELECT count(*) FROM launches").fetchone() == (3,)
        with pytest.raises(Exception, match="read-only"):
            con.execute("DELETE FROM launches")
    finally:
        con.close()
