"""Team work in the window, on real news: PolNeAR's articles (../shared/eval) annotated by
two "analysts", PolNeAR's trained coders (``coder``: their sources as *source*, their
attributed contents as *claim*) and annotator's own rules (``rules``: the rule-based
source and claim suggestions, no model), both synced through a real PostgreSQL
(pgserver, started here). The lead's window (offscreen, the real MainWindow) then:

- connects and receives the whole corpus in its background sync: seconds until the
  status bar says connected, and the longest the UI thread was stalled meanwhile
  (a 10 ms heartbeat timer's worst gap);
- opens Team → Agreement: seconds until the report is shown, the longest stall, the
  agreement itself (kappa, alpha, F1 exact/overlap; over all and per tag) and the
  number of disagreements;
- opens Team → Curation on the article with the most places: seconds to show it, and
  the seconds per accept (key 1) over its first 20 places, median and worst.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_team_window.py [--articles 839]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEventLoop,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.domain import Annotation, NewArticle
from annotator.services import team
from annotator.services.workspace import open_workspace
from annotator.suggest import suggest

POLNEAR = ROOT.parent / "shared" / "eval" / "polnear_attribution_train" / "records.jsonl"
TAGS = {"source": "source", "content": "claim"}
STAMP = "2026-12-04T00:00:00+00:00"


class Heartbeat:
    """The longest gap between ticks of a 10 ms timer: how long the UI thread stalled."""

    def __init__(self):
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.worst = 0

    def _tick(self) -> None:
        self.worst = max(self.worst, self.clock.restart())

    def start(self) -> None:
        self.worst = 0
        self.clock.start()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.worst / 1000


def wait_until(condition, timeout: float = 600) -> float:
    """Seconds until ``condition()`` holds, the event loop running meanwhile."""
    started = time.perf_counter()
    while not condition():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the window did not get there")
        time.sleep(0.002)
    return time.perf_counter() - started


def analyst_db(path: Path, name: str):
    store = open_workspace(path)
    store.set_setting("annotator_name", name)
    return store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=839)
    args = parser.parse_args()
    import pgserver

    records = [json.loads(line) for line in POLNEAR.open(encoding="utf-8")][: args.articles]
    folder = Path(tempfile.mkdtemp(prefix="bench-team-window-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
    server = pgserver.get_server(folder / "pg", cleanup_mode="stop")
    result: dict = {"articles": len(records)}
    try:
        admin = server.get_uri()
        team.init_server(admin)
        for name in ("coder", "rules"):
            team.add_analyst(admin, name)
        team.add_analyst(admin, "lead", curator=True)

        def url(role: str) -> str:
            return admin.replace("postgresql://postgres:@", f"postgresql://{role}@", 1)

        coder = analyst_db(folder / "coder.db", "coder")
        tag_ids = {t.name: t.id for t in coder.list_tags()}
        spans = 0
        for r in records:
            article_id, _ = coder.insert_article(NewArticle(title=r["id"], text=r["text"], source_format="txt"))
            rows = [Annotation(0, article_id, tag_ids[TAGS[s["label"]]], s["start"], s["end"], s["text"],
                               annotator="coder", created=STAMP)
                    for s in r["spans"] if s["label"] in TAGS and s["end"] > s["start"]]
            coder.insert_annotations(rows)
            spans += len(rows)
        result["coder_spans"] = spans
        team.sync(coder, url("coder"))

        rules = analyst_db(folder / "rules.db", "rules")
        team.sync(rules, url("rules"))
        tag_ids = {t.name: t.id for t in rules.list_tags()}
        spans = 0
        started = time.perf_counter()
        for article in rules.iter_articles(rules.article_ids()):
            rows = [Annotation(0, article.id, tag_ids[s.tag], s.start, s.end, article.text[s.start:s.end],
                               annotator="rules", created=STAMP)
                    for s in suggest(article.text, ("source", "claim"), model=False)]
            rules.insert_annotations(rows)
            spans += len(rows)
        result["rules_spans"] = spans
        result["rules_seconds"] = round(time.perf_counter() - started, 2)
        team.sync(rules, url("rules"))
        coder.close()
        rules.close()

        app = QApplication.instance() or QApplication([])
        from annotator.gui.main_window import MainWindow

        store = open_workspace(folder / "lead.db")
        store.set_setting("auto_suggest", "0")
        window = MainWindow(store, annotator="lead")
        window.show()
        beat = Heartbeat()
        menu = window.team_menu

        # Connect: the first sync of the whole corpus, in the background.
        beat.start()
        menu._connect_to(url("lead"), "")
        result["first_sync_seconds"] = round(wait_until(lambda: "connected as lead" in menu.status.text()), 2)
        result["first_sync_worst_ui_stall_s"] = beat.stop()
        report = menu.sync.last_report
        result["first_sync_received"] = {"articles": report.received_articles,
                                         "annotations": report.received_annotations}
        beat.start()
        menu.sync.sync_now()
        result["idle_sync_seconds"] = round(wait_until(lambda: not menu.sync.running()), 3)
        result["idle_sync_worst_ui_stall_s"] = beat.stop()

        # Agreement.
        beat.start()
        agreement = menu.open_agreement()
        result["agreement_seconds"] = round(wait_until(lambda: agreement.computed is not None), 2)
        QCoreApplication.processEvents()
        result["agreement_worst_ui_stall_s"] = beat.stop()
        computed = agreement.computed.report

        def score(tag: str = "*"):
            s = computed.score(tag=tag, pair="coder/rules")
            return {k: (round(getattr(s, k), 3) if getattr(s, k) is not None else None)
                    for k in ("kappa", "alpha", "f1_exact", "f1_overlap")} | {"words": s.units}

        result["agreement_coder_vs_rules"] = {"all": score(), "source": score("source"), "claim": score("claim")}
        result["disagreements"] = len(computed.disagreements)
        result["score_rows"] = len(computed.scores)
        agreement.close()

        # Curation of the article with the most places.
        from annotator.services.curation import curation_overview

        busiest = max(curation_overview(store), key=lambda a: a.groups)
        window.open_article(busiest.article_id)
        clock = time.perf_counter()
        curation = menu.open_curation()
        QCoreApplication.processEvents()
        result["curation_open_seconds"] = round(time.perf_counter() - clock, 3)
        result["curation_places"] = curation.group_model.rowCount()
        curation.activateWindow()
        wait_until(curation.isActiveWindow, 10)
        curation.groups.setFocus()
        curation.groups.setCurrentIndex(curation.group_model.index(0, 0))
        times = []
        for _ in range(min(20, curation.group_model.rowCount())):
            group = curation.current_group()
            n = 1 + curation.group_model.analysts.index(group.analysts[0])
            clock = time.perf_counter()
            QTest.keyClick(curation.groups, Qt.Key(Qt.Key.Key_0 + n))
            times.append(time.perf_counter() - clock)
        result["curation_accept_seconds"] = {"median": round(statistics.median(times), 4),
                                             "worst": round(max(times), 4), "accepted": len(times)}
        window.team_menu.layers.choose("curated")
        result["curated_spans_shown"] = len(window.document.annotations)
        window.close()
        store.close()
        del app
    finally:
        server.cleanup()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
