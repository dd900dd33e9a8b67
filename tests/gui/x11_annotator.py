"""Helper process for test_x11_keys.py (not a test module): the program's window as
``annotator gui --db DB`` opens it (``annotator.gui.app.run``, on the platform the
environment names), printing ``focus CLASS PLACEHOLDER`` whenever the keyboard focus
moves, so that the test sees where its key presses land.

    python x11_annotator.py DB
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from annotator.gui.app import run


def report(_old: QWidget | None, new: QWidget | None) -> None:
    placeholder = new.placeholderText() if isinstance(new, QLineEdit) else ""
    print(f"focus {type(new).__name__} {placeholder}".rstrip(), flush=True)


def main() -> int:
    app = QApplication(sys.argv[:1])  # run() opens the window in this application
    app.focusChanged.connect(report)
    return run(db_path=Path(sys.argv[1]))


if __name__ == "__main__":
    sys.exit(main())
