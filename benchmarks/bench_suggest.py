"""Speed of the suggesters, one core; prints JSON.

Times are CPU seconds of this process (best of three rounds), so the numbers
are per core and not disturbed by other programs. The corpus is the project's news fixtures (tests/suggest/fixtures/*.jsonl),
repeated until it holds at least ``--mb`` megabytes of UTF-8 text. Reported:
megabytes per second for all three suggesters together and for each alone
(and the same as kilobytes per second per core), the time to suggest for one
article of about 1,000 words (median and worst of ``--repeat`` runs), and, when
``../shared/eval/polnear_attribution_train`` is there, the CPU seconds for 1,000
real news articles on one core (a corpus run has two). ``--pysbd`` also times pysbd's sentence splitter
on the same text, for comparison with the built-in splitter (pysbd is not a
dependency of annotator: `pip install pysbd` first).

    python benchmarks/bench_suggest.py [--mb 2] [--repeat 30] [--pysbd]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.suggest import suggest  # noqa: E402
from annotator.suggest.sentences import split_sentences  # noqa: E402

FIXTURES = ROOT / "tests" / "suggest" / "fixtures"
REAL_NEWS = ROOT.parent / "shared" / "eval" / "polnear_attribution_train" / "records.jsonl"


def articles() -> list[str]:
    texts = []
    for path in sorted(FIXTURES.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def corpus(mb: float) -> list[str]:
    base = articles()
    out, size = [], 0
    while size < mb * 1_000_000:
        for t in base:
            out.append(t)
            size += len(t.encode("utf-8"))
    return out


def thousand_words() -> str:
    """An article of about 1,000 words made of whole fixture paragraphs."""
    words, paras = 0, []
    for t in articles() * 3:
        for p in t.split("\n\n"):
            paras.append(p)
            words += len(p.split())
            if words >= 1000:
                return "\n\n".join(paras)
    return "\n\n".join(paras)


def throughput(texts: list[str], fn, rounds: int = 3) -> float:
    """Megabytes per CPU second (best of ``rounds``): CPU time, so that other
    programs on the machine do not count against the suggesters."""
    size = sum(len(t.encode("utf-8")) for t in texts)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for t in texts:
            fn(t)
        best = min(best, time.process_time() - start)
    return size / 1_000_000 / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--pysbd", action="store_true")
    args = ap.parse_args()

    texts = corpus(args.mb)
    suggest(texts[0])  # compile patterns outside the timing
    result: dict = {
        "corpus_mb": round(sum(len(t.encode("utf-8")) for t in texts) / 1_000_000, 2),
        "articles": len(texts),
        "mb_per_s": {
            "all": round(throughput(texts, suggest), 2),
            "figure": round(throughput(texts, lambda t: suggest(t, ("figure",))), 2),
            "source": round(throughput(texts, lambda t: suggest(t, ("source",))), 2),
            "claim": round(throughput(texts, lambda t: suggest(t, ("claim",))), 2),
            "sentences": round(throughput(texts, split_sentences), 2),
        },
    }
    result["kb_per_s_per_core"] = {k: round(v * 1000) for k, v in result["mb_per_s"].items()}
    if REAL_NEWS.exists():
        with REAL_NEWS.open(encoding="utf-8") as fh:
            news = [json.loads(line)["text"] for line in fh if line.strip()]
        news = (news * 2)[:1000]
        start = time.process_time()
        for t in news:
            suggest(t)
        result["real_news_1000_articles"] = {
            "kb": round(sum(len(t.encode("utf-8")) for t in news) / 1000),
            "cpu_seconds_one_core": round(time.process_time() - start, 2),
        }
    article = thousand_words()
    times = []
    for _ in range(args.repeat):
        start = time.process_time()
        suggest(article)
        times.append((time.process_time() - start) * 1000)
    result["article_1000_words"] = {
        "words": len(article.split()),
        "suggestions": len(suggest(article)),
        "median_ms": round(statistics.median(times), 2),
        "max_ms": round(max(times), 2),
    }
    if args.pysbd:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
        sample = texts[: max(1, len(texts) // 20)]
        result["mb_per_s"]["pysbd_sentences"] = round(throughput(sample, seg.segment, rounds=1), 3)
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
