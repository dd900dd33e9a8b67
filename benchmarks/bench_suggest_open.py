"""Time from opening an article in the window to its suggestions shown; prints JSON.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_suggest_open.py [--articles 10]

Each article is about 1,000 words of news (the sample article three times). The first
article opens right after start-up, while the window is still loading the suggesters in the
background (numpy and the attribution tagger's weights), so it waits for what is left of that.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10)
    args = parser.parse_args()

    from annotator.domain import NewArticle
    from annotator.gui.app import create_app
    from annotator.gui.main_window import MainWindow
    from annotator.services.workspace import open_workspace, resource_text

    app = create_app()
    store = open_workspace(Path(tempfile.mkdtemp()) / "bench.db")
    text = (resource_text("sample_article.txt") + "\n") * 3
    ids = [store.insert_article(NewArticle(title=f"Story {i}", text=f"{text}\nStory {i}\n"))[0]
           for i in range(args.articles)]
    window = MainWindow(store, annotator="bench")
    window.show()
    app.processEvents()
    latencies = []
    for article_id in ids:
        arrived: list[float] = []
        window.suggestionsReady.connect(lambda: arrived.append(time.perf_counter()))
        start = time.perf_counter()
        window.open_article(article_id)
        while not arrived and time.perf_counter() - start < 30:
            app.processEvents()
            time.sleep(0.001)
        window.suggestionsReady.disconnect()
        latencies.append(round((arrived[0] - start) * 1000, 1))
    window.close()
    steady = sorted(latencies[1:])
    print(json.dumps({
        "benchmark": "suggestions_after_open", "words": len(text.split()),
        "first_ms": latencies[0], "median_ms": steady[len(steady) // 2], "max_ms": steady[-1],
        "target_ms": 300, "suggestions": len(window.document.suggestions),
    }))


if __name__ == "__main__":
    main()
