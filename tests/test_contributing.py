"""CONTRIBUTING's walk-through, replayed on a copy of the real package: its rows are a valid
contribution, and the careless version prints the problems the guide shows."""

from __future__ import annotations

import re
import shutil

from conftest import REPO, FixturePackage

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")


def walkthrough_rows() -> list[str]:
    section = GUIDE.split("## Walk-through", 1)[1].split("## When something is wrong", 1)[0]
    return [block.strip() for block in re.findall(r"```csv\n(.*?)```", section, re.DOTALL)]


def copy_of_the_package(tmp_path) -> FixturePackage:
    root = tmp_path / "package"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "datapackage.json", root / "datapackage.json")
    return FixturePackage(root)


def add(package: FixturePackage, table: str, line: str) -> None:
    with package.path(table).open("a", encoding="utf-8") as stream:
        stream.write(line + "\n")


def test_the_walkthrough_is_a_valid_contribution(tmp_path, capsys):
    source, launch, citation = walkthrough_rows()
    package = copy_of_the_package(tmp_path)
    add(package, "sources", source)
    add(package, "launches", launch)
    add(package, "launch_sources", citation)
    code, out = package.validate(capsys)
    assert code == 0, out


def test_the_careless_launch_prints_what_the_guide_shows(tmp_path, capsys):
    source, launch, _ = walkthrough_rows()
    careless = (
        launch.replace("06:40", "6:40")
        .replace(",srbm,2,2,", ",srmb,3,2,")
        .replace(",,,east_sea", ",N/A,,east_sea")
    )
    package = copy_of_the_package(tmp_path)
    add(package, "sources", source)
    add(package, "launches", careless)
    code, out = package.validate(capsys)
    assert code == 1
    shown = GUIDE.split("```text\n", 1)[1].split("```", 1)[0].strip().splitlines()
    printed = out.strip().splitlines()
    assert len(printed) == len(shown)
    for guide_line, line in zip(shown[:-1], printed[:-1], strict=True):
        assert re.sub(r":\d+:", ":N:", guide_line) == re.sub(r":\d+:", ":N:", line)
