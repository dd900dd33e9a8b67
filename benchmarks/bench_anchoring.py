"""Anchoring speed: W3C annotations given only by their quote (with prefix and suffix).

One article of about 300,000 characters of repetitive news text in the database,
and a W3C file of 1,000 quote-only annotations on it: first with distinct quotes,
then with one quote that occurs thousands of times (only its prefix and suffix
tell the occurrences apart), then with positions counted in UTF-16 units (as a
JavaScript client counts them) so that every position misses and the quote
decides. Times the import plan (reading, matching, anchoring; nothing written)
and checks that every annotation landed where it was taken from. Prints JSON.

    python benchmarks/bench_anchoring.py [--chars 300000] [--annotations 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.domain import NewArticle  # noqa: E402
from annotator.services.exchange import plan_import  # noqa: E402
from annotator.store import open_store  # noqa: E402

WORDS = ("the minister said that 40 per cent of claims were false according to officials in "
         "Kyiv 👍🏽 café naïve 12,000 soldiers reported a rise of -3% since March").split()
REPEATED = "minister"


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def w3c_file(path: Path, text: str, source: str, spans: list[tuple[int, int]], *, positions: bool) -> None:
    items = []
    for start, end in spans:
        selectors = [{"type": "TextQuoteSelector", "exact": text[start:end],
                      "prefix": text[max(0, start - 32):start], "suffix": text[end:end + 32]}]
        if positions:
            selectors.append({"type": "TextPositionSelector", "start": utf16(text, start), "end": utf16(text, end)})
        items.append({"type": "Annotation", "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"}],
                      "target": {"source": source, "selector": selectors}})
    path.write_text(json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage",
                                "items": items}), encoding="utf-8")


def run(n_chars: int, n_annotations: int) -> dict:
    rnd = random.Random(11)
    words = []
    while sum(len(w) + 1 for w in words) < n_chars:
        words.append(rnd.choice(WORDS))
    text = " ".join(words)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = open_store(tmp / "a.db")
        store.insert_article(NewArticle(title="Long", text=text, url="https://example.org/long"))
        stored = store.get_article(store.latest_article_id()).text
        repeated = [i for i in range(len(stored)) if stored.startswith(REPEATED, i)]
        cases = {
            "distinct_quotes": ([(s, s + rnd.randint(20, 60)) for s in rnd.sample(range(len(stored) - 80), n_annotations)], False),
            "repeated_quote": ([(s, s + len(REPEATED)) for s in rnd.sample(repeated, min(n_annotations, len(repeated)))], False),
            "utf16_positions": ([(s, s + rnd.randint(20, 60)) for s in rnd.sample(range(len(stored) - 80), n_annotations)], True),
        }
        for name, (spans, positions) in cases.items():
            path = tmp / f"{name}.json"
            w3c_file(path, stored, "https://example.org/long", spans, positions=positions)
            t0, c0 = time.perf_counter(), time.process_time()
            plan = plan_import(store, [path])
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            placed = sorted((a.start, a.end) for a in plan.annotations)
            results[name] = {
                "annotations": len(spans), "seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
                "anchored_exactly": placed == sorted(spans), "errors": len(plan.errors),
                "occurrences_of_quote": len(repeated) if name == "repeated_quote" else None,
            }
        store.close()
    return {"benchmark": "anchoring", "text_chars": len(text), "cases": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--annotations", type=int, default=1000)
    args = parser.parse_args()
    print(json.dumps(run(args.chars, args.annotations), indent=1))


if __name__ == "__main__":
    main()
