"""The Python API: load validated tables into pandas, or open the package in DuckDB.

>>> import dprk_sanctions as dprk
>>> launches = dprk.load_table("launches")          # validated, with the schema's dtypes
>>> con = dprk.connect()                              # read-only DuckDB connection
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from .package import InvalidPackageError, open_package
from .query import ensure_built
from .schemas import TABLES_BY_NAME, VOCABULARIES
from .validate import require_valid, validate_package

__all__ = ["InvalidPackageError", "connect", "load_table", "load_tables", "resolve_id"]


def _with_categories(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Vocabulary columns become categoricals whose categories are the whole vocabulary."""
    frame = frame.copy()
    for column_name, column in TABLES_BY_NAME[name].schema.columns.items():
        vocabulary = column.metadata.get("vocabulary")
        if vocabulary:
            dtype = pd.CategoricalDtype(list(VOCABULARIES[vocabulary]))
            frame[column_name] = frame[column_name].astype(dtype)
    return frame


def load_tables(package: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, validated, as pandas frames keyed by table name."""
    opened = open_package(package)
    report = require_valid(validate_package(opened), opened)
    return {name: _with_categories(name, frame) for name, frame in report.frames.items()}


def load_table(name: str, package: str | Path | None = None) -> pd.DataFrame:
    """One table, validated (with the tables it references), as a pandas frame."""
    if name not in TABLES_BY_NAME:
        raise KeyError(f"no table {name!r}; tables: {', '.join(TABLES_BY_NAME)}")
    return load_tables(package)[name]


def connect(package: str | Path | None = None, out: str | Path | None = None):
    """A read-only DuckDB connection to the built package, building it first when stale."""
    opened = open_package(package)
    database = ensure_built(opened, Path(out) if out else opened.default_out)
    return duckdb.connect(str(database), read_only=True)


def resolve_id(table: str, record_id: str, package: str | Path | None = None) -> str | None:
    """The current ID that ``record_id`` of ``table`` stands for: itself when it is current,
    its replacement (followed to the end) when it was renamed, None when it was withdrawn.

    Raises KeyError for an ID the package has never had.
    """
    from .diff import read_directory
    from .ids import RETIRED, resolve

    if table not in VOCABULARIES["id_table"]:
        raise KeyError(
            f"{table!r} has no stable IDs; tables: {', '.join(VOCABULARIES['id_table'])}"
        )
    tables = read_directory(open_package(package).root, (table, RETIRED))
    retired = tables.get(RETIRED, ([], []))[1]
    key = TABLES_BY_NAME[table].primary_key[0]
    current = {row.get(key) for row in tables.get(table, ([], []))[1]}
    known = current | {row["retired_id"] for row in retired if row.get("table_name") == table}
    if record_id not in known:
        raise KeyError(f"{record_id!r} is not and never was an ID of {table}")
    return resolve(retired, table, record_id)
