"""SQL text helpers with no imports beyond the standard library (the query command's start-up
must not load the schemas)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def quote_literal(value: object) -> str:
    """``value`` as a SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_list(values: tuple[str, ...]) -> str:
    """``values`` as a comma-separated list of SQL string literals."""
    return ", ".join(quote_literal(v) for v in values)


# DuckDB reads a path with these characters as a glob pattern, which can match other files
GLOB_CHARACTERS = frozenset("*?[]{}")


@contextmanager
def literal_path(path: Path) -> Iterator[Path]:
    """``path``, or a link to it with a plain name when ``path`` holds glob characters, so that
    DuckDB reads exactly this file (a package in a folder named ``pkg[1]`` would otherwise be
    validated from a sibling's files)."""
    if not GLOB_CHARACTERS & set(str(path)):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="dprk-data-") as folder:
        link = Path(folder) / "table.csv"
        os.symlink(path.resolve(), link)
        if GLOB_CHARACTERS & set(str(link)):
            raise OSError(f"{link}: the temporary folder's path holds glob characters")
        yield link
