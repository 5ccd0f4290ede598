"""dprk_sanctions: validate, build and query the DPRK sanctions data package."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _distribution_version

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
