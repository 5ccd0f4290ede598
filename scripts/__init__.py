"""dprk_sanctions: validate, build and query the DPRK sanctions data package."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _distribution_version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import InvalidPackageError, connect, load_table, load_tables, resolve_id

try:
    __version__ = _distribution_version("dprk-sanctions-data")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "InvalidPackageError",
    "__version__",
    "connect",
    "load_table",
    "load_tables",
    "resolve_id",
]


def __getattr__(name: str) -> Any:
    """The API is imported on first use (PEP 562), so the command-line tool starts without
    pandas and pandera when a command does not need them."""
    if name in __all__ and name != "__version__":
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
