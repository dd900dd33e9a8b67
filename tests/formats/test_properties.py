"""Property tests: any text and spans survive a JSON Lines round trip; arbitrary
bytes never crash a reader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain import NewArticle, normalise_text
from annotator.formats import ImportFormatError, read_file
from annotator.services.exchange import apply_import, plan_import
from annotator.services.exporting import export_annotations
from annotator.store import open_store

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200
).map(normalise_text).filter(lambda t: t.strip() != "")
notes = st.text(max_size=40)
tag_names = st.sampled_from(["claim", "source", "figure, number", "=SUM(A1)", "Ünïcode 🏷️"])


@st.composite
def articles(draw):
    text = draw(texts)
    n = draw(st.integers(0, 8))
    spans = []
    for _ in range(n):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append((start, end, draw(tag_names), draw(notes), draw(st.text(max_size=10))))
    return text, spans


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=articles(), fmt=st.sampled_from(["jsonl", "w3c", "qdpx", "brat"]))
def test_round_trip_keeps_every_span(article, fmt):
    text, spans = article
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = open_store(tmp / "a.db")
        tags = {name: source.insert_tag(name, "#123456") for name in {s[2] for s in spans}}
        article_id, _ = source.insert_article(NewArticle(title="t", text=text))
        for start, end, tag, note, who in spans:
            source.insert_annotation(article_id, tags[tag].id, start, end, text[start:end], note=note, annotator=who)
        out = tmp / {"jsonl": "o.jsonl", "w3c": "o.jsonld", "qdpx": "o.qdpx", "brat": "o.zip"}[fmt]
        export_annotations(source, fmt, out)
        target = open_store(tmp / "b.db")
        plan = plan_import(target, [out])
        assert plan.errors == []
        apply_import(target, plan)
        (copy,) = list(target.iter_articles())
        assert copy.text == text

        def rows(store, aid):
            names = {t.id: t.name for t in store.list_tags()}
            return sorted((n.start, n.end, n.quote, names[n.tag_id], n.note, n.annotator, n.created)
                          for n in store.list_annotations(aid))

        assert rows(target, copy.id) == rows(source, article_id)
        source.close()
        target.close()


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".jsonl", ".json", ".csv", ".qdpx", ".zip", ".ann"]))
def test_arbitrary_bytes_never_crash_a_reader(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{suffix}"
        path.write_bytes(data)
        if suffix == ".ann":
            (Path(tmp) / "f.txt").write_bytes(data[::-1])
        try:
            read_file(path)
        except ImportFormatError:
            pass
