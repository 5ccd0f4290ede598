"""Whether a built database is current: a fingerprint of what a build reads and of the code
that writes it. Light on purpose (no pandas, pandera or DuckDB), so `query` can ask cheaply."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

from .package import DATABASE, DESCRIPTOR, Package

BUILD_INFO = "build-info.json"


def code_folders() -> tuple[Path, list[Path]]:
    """Where the running package's modules are: its own folder and the schemas' folders."""
    spec = importlib.util.find_spec(f"{__package__}.schemas")
    schemas = [Path(location) for location in (spec and spec.submodule_search_locations) or []]
    return Path(__file__).parent, schemas


def code_files(package: Path | None = None, schemas: list[Path] | None = None) -> list[Path]:
    """The package's own modules (commands and schemas): the DDL, the views and the typed
    load are all made from them, so any change to them may change the database. The order
    does not depend on where they are installed (the package's modules by name, then the
    schemas' by name), so every install of the same code has the same code_digest."""
    if package is None or schemas is None:
        package, schemas = code_folders()
    own = sorted(package.glob("*.py"), key=lambda path: path.name)
    declared = sorted({p for folder in schemas for p in folder.glob("*.py")}, key=lambda p: p.name)
    return [*own, *declared]


def code_digest(files: list[Path] | None = None) -> str:
    """A hash of the package's own modules: what a build or a validation plan was made by."""
    digest = hashlib.sha256()
    for path in code_files() if files is None else files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def input_files(package: Package) -> list[Path]:
    """The descriptor and every file it lists."""
    return [package.root / DESCRIPTOR, *package.data_files()]


def fingerprint(package: Package) -> str:
    """A hash of everything a build reads and of the code that writes it: when either changes,
    the build is stale."""
    digest = hashlib.sha256(code_digest().encode())
    for path in input_files(package):
        digest.update(path.relative_to(package.root).as_posix().encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def is_stale(package: Package, out: Path) -> bool:
    info = out / BUILD_INFO
    if not (out / DATABASE).is_file() or not info.is_file():
        return True
    try:
        recorded = json.loads(info.read_text(encoding="utf-8")).get("fingerprint")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return True
    return recorded != fingerprint(package)
