"""Exchange speed: export and import 100,000 annotations in every format.

Builds a database of N articles (about 6,000 characters each, with emoji and
accents so that code points and bytes differ) carrying 100,000 annotations in
all (overlapping, with notes on a third of them, one in ten linked to
another), then for each format times
the export of everything and the import (plan + apply, one transaction) into an
empty database (for the tables, CSV and Excel, which carry no article text: one
that has the articles), and checks that every annotation came back exactly.
Wall-clock and CPU seconds are both given (the CPU time is steadier on a busy
machine), and the load average before and after. Prints JSON.

    python benchmarks/bench_exchange.py [--annotations 100000] [--articles 500]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.domain import Annotation, NewArticle  # noqa: E402
from annotator.services.exchange import apply_import, plan_import  # noqa: E402
from annotator.services.exporting import export_annotations  # noqa: E402
from annotator.store import open_store  # noqa: E402

FORMATS = [("csv", "out.csv"), ("xlsx", "out.xlsx"), ("jsonl", "out.jsonl"), ("w3c", "out.jsonld"), ("qdpx", "out.qdpx"),
           ("brat", "brat.zip"), ("html", "report.html")]
WORDS = ("the minister said that 40 per cent of claims were false according to officials in "
         "Kyiv 👍🏽 café naïve 12,000 soldiers reported a rise of -3% since March").split()


def build(path: Path, n_annotations: int, n_articles: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    store = open_store(path)
    tags = [store.insert_tag(name, colour) for name, colour in
            (("claim", "#3B82F6"), ("source", "#16A34A"), ("figure", "#E11D48"), ("quote", "#F59E0B"))]
    per_article = n_annotations // n_articles
    with store.write():
        for i in range(n_articles):
            paragraphs = []
            while sum(map(len, paragraphs)) < 6000:
                paragraphs.append(" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(20, 60))) + ".")
            text = f"Article {i}\n" + "\n".join(paragraphs)
            article_id, _ = store.insert_article(NewArticle(title=f"Article {i}", text=text, url=f"https://example.org/{i}"))
            rows = []
            count = per_article + (1 if i < n_annotations % n_articles else 0)
            for k in range(count):
                start = rnd.randrange(0, len(text) - 80)
                end = start + rnd.randint(1, 80)
                rows.append(Annotation(
                    0, article_id, tags[k % len(tags)].id, start, end, text[start:end],
                    note=f"note {k}, with \"quotes\"\nand a line" if k % 3 == 0 else "", annotator="nadia",
                    created="2026-03-14T10:00:00.000000+00:00", updated="2026-03-14T10:00:00.000000+00:00",
                ))
            ids = store.insert_annotations(rows)
            # One claim in ten is linked to the source that follows it.
            store.insert_links((ids[k], ids[k + 1], "source") for k in range(0, len(ids) - 1, 10))
    store.close()


def fingerprint(store) -> list[tuple]:
    """Every annotation as (article URL, start, end, quote, tag, note, annotator, created)."""
    names = {t.id: t.name for t in store.list_tags()}
    return sorted(
        (a.url, n.start, n.end, n.quote, names[n.tag_id], n.note, n.annotator, n.created)
        for a in store.iter_articles() for n in store.list_annotations(a.id)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    results: dict = {"annotations": args.annotations, "articles": args.articles, "formats": {},
                     "load_average_before": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        build(tmp / "source.db", args.annotations, args.articles)
        results["build_seconds"] = round(time.perf_counter() - t0, 2)
        source = open_store(tmp / "source.db")
        expected = fingerprint(source)
        for fmt, name in FORMATS:
            out = tmp / name
            t0, c0 = time.perf_counter(), time.process_time()
            written = export_annotations(source, fmt, out)
            export_s, export_cpu = time.perf_counter() - t0, time.process_time() - c0
            size = out.stat().st_size
            entry = {"export_seconds": round(export_s, 2), "export_cpu_seconds": round(export_cpu, 2),
                     "written": written, "bytes": size}
            if fmt != "html":
                target_path = tmp / f"import-{fmt}.db"
                target = open_store(target_path)
                if fmt in ("csv", "xlsx"):  # tables have no texts: give the target the articles first
                    with target.write():
                        for article in source.iter_articles():
                            target.insert_article(NewArticle(title=article.title, text=article.text, url=article.url))
                        for tag in source.list_tags():
                            target.insert_tag(tag.name, tag.colour)
                t0, c0 = time.perf_counter(), time.process_time()
                plan = plan_import(target, [out])
                plan_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                applied = apply_import(target, plan)
                apply_s, import_cpu = time.perf_counter() - t0, time.process_time() - c0
                entry.update({
                    "import_plan_seconds": round(plan_s, 2), "import_apply_seconds": round(apply_s, 2),
                    "import_seconds": round(plan_s + apply_s, 2),
                    "import_cpu_seconds": round(import_cpu, 2), "imported": applied.annotations_added,
                    "errors": len(plan.errors), "round_trip_exact": written == args.annotations and fingerprint(target) == expected,
                })
                target.close()
            results["formats"][fmt] = entry
            print(f"{fmt}: {entry}", file=sys.stderr)
        source.close()
    results["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
