"""Archiving metadata generated from the package metadata (schemas/package.py): CITATION.cff
and .zenodo.json carry the data package's version and release date."""

from __future__ import annotations

import json
from pathlib import Path

from .schemas import PACKAGE

ABSTRACT = (
    "A curated, validated record of DPRK missile and satellite launches, nuclear tests, "
    "arms transfers (above all with Russia), high-level meetings and the UN Security "
    "Council provisions they touch, with a cited source for every record."
)


def render_citation(_root: Path | None = None) -> str:
    keywords = "".join(f"  - {keyword}\n" for keyword in PACKAGE["keywords"])
    return (
        "cff-version: 1.2.0\n"
        'message: "If you use this data, please cite it as below."\n'
        f'title: "{PACKAGE["title"]}"\n'
        "type: dataset\n"
        "authors:\n"
        f'  - name: "{PACKAGE["contributors"][0]["title"]}"\n'
        f'version: "{PACKAGE["version"]}"\n'
        f'date-released: "{PACKAGE["released"]}"\n'
        "license: CC-BY-4.0\n"
        f'url: "{PACKAGE["homepage"]}"\n'
        "keywords:\n"
        f"{keywords}"
        f"abstract: >-\n  {ABSTRACT}\n"
    )


def render_zenodo(_root: Path | None = None) -> str:
    metadata = {
        "title": PACKAGE["title"],
        "upload_type": "dataset",
        "version": PACKAGE["version"],
        "publication_date": PACKAGE["released"],
        "description": ABSTRACT,
        "creators": [{"name": PACKAGE["contributors"][0]["title"]}],
        "license": "cc-by-4.0",
        "keywords": list(PACKAGE["keywords"]),
        "related_identifiers": [
            {"identifier": PACKAGE["homepage"], "relation": "isSupplementTo", "scheme": "url"}
        ],
    }
    return json.dumps(metadata, indent=2, ensure_ascii=False) + "\n"
