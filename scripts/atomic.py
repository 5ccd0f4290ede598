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
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o644)  # mkstemp creates 0600; written files are for everyone to read
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
def replace_directory(target: Path, marker: Callable[[Path], None] | None = None):
    """Yield a fresh staging directory that replaces ``target`` only if the block succeeds.

    ``marker`` is called on the staging folder first, so a folder left by a killed process can
    be told as ours. Entries of the old ``target`` that the block did not write (a report, a
    user's notes) are carried over into the new one: a build replaces only what it writes.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.staging."))
    try:
        staging.chmod(0o755)
        if marker is not None:
            marker(staging)
        yield staging
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, target: Path) -> None:
    """Move what ``target`` holds beyond ``staging`` into it, then put it in ``target``'s
    place; on any failure (Ctrl-C included) undo, so ``target`` is as it was."""
    carried: list[str] = []
    previous = target.parent / f".{target.name}.previous"
    swapped = False
    try:
        if target.is_dir():
            for entry in sorted(target.iterdir()):
                if not (staging / entry.name).exists():
                    os.replace(entry, staging / entry.name)
                    carried.append(entry.name)
        if os.path.lexists(previous):
            # callers remove the stale ones they left; anything still here is not ours
            # (a user's folder, or a concurrent run's): never delete it
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
        for name in carried:
            if (staging / name).exists() and target.is_dir():
                os.replace(staging / name, target / name)
        raise
    shutil.rmtree(previous, ignore_errors=True)
