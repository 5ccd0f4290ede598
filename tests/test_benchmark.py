"""A small run of the benchmark, so it never rots (the figures are in docs/benchmarks.md)."""

from __future__ import annotations

import json

import pytest
from dprk_sanctions import benchmark
from dprk_sanctions.cli import main
from dprk_sanctions.schemas import TABLES
from dprk_sanctions.synthetic import FAULT_KINDS, generate


def test_synthetic_package_is_valid(tmp_path, capsys):
    generate(tmp_path / "pkg", 3000)
    assert main(["validate", str(tmp_path / "pkg")]) == 0
    assert f"valid: {len(TABLES)} tables" in capsys.readouterr().out


def test_seeded_faults_are_reported_exactly(tmp_path, capsys):
    package = generate(tmp_path / "pkg", 3000, faults=2)
    expected = json.loads((package / "expected-faults.json").read_text())
    assert main(["validate", str(package), "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)["problems"]
    assert len(found) == len(expected) == 2 * len(FAULT_KINDS)
    assert {(p["file"], p["line"], p["column"]) for p in found} == {
        (e["file"], e["line"], e["column"]) for e in expected
    }
    for item in expected:
        match = next(
            p
            for p in found
            if (p["file"], p["line"], p["column"]) == (item["file"], item["line"], item["column"])
        )
        assert match["rule"].startswith(item["rule"])


@pytest.mark.slow
def test_benchmark_small_run(tmp_path, capsys):
    results = tmp_path / "bench.json"
    code = benchmark.main(
        [
            "--sizes",
            "500",
            "--repeat",
            "1",
            "--faults",
            "1",
            "--fault-size",
            "500",
            "--json",
            str(results),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "| 500 | validate |" in out and "| 500 | frictionless |" in out
    data = json.loads(results.read_text())
    assert data["faults"]["exact"] is True
    assert data["faults"]["frictionless_outside_ours"] == []
    assert {row["tool"] for row in data["rows"]} == {
        "duckdb_bare_load",
        "validate",
        "build",
        "frictionless",
    }
    assert all(row["peak_rss_mb"] > 0 for row in data["rows"])
