"""Generate datapackage.json (Data Package v2) from the pandera schemas."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from .schemas import PACKAGE, TABLES, VOCABULARIES, TableSpec
from .schemas.check_kinds import kind_of

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}
MISSING_VALUES = [""]


def field_constraints(column: Any) -> dict[str, Any]:
    """Table Schema constraints: required and unique, then each check's, as its kind says."""
    constraints: dict[str, Any] = {}
    if not column.nullable:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    for check in column.checks:
        constraints.update(kind_of(check.name).constraints(check.statistics, column.metadata))
    return constraints


def field_descriptor(name: str, column) -> dict[str, Any]:
    meta = column.metadata
    descriptor: dict[str, Any] = {
        "name": name,
        "type": meta["type"],
        "description": column.description,
    }
    if meta.get("format"):
        descriptor["format"] = meta["format"]
    if meta["type"] == "boolean":
        descriptor["trueValues"] = ["true"]
        descriptor["falseValues"] = ["false"]
    if meta.get("vocabulary"):
        vocabulary = VOCABULARIES[meta["vocabulary"]]
        descriptor["categories"] = [
            {"value": code, "label": label} for code, label in vocabulary.items()
        ]
    if meta.get("example") not in (None, ""):
        descriptor["example"] = meta["example"]
    constraints = field_constraints(column)
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(table: TableSpec) -> dict[str, Any]:
    schema = table.schema
    foreign_keys = [
        {
            "fields": [key.fields],
            "reference": {"resource": key.resource, "fields": [key.reference_fields]},
        }
        for key in table.foreign_keys
        if key.list_separator is None
    ]
    descriptor = {
        "fields": [field_descriptor(name, column) for name, column in schema.columns.items()],
        "missingValues": MISSING_VALUES,
        "primaryKey": list(table.primary_key),
    }
    if foreign_keys:
        descriptor["foreignKeys"] = foreign_keys
    return descriptor


def file_facts(path: Path) -> dict[str, Any]:
    data = path.read_bytes() if path.is_file() else b""
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def resource_descriptor(table: TableSpec, root: Path, facts: bool = False) -> dict[str, Any]:
    """A resource; with ``facts``, its file's size and hash too (only in a release: in the
    committed descriptor they would change with every row and make every two data pull
    requests conflict)."""
    return {
        "name": table.name,
        "type": "table",
        "path": table.path,
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **(file_facts(root / table.path) if facts else {}),
        "dialect": dict(DIALECT),
        "schema": table_schema(table),
    }


def build_descriptor(root: Path, facts: bool = False) -> dict[str, Any]:
    return {
        "$schema": PROFILE,
        **{key: value for key, value in PACKAGE.items() if key != "released"},
        "resources": [resource_descriptor(table, root, facts) for table in TABLES],
    }


def render_descriptor(root: Path, facts: bool = False) -> str:
    """The descriptor as committed (``facts=False``: a function of schemas/ alone) or as
    released (with each file's bytes and sha256 hash)."""
    if not facts:
        return _committed_text()
    return _render(build_descriptor(root, facts=True))


def is_current(descriptor: dict[str, Any]) -> bool:
    """Whether a package's descriptor is the one schemas/ generates today."""
    return descriptor == _committed_data()


@functools.cache
def _committed_data() -> dict[str, Any]:
    """The committed descriptor, built once per process (it depends on schemas/ alone), through
    JSON as a descriptor read from a file is (tuples become lists). Private: never handed out
    to be changed."""
    return json.loads(json.dumps(build_descriptor(Path(), facts=False)))


@functools.cache
def _committed_text() -> str:
    # indented JSON is rendered in pure Python: once, not per fixture copy or descriptor run
    return _render(_committed_data())


def _render(descriptor: dict[str, Any]) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
