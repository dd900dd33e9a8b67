"""A database full of the cases exports get wrong: astral characters before spans,
right-to-left text, combining marks, overlaps, awkward notes and tag names."""

from __future__ import annotations

from pathlib import Path

from annotator.domain import NewArticle
from annotator.store import open_store

EMOJI = "Rally 👍🏽 👩‍👩‍👧‍👦 🇺🇦 crowd"  # skin tone, ZWJ family, flag: many code points each
ARTICLES = [
    NewArticle(
        title="Emoji, \"quotes\" & <tags>",
        text=(
            f"{EMOJI} gathered.\nThe minister said =HYPERLINK(\"http://evil\") was \"fine\", costs fell -3%.\n"
            "Second line, with commas, and a café (cafe\u0301) here."
        ),
        outlet="The Ledger, Inc.", author="Zoë O'Brien", url="https://example.org/a?x=1&y=<2>",
        published="2026-03-14",
    ),
    NewArticle(
        title="تقرير عربي",
        text="قال المتحدث الرسمي إن 12 شخصا أصيبوا. ثم أضاف: \"لن نتراجع\". English tail 🚀 end.",
        outlet="صحيفة", author="", url="", published="",
    ),
    NewArticle(
        title="Plain and overlapping",
        text="Officials said 40 per cent of the 1,200 claims were false.\n\n+1 555 0100 is a phone number. @user wrote -2.",
    ),
]
TAGS = [
    ("claim", "#3B82F6", "1", "A checkable statement"),
    ("source", "#16a34a", "2", ""),
    ("figure, number", "#E11D48", "", "Numbers with \"units\""),
    ("=SUM(A1)", "#0a0B0c", "", ""),
    ("Ünïcode tag 🏷️", "#FFAA00", "", "tab\there"),
]


def _span(text: str, quote: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def build_hard_store(path: Path):
    """A new database at ``path`` holding the hard cases; returns the open Store."""
    store = open_store(path)
    tags = {name: store.insert_tag(name, colour, key, description) for name, colour, key, description in TAGS}
    ids = [store.insert_article(a)[0] for a in ARTICLES]
    a0, a1, a2 = (store.get_article(i) for i in ids)
    store.set_article_status(a1.id, "done")

    def add(article, tag, quote, nth=0, **kw):
        s, e = _span(article.text, quote, nth)
        kw.setdefault("annotator", "nadia")
        kw.setdefault("created", "2026-03-14T10:00:00.123456+00:00")
        return store.insert_annotation(article.id, tags[tag].id, s, e, quote, **kw)

    claim = add(a0, "claim", "The minister said =HYPERLINK(\"http://evil\") was \"fine\"",
                note="Check: \"fine\", really?\nSecond line, with, commas", annotator="Zoë")
    who = add(a0, "source", "The minister", note="=cmd|' /C calc'!A0")
    store.insert_link(claim.id, who.id, "source")
    add(a0, "figure, number", "-3%", note="-3%")
    add(a0, "Ünïcode tag 🏷️", "👩‍👩‍👧‍👦 🇺🇦", note="")
    add(a0, "claim", "crowd gathered.\nThe minister", note="spans a line break")
    add(a0, "=SUM(A1)", "=HYPERLINK(\"http://evil\")", note="+formula", annotator="", created="2026-01-01T00:00:00+00:00")
    add(a0, "claim", "café (cafe\u0301)", note="combining mark")
    add(a0, "figure, number", "cafe\u0301", note="")
    add(a1, "claim", "قال المتحدث الرسمي إن 12 شخصا أصيبوا", note="ملاحظة عربية")
    add(a1, "figure, number", "12", note="")
    add(a1, "source", "المتحدث الرسمي", note="")
    add(a1, "claim", "🚀 end", note="")
    add(a2, "claim", "Officials said 40 per cent of the 1,200 claims were false", note="@risky")
    add(a2, "figure, number", "40 per cent")
    add(a2, "figure, number", "40 per cent", note="same span, same tag, other note? no: other tag below")
    add(a2, "claim", "40 per cent")  # same span, different tag
    add(a2, "source", "Officials")
    add(a2, "figure, number", "+1 555 0100", note="+1 555 0100")
    add(a2, "source", "@user", note="@user")
    add(a2, "figure, number", "-2")
    add(a2, "source", "false.\n", note="ends with a line break")
    add(a2, "=SUM(A1)", "\n", nth=1, note="only a line break")
    return store
