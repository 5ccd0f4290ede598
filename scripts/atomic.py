"""Atomic writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path


class WriteError(OSError):
    """A file could not be written; the message names it and says why, in one line."""


def write_bytes(path: Path, data: bytes) -> None:
    try:
        _write_bytes(path, data)
    except WriteError:
        raise
    except OSError as error:
        raise WriteError(
            f"{path}: cannot write it ({error.strerror or error}); check the "
            "folder's permissions and free space"
        ) from None


def _write_bytes(path: Path, data: bytes) -> None:
    if path.is_symlink():  # replace the file the link points to, and keep the user's link
        path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    # a file keeps its mode; a new one is for everyone to read (mkstemp creates 0600)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


@contextmanager
def replace_directory(
    target: Path,
    marker: Callable[[Path], None] | None = None,
    clean: Callable[[Path], object] | None = None,
):
    """Yield a fresh staging directory that replaces ``target`` only if the block succeeds.

    ``marker`` is called on the staging folder first, so a folder left by a killed process can
    be told as ours. Entries of the old ``target`` that the block did not write (a report, a
    user's notes, in subfolders too) are carried over into the new one: a build replaces only
    what it writes. One run at a time per ``target``: a second one is refused while the first
    holds the lock, and ``clean`` (the removal of what killed runs left) runs under it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(target):
        if clean is not None:
            clean(target)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.staging."))
        try:
            staging.chmod(0o755)
            if marker is not None:
                marker(staging)
            yield staging
            _swap(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _exclusive(target: Path):
    """An advisory lock on ``.<target>.lock`` beside ``target`` (released when the process
    ends, however it ends); where the platform has no flock, no lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(target.parent / f".{target.name}.lock", "a", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FileExistsError(
                errno.EBUSY,
                f"another run is writing {target.name} now; wait for it to finish",
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _carry(source: Path, destination: Path, prefix: Path, carried: list[Path]) -> None:
    """Move each entry of ``source`` that ``destination`` lacks into it; recurse into folders
    both hold (a user's notes inside parquet/). ``carried`` records relative paths, in order."""
    for entry in sorted(source.iterdir()):
        twin = destination / entry.name
        if not os.path.lexists(twin):
            os.replace(entry, twin)
            carried.append(prefix / entry.name)
        elif entry.is_dir() and not entry.is_symlink() and twin.is_dir() and not twin.is_symlink():
            _carry(entry, twin, prefix / entry.name, carried)


def _swap(staging: Path, target: Path) -> None:
    """Move what ``target`` holds beyond ``staging`` into it, then put it in ``target``'s
    place; on any failure (Ctrl-C included) undo, so ``target`` is as it was."""
    carried: list[Path] = []
    previous = target.parent / f".{target.name}.previous"
    swapped = False
    try:
        if target.is_dir():
            _carry(target, staging, Path(), carried)
        if os.path.lexists(previous):
            # callers remove the stale ones they left; anything still here is not ours
            # (a user's folder): never delete it
            raise FileExistsError(
                errno.EEXIST,
                f"{previous.name} is in the way and this run did not write it; move it away",
            )
        if target.exists():
            os.replace(target, previous)
            swapped = True
        os.replace(staging, target)
    except BaseException:
        if swapped and not target.exists():
            os.replace(previous, target)
        for relative in reversed(carried):
            if os.path.lexists(staging / relative) and (target / relative).parent.is_dir():
                os.replace(staging / relative, target / relative)
        raise
    shutil.rmtree(previous, ignore_errors=True)
