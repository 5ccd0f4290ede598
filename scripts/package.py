"""Finding a package on disk, the paths of its tables and where its builds go.

Light on purpose (no pandas, pandera or DuckDB): every command imports it, and `query` must
start fast.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .problems import Problem

DESCRIPTOR = "datapackage.json"
DICTIONARY = "docs/data-dictionary.md"  # generated from schemas/ where a checkout has it
DIST = "dist"  # the default output folder, inside the package
DATABASE = "dprk.duckdb"  # the database's file name inside an output folder


class PackageError(Exception):
    """The package cannot be read at all (exit code 2)."""


class InvalidPackageError(ValueError):
    """The package failed validation; the message lists every problem, and ``problems`` holds
    them for callers that print them their own way (exit code 1)."""

    def __init__(
        self, problems: Sequence[Problem], rows: dict[str, int] | None = None, root: str = ""
    ) -> None:
        from .problems import render

        self.problems = list(problems)
        self.rows = dict(rows or {})
        super().__init__(render(self.problems, "text", self.rows, root))


@dataclass(frozen=True)
class Package:
    root: Path
    descriptor: dict

    def table_path(self, name: str) -> Path:
        """The table's file: the descriptor's resource path, the one source for file paths."""
        return self.root / self.table_file(name)

    def table_file(self, name: str) -> str:
        """The table's file relative to the package root, as messages name it."""
        for resource in self.descriptor.get("resources", []):
            if resource.get("name") == name:
                return str(resource["path"])
        return f"data/{name}.csv"  # a resource the descriptor lacks (reported as a problem)

    def data_files(self) -> list[Path]:
        """The files the descriptor lists, in its order."""
        return [self.root / str(r["path"]) for r in self.descriptor.get("resources", [])]

    @property
    def default_out(self) -> Path:
        """Where `build`, `query`, `report` and `connect()` read and write by default."""
        return self.root / DIST


def find_root(start: Path | None = None) -> Path:
    """The package the user is in: the nearest folder from ``start`` (the working directory)
    upward that holds a datapackage.json, like git finding its repository."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / DESCRIPTOR).is_file():
            return folder
    raise PackageError(
        f"{here}: no {DESCRIPTOR} here or in any parent folder; run the command "
        "inside a package or pass its path"
    )


def default_root() -> Path:
    return find_root()


def _safe_path(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    path = PurePosixPath(value)
    return not path.is_absolute() and ".." not in path.parts and "://" not in value


def open_package(location: str | Path | None = None) -> Package:
    """Open a package from its directory or its datapackage.json."""
    path = Path(location) if location is not None else default_root()
    descriptor_path = path if path.suffix == ".json" else path / DESCRIPTOR
    if not descriptor_path.is_file():
        raise PackageError(
            f"{descriptor_path}: no such descriptor; point at a package directory "
            "or its datapackage.json"
        )
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageError(f"{descriptor_path}: not valid JSON ({error})") from error
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise PackageError(f"{descriptor_path}: has no 'resources' list")
    for resource in resources:
        if not isinstance(resource, dict) or not _safe_path(resource.get("path")):
            raise PackageError(
                f"{descriptor_path}: every resource needs a relative 'path' inside the package"
            )
    return Package(descriptor_path.parent, descriptor)


def descriptor_problems(package: Package) -> list[tuple[str, str]]:
    """Resources the schemas expect but the descriptor lacks, and the reverse."""
    from .schemas import TABLES

    declared = {resource.get("name") for resource in package.descriptor["resources"]}
    expected = {table.name for table in TABLES}
    missing = [
        (name, "the descriptor has no resource for this table")
        for name in sorted(expected - declared)
    ]
    extra = [
        (str(name), "the descriptor lists a resource no schema declares")
        for name in sorted(declared - expected, key=str)
    ]
    return missing + extra
