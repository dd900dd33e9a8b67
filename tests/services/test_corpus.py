"""Source registry, figure tracker and claim verdicts over a small corpus."""

from __future__ import annotations

import pytest

from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services import sources as registry
from annotator.services import verdicts
from annotator.services.changes import Changes
from annotator.services.figures import figure_groups, noun_key
from annotator.services.settings import save_setting
from annotator.store import StoreError
from annotator.store import corpus as corpus_store
from annotator.store.corpus import Filters

RUIZ = ("Ana Ruiz, the relief group's coordinator, said 12 died. Ruiz added more. "
        "The relief group's coordinator later said nothing. She said at least 11 soldiers died.")
WIRE = "Ms. Ruiz told Reuters. President Volodymyr Zelenskyy spoke. Officials said 12 troops died."
BBC = "Volodymyr Zelensky's office said. Zelenskiy said. Carlos Ruiz said. Ruiz said a dozen soldiers and 40 soldiers died."


def _tag(store, article, tag, quote, *, value="", nth=0, annotator="ana"):
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(quote, start + 1)
    a = store.insert_annotation(article.id, store.tag_by_name(tag).id, start, start + len(quote), quote,
                                value=value, annotator=annotator)
    return a


@pytest.fixture
def corpus(tagged_store):
    store = tagged_store
    arts = {}
    for name, text, outlet, day in (("ruiz", RUIZ, "AP", "2024-05-01"), ("wire", WIRE, "Reuters", "2024-05-02"),
                                    ("bbc", BBC, "BBC", "2024-05-09")):
        article_id, _ = store.insert_article(NewArticle(title=name, text=text, outlet=outlet, published=day))
        arts[name] = store.get_article(article_id)
    return store, arts


def _names(entries):
    return {e.name: sorted(m.quote for m in e.mentions) for e in entries}


def test_registry_groups_names_across_titles_surnames_descriptions_and_spellings(corpus):
    store, arts = corpus
    for quote in ("Ana Ruiz, the relief group's coordinator", "Ruiz", "The relief group's coordinator"):
        _tag(store, arts["ruiz"], "source", quote)
    she = _tag(store, arts["ruiz"], "source", "She",
               value='{"kind":"pronoun","refers_to":0,"refers_to_quote":"Ana Ruiz, the relief group\'s coordinator"}')
    for quote in ("Ms. Ruiz", "President Volodymyr Zelenskyy", "Officials"):
        _tag(store, arts["wire"], "source", quote)
    for quote in ("Volodymyr Zelensky's office", "Zelenskiy", "Carlos Ruiz"):
        _tag(store, arts["bbc"], "source", quote)
    _tag(store, arts["bbc"], "source", "Ruiz", nth=1)
    names = _names(registry.source_registry(store))
    assert names["Ana Ruiz"] == sorted(["Ana Ruiz, the relief group's coordinator", "Ruiz",
                                        "The relief group's coordinator", "She"])
    assert names["Volodymyr Zelenskyy"] == sorted(["President Volodymyr Zelenskyy", "Volodymyr Zelensky's office",
                                                   "Zelenskiy"])
    assert names["Carlos Ruiz"] == ["Carlos Ruiz", "Ruiz"]
    assert names["Ruiz"] == ["Ms. Ruiz"]  # two Ruizes in the corpus: not guessed
    assert names["Officials"] == ["Officials"]
    top = registry.source_registry(store)[0]
    assert (top.name, top.count, dict(top.outlets), top.confirmed) == ("Ana Ruiz", 4, {"AP": 4}, False)
    assert she.id in {m.annotation_id for m in top.mentions}


