"""The trained attribution tagger: labels and spans, and what it adds to the rules' suggestions.

The texts are our own wording; the weights are the ones shipped in the package."""

from __future__ import annotations

import json

from annotator.suggest import suggest, tagger


def _spans(text: str, model: bool = True) -> set[tuple[str, str, str]]:
    return {(s.tag, s.quote, s.cue) for s in suggest(text, model=model) if s.tag != "figure"}


def test_nested_attribution_survives_labels_and_decoding() -> None:
    text = "The mayor said that police believe the fire was set on purpose."
    toks = tagger.tokens(text)

    def at(phrase: str) -> tuple[int, int]:
        i = text.index(phrase)
        return i, i + len(phrase)

    gold = [
        ("SRC", *at("The mayor")), ("CUE", *at("said")),
        ("CON", *at("that police believe the fire was set on purpose")),
        ("SRC", *at("police")), ("CUE", *at("believe")), ("CON", *at("the fire was set on purpose")),
    ]
    labels = tagger.bio(toks, gold)
    assert labels[text.split().index("police")] == "B-SRC"  # the nested source keeps its label
    got = {(t.label, text[t.start : t.end]) for t in tagger.decode(toks, labels, [1.0] * len(toks))}
    # The outer content is one span again around the nested source and cue.
    assert ("CON", "that police believe the fire was set on purpose") in got
    assert {("SRC", "The mayor"), ("CUE", "said"), ("SRC", "police"), ("CUE", "believe")} <= got


def test_model_finds_attributions_beyond_the_rules() -> None:
    text = "Polls show the mayor trailing her rival by nine points in the capital."
    assert ("source", "Polls", "show") not in _spans(text, model=False)
    got = _spans(text)
    assert ("source", "Polls", "show") in got
    assert ("claim", "the mayor trailing her rival by nine points in the capital", "show") in got


def test_model_claims_link_to_their_source_and_keep_offsets() -> None:
    text = (
        "The river rose overnight.\n"
        "Economists expect the central bank to hold rates in March.\n"
        "Polls show the mayor trailing her rival by nine points in the capital."
    )
    spans = suggest(text)
    for s in spans:
        assert text[s.start : s.end] == s.quote
    claim = next(s for s in spans if s.tag == "claim" and s.quote.startswith("the central bank"))
    source = spans[claim.source_index]
    assert source.tag == "source" and source.quote == "Economists" and source.cue == "expect"
    assert not [s for s in suggest(text, model=False) if s.quote == "Economists"]  # the rules miss it
    assert json.loads(claim.value)["kind"] == "reported"
    # A line the model tags nothing in keeps the rules' own suggestions.
    assert [s for s in spans if s.quote == "The river rose overnight."] == [
        s for s in suggest(text, model=False) if s.quote == "The river rose overnight."
    ]


def test_weights_ship_in_the_package() -> None:
    assert tagger.model_path().is_file()
    assert tagger.model_path().parent.name == "suggest"


def test_tagging_on_several_threads_at_once_gives_what_one_thread_gives() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        f"Polls show the mayor trailing her rival by {n} points.\nIn her view, the council acted too late. " * 20
        for n in range(2, 10)
    ]
    alone = [tagger.tag(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(tagger.tag, texts * 3))
    assert together == alone * 3
