"""dprk_sanctions: validate, build and query the DPRK sanctions data package."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import InvalidPackageError, connect, load_table, load_tables, resolve_id

    __version__: str

__all__ = [
    "InvalidPackageError",
    "__version__",
    "connect",
    "load_table",
    "load_tables",
    "resolve_id",
]


def _distribution_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dprk-sanctions-data")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    """The API and the version are looked up on first use (PEP 562), so the command-line tool
    starts without pandas and pandera when a command does not need them, and without
    importlib.metadata (50 ms) unless it prints the version."""
    if name == "__version__":
        globals()["__version__"] = found = _distribution_version()
        return found
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
