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


def _at(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(phrase, i + 1)
    return i, i + len(phrase)


def test_decode_keeps_a_quote_interrupted_by_its_attribution_in_two_pieces() -> None:
    text = "“We won,” she said on Tuesday. “They know it.”"
    toks = tagger.tokens(text)
    gold = [("CON", *_at(text, "“We won,”")), ("SRC", *_at(text, "she")), ("CUE", *_at(text, "said")),
            ("CON", *_at(text, "“They know it.”"))]
    got = [(t.label, text[t.start : t.end]) for t in tagger.decode(toks, tagger.bio(toks, gold), [1.0] * len(toks))]
    assert got == [("CON", "“We won,”"), ("SRC", "she"), ("CUE", "said"), ("CON", "“They know it.”")]


def _rules(text: str):
    from annotator.suggest import claims, figures, sources
    from annotator.suggest.sentences import split_sentences

    sentences = split_sentences(text)
    found = sources.find_sources(text, sentences)
    quantities = [(f.start, f.end) for f in figures.find_figures(text) if not f.kind]
    return found, claims.find_claims(text, sentences, found, quantities)


def test_model_content_replaces_the_rules_cut_and_a_fact_and_confirms_reported_speech() -> None:
    text = ('The mayor said the bridge was unsafe. "We will close it," he said. '
            "Officials argued the repairs were late. The river rose by two metres.")
    spans = [("SRC", "The mayor", 0), ("CUE", "said", 0), ("SRC", "he", 0), ("CUE", "said", 1)]
    model = [tagger.TaggedSpan(label, *_at(text, phrase, nth), 0.9) for label, phrase, nth in spans]
    srcs, claims = _rules(text)
    assert [(text[c.start : c.end], c.kind) for c in claims] == [
        ("the bridge was unsafe", "reported"), ("We will close it", "quote"),
        ("the repairs were late", "reported"), ("The river rose by two metres.", "fact")]

    # Model content over a rule's claim takes its place with the model's cut and keeps its source;
    # content over a fact makes it reported speech, credited through the nearest cue in its sentence.
    shorter = tagger.TaggedSpan("CON", *_at(text, "bridge was unsafe"), 0.9)
    rose = tagger.TaggedSpan("CON", *_at(text, "The river rose by two metres."), 0.9)
    tagger.merge(text, [*model, shorter, rose], srcs, claims)
    got = [(text[c.start : c.end], c.kind, text[srcs[c.source].start : srcs[c.source].end] if c.source is not None
            else None) for c in claims]
    assert got == [
        ("bridge was unsafe", "reported", "The mayor"),
        # The model sees the quote's source and cue: the rules' quote stays as it is.
        ("We will close it", "quote", "he"),
        # Reported speech whose source, cue and content the model does not see stays a statement,
        # and its source goes.
        ("the repairs were late", "fact", None),
        # Reported speech now, but no cue of a source that stays shares its sentence: no source.
        ("The river rose by two metres", "reported", None),
    ]
    assert [text[x.start : x.end] for x in srcs] == ["The mayor", "he"]

    # Reported speech whose source and cue the model sees stays attributed though it tags no content.
    srcs, claims = _rules(text)
    officials = [tagger.TaggedSpan("SRC", *_at(text, "Officials"), 0.9), tagger.TaggedSpan("CUE", *_at(text, "argued"), 0.9)]
    tagger.merge(text, [*model, *officials], srcs, claims)
    assert [(text[c.start : c.end], c.kind) for c in claims][2] == ("the repairs were late", "reported")


def test_model_content_follows_the_claim_conventions() -> None:
    text = "“We have pushed them back,” a commander said, and that the town was safe."
    for phrase, claim in (("“We have pushed them back,”", ("We have pushed them back", "quote")),
                          ("that the town was safe.", ("the town was safe", "reported"))):
        s, e, kind = tagger._content_extent(text, *_at(text, phrase))
        assert (text[s:e], kind) == claim


def test_rule_source_stays_only_where_the_model_sees_it_or_its_cue() -> None:
    text = "He said the plan was ready. Officials argued the cost was too high, Reuters reported."
    reuters = [tagger.TaggedSpan("SRC", *_at(text, "Reuters"), 0.9), tagger.TaggedSpan("CUE", *_at(text, "reported"), 0.9)]

    srcs, claims = _rules(text)
    assert [text[s.start : s.end] for s in srcs] == ["He", "Officials", "Reuters"]
    tagger.merge(text, reuters, srcs, claims)
    # "He" and "Officials" go (the model sees neither them nor their cues); the claims' links
    # follow the renumbering.
    assert [text[s.start : s.end] for s in srcs] == ["Reuters"]
    linked = {text[c.start : c.end]: (text[srcs[c.source].start : srcs[c.source].end] if c.source is not None else None)
              for c in claims}
    assert linked["the plan was ready"] is None
    assert linked["the cost was too high, Reuters reported"] is None

    # The model's cue alone keeps a source: "said" keeps "He", "argued" keeps "Officials".
    for cue, kept in (("said", ["He", "Reuters"]), ("argued", ["Officials", "Reuters"])):
        srcs, claims = _rules(text)
        tagger.merge(text, [*reuters, tagger.TaggedSpan("CUE", *_at(text, cue), 0.9)], srcs, claims)
        assert [text[s.start : s.end] for s in srcs] == kept
    # So does the model's source over the rules' one.
    srcs, claims = _rules(text)
    tagger.merge(text, [*reuters, tagger.TaggedSpan("SRC", *_at(text, "Officials"), 0.9)], srcs, claims)
    assert [text[s.start : s.end] for s in srcs] == ["Officials", "Reuters"]


def test_content_whose_rule_source_goes_takes_a_source_whose_cue_shares_its_sentence() -> None:
    # The rules credit "the attack had been" ("expected"); the model sees the officials and "said".
    text = ("Two senior officials, who spoke on condition of anonymity because they were not authorised "
            "to brief reporters, said the attack had been expected for weeks and that warnings were ignored.")
    srcs, claims = _rules(text)
    assert [(text[x.start : x.end], x.cue) for x in srcs] == [("the attack had been", "expected")]
    model = [tagger.TaggedSpan("SRC", *_at(text, "Two senior officials"), 0.9), tagger.TaggedSpan("CUE", *_at(text, "said"), 0.9),
             tagger.TaggedSpan("CON", *_at(text, "the attack had been expected for weeks and that warnings were ignored"), 0.9)]
    tagger.merge(text, model, srcs, claims)
    assert [(text[c.start : c.end], text[srcs[c.source].start : srcs[c.source].end]) for c in claims] == [
        ("the attack had been expected for weeks and that warnings were ignored", "Two senior officials")]

    # Reported speech takes no cue from another sentence: the minister's claim is not the leader's.
    text = ("The opposition leader told reporters that the government had cut the border force. "
            "The finance minister rejected that claim, saying spending had risen.")
    srcs, claims = _rules(text)
    model = [tagger.TaggedSpan("SRC", *_at(text, "The opposition leader"), 0.9), tagger.TaggedSpan("CUE", *_at(text, "told"), 0.9),
             tagger.TaggedSpan("CON", *_at(text, "spending had risen"), 0.9)]
    tagger.merge(text, model, srcs, claims)
    linked = {text[c.start : c.end]: c.source for c in claims}
    assert [text[x.start : x.end] for x in srcs] == ["The opposition leader"]
    assert linked == {"the government had cut the border force": 0, "spending had risen": None}

    # An abbreviation's full stop ends no sentence (the project's sentence splitter decides).
    text = "The plant will close in May, Gov. Ada Park hinted."
    srcs, claims = _rules(text)
    assert (srcs, claims) == ([], [])
    model = [tagger.TaggedSpan("SRC", *_at(text, "Gov. Ada Park"), 0.9), tagger.TaggedSpan("CUE", *_at(text, "hinted"), 0.9),
             tagger.TaggedSpan("CON", *_at(text, "The plant will close in May"), 0.9)]
    tagger.merge(text, model, srcs, claims)
    assert [(text[c.start : c.end], text[srcs[c.source].start : srcs[c.source].end]) for c in claims] == [
        ("The plant will close in May", "Gov. Ada Park")]


def test_a_cue_the_lexicon_knows_counts_in_its_neighbours_features() -> None:
    text = "Critics lambasted the plan on Monday."
    toks = tagger.tokens(text)
    knows = tagger.features(text, toks, tagger.Lexicon({"lambasted": (0.9, 0.0), "critics": (0.0, 0.5)}))
    blank = tagger.features(text, toks, tagger.Lexicon({}))
    assert "x=02" in knows[0] and "kr=1" in knows[0] and "x=30" in knows[1]
    assert "x=00" in blank[0] and "kr=-" in blank[0]


def test_the_lexicon_ships_beside_the_weights() -> None:
    path = tagger.lexicon_path(tagger.model_path())
    assert path.is_file() and path.parent == tagger.model_path().parent
    assert tagger.Lexicon.read(path).cue_of("said", "said") == 3


def test_a_cue_without_a_source_in_its_sentence_takes_the_likeliest_source_tokens() -> None:
    text = ("The deal came after more than 20 hours of talks, diplomats said. "
            "Poland had demanded that coal-dependent regions receive extra funds.")
    toks = tagger.tokens(text)
    [(labels, _)] = tagger._model().label([tagger.features(text, toks, tagger._lexicon(tagger.model_path()))])
    best = [(t.label, text[t.start : t.end]) for t in tagger.decode(toks, labels, [1.0] * len(toks))]
    second = text.index("Poland")
    assert ("CUE", "had demanded") in best  # the best labelling leaves the second sentence's speaker out
    assert not [t for t in tagger.decode(toks, labels, [1.0] * len(toks)) if t.label == "SRC" and t.start >= second]
    sources = [text[t.start : t.end] for t in tagger.tag(text) if t.label == "SRC"]
    assert sources == ["diplomats", "Poland"]


def test_recovery_takes_the_likeliest_run_above_the_threshold_only() -> None:
    text = "Critics of the plan , it seems , warned that costs would rise ."
    toks = tagger.tokens(text)
    labels = ["O"] * len(toks)
    labels[toks.index(_at(text, "warned"))] = "B-CUE"
    words = [text[s:e] for s, e in toks]
    src = {"Critics": 0.3, "of": 0.08, "the": 0.06, "plan": 0.04, "seems": 0.09}

    def marginal(label: str, i: int) -> float:
        return src.get(words[i], 0.0) / 2 if label.endswith("SRC") else 0.0

    got = [(t.label, text[t.start : t.end]) for t in tagger.recover(text, toks, labels, marginal)]
    # "Critics" (0.3) and its neighbours down to half the threshold; "plan" (0.04) is left; no content is likely.
    assert got == [("SRC", "Critics of the")]
    src.update(Critics=0.09)
    assert tagger.recover(text, toks, labels, marginal) == []


def _tiny_crf(tmp_path):
    """A CRF fitted by CRFsuite itself on a few of our own sentences, and the same weights as the
    tagger reads them (converted by the training script)."""
    import pycrfsuite

    from benchmarks.train_attribution import crf_arrays

    texts = [
        ('The mayor said the bridge would reopen in May.', [("SRC", "The mayor"), ("CUE", "said"), ("CON", "the bridge would reopen in May")]),
        ('"We are ready," the coach told reporters.', [("CON", "We are ready,"), ("SRC", "the coach"), ("CUE", "told")]),
        ("Prices rose, according to the agency.", [("CON", "Prices rose"), ("CUE", "according to"), ("SRC", "the agency")]),
        ("Officials warned that the river could flood.", [("SRC", "Officials"), ("CUE", "warned"), ("CON", "the river could flood")]),
    ]
    lex = tagger.Lexicon({"said": (0.9, 0.0), "told": (0.8, 0.0), "mayor": (0.0, 0.6)})
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, marks in texts:
        toks = tagger.tokens(text)
        gold = [(label, text.index(q), text.index(q) + len(q)) for label, q in marks]
        trainer.append(tagger.features(text, toks, lex), tagger.bio(toks, gold))
    trainer.set_params({"c2": 0.1, "max_iterations": 50, "feature.possible_transitions": True})
    path = tmp_path / "tiny.crfsuite"
    trainer.train(str(path))
    crf = pycrfsuite.Tagger()
    crf.open(str(path))
    import numpy as np

    np.savez_compressed(tmp_path / "tiny.npz", **crf_arrays(path))
    return crf, tagger.Model(tmp_path / "tiny.npz"), lex


def test_the_tagger_labels_and_weighs_tokens_as_crfsuite_does(tmp_path) -> None:
    """Without a network, the numpy decoding gives CRFsuite's best labelling and marginals."""
    crf, model, lex = _tiny_crf(tmp_path)
    assert model.network is None
    for text in (
        "The minister said on Monday that taxes would fall, according to aides.",
        '"It is over," she told the court. Officials warned of delays.',
        "Nothing here.",
    ):
        feats = tagger.features(text, tagger.tokens(text), lex)
        [(labels, prob)] = model.label([feats])
        assert labels == crf.tag(feats)
        for i in range(len(feats)):
            for k, lab in enumerate(tagger.BIO):
                assert abs(prob[i, k] - crf.marginal(lab, i)) < 1e-5  # weights kept in float32


def test_windows_labelled_together_get_what_each_gets_alone() -> None:
    """Windows of different lengths are decoded side by side (in groups, longest first)."""
    text = ("The senator said the bill would pass.\nNothing happened.\n"
            + "Officials warned that the river, swollen by a week of rain, could flood the town. " * 3
            + "\n“We are ready,” the coach told reporters.")
    model, lexicon = tagger._model(), tagger._lexicon(tagger.model_path())
    windows = [tagger.features(text, toks, lexicon) for toks in tagger.paragraphs(text)]
    assert len({len(w) for w in windows}) == len(windows) == 4
    together = model.label(windows)
    for feats, (labels, prob) in zip(windows, together):
        [(alone, alone_prob)] = model.label([feats])
        assert labels == alone
        assert abs(prob - alone_prob).max() < 1e-9


def test_the_network_runs_its_gates_in_pytorchs_order() -> None:
    """One input, one unit per direction, a distinct weight per gate (PyTorch's order: input,
    forget, cell, output): the numpy network gives the LSTM's equations worked out by hand."""
    import math

    import numpy as np

    def sig(v: float) -> float:
        return 1 / (1 + math.exp(-v))

    w_ih = np.array([[0.5, -0.3, 0.8, 0.2]], np.float32)  # i, f, g, o
    w_hh = np.array([[0.1, 0.4, -0.6, 0.3]], np.float32)
    bias = np.array([0.05, 0.1, -0.05, 0.2], np.float32)
    arrays = {
        "net_emb": np.array([[0.0], [1.0], [-2.0]], np.float16),
        "net_out_w": np.array([[1.0] + [0.0] * 6, [0.0, 1.0] + [0.0] * 5], np.float32),
        "net_out_b": np.zeros(7, np.float32),
    }
    for d in ("fw", "bw"):
        arrays.update({f"net_{d}_ih": w_ih, f"net_{d}_hh": w_hh, f"net_{d}_bias": bias})
    net = tagger.Network(arrays)
    xs = [1.0, -2.0, 1.0 - 2.0]  # rows 1, 2 and their sum

    def run(seq):
        h = c = 0.0
        out = []
        for x in seq:
            g = [w_ih[0, k] * x + w_hh[0, k] * h + bias[k] for k in range(4)]
            c = sig(g[1]) * c + sig(g[0]) * math.tanh(g[2])
            h = sig(g[3]) * math.tanh(c)
            out.append(h)
        return out

    fw, bw = run(xs), run(xs[::-1])[::-1]
    [got] = net.log_probabilities([[[1], [2], [1, 2]]])
    for t in range(3):
        z = [fw[t], bw[t]] + [0.0] * 5
        norm = math.log(sum(math.exp(v) for v in z))
        assert np.allclose(got[t], [v - norm for v in z], atol=1e-5)


def test_the_shipped_weights_hold_the_crf_and_the_network() -> None:
    model = tagger._model()
    assert model.network is not None and model.trans.shape == (7, 7)
    text = "The senator said the bill would pass."
    feats = tagger.features(text, tagger.tokens(text), tagger._lexicon(tagger.model_path()))
    [log_p] = model.network.log_probabilities([tagger.hash_features(feats, model.network.buckets)])
    assert log_p.shape == (len(feats), 7)
    import numpy as np

    assert np.allclose(np.exp(log_p).sum(axis=1), 1.0, atol=1e-5)
    [(labels, _)] = model.label([feats])
    assert labels[:4] == ["B-SRC", "I-SRC", "B-CUE", "B-CON"]
