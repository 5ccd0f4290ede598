"""The FollowTheMoney export: every entity, property and value is valid in the followthemoney
model, and every entity a property points at is in the export."""

from __future__ import annotations

import importlib.util
import json
import shutil

import pytest
from conftest import REPO
from dprk_sanctions.cli import main
from dprk_sanctions.ftm import FILE_NAME, ftm_countries


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> list[dict]:
    root = tmp_path_factory.mktemp("ftm") / "package"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "datapackage.json", root)
    out = root.parent / "dist"
    assert main(["build", "--quiet", "--package", str(root), "--out", str(out)]) == 0
    lines = (out / FILE_NAME).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def invalid_values(entities: list[dict]) -> list[str]:
    from followthemoney import model  # imported here: only this module's worker pays for it

    ids = {entity["id"] for entity in entities}
    errors = []
    for entity in entities:
        schema = model.get(entity["schema"])
        if schema is None:
            errors.append(f"{entity['id']}: no schema {entity['schema']}")
            continue
        for name, values in entity["properties"].items():
            prop = schema.get(name)
            if prop is None:
                errors.append(f"{entity['id']}: {schema.name} has no property {name}")
                continue
            for value in values:
                if prop.type.name == "entity":
                    if value not in ids:
                        errors.append(f"{entity['id']}: {name} points at missing {value}")
                elif not prop.type.validate(value):
                    errors.append(
                        f"{entity['id']}: {name} {value!r} is not a valid {prop.type.name}"
                    )
        cleaned = model.get_proxy(entity, cleaned=False).to_dict()["properties"]
        if cleaned != entity["properties"]:
            errors.append(f"{entity['id']}: the model drops or changes values")
    return errors


def test_every_entity_is_valid_in_the_followthemoney_model(exported):
    assert not invalid_values(exported)


def test_the_export_holds_every_kind_of_record(exported):
    by_schema: dict[str, int] = {}
    for entity in exported:
        by_schema[entity["schema"]] = by_schema.get(entity["schema"], 0) + 1
    assert {"Person", "Organization", "LegalEntity", "Vessel", "Sanction", "Event"} <= set(
        by_schema
    )
    sanctions = [e for e in exported if e["schema"] == "Sanction"]
    assert all(e["properties"].get("entity") for e in sanctions)


def test_the_country_table_is_what_followthemoney_gives():
    """The build maps countries with scripts/assets/ftm-countries.json, not followthemoney;
    regenerate it with tools/derive_ftm_countries.py when this fails."""
    path = REPO / "tools" / "derive_ftm_countries.py"
    spec = importlib.util.spec_from_file_location("derive_ftm_countries", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert ftm_countries() == tool.derive()
    assert ftm_countries()["PRK"] == "kp"


def test_the_checker_catches_bad_entities():
    bad = [
        {"id": "a", "schema": "Vessel", "properties": {"bogus": ["x"]}},
        {"id": "b", "schema": "Sanction", "properties": {"entity": ["missing"]}},
        {"id": "c", "schema": "Sanction", "properties": {"startDate": ["not a date"]}},
        {"id": "d", "schema": "Nope", "properties": {}},
    ]
    errors = invalid_values(bad)
    assert {error.split(":")[0] for error in errors} == {"a", "b", "c", "d"}, errors
