"""The README's examples run against the real package, so the README cannot drift. They run in
a copy of it, so the tests never write into the checkout (its dist/ is the user's)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil

import pytest
from conftest import REPO
from dprk_sanctions import connect
from dprk_sanctions.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("readme") / "package"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "datapackage.json", root)
    return root


@pytest.fixture
def in_repo(package_copy):
    previous = os.getcwd()
    os.chdir(package_copy)
    yield
    os.chdir(previous)


@pytest.mark.parametrize("code", blocks("python"), ids=lambda c: c.splitlines()[0][:40])
def test_python_examples_print_real_rows(code, in_repo):
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "README.md", "exec"), {})
    printed = output.getvalue()
    assert printed.strip(), "the example printed nothing"
    assert "Empty DataFrame" not in printed


@pytest.mark.parametrize("sql", blocks("sql"), ids=lambda s: s.splitlines()[0][:50])
def test_sql_examples_return_rows(sql, package_copy):
    con = connect(package_copy)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rows


def cli_queries() -> list[str]:
    return [
        line
        for block in blocks("bash")
        for line in block.splitlines()
        if line.startswith("dprk-data query")
    ]


@pytest.mark.parametrize("line", cli_queries())
def test_cli_query_examples(line, capsys, in_repo):
    assert main(shlex.split(line)[1:]) == 0
    out = capsys.readouterr().out
    assert not out.rstrip().endswith("(0 rows)")


def test_readme_has_the_examples_it_promises():
    assert len(blocks("python")) >= 4
    assert len(blocks("sql")) >= 2
    assert cli_queries()
