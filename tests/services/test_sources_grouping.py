"""The source registry's proposal on news-like text: what stays apart, what joins
(regressions found measuring it on labelled political news; the texts here are made up)."""

from __future__ import annotations

import pytest

from annotator.domain import NewArticle
from annotator.services import sources as registry

CAMPAIGN = (
    "Hillary Clinton's campaign said on Monday it would fight. Clinton campaign Chairman John Podesta, who "
    "spoke in Ohio, said the race was close. Podesta added that he was confident. The Clinton campaign later "
    "said it had raised $10 million. Mrs. Clinton said she was ready."
)
RIVALS = (
    "Hillary Clinton said she would win. Donald Trump said he disagreed. Officials said turnout was high. "
    "Republican legislators said they would wait. Mr. Trump's campaign chairman, Paul Manafort, said the polls "
    "were wrong. Donald Trump Jr. said his father would win. Donald Trump repeated it. Donald Trump said so twice."
)
WIRE = (
    "Trump said the wall would be built. Officials said the talks had failed. Ms. Haddad said the vote was "
    "close, and Mr. Ruiz said she was wrong. An FBI summary of its investigation said the emails were deleted; "
    "the summary did not say by whom. The Republican nominee said he would not comment."
)


@pytest.fixture
def news(tagged_store):
    store = tagged_store
    tag = store.tag_by_name("source").id
    placed = {}

    def article(title, text, outlet, quotes):
        article_id, _ = store.insert_article(NewArticle(title=title, text=text, outlet=outlet, published="2016-08-01"))
        start = 0
        for quote in quotes:
            start = text.index(quote, start)
            a = store.insert_annotation(article_id, tag, start, start + len(quote), quote, annotator="ana")
            placed[(title, quote, start)] = a.id
            start += len(quote)

    article("campaign", CAMPAIGN, "AP", [
        "Hillary Clinton's campaign", "Clinton campaign Chairman John Podesta", "who", "Podesta", "he",
        "The Clinton campaign", "Mrs. Clinton", "she"])
    article("rivals", RIVALS, "Reuters", [
        "Hillary Clinton", "she", "Donald Trump", "he", "Officials", "Republican legislators", "they",
        "Mr. Trump's campaign chairman, Paul Manafort,", "Donald Trump Jr.", "Donald Trump", "Donald Trump"])
    article("wire", WIRE, "BBC", [
        "Trump", "Officials", "Ms. Haddad", "Mr. Ruiz", "she", "An FBI summary of its investigation",
        "the summary", "The Republican nominee", "he"])
    return store, placed


def _groups(store):
    """Each proposed source as the set of ``(article title, quote)`` of its mentions."""
    titles = {a.id: a.title for a in store.list_articles()}
    return [sorted((titles[m.article_id], m.quote) for m in e.mentions) for e in registry.source_registry(store)]


def _group_of(groups, title, quote):
    return next(g for g in groups if (title, quote) in g)


def test_a_campaign_is_one_source_apart_from_its_candidate(news):
    store, _ = news
    groups = _groups(store)
    assert _group_of(groups, "campaign", "The Clinton campaign") == [
        ("campaign", "Hillary Clinton's campaign"), ("campaign", "The Clinton campaign")]
    # Mrs. Clinton and her "she" join the one Hillary Clinton the corpus cites, in another article.
    assert _group_of(groups, "campaign", "Mrs. Clinton") == [
        ("campaign", "Mrs. Clinton"), ("campaign", "she"), ("rivals", "Hillary Clinton"), ("rivals", "she")]
    entry = next(e for e in registry.source_registry(store) if e.name == "Clinton campaign")
    assert entry.count == 2


def test_a_role_before_a_name_and_a_name_in_apposition_are_that_person(news):
    store, _ = news
    groups = _groups(store)
    # "who" right after the name and "he" after the surname are Podesta, not the campaign or Clinton.
    assert _group_of(groups, "campaign", "Podesta") == [
        ("campaign", "Clinton campaign Chairman John Podesta"), ("campaign", "Podesta"), ("campaign", "he"),
        ("campaign", "who")]
    assert _group_of(groups, "rivals", "Mr. Trump's campaign chairman, Paul Manafort,") == [
        ("rivals", "Mr. Trump's campaign chairman, Paul Manafort,")]
    names = {e.name for e in registry.source_registry(store)}
    assert {"John Podesta", "Paul Manafort", "Donald Trump", "Donald Trump Jr."} <= names


