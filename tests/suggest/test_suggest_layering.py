"""The suggesters stay pure: no Qt, no network, no I/O."""

from __future__ import annotations

import subprocess
import sys


def test_suggest_imports_neither_qt_nor_network_modules() -> None:
    code = (
        "import sys, annotator.suggest as s; s.suggest('At least 11 soldiers died, officials said.');"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'socket', 'urllib3', 'requests', 'sqlite3')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
