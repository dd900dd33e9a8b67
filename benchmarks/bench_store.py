"""Store speed: listing 10,000 articles, and tagging latency in a 1,000,000-character
article that already has 20,000 annotations (store level and through the service).

    python benchmarks/bench_store.py [--workdir DIR] [--without-search-index]

Prints one JSON object. Databases are built once in the work folder and reused;
the tagging run adds its annotations to a copy, so every run starts equal. Each
insert is timed on the wall clock and in CPU seconds (steadier on a busy machine;
the load average before and after is given). ``--without-search-index`` also times
the store-level inserts on a copy whose full-text index trigger is dropped, to show
what keeping the search index costs (a diagnostic: the program always keeps it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_data import build, copy_database, random_spans  # noqa: E402

from annotator.services.annotations import add_annotation  # noqa: E402
from annotator.store import open_store  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def summary(values: list[float]) -> dict:
    return {"p50": ms(percentile(values, 50)), "p99": ms(percentile(values, 99)), "max": ms(max(values)),
            "n": len(values)}


def timed_inserts(store, article, spans, tag_ids, rng) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each store-level insert of ``spans``."""
    wall, cpu = [], []
    for s, e in spans:
        t, c = time.perf_counter(), time.process_time()
        store.insert_annotation(article.id, rng.choice(tag_ids), s, e, article.text[s:e], annotator="bench")
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "annotator-bench")
    parser.add_argument("--taggings", type=int, default=2_000)
    parser.add_argument("--without-search-index", action="store_true")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    result: dict = {"benchmark": "store", "python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_average_before": round(os.getloadavg()[0], 2)}

    # -- the article list ---------------------------------------------------
    listing_db = build(args.workdir / "list-10000.db", articles=10_000, chars=3_000, annotations_per_article=5)
    t = time.perf_counter()
    store = open_store(listing_db)
    result["open_store_s"] = round(time.perf_counter() - t, 4)
    runs = []
    for _ in range(7):
        t = time.perf_counter()
        summaries = store.list_articles()
        runs.append(time.perf_counter() - t)
    assert len(summaries) == 10_000
    store.close()
    result["list_10000_articles_s"] = {"median": round(statistics.median(runs), 4), "max": round(max(runs), 4),
                                       "target": 0.5}

    # -- tagging in a long article -------------------------------------------
    big_db = build(args.workdir / "big-1m-20k.db", articles=1, chars=1_000_000, annotations_per_article=20_000)
    work = args.workdir / "big-work.db"
    copy_database(big_db, work)
    store = open_store(work)
    article_id = store.article_ids()[0]
    t = time.perf_counter()
    article = store.get_article(article_id)
    annotations = store.list_annotations(article_id)
    result["load_article_and_annotations_s"] = round(time.perf_counter() - t, 4)
    result["article_chars"] = len(article.text)
    result["existing_annotations"] = len(annotations)
    tag_ids = [t.id for t in store.list_tags()]
    rng = random.Random(7)
    spans = random_spans(article.text, 2 * args.taggings, rng)

    store_level, store_cpu = timed_inserts(store, article, spans[:args.taggings], tag_ids, rng)
    service_level = []
    for i in range(args.taggings, 2 * args.taggings):
        s, e = spans[i]
        t = time.perf_counter()
        add_annotation(store, article=article, tag_id=rng.choice(tag_ids), start=s, end=e, annotator="bench",
                       whole_words=True)
        service_level.append(time.perf_counter() - t)
    assert store.count_annotations(article_id) == 20_000 + 2 * args.taggings
    assert store.integrity_check() == "ok"
    store.close()
    result["insert_annotation_ms"] = summary(store_level)
    result["insert_annotation_cpu_ms"] = summary(store_cpu)
    result["add_annotation_service_ms"] = summary(service_level)
    if args.without_search_index:
        bare = copy_database(big_db, args.workdir / "big-work-no-index.db")
        conn = sqlite3.connect(bare)
        conn.execute("DROP TRIGGER annotations_ai")
        conn.commit()
        conn.close()
        store = open_store(bare)
        wall, cpu = timed_inserts(store, article, spans[:args.taggings], tag_ids, random.Random(7))
        store.close()
        result["insert_annotation_without_search_index_ms"] = summary(wall)
        result["insert_annotation_without_search_index_cpu_ms"] = summary(cpu)
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
