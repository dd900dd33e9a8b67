"""Corpus analysis at scale: 10,000 articles (50,000,000 characters) and 500,000
annotations. Measures building the search index from scratch, a search's first
page (p50/p95 over a mix of queries and filters), opening the source registry and
the figure tracker (the service work behind each window), and the charts' counts.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_corpus.py [--workdir DIR] [--articles N] [--windows]

Prints one JSON object. The corpus is built once in the work folder and reused.
``--windows`` also times opening each corpus window in the real main window (Qt,
offscreen), from the menu's action to the window drawn (for the source registry and the
figure tracker, which group in the background, also to their rows shown), and opening the registry and
the figure tracker again (closed, nothing changed).
Each article has named sources (a pool of 3,000 people, cited by full name, by
surname and with a title), figures with their normalised values, claims linked to
their sources (a fifth with a verdict), and random spans for the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_data import WORDS, ensure_tags, make_text, random_spans  # noqa: E402

from annotator.domain import NewArticle  # noqa: E402
from annotator.services.figures import figure_groups  # noqa: E402
from annotator.services.sources import source_registry  # noqa: E402
from annotator.store import open_store  # noqa: E402
from annotator.store import corpus  # noqa: E402

GIVEN = "Ana Ben Carla David Elena Farid Greta Hugo Irina Jonas Karim Lena Marco Nadia Omar Paula Quentin Rosa Samir Tomas".split()
FAMILY = ("Ruiz Malmberg Haddad Ferreira Rautio Kowalski Nguyen Okafor Schmidt Petrov Silva Tanaka Moreau Jensen "
          "Novak Costa Weber Rossi Kim Ivanova Larsen Duarte Bauer Fischer Horvath Lindqvist Mendes Popescu "
          "Sato Yilmaz Zelenskyy Abbas Bakker Cohen Dubois Eriksen Fontaine Garcia Hansen Ibrahim").split()
TITLES = ["Colonel", "Dr.", "Minister", "Ms.", "Mr.", "Senator", "Mayor", "Professor"]
NOUNS = ["soldiers", "troops", "people", "civilians", "homes", "children", "protesters", "votes"]
QUERIES = [
    "soldiers", "minister", "anonymity", '"central bank"', '"at least"', "spok*", "rates OR prices",
    "soldiers NOT minister", "café", "Ruiz", "Malmberg said", "troops", "allocated", "condition",
]
FILTERS = [corpus.Filters(), corpus.Filters(outlet="Outlet 3"), corpus.Filters(tag="claim"),
           corpus.Filters(date_from="2024-03-01", date_to="2024-06-30"), corpus.Filters(annotator="bench")]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def people(rng: random.Random, n: int = 3000) -> list[tuple[str, str]]:
    pool = set()
    while len(pool) < n:
        pool.add((rng.choice(GIVEN) + rng.choice(["", "a", "o", "el"]), rng.choice(FAMILY)))
    return sorted(pool)


def article(i: int, rng: random.Random, pool: list[tuple[str, str]], chars: int) -> tuple[str, list]:
    """An article's text and its planned spans ``(tag, start, end, value, link_to_index)``."""
    parts, spans, size = [f"Article {i}\n"], [], len(f"Article {i}\n")
    while size < chars:
        filler = make_text(rng.randrange(200, 500), rng) + " "
        parts.append(filler)
        size += len(filler)
        given, family = rng.choice(pool)
        name = rng.choice([f"{given} {family}", family, f"{rng.choice(TITLES)} {family}", f"{given[0]}. {family}"])
        n, noun = rng.randrange(2, 400), rng.choice(NOUNS)
        figure = f"at least {n} {noun}"
        claim = f"{figure} were affected"
        sentence = f"{claim[0].upper()}{claim[1:]}, {name} said. "
        start = size
        spans.append(("figure", start, start + len(figure), json.dumps({"value": str(n), "noun": noun,
                                                                        "qualifier": "at least"}), None))
        spans.append(("claim", start, start + len(claim), '{"kind":"reported"}', len(spans) + 1))
        s = start + len(claim) + 2
        spans.append(("source", s, s + len(name), '{"kind":"named"}', None))
        parts.append(sentence)
        size += len(sentence)
    text = "".join(parts)
    return text, spans


