"""``dprk-data query``: SQL against the built database, opened read-only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

from .build import DATABASE, build, default_out, is_stale
from .package import Package


def ensure_built(package: Package, out: Path) -> bool:
    if is_stale(package, out):
        print(f"... {out / DATABASE} is missing or stale: building it first", file=sys.stderr)
        return build(package, out=out, quiet=True) == 0
    return True


def _text_table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join([line, rule, *body, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


def _csv(columns: list[str], rows: list[tuple]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().rstrip("\n")


def run_query(package: Package, sql: str, fmt: str = "table", out: str | None = None) -> int:
    target = Path(out) if out else default_out(package)
    if not ensure_built(package, target):
        print("error: the package is invalid; run dprk-data validate", file=sys.stderr)
        return 1
    con = duckdb.connect(str(target / DATABASE), read_only=True)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    except duckdb.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        print(json.dumps(records, indent=2, default=str, ensure_ascii=False))
    elif fmt == "csv":
        print(_csv(columns, rows))
    else:
        print(_text_table(columns, rows))
    return 0
