"""Helper process for the shared-database tests (not a test module): the real window.

    python window_process.py DB INBOX SEED

Opens the real main window (offscreen) on DB and, until killed, tags random
spans of the open article with the figure key, as a person does: select, press
"3". After each key press has returned (the annotation is committed and its row
shown) the new annotation's id is printed: a printed id is work reported as
saved. Every few key presses a background job starts, as the window starts them
in a working day: suggestions for the open article, an import of a new file
from INBOX (which then opens), a CSV export. Prints "ready" once the window is
up and "job NAME" when a job has finished.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.services.exporting import export_csv  # noqa: E402
from annotator.services.workspace import open_workspace  # noqa: E402

ARTICLE = ("The agency said {n} people were evacuated on day {n}, a spokesperson told reporters. "
           "Damage was estimated at $4.2 million and 300 homes were flooded.\n") * 20


def main() -> int:
    db, inbox, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    app = QApplication([])
    store = open_workspace(db)
    window = MainWindow(store, annotator=f"window{os.getpid()}")
    window.show()
    window.open_article(store.latest_article_id())
    rng = random.Random(seed)
    figure = store.tag_by_name("figure")
    ticks = 0

    def say(line: str) -> None:
        print(line, flush=True)

    def start_job() -> None:
        kind = rng.choice(["suggest", "import", "export"])
        if kind == "suggest":
            window.review.suggest_current_article()
            say("job suggest")
        elif kind == "import" and window.current_job is None:
            path = inbox / f"new-{os.getpid()}-{ticks}.txt"
            path.write_text(f"Flood report {ticks}\n\n" + ARTICLE.format(n=ticks), encoding="utf-8")
            window.import_files([str(path)], preview=False)
            say("job import")
        elif kind == "export" and window.current_job is None:
            out = inbox / f"export-{os.getpid()}-{ticks}.csv"
            window.run_in_background("Exporting", lambda s, _p, _c: export_csv(s, out),
                                     lambda _n: say("job export"), lambda e: say(f"job export failed {e}"))

    def tick() -> None:
        nonlocal ticks
        ticks += 1
        article = window.document.article
        text = article.text
        start = rng.randrange(len(text) - 40)
        end = start + rng.randrange(3, 30)
        if not text[start:end].strip():
            return
        before = {a.id for a in window.document.annotations}
        window.view.setFocus()
        window.view.select_span(start, end)
        QTest.keyClick(window.view, figure.shortcut)
        for a in window.document.annotations:
            if a.id not in before:
                say(str(a.id))
        if ticks % 7 == 0:
            start_job()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(rng.randrange(2, 15))
    say("ready")
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
