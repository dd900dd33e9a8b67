"""The annotated news fixtures: well-formed, in sync with their markup, and met by the suggesters."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from annotator.suggest import suggest

FIXTURES = Path(__file__).parent / "fixtures"
_spec = importlib.util.spec_from_file_location("build_fixtures", FIXTURES / "build_fixtures.py")
assert _spec and _spec.loader
build_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_fixtures)


def load(name: str) -> list[dict]:
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.mark.parametrize(("markup", "output"), list(build_fixtures.FILES.items()), ids=lambda p: p.name)
def test_jsonl_matches_markup(markup: Path, output: Path) -> None:
    assert output.read_text(encoding="utf-8") == build_fixtures.render(build_fixtures.build(markup))


@pytest.mark.parametrize("name", ["news.jsonl", "news_heldout.jsonl", "news_heldout2.jsonl", "news_heldout3.jsonl"])
def test_gold_spans_index_their_text(name: str) -> None:
    for record in load(name):
        text = record["text"]
        ids = {s["id"] for s in record["spans"] if "id" in s}
        for span in record["spans"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"] : span["end"]] == span["text"]
            assert span["text"] == span["text"].strip()
            assert span["label"] in ("figure", "source", "claim")
            for key in ("source_id", "refers_to_id"):
                if key in span:
                    assert span[key] in ids


def test_markup_errors_are_reported() -> None:
    with pytest.raises(ValueError, match="unclosed"):
        build_fixtures.parse_article("⟦f|11 soldiers")
    with pytest.raises(ValueError, match="unbalanced"):
        build_fixtures.parse_article("11 soldiers⟧")


def overlap_precision_recall(records: list[dict], tag: str) -> tuple[float, float]:
    tp_pred = n_pred = tp_gold = n_gold = 0
    for record in records:
        gold = [(s["start"], s["end"]) for s in record["spans"] if s["label"] == tag]
        pred = [(s.start, s.end) for s in suggest(record["text"], (tag,))]
        n_pred += len(pred)
        n_gold += len(gold)
        tp_pred += sum(any(ps < ge and gs < pe for gs, ge in gold) for ps, pe in pred)
        tp_gold += sum(any(ps < ge and gs < pe for ps, pe in pred) for gs, ge in gold)
    return tp_pred / n_pred, tp_gold / n_gold


@pytest.mark.parametrize(("tag", "floor"), [("figure", 0.9), ("source", 0.8), ("claim", 0.8)])
def test_suggestions_keep_their_quality_on_the_news_fixtures(tag: str, floor: float) -> None:
    # A regression guard well below the measured scores (benchmarks/eval_suggest.py).
    precision, recall = overlap_precision_recall(load("news.jsonl"), tag)
    assert precision >= floor and recall >= floor, (precision, recall)