def test_a_bare_surname_is_the_person_the_corpus_cites_far_more_than_a_namesake(news):
    store, _ = news
    groups = _groups(store)
    trump = _group_of(groups, "rivals", "Donald Trump")
    assert ("wire", "Trump") in trump and ("rivals", "he") in trump
    assert ("rivals", "Donald Trump Jr.") not in trump
    assert _group_of(groups, "rivals", "Donald Trump Jr.") == [("rivals", "Donald Trump Jr.")]


def test_descriptions_and_pronouns_stay_in_their_article(news):
    store, _ = news
    groups = _groups(store)
    assert _group_of(groups, "rivals", "Officials") == [("rivals", "Officials")]
    assert _group_of(groups, "wire", "Officials") == [("wire", "Officials")]
    assert _group_of(groups, "rivals", "they") == [("rivals", "Republican legislators"), ("rivals", "they")]
    # A side is not a surname: "The Republican nominee" joins no Republican elsewhere, nor Trump.
    assert _group_of(groups, "wire", "The Republican nominee")[0] == ("wire", "The Republican nominee")
    # "the summary" is the FBI summary named just before it.
    assert _group_of(groups, "wire", "the summary") == [
        ("wire", "An FBI summary of its investigation"), ("wire", "the summary")]


def test_she_is_the_woman_the_titles_name_and_a_link_wins_over_the_guess(news):
    store, placed = news
    assert _group_of(_groups(store), "wire", "she") == [("wire", "Ms. Haddad"), ("wire", "she")]
    she = placed[("wire", "she", WIRE.index("she was wrong"))]
    ruiz = placed[("wire", "Mr. Ruiz", WIRE.index("Mr. Ruiz"))]
    store.insert_link(she, ruiz, "source")
    groups = _groups(store)
    assert ("wire", "she") in _group_of(groups, "wire", "Mr. Ruiz")
    assert _group_of(groups, "wire", "Ms. Haddad") == [("wire", "Ms. Haddad")]


def test_a_given_name_and_its_formal_name_are_one_person_across_articles(tagged_store):
    """The Times writes "Timothy M. Kaine" where the wires write "Tim Kaine": one person.
    Two different given names stay two people."""
    store = tagged_store
    tag = store.tag_by_name("source").id
    for title, text, quote in (
        ("wire", "Tim Kaine said the ticket was united.", "Tim Kaine"),
        ("times", "Senator Timothy M. Kaine of Virginia said the ticket was united.", "Senator Timothy M. Kaine"),
        ("local", "Bill Clinton said it was hot.", "Bill Clinton"),
        ("other", "William J. Clinton, the former president, said so.", "William J. Clinton"),
        ("smiths", "John Smith said yes. Joe Smith said no.", "John Smith"),
        ("smiths2", "Joe Smith said no.", "Joe Smith"),
    ):
        article_id, _ = store.insert_article(NewArticle(title=title, text=text, outlet=title, published="2016-08-01"))
        start = text.index(quote)
        store.insert_annotation(article_id, tag, start, start + len(quote), quote, annotator="ana")
    groups = sorted(_groups(store))
    assert [("times", "Senator Timothy M. Kaine"), ("wire", "Tim Kaine")] in groups
    assert [("local", "Bill Clinton"), ("other", "William J. Clinton")] in groups
    assert [("smiths", "John Smith")] in groups and [("smiths2", "Joe Smith")] in groups


def test_a_group_is_named_by_its_most_common_full_name(tagged_store):
    """Not by its longest (a headline's "Benghazi Widow Dorothy Woods") nor by an initial."""
    store = tagged_store
    tag = store.tag_by_name("source").id
    text = ("Benghazi Widow Dorothy Woods said she was angry. D. Woods said the hearing was short. "
            "Dorothy Woods said she would testify. Woods said nothing else. Dorothy Woods left.")
    article_id, _ = store.insert_article(NewArticle(title="woods", text=text, outlet="AP", published="2016-08-01"))
    start = 0
    for quote in ("Benghazi Widow Dorothy Woods", "D. Woods", "Dorothy Woods", "Woods", "Dorothy Woods"):
        start = text.index(quote, start)
        store.insert_annotation(article_id, tag, start, start + len(quote), quote, annotator="ana")
        start += len(quote)
    (entry,) = registry.source_registry(store)
    assert entry.name == "Dorothy Woods" and len(entry.mentions) == 5
