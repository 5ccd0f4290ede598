"""Where a build may write: never over the package, its data, or a folder someone else owns.

A build replaces its whole output folder, so the folder must be one it can prove it owns: empty,
missing, or holding the marker file an earlier build wrote. Anything else is refused before a
byte is written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from .package import Package, PackageError

MARKER = ".dprk-data-build"


class OutputDirError(PackageError):
    """The output folder is not one a build may replace (exit code 2)."""


def _refuse(target: Path, why: str) -> OutputDirError:
    return OutputDirError(
        f"{target}: refusing to build here: {why}; choose an empty folder "
        "or one an earlier build wrote (default: dist/)"
    )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_dir(package: Package, target: Path) -> Path:
    """The resolved output folder, or OutputDirError saying why a build may not replace it."""
    resolved = target.resolve()
    root = package.root.resolve()
    if resolved == Path.cwd().resolve():
        raise _refuse(target, "it is the current directory")
    if _inside(root, resolved):
        raise _refuse(target, "it is the package folder or contains it")
    data_folders = {path.resolve().parent for path in package.data_files()}
    if any(_inside(resolved, folder) for folder in data_folders):
        raise _refuse(target, "it holds the package's data files")
    if resolved.exists() and not resolved.is_dir():
        raise _refuse(target, "it is a file")
    existing = next(p for p in (resolved, *resolved.parents) if p.exists())
    if not existing.is_dir():
        raise _refuse(target, f"{existing} is a file, not a folder")
    if (
        resolved.is_dir()
        and any(resolved.iterdir())
        and not written_by_build(resolved)
        and not _only_outputs(resolved)
    ):
        raise _refuse(target, f"it is not empty and no build wrote it (it has no {MARKER} file)")
    return resolved


def probe_writable(folder: Path, target: Path, what: str) -> None:
    """Fail now, before a validation that may take long, when nothing can be created in
    ``folder`` (or, while it does not exist, in the nearest folder above it that does): raises
    OutputDirError with the one-line ``cannot_write`` message for ``target``."""
    existing = next(p for p in (folder, *folder.parents) if p.is_dir())
    try:
        os.rmdir(tempfile.mkdtemp(dir=existing, prefix=".dprk-data-probe."))
    except OSError as error:
        raise OutputDirError(cannot_write(target, what, error)) from None


def cannot_write(target: Path, what: str, error: BaseException) -> str:
    """The one-line message for an output folder that could not be written."""
    reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
    if isinstance(error, FileExistsError):  # a concurrent run or a folder in the way: said
        return f"{target}: cannot write the {what} there ({reason})"
    return (
        f"{target}: cannot write the {what} there ({reason}); "
        "check the folder's permissions and free space, or pass --out"
    )


RELEASE_WRITER = "dprk-data release"  # the marker of a release folder: read as it is
REPORT_MARK = "dprk-data report"  # in report.html's <head> and the timeline PNG's metadata


def _only_outputs(folder: Path) -> bool:
    """Everything in ``folder`` was written by other dprk-data commands (the explorer or a
    release in a marked subfolder, the report, their lock files): a build may use it, and
    carries them over. So running site, report or release before the first build does not
    lock the build out of dist/."""
    for entry in folder.iterdir():
        if entry.is_symlink():
            return False
        if entry.is_dir() and (entry / MARKER).is_file():
            continue
        if entry.is_file() and entry.name.startswith(".") and entry.name.endswith(".lock"):
            continue
        if has_mark(entry, REPORT_MARK):
            continue
        return False
    return True


def has_mark(path: Path, mark: str, size: int = 4096) -> bool:
    """A regular file (not a link) whose first bytes hold ``mark``: a file a dprk-data command
    wrote (a large file passed by mistake is not read whole)."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as stream:
            return mark.encode() in stream.read(size)
    except OSError:
        return False


def marker_writer(folder: Path) -> str | None:
    """Which command's marker ``folder`` holds (its ``written_by``), or None."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker.get("written_by") if isinstance(marker, dict) else None


def written_by_build(folder: Path) -> bool:
    """The folder carries the marker, or is the output of a build from before the marker
    (version 0.1.0 wrote build-info.json with an input fingerprint beside dprk.duckdb)."""
    if (folder / MARKER).is_file():
        return True
    try:
        info = json.loads((folder / "build-info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(info, dict) and "fingerprint" in info and (folder / "dprk.duckdb").is_file()


def write_marker(
    folder: Path, pid: int | None = -1, written_by: str = "dprk-data build", **facts: str
) -> None:
    """Mark a folder as written by a build (or by ``written_by``: site, release); while it is
    being written, the pid tells a live staging folder from one a killed build left."""
    marker: dict[str, object] = {"written_by": written_by, **facts}
    if pid is not None:
        marker["pid"] = os.getpid() if pid == -1 else pid
    (folder / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _marker_pid(folder: Path) -> object:
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8")).get("pid")
    except (OSError, ValueError, AttributeError):
        return None


def stale_staging_folders(target: Path) -> list[Path]:
    """Staging and previous-output folders a killed build left beside ``target``: ours (they
    carry the marker, or are empty) and not in use by a running build."""
    found = []
    for pattern in (f".{target.name}.staging.*", f".{target.name}.previous"):
        for folder in target.parent.glob(pattern):
            if not folder.is_dir() or folder.is_symlink():
                continue
            marked = (folder / MARKER).is_file()
            pid = _marker_pid(folder)
            if marked and pid is None and ".staging." in folder.name:
                # complete, so killed while carrying a user's files across: never removed
                continue
            if (marked or not any(folder.iterdir())) and not _pid_alive(pid):
                found.append(folder)
    return sorted(found)


def remove_stale_staging(target: Path) -> list[Path]:
    removed = stale_staging_folders(target)
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed
