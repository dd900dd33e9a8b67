"""Attributions beyond "said": each source and its claim carry the cue that attributes them."""

from __future__ import annotations

import pytest

from annotator.suggest import suggest


def attributions(text: str) -> list[tuple[str, str, str]]:
    """(source quote, cue, claim quote) for every claim linked to a source."""
    spans = suggest(text, ("source", "claim"))
    return [
        (spans[s.source_index].quote, s.cue, s.quote)
        for s in spans
        if s.tag == "claim" and s.source_index is not None and s.cue
    ]


@pytest.mark.parametrize(
    ("text", "source", "cue", "claim"),
    [
        ("Interior Minister Ahmad Vahidi warned that the protests would be crushed.",
         "Interior Minister Ahmad Vahidi", "warned", "the protests would be crushed"),
        ("She said at least four people were injured.", "She", "said", "at least four people were injured"),
        ("Officials estimated that 3,000 homes were damaged.", "Officials", "estimated", "3,000 homes were damaged"),
        ("The province's governors insisted the budget was sufficient.",
         "The province's governors", "insisted", "the budget was sufficient"),
        ("Five soldiers were killed, the army said.", "the army", "said", "Five soldiers were killed"),
        ("According to the health ministry, 12 clinics have closed.", "the health ministry", "According to",
         "12 clinics have closed"),
        ("The alliance released a statement of its own describing the raid and said two of its fighters had "
         "been killed.", "The alliance", "said", "two of its fighters had been killed"),
        ("Sixty-six percent said the tax made no difference to them.", "Sixty-six percent", "said",
         "the tax made no difference to them"),
        ("Rep. Gregory Meeks (D-N.Y.) said the vote would be close.", "Rep. Gregory Meeks (D-N.Y.)", "said",
         "the vote would be close"),
    ],
)
def test_attribution_keeps_source_cue_and_claim(text: str, source: str, cue: str, claim: str) -> None:
    found = attributions(text)
    assert any(s.startswith(source) and c == cue and q == claim for s, c, q in found), found


def test_double_apostrophe_quotation_is_attributed_to_the_speaker_after_it() -> None:
    text = "''It is a tax on the poor,'' said Mike Lux, a progressive activist."
    spans = suggest(text, ("source", "claim"))
    sources = [s for s in spans if s.tag == "source"]
    assert [s.quote for s in sources] == ["Mike Lux, a progressive activist"]
    assert sources[0].cue == "said"


@pytest.mark.parametrize(
    "text",
    [
        "Anna Petrova reported from Kyiv.",
        "John Smith contributed to this report.",
        "Reporting by Anna Petrova; editing by John Smith.",
    ],
)
def test_credit_lines_name_no_source(text: str) -> None:
    assert [s for s in suggest(text, ("source",))] == []


def test_unattributed_claim_has_no_cue_and_a_lower_score() -> None:
    text = "The army said at least four people were injured. The bridge collapsed in 2019, killing 43 people."
    claims = [s for s in suggest(text, ("source", "claim")) if s.tag == "claim"]
    reported, fact = claims
    assert reported.cue == "said" and fact.cue == ""
    assert fact.score < 1 and '"fact"' in fact.value


@pytest.mark.parametrize(
    ("text", "claim", "not_claim"),
    [
        ("In an interview on Tuesday, she said the plan was ready.", "the plan was ready", "In an interview on Tuesday"),
        ("At a rally in the capital, the senator warned that taxes would rise.", "taxes would rise",
         "At a rally in the capital"),
        ("Last year, in the wake of the floods, the mayor said the dam was safe.", "the dam was safe",
         "Last year, in the wake of the floods"),
        ("After the storm, 12 people died, officials said.", "After the storm, 12 people died", "After the storm"),
    ],
)
def test_a_fronted_adverbial_is_no_claim_and_the_speech_after_the_cue_is(text: str, claim: str, not_claim: str) -> None:
    for model in (False, True):
        claims = [s.quote for s in suggest(text, ("source", "claim"), model=model) if s.tag == "claim"]
        assert claim in claims and not_claim not in claims, (model, claims)
