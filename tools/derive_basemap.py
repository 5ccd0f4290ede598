"""Derive the explorer's basemap from the world-atlas npm package (Natural Earth, public domain).

Run once, by hand, when the basemap should change; nothing runs it at build or test time and it
downloads nothing:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/derive_basemap.py /tmp/package/countries-10m.json

It decodes the TopoJSON countries, keeps those that reach into the clip box, clips them to the
box, simplifies them (Douglas-Peucker) and rounds coordinates, then writes GeoJSON to
scripts/assets/korea-basemap.geojson. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

CLIP = (119.0, 32.0, 135.0, 45.0)  # west, south, east, north (degrees)
TOLERANCE = 0.01  # degrees (about 1 km): finer than the explorer can show
DIGITS = 3
OUT = Path(__file__).resolve().parent.parent / "scripts" / "assets" / "korea-basemap.geojson"
Point = tuple[float, float]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute coordinates of every arc (TopoJSON arcs are delta-encoded integers)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def clip(points: list[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland-Hodgman: the part of a closed ring inside an axis-aligned box."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    for inside, cross in edges:
        if not points:
            break
        result: list[Point] = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        points = result
    return points


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative, keeping both ends."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, worst_index = 0.0, -1
        for index in range(first + 1, last):
            px, py = points[index]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, worst_index = distance, index
        if worst > tolerance:
            keep[worst_index] = True
            stack += [(first, worst_index), (worst_index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def derive(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        parts = []
        for polygon in polygons(geometry):
            rings = []
            for indices in polygon:
                clipped = clip(ring(indices, arcs), CLIP)
                if len(clipped) < 3:
                    continue
                simple = simplify([*clipped, clipped[0]], TOLERANCE)
                rounded = [[round(x, DIGITS), round(y, DIGITS)] for x, y in simple]
                if len(rounded) >= 4:
                    rings.append(rounded)
            if rings:
                parts.append(rings)
        if parts:
            features.append(
                {
                    "type": "Feature",
                    "id": geometry.get("id"),
                    "properties": {"name": geometry.get("properties", {}).get("name")},
                    "geometry": {"type": "MultiPolygon", "coordinates": parts},
                }
            )
    return {
        "type": "FeatureCollection",
        "bbox": list(CLIP),
        "features": sorted(features, key=lambda f: f["properties"]["name"] or ""),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("countries", help="countries-10m.json (or -50m) of world-atlas 2.0.2")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    topology = json.loads(Path(args.countries).read_text(encoding="utf-8"))
    collection = derive(topology)
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    names = ", ".join(f["properties"]["name"] for f in collection["features"])
    print(f"wrote {args.out}: {len(text):,} bytes; {names}")


if __name__ == "__main__":
    main()
