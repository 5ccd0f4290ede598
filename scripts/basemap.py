"""The Natural Earth basemap of the Korean region (assets/README.md says where it comes from)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

# the map's view: the peninsula, the Chinese and Russian coasts, Japan's west coast, the seas
VIEW = (121.0, 33.5, 133.0, 43.5)  # west, south, east, north (degrees)


def asset(name: str) -> bytes:
    """A file of the package's assets folder (shipped in the wheel as package data)."""
    return resources.files(__package__).joinpath("assets", name).read_bytes()


@cache
def basemap() -> dict:
    """GeoJSON FeatureCollection of the countries around Korea, clipped to its ``bbox``."""
    return json.loads(asset("korea-basemap.geojson"))


def rings() -> list[list[list[float]]]:
    """Every ring of every country, as [lon, lat] points."""
    return [
        ring
        for feature in basemap()["features"]
        for polygon in feature["geometry"]["coordinates"]
        for ring in polygon
    ]
