"""Exports, imports and their services stay free of Qt (they run in the CLI and in workers)."""

from __future__ import annotations

import subprocess
import sys


def test_exchange_modules_do_not_import_qt():
    code = (
        "import sys\n"
        "import annotator.formats, annotator.services.exchange, annotator.services.exporting\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
