"""dprk_sanctions: validate, build and query the DPRK sanctions data package."""

from .api import InvalidPackageError, connect, load_table, load_tables

__all__ = ["InvalidPackageError", "connect", "load_table", "load_tables"]
