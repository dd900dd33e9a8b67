"""Synthetic databases for the benchmarks: news-like text with emoji and Arabic
(so that code points, UTF-8 bytes and UTF-16 units all differ) and annotations
whose quotes really are ``text[start:end]``."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from annotator.domain import NewArticle
from annotator.store import Store, open_store

WORDS = (
    "the minister said at least 11 soldiers were killed on Tuesday according to officials "
    "who spoke on condition of anonymity prices rose 4.5% in March while the central bank "
    "held rates at 3.25% a spokesperson told reporters that $2.3 million had been allocated "
    "قال المتحدث الرسمي إن الوضع مستقر 👍🏽 🇺🇦 café naïve"
).split()


def make_text(n_chars: int, rng: random.Random) -> str:
    """Paragraphs of words until ``n_chars`` code points."""
    parts: list[str] = []
    size = 0
    while size < n_chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 30))).capitalize() + "."
        if rng.random() < 0.15:
            sentence += "\n\n"
        else:
            sentence += " "
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:n_chars]


def random_spans(text: str, count: int, rng: random.Random, max_len: int = 60) -> list[tuple[int, int]]:
    spans = []
    while len(spans) < count:
        start = rng.randrange(0, len(text) - max_len)
        end = start + rng.randrange(3, max_len)
        if text[start:end].strip() == text[start:end]:
            spans.append((start, end))
    return spans


def ensure_tags(store: Store) -> list[int]:
    ids = [t.id for t in store.list_tags()]
    if not ids:
        ids = [store.insert_tag(n, c, k).id for n, c, k in
               [("claim", "#3B82F6", "1"), ("source", "#16A34A", "2"), ("figure", "#E11D48", "3")]]
    return ids


def bulk_annotations(store: Store, article_id: int, text: str, count: int, tag_ids: list[int],
                     rng: random.Random) -> None:
    """Insert ``count`` annotations in one transaction (setup, not what is measured)."""
    stamp = "2026-11-25T09:00:00.000000+00:00"
    rows = [
        (article_id, rng.choice(tag_ids), s, e, text[s:e], rng.choice(["", "check this", "=SUM(1)", "a,b\n\"c\""]),
         "bench", stamp, stamp)
        for s, e in random_spans(text, count, rng)
    ]
    with store.write() as c:
        c.executemany(
            'INSERT INTO annotations (article_id, tag_id, start, "end", quote, note, annotator, created, updated)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def build(path: Path, *, articles: int, chars: int, annotations_per_article: int, seed: int = 1) -> Path:
    """Create (or reuse, if complete) a database at ``path``; returns ``path``."""
    marker = path.with_suffix(path.suffix + ".complete")
    if path.exists() and marker.exists():
        return path
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"), marker):
        p.unlink(missing_ok=True)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    store = open_store(path)
    tag_ids = ensure_tags(store)
    with store.write():
        for i in range(articles):
            text = f"Article {i}\n" + make_text(chars, rng)
            article_id, _ = store.insert_article(
                NewArticle(title=f"Story {i}: talks stall", text=text, outlet=f"Outlet {i % 37}",
                           url=f"https://news.example/{i}")
            )
            if annotations_per_article:
                bulk_annotations(store, article_id, text, annotations_per_article, tag_ids, rng)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    marker.write_text(f"built in {time.perf_counter() - t0:.1f} s\n")
    return path


def copy_database(source: Path, target: Path) -> Path:
    """A fresh copy of ``source`` at ``target`` through SQLite's backup API.

    Never a file copy: that misses what is still in the source's -wal, and a
    process that opens and closes the database file with anything but SQLite
    drops every lock it holds on it.
    """
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target
