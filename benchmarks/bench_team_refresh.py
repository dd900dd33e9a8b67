"""What the window reads again after a team sync that changed one article (not the
open one), in a corpus of 10,000 articles with 50,000 annotations: before, every
incoming sync re-read the whole article list; now the sync names the articles it
changed (``SyncReport.changed_articles``) and the window reads those rows alone.
Times both on the real MainWindow (offscreen), seven runs each.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_team_refresh.py [--articles 10000]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_data import build
from PySide6.QtWidgets import QApplication

from annotator.gui.main_window import MainWindow
from annotator.services.changes import Changes
from annotator.store import open_store


def timed_runs(fn, runs: int = 7) -> dict:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(seconds), 4), "max_s": round(max(seconds), 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-team-refresh-"))
    path = build(folder / "corpus.db", articles=args.articles, chars=3_000, annotations_per_article=5)
    store = open_store(path)
    store.set_setting("auto_suggest", "0")
    window = MainWindow(store, annotator="lead")
    window.show()
    ids = store.article_ids()
    window.open_article(ids[0])
    other = ids[len(ids) // 2]
    result = {
        "articles": len(ids), "load_average_before": round(os.getloadavg()[0], 2),
        # What every incoming sync made the window do before: the whole list read again.
        "before_whole_list": timed_runs(window.refresh_articles),
        # Now: the sync names one changed article (not the open one); its row is read again.
        "after_one_row": timed_runs(lambda: window.changes.changed.emit(Changes(articles=frozenset({other})))),
    }
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    window.close()
    store.close()
    app.processEvents()
    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
