"""Files generated from schemas/: written atomically, and checked for staleness."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .atomic import write_text
from .citation import render_citation, render_zenodo
from .descriptor import render_descriptor
from .dictionary import render_dictionary
from .package import DESCRIPTOR, PackageError, default_root
from .schemas import PACKAGE


def generators() -> dict[str, Callable[[Path], str]]:
    return {
        "datapackage.json": render_descriptor,
        "docs/data-dictionary.md": render_dictionary,
        "CITATION.cff": render_citation,
        ".zenodo.json": render_zenodo,
    }


def code_generators(base: Path) -> dict[str, Callable[[], str]]:
    """Generated files of the code itself, by path under ``base``: only when ``base`` is the
    source checkout the running code comes from (a data package elsewhere has none)."""
    from .plan import plan_path, render_plan

    try:
        name = plan_path().relative_to(base.resolve()).as_posix()
    except ValueError:
        return {}
    return {name: render_plan}


def write_generated(root: str | Path | None = None) -> list[Path]:
    base = Path(root) if root is not None else default_root()
    if base.suffix == ".json":
        base = base.parent
    if not (base / DESCRIPTOR).is_file() and not (base / "data").is_dir():
        raise PackageError(
            f"{base}: not a package (no {DESCRIPTOR} and no data/ folder); "
            "pass the folder of an existing package"
        )
    if (foreign := _foreign_descriptor(base)) is not None:
        if foreign == UNREADABLE:
            raise PackageError(
                f"{base / DESCRIPTOR}: is not valid JSON and does not name this package; "
                "nothing was written (restore it from git, then run descriptor)"
            )
        raise PackageError(
            f"{base / DESCRIPTOR}: describes the package {foreign!r}, not {PACKAGE['name']!r}; "
            "nothing was written (run descriptor in a clone of this package)"
        )
    if not (base / DESCRIPTOR).is_file():
        existing = [name for name in generators() if (base / name).exists()]
        if existing:
            raise PackageError(
                f"{base}: has no {DESCRIPTOR} but holds {', '.join(existing)}, which this "
                "command would overwrite; nothing was written (move them away or add the "
                "package's descriptor first)"
            )
    written = []
    for name, render in generators().items():
        write_text(base / name, render(base))
        written.append(base / name)
    for name, render_code in code_generators(base).items():
        write_text(base / name, render_code())
        written.append(base / name)
    return written


UNREADABLE = "an unreadable descriptor"


def _foreign_descriptor(base: Path) -> str | None:
    """The name in ``base``'s descriptor when it is another package's (or unreadable JSON);
    None when it is this package's or there is none. A descriptor that is not JSON but names
    this package (a merge left conflict markers in it) is this package's: regenerating it is
    the fix."""
    path = base / DESCRIPTOR
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return UNREADABLE
    try:
        name = json.loads(text).get("name")
    except (ValueError, AttributeError):
        return None if f'"name": "{PACKAGE["name"]}"' in text else UNREADABLE
    return None if name == PACKAGE["name"] else str(name)


def check_generated(root: Path) -> list[str]:
    """Names of generated files whose committed content differs from a fresh generation."""
    stale = []
    for name, render in generators().items():
        path = root / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != render(root):
            stale.append(name)
    for name, render_code in code_generators(root).items():
        path = root / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render_code():
            stale.append(name)
    return stale