def build(path: Path, *, articles: int, chars: int, per_article: int, seed: int = 7) -> Path:
    marker = path.with_suffix(path.suffix + ".complete")
    if path.exists() and marker.exists():
        return path
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"), marker):
        p.unlink(missing_ok=True)
    rng = random.Random(seed)
    pool = people(rng)
    t0 = time.perf_counter()
    store = open_store(path)
    ensure_tags(store)
    tags = {t.name: t.id for t in store.list_tags()}
    stamp = "2026-11-25T09:00:00.000000+00:00"
    for first in range(0, articles, 500):
        with store.write() as c:
            for i in range(first, min(articles, first + 500)):
                text, spans = article(i, rng, pool, chars)
                day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
                article_id, _ = store.insert_article(NewArticle(
                    title=f"Story {i}: {rng.choice(WORDS)} talks", text=text, outlet=f"Outlet {i % 37}",
                    url=f"https://news.example/{i}", published=day))
                spans = spans[: per_article]
                rows = [(article_id, tags[tag], s, e, text[s:e], "", "bench", stamp, stamp, value)
                        for tag, s, e, value, _link in spans]
                for s, e in random_spans(text, max(0, per_article - len(spans)), rng):
                    rows.append((article_id, tags["claim"], s, e, text[s:e], "", "bench", stamp, stamp, ""))
                first_id = c.execute("SELECT coalesce(max(id), 0) + 1 FROM annotations").fetchone()[0]
                c.executemany(
                    'INSERT INTO annotations (id, article_id, tag_id, start, "end", quote, note, annotator, created,'
                    " updated, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(first_id + k, *row) for k, row in enumerate(rows)],
                )
                links = [(first_id + k, first_id + link, "source") for k, (_t, _s, _e, _v, link) in enumerate(spans)
                         if link is not None and link < len(spans)]
                c.executemany("INSERT INTO annotation_links (from_annotation_id, to_annotation_id, kind)"
                              " VALUES (?, ?, ?)", links)
                verdicts = [(claim, stamp, rng.choice(["true", "mostly true", "mixed", "false"]), "2024-06-01")
                            for claim, _src, _k in links if rng.random() < 0.2]
                c.executemany("INSERT INTO verdicts (annotation_id, annotation_created, rating, date)"
                              " VALUES (?, ?, ?, ?)", verdicts)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    marker.write_text(f"built in {time.perf_counter() - t0:.1f} s\n")
    return path


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def windows_open(path: Path) -> dict:
    """Milliseconds from each Corpus menu action to its window drawn (first open; the
    charts include importing matplotlib)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    store = open_store(path)
    window = MainWindow(store, annotator="bench")
    window.show()
    app.processEvents()
    menu = window.corpus_menu
    out = {}
    for name, action in (("search", menu.open_search), ("registry", menu.open_registry),
                         ("figures", menu.open_figures), ("charts", menu.open_charts)):
        t0 = time.perf_counter()
        action()
        app.processEvents()
        out[name] = ms(time.perf_counter() - t0)
        view = menu.views[name]
        if getattr(view, "job", None) is not None:  # built in the background: the window is up before its rows
            if not view.computed_once:  # wait as the application does, in an event loop
                loop = QEventLoop()
                view.computed_shown.connect(loop.quit)
                loop.exec()
            out[f"{name}_rows_shown"] = ms(time.perf_counter() - t0)
    # Opened again with nothing changed: the window shows the rows it has.
    for name, action in (("registry", menu.open_registry), ("figures", menu.open_figures)):
        menu.views[name].close()
        app.processEvents()
        t0 = time.perf_counter()
        action()
        app.processEvents()
        out[f"{name}_again"] = ms(time.perf_counter() - t0)
    panel = menu.views["search"]
    panel.query.setText("soldiers")
    t0 = time.perf_counter()
    panel.run()
    app.processEvents()
    out["search_results_shown"] = ms(time.perf_counter() - t0)
    window.close()
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "annotator-bench")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=5_000)
    parser.add_argument("--annotations-per-article", type=int, default=50)
    parser.add_argument("--windows", action="store_true", help="also time opening the windows")
    parser.add_argument("--windows-of", type=Path, help=argparse.SUPPRESS)  # the windows alone, for --windows
    args = parser.parse_args()
    if args.windows_of:
        print(json.dumps(windows_open(args.windows_of)))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = build(args.workdir / f"corpus-{args.articles}.db", articles=args.articles, chars=args.chars,
                 per_article=args.annotations_per_article)
    store = open_store(path)
    result: dict = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "articles": len(store.article_ids()),
        "characters": store._query("SELECT sum(length(text)) FROM articles")[0][0],
        "annotations": store.count_annotations(),
    }
    build_s, _ = timed(lambda: corpus.rebuild_search_index(store), repeat=1)
    result["index_build_from_scratch_s"] = round(build_s, 2)
    times = []
    for query in QUERIES:
        for filters in FILTERS:
            t0 = time.perf_counter()
            corpus.search(store, query, filters, limit=20)
            times.append(time.perf_counter() - t0)
    result["search_first_page_ms"] = {
        "queries": len(times), "p50": ms(statistics.median(times)), "p95": ms(percentile(times, 95)),
        "max": ms(max(times)),
    }
    registry_s, entries = timed(lambda: source_registry(store))
    result["source_registry_open_ms"] = ms(registry_s)
    result["sources"] = {"mentions": sum(e.count for e in entries), "groups": len(entries)}
    figures_s, groups = timed(lambda: figure_groups(store))
    result["figure_tracker_open_ms"] = ms(figures_s)
    result["figure_groups"] = len(groups)
    charts_s, _ = timed(lambda: (corpus.count_by_tag_and_outlet(store), corpus.count_by_tag_and_week(store),
                                 corpus.sources_per_claim(store), corpus.count_verdicts(store)))
    result["chart_counts_ms"] = ms(charts_s)
    store.close()
    if args.windows:
        # In a process of its own, as the analyst's application is: this one holds the
        # corpus views built above, and a heap that large slows building them again.
        done = subprocess.run([sys.executable, __file__, "--windows-of", str(path)], capture_output=True,
                              text=True, check=True)
        result["windows_open_ms"] = json.loads(done.stdout)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
