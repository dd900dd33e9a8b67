"""The only code that talks to SQLite.

``open_store(path)`` returns a :class:`Store`; every method either succeeds or
raises :class:`StoreError` with a message a person can act on.
"""

import sys


def _import_sqlite_utils_without_pandas() -> None:
    # sqlite-utils imports pandas and numpy at import time whenever they are
    # installed, only to map their types; annotator never stores them, and the
    # import costs ~0.3 s of start-up and ~60 MB. Hide them for that one import.
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


_import_sqlite_utils_without_pandas()

from annotator.store.core import SCHEMA_VERSION, Store, StoreError, open_store  # noqa: E402

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "open_store"]