def test_confirm_merge_split_rename_and_undo(corpus):
    store, arts = corpus
    ana = _tag(store, arts["ruiz"], "source", "Ana Ruiz, the relief group's coordinator")
    ruiz = _tag(store, arts["ruiz"], "source", "Ruiz")
    ms = _tag(store, arts["wire"], "source", "Ms. Ruiz")
    carlos = _tag(store, arts["bbc"], "source", "Carlos Ruiz")
    before = registry.source_group_state(store)
    op = registry.group_sources(store, name="Ana Ruiz", annotation_ids=[ana.id, ruiz.id, ms.id])
    assert op.changes.registry
    names = _names(registry.source_registry(store))
    assert names["Ana Ruiz"] == sorted([ana.quote, ruiz.quote, ms.quote])
    entry = next(e for e in registry.source_registry(store) if e.name == "Ana Ruiz")
    assert entry.confirmed
    registry.rename_source(store, group_id=entry.group_id, name="Ana María Ruiz")
    registry.group_sources(store, name="Ms. Ruiz (Reuters)", annotation_ids=[ms.id])  # split
    names = _names(registry.source_registry(store))
    assert names["Ana María Ruiz"] == sorted([ana.quote, ruiz.quote])
    assert names["Ms. Ruiz (Reuters)"] == ["Ms. Ruiz"]
    assert names["Carlos Ruiz"] == ["Carlos Ruiz"]
    registry.group_sources(store, name="The Ruizes", annotation_ids=[ana.id, ruiz.id, ms.id, carlos.id])  # merge
    assert _names(registry.source_registry(store)) == {"The Ruizes": sorted(
        [ana.quote, ruiz.quote, ms.quote, carlos.quote])}
    registry.restore_source_groups(store, state=before)
    assert not any(e.confirmed for e in registry.source_registry(store))
    # Undo of one edit puts back only the mentions it moved: a group confirmed since (by another
    # window or program) stays, and a group the edit emptied comes back with its name.
    registry.group_sources(store, name="Ana", annotation_ids=[ana.id, ruiz.id])
    registry.group_sources(store, name="Ms. Ruiz", annotation_ids=[ms.id])
    moved = [ana.id, ruiz.id, ms.id]
    state = registry.source_group_state(store, moved)
    assert sorted(n for _a, _c, n, _g in state) == ["Ana", "Ana", "Ms. Ruiz"]
    registry.group_sources(store, name="Ruiz family", annotation_ids=moved)  # merge: Ana and Ms. Ruiz emptied
    registry.group_sources(store, name="Carlos R.", annotation_ids=[carlos.id])  # meanwhile, elsewhere
    registry.restore_source_groups(store, state=state, annotation_ids=moved)
    assert _names(registry.source_registry(store)) == {
        "Ana": sorted([ana.quote, ruiz.quote]), "Ms. Ruiz": [ms.quote], "Carlos R.": [carlos.quote]}
    assert "Ruiz family" not in corpus_store.source_groups(store).values()
    registry.restore_source_groups(store, state=before)
    # A deleted mention leaves its group; undoing the delete puts it back in.
    registry.group_sources(store, name="Carlos", annotation_ids=[carlos.id])
    deleted, links = ops.delete_annotations(store, annotation_ids=[carlos.id]).value
    assert "Carlos" not in _names(registry.source_registry(store))
    ops.restore_annotations(store, annotations=deleted, links=links)
    assert _names(registry.source_registry(store))["Carlos"] == ["Carlos Ruiz"]


def test_registry_filters_by_analyst_and_lists_claims(corpus):
    store, arts = corpus
    source = _tag(store, arts["wire"], "source", "Officials", annotator="ben")
    claim = _tag(store, arts["wire"], "claim", "12 troops died")
    store.insert_link(claim.id, source.id, "source")
    assert _names(registry.source_registry(store, Filters(annotator="ana"))) == {}
    assert _names(registry.source_registry(store, Filters(annotator="ben"))) == {"Officials": ["Officials"]}
    assert [c[4] for c in registry.claims_of_sources(store, [source.id])[source.id]] == ["12 troops died"]


def test_figures_of_one_quantity_side_by_side_with_spread_and_outliers(corpus):
    store, arts = corpus
    _tag(store, arts["ruiz"], "figure", "at least 11 soldiers", value='{"value":"11","noun":"soldiers","qualifier":"at least"}')
    _tag(store, arts["wire"], "figure", "12 troops", value='{"value":"12","noun":"troops"}')
    _tag(store, arts["bbc"], "figure", "a dozen soldiers")  # tagged by hand: read from the quote
    _tag(store, arts["bbc"], "figure", "40 soldiers", value='{"value":"40","noun":"soldiers"}')
    groups = figure_groups(store)
    soldiers = groups[0]
    assert (soldiers.noun, soldiers.count, soldiers.outlets) == ("soldier", 4, ["AP", "BBC", "Reuters"])
    assert sorted((r.value, r.outlier) for r in soldiers.reports) == [
        ("11", False), ("12", False), ("12", False), ("40", True)]
    assert (soldiers.low, soldiers.high, soldiers.median) == (11, 40, 12)
    assert figure_groups(store, Filters(outlet="Reuters"))[0].count == 1
    assert noun_key("casualties") == "casualty" and noun_key("Troops") == "soldier"


