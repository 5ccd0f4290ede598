"""`dprk-data release`: check the versioning rule against the changes since the previous
release, then write the versioned release (zip, Parquet, database), a machine-readable change
file and the archiving metadata into one folder.

The rule (CHANGELOG.md): MAJOR when a table or column is removed or retyped or a vocabulary loses
a code (queries break); MINOR when tables, columns, codes or rows are added; PATCH when rows are
only corrected or withdrawn.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .diff import DiffError, PackageDiff, as_json, diff_package, git_root, run_git
from .package import Package, PackageError
from .schemas import PACKAGE

LEVELS = ("none", "patch", "minor", "major")
TAG_PATTERN = "data-v*"


class ReleaseError(PackageError):
    """The release cannot be made as asked (exit code 2); the message says why and what to do."""


class NoPreviousRelease(ReleaseError):
    """The previous release cannot be found (a shallow clone, or no data-v* tag after a first
    release): ``release`` refuses, ``release --check`` says it checked nothing (CI may clone
    shallow, and this repository has no tag yet)."""


class ShallowClone(NoPreviousRelease):
    """No history to find the previous release in."""


@dataclass(frozen=True)
class Previous:
    revision: str
    version: str
    descriptor: dict
    date: str  # the commit date of the revision (YYYY-MM-DD)
    tagged: bool = True  # named by --previous or a data-v* tag; else the first data commit


def _git(root: Path, *args: str) -> str | None:
    """The command's output, or None when it fails or prints nothing."""
    result = run_git(root, *args)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None


def previous_release(root: Path, revision: str | None = None) -> Previous:
    """The release to compare with: ``revision``, else the newest ``data-v*`` tag, else the
    first commit that holds data (everything since then is new)."""
    if git_root(root) is None:
        raise ReleaseError(f"{root} is not in a git repository: a release is made from one")
    tagged = revision or _git(root, "describe", "--tags", "--abbrev=0", "--match", TAG_PATTERN)
    if not tagged and _git(root, "rev-parse", "--is-shallow-repository") == "true":
        raise ShallowClone(
            "this clone is shallow and no data-v* tag marks the previous release, so there is "
            "nothing to compare with: fetch the whole history (git fetch --unshallow) or pass "
            "--previous"
        )
    spec = (
        tagged or (_git(root, "log", "--reverse", "--format=%H", "--", "data") or "").split("\n")[0]
    )
    if not spec:
        raise ReleaseError("no previous release and no commit with data/: nothing to compare with")
    shown = _git(root, "show", f"{spec}:datapackage.json")
    descriptor = json.loads(shown) if shown else {}
    date = _git(root, "log", "-1", "--format=%cs", spec) or "0000-00-00"
    return Previous(spec, str(descriptor.get("version", "0.0.0")), descriptor, date, bool(tagged))


def _fields(descriptor: dict) -> dict[str, dict[str, dict]]:
    return {
        resource["name"]: {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}
        for resource in descriptor.get("resources", [])
    }


def _codes(field: dict) -> set[str]:
    items = field.get("categories") or field.get("constraints", {}).get("enum") or []
    return {str(item["value"]) if isinstance(item, dict) else str(item) for item in items}


def required_level(changes: PackageDiff, before: dict, after: dict) -> tuple[str, list[str]]:
    """The smallest version bump the changes need, with the reasons for it."""
    reasons: dict[str, list[str]] = {level: [] for level in LEVELS}
    old, new = _fields(before), _fields(after)
    for table in old.keys() - new.keys():
        reasons["major"].append(f"table {table} removed")
    for table in new.keys() - old.keys():
        reasons["minor"].append(f"table {table} added")
    for table in old.keys() & new.keys():
        for name in old[table].keys() - new[table].keys():
            reasons["major"].append(f"column {table}.{name} removed")
        for name in new[table].keys() - old[table].keys():
            reasons["minor"].append(f"column {table}.{name} added")
        for name in old[table].keys() & new[table].keys():
            was, now = old[table][name], new[table][name]
            if was.get("type") != now.get("type"):
                reasons["major"].append(
                    f"column {table}.{name} retyped ({was.get('type')} to {now.get('type')})"
                )
            if lost := _codes(was) - _codes(now):
                reasons["major"].append(f"{table}.{name} lost codes {sorted(lost)}")
            if gained := _codes(now) - _codes(was):
                reasons["minor"].append(f"{table}.{name} gained codes {sorted(gained)}")
    for table_diff in changes.tables:
        if table_diff.added:
            reasons["minor"].append(f"{len(table_diff.added)} rows added to {table_diff.table}")
        if table_diff.removed or table_diff.changed:
            reasons["patch"].append(
                f"{len(table_diff.removed)} rows removed from and "
                f"{len(table_diff.changed)} changed in {table_diff.table}"
            )
    level = next((lvl for lvl in reversed(LEVELS) if reasons[lvl]), "none")
    return level, reasons[level]


def _parse(version: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version)
    if not match:
        raise ReleaseError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def bump_level(before: str, after: str) -> str:
    old, new = _parse(before), _parse(after)
    if new <= old:
        return "none"
    if new[0] > old[0]:
        return "major"
    return "minor" if new[1] > old[1] else "patch"


def _changelog(root: Path) -> str:
    path = root / "CHANGELOG.md"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def changelog_section(text: str, version: str) -> str | None:
    """The body of CHANGELOG.md's section for ``version``."""
    match = re.search(
        rf"^## {re.escape(version)}\b.*?$(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL
    )
    return match.group(1).strip() if match else None


