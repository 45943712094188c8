"""A generic, signed, offline sync engine for SQLite tables (see SPEC.md), and the carriers
that move its bundles (``sync.transport``, see TRANSPORT.md).

The app opens an ``Engine`` on its connection and a key directory, tells it which tables to
track and which policy decides who may write what, and moves bundles (plain ``bytes``) between
sites by any carrier.
"""

from .capture import TableSpec
from .engine import Conflict, Engine, ImportResult, Rejection
from .errors import SyncError
from .merge import ReadView, allow_all
from .trust import Signer

__all__ = [
    "Conflict",
    "Engine",
    "ImportResult",
    "ReadView",
    "Rejection",
    "Signer",
    "SyncError",
    "TableSpec",
    "allow_all",
]