def test_verdicts_on_the_desk_scale_survive_undo_of_a_delete(corpus):
    store, arts = corpus
    claim = _tag(store, arts["wire"], "claim", "12 troops died")
    with pytest.raises(StoreError, match="not on the rating scale"):
        verdicts.set_verdict(store, annotation_id=claim.id, rating="pants on fire")
    with pytest.raises(ValueError, match="web address"):
        verdicts.set_verdict(store, annotation_id=claim.id, rating="false", evidence=["see the ministry"])
    op = verdicts.set_verdict(store, annotation_id=claim.id, rating="mostly false", explanation="Ministry says 9.",
                              evidence=["https://example.org/report"], reviewer="Ana", date="2024-05-03")
    assert op.changes.verdicts == {claim.id}
    assert verdicts.get_verdict(store, claim.id) == op.value
    deleted, links = ops.delete_annotations(store, annotation_ids=[claim.id]).value
    assert verdicts.get_verdict(store, claim.id) is None
    ops.restore_annotations(store, annotations=deleted, links=links)
    assert verdicts.get_verdict(store, claim.id).rating == "mostly false"
    save_setting(store, name="verdict_scale", value="correct\nincorrect")
    assert verdicts.rating_scale(store) == ("correct", "incorrect")
    assert verdicts.clear_verdict(store, annotation_id=claim.id).value.rating == "mostly false"
    assert verdicts.get_verdict(store, claim.id) is None


def test_chart_counts_per_outlet_week_sources_and_verdicts(corpus):
    from annotator.store import corpus as queries

    store, arts = corpus
    source = _tag(store, arts["wire"], "source", "Officials")
    claim = _tag(store, arts["wire"], "claim", "12 troops died")
    _tag(store, arts["bbc"], "claim", "Carlos Ruiz said", annotator="ben")
    store.insert_link(claim.id, source.id, "source")
    verdicts.set_verdict(store, annotation_id=claim.id, rating="false")
    assert queries.count_by_tag_and_outlet(store) == [("claim", "BBC", 1), ("claim", "Reuters", 1), ("source", "Reuters", 1)]
    assert queries.count_by_tag_and_outlet(store, Filters(annotator="ben")) == [("claim", "BBC", 1)]
    # Week of publication, Monday first (2024 began on a Monday): 2024-05-02 is in week 18, 2024-05-09 in 19.
    assert queries.count_by_tag_and_week(store) == [("claim", "2024-W18", 1), ("source", "2024-W18", 1),
                                                    ("claim", "2024-W19", 1)]
    assert queries.sources_per_claim(store) == [(0, 1), (1, 1)]
    assert queries.sources_per_claim(store, Filters(outlet="Reuters")) == [(1, 1)]
    assert queries.count_verdicts(store) == [("false", 1)]


def test_building_a_view_leaves_the_cycle_collector_as_it_was(corpus):
    import gc

    store, arts = corpus
    _tag(store, arts["wire"], "source", "Officials")
    assert gc.isenabled()
    registry.source_registry(store)
    figure_groups(store)
    assert gc.isenabled()
    gc.disable()
    try:
        registry.source_registry(store)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_verdict_changes_combine_and_count_as_a_change(corpus):
    store, arts = corpus
    claim = _tag(store, arts["wire"], "claim", "12 troops died")
    saved = verdicts.set_verdict(store, annotation_id=claim.id, rating="true").changes
    cleared = verdicts.clear_verdict(store, annotation_id=claim.id).changes
    assert cleared.verdicts == {claim.id} and bool(cleared)
    assert not Changes() and bool(Changes(verdicts=frozenset({7})))
    assert (saved | Changes(verdicts=frozenset({7})) | Changes(tags=frozenset({1}))).verdicts == {claim.id, 7}


def test_a_source_over_time_counts_each_month_from_first_to_last_across_a_new_year(corpus):
    store, arts = corpus
    _tag(store, arts["ruiz"], "source", "Ana Ruiz")  # 2024-05-01
    for day in ("2024-11-20", "2024-11-28", "2025-02-03"):
        article_id, _ = store.insert_article(NewArticle(title=day, text=f"Ana Ruiz said on {day}.", published=day))
        _tag(store, store.get_article(article_id), "source", "Ana Ruiz")
    # Tagged in an article without a date, or with a date that is no ISO date (as an import may
    # give it): the day it was tagged counts.
    undated, _ = store.insert_article(NewArticle(title="undated", text="Ana Ruiz said so."))
    created = _tag(store, store.get_article(undated), "source", "Ana Ruiz").created[:7]
    loose, _ = store.insert_article(NewArticle(title="loose", text="Ana Ruiz said it.", published="May 2024"))
    _tag(store, store.get_article(loose), "source", "Ana Ruiz")
    (entry,) = [e for e in registry.source_registry(store) if e.name == "Ana Ruiz"]
    months = entry.by_month
    assert list(months)[0] == "2024-05" and list(months)[-1] == max("2025-02", created)
    assert len(months) == len(set(months)) and list(months) == sorted(months)
    assert (months["2024-05"], months["2024-06"], months["2024-11"], months["2024-12"]) == (1, 0, 2, 0)
    assert months["2025-02"] == 1 + 2 * (created == "2025-02") and months[created] >= 2
    assert sum(months.values()) == entry.count == 6