def released_versions(text: str) -> list[str]:
    """The versions CHANGELOG.md has dated sections for (released), newest first."""
    return re.findall(r"^## (\d+\.\d+\.\d+) \(\d{4}-\d{2}-\d{2}\)", text, flags=re.MULTILINE)


def change_file(
    changes: PackageDiff,
    previous: Previous,
    level: str,
    reasons: list[str],
    changelog: str,
    retired: list[dict[str, str]],
) -> dict:
    """The diff in JSON, with the reason for each removed record (its tombstone) and the
    changelog section that explains the rest."""
    tombstones = {(row["table_name"], row["retired_id"]): row for row in retired}
    document = as_json(changes)
    attached = set()
    for name, table in document["tables"].items():
        for row in table["removed"]:
            key = row.get(table["key"][0], "")
            if (name, key) in tombstones:
                stone = tombstones[(name, key)]
                attached.add((name, key))
                row["_retired"] = {
                    "replaced_by": stone.get("replaced_by") or None,
                    "reason": stone.get("reason"),
                    "retired_date": stone.get("retired_date"),
                }
    # records that came and went since the previous release: no row of either side shows them
    came_and_went = [
        {
            "table": row["table_name"],
            "id": row["retired_id"],
            "replaced_by": row.get("replaced_by") or None,
            "reason": row.get("reason"),
            "retired_date": row.get("retired_date"),
        }
        for row in retired
        if (row["table_name"], row["retired_id"]) not in attached
        and row.get("retired_date", "") >= previous.date
    ]
    return {
        "package": PACKAGE["name"],
        "version": PACKAGE["version"],
        "released": PACKAGE["released"],
        "previous": {"revision": previous.revision, "version": previous.version},
        "level": level,
        "level_reasons": reasons,
        "changelog": changelog,
        "changes": document,
        "retired_since_previous": came_and_went,
    }


def check_release(
    package: Package, previous: str | None = None
) -> tuple[Previous, PackageDiff, str, list[str], str]:
    """Everything a release checks before it writes: the versioning rule and the changelog."""
    from .generated import check_generated

    root = package.root
    prior = previous_release(root, previous)
    changelog_text = _changelog(root)
    released = released_versions(changelog_text)
    if not prior.tagged and released:
        # the first data commit stands in for the previous release only before the first
        # release: after one, comparing with it would certify changes that release already held
        raise NoPreviousRelease(
            f"no data-v* tag marks the previous release (CHANGELOG.md lists {released[0]}): tag "
            f"its commit (git tag data-v{released[0]} COMMIT) or pass --previous COMMIT"
        )
    try:
        changes = diff_package(root, prior.revision)
    except DiffError as error:  # a --previous that names nothing
        raise ReleaseError(str(error)) from None
    level, reasons = required_level(changes, prior.descriptor, package.descriptor)
    bumped = bump_level(prior.version, PACKAGE["version"])
    if LEVELS.index(bumped) < LEVELS.index(level):
        raise ReleaseError(
            f"the changes since {prior.version} ({prior.revision[:12]}) are {level.upper()} "
            f"({'; '.join(reasons[:3])}), but the version goes from {prior.version} to "
            f"{PACKAGE['version']} ({bumped}); raise it in schemas/package.py and run "
            "dprk-data descriptor"
        )
    changelog = changelog_section(changelog_text, PACKAGE["version"])
    if not changelog:
        raise ReleaseError(
            f"CHANGELOG.md has no section '## {PACKAGE['version']}': say what "
            "changed and why before releasing"
        )
    stale = check_generated(root)
    if stale:
        raise ReleaseError(f"{', '.join(stale)} stale: run dprk-data descriptor first")
    return prior, changes, level, reasons, changelog


def write_release(
    package: Package,
    out: str | Path | None = None,
    previous: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Path, dict]:
    """Check, then write the release folder; returns it and the change file."""
    import duckdb

    from .atomic import replace_directory
    from .build import BuildError, quiet_connection, write_outputs
    from .citation import render_citation, render_zenodo
    from .diff import read_directory
    from .outdir import (
        RELEASE_WRITER,
        cannot_write,
        check_output_dir,
        probe_writable,
        remove_stale_staging,
        write_marker,
    )
    from .validate import require_valid, validate_with_duckdb

    prior, changes, level, reasons, changelog = check_release(package, previous)
    version = PACKAGE["version"]
    default = package.default_out / f"release-{version}"
    target = check_output_dir(package, Path(out) if out else default)
    retired = read_directory(package.root, ("retired_ids",)).get("retired_ids", ([], []))[1]
    document = change_file(changes, prior, level, reasons, changelog, retired)
    name = PACKAGE["name"]
    probe_writable(target.parent, target, "release")  # fail before validating, not after
    con = quiet_connection()
    try:
        # leaves the text tables in con
        require_valid(validate_with_duckdb(package, con), package)
        with replace_directory(target, marker=write_marker, clean=remove_stale_staging) as staging:
            write_outputs(package, con, staging, progress or (lambda message: None))
            (staging / f"{name}.zip").rename(staging / f"{name}-{version}.zip")
            (staging / f"changes-{version}.json").write_text(
                json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            # query reads a release as it is, never rebuilt
            write_marker(staging, pid=None, written_by=RELEASE_WRITER, version=version)
            (staging / "CITATION.cff").write_text(render_citation(), encoding="utf-8")
            (staging / ".zenodo.json").write_text(render_zenodo(), encoding="utf-8")
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except OSError as error:
        raise BuildError(cannot_write(target, "release", error)) from None
    finally:
        con.close()
    return target, document
