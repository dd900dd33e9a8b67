"""Every write is a named operation that says what it changed, can be recorded
and replayed, and is one transaction."""

from __future__ import annotations

import pytest

from annotator.domain import NewArticle
from annotator.services import annotations as ann
from annotator.services.articles import delete_article, set_article_status, update_article
from annotator.services.changes import Changes, add_listener, replay
from annotator.services.suggestions import suggest_article
from annotator.services.settings import Settings, load_settings, save_setting
from annotator.services.tags import create_tag, delete_tag, update_tag
from annotator.services.workspace import open_workspace

TEXT = "The ministry said 40% of the 1,200 households had no power, officials told reporters.\n"


@pytest.fixture
def store(tmp_path):
    s = open_workspace(tmp_path / "a.db")
    s.insert_article(NewArticle(title="Power cuts", text=TEXT))
    yield s
    s.close()


def article_id(store):
    return store.latest_article_id()


def test_each_operation_reports_what_it_changed(store):
    figure = store.tag_by_name("figure")
    aid = article_id(store)
    added = ann.add_annotation(store, article=aid, tag_id=figure.id, start=18, end=21, annotator="ana")
    assert added.value.quote == "40%"
    assert added.changes == Changes(annotations=(added.value,))
    assert added.changes.touches_article(aid) and not added.changes.touches_article(aid + 1)

    noted = ann.set_note(store, annotation_id=added.value.id, note="check the census")
    assert noted.changes.annotations[0].note == "check the census"

    deleted = ann.delete_annotations(store, annotation_ids=[added.value.id])
    assert [a.id for a in deleted.changes.removed_annotations] == [added.value.id]
    assert store.count_annotations() == 0
    ann.restore_annotations(store, annotations=deleted.value[0], links=deleted.value[1])
    assert [a.id for a in store.list_annotations(aid)] == [added.value.id]

    tag = create_tag(store, name="quote", colour="#123456", shortcut="q")
    assert tag.changes.tags == {tag.value.id}
    assert update_tag(store, tag_id=tag.value.id, colour="#654321").value.colour == "#654321"
    assert delete_tag(store, tag_id=tag.value.id).changes.tags == {tag.value.id}

    assert set_article_status(store, article_id=aid, status="done").changes.articles == {aid}
    assert store.get_article(aid).status == "done"
    assert update_article(store, article_id=aid, outlet="Ledger").changes.articles == {aid}
    assert delete_article(store, article_id=aid).changes.removed_articles == {aid}
    assert not store.has_article(aid)


def test_recorded_operations_replay_on_another_database(store, tmp_path):
    other = open_workspace(tmp_path / "b.db")
    other.insert_article(NewArticle(title="Power cuts", text=TEXT))
    recorded = []
    remove = add_listener(lambda record: recorded.append((record.name, record.params)))
    try:
        figure = store.tag_by_name("figure")
        article = store.get_article(article_id(store))
        a = ann.add_annotation(store, article=article, tag_id=figure.id, start=29, end=34, annotator="ana").value
        ann.set_note(store, annotation_id=a.id, note="households")
        ann.retag_annotation(store, annotation_id=a.id, tag_id=store.tag_by_name("claim").id)
        save_setting(store, name="whole_words", value=True)
    finally:
        remove()
    assert [name for name, _ in recorded] == ["add_annotation", "set_note", "retag_annotation", "save_setting"]
    assert recorded[0][1]["article"] == article.id  # a plain id, not the article's text
    for name, params in recorded:
        replay(other, name, params)
    mine = [(x.start, x.end, x.quote, x.note, x.tag_id) for x in store.list_annotations(article.id)]
    theirs = [(x.start, x.end, x.quote, x.note, x.tag_id) for x in other.list_annotations(other.latest_article_id())]
    assert mine == theirs == [(29, 34, "1,200", "households", store.tag_by_name("claim").id)]
    assert load_settings(other).whole_words is True
    other.close()


def test_undo_of_an_accept_is_one_recorded_action_and_one_transaction(store):
    aid = article_id(store)
    pending = suggest_article(store, aid)
    figure = next(s for s in pending if s.quote == "40%")
    accepted = ann.accept_suggestion(store, suggestion_id=figure.id, annotator="ana")
    assert accepted.changes.suggestions == {aid}
    recorded = []
    remove = add_listener(lambda record: recorded.append(record.name))
    try:
        op = ann.reopen_suggestion(store, suggestion_id=figure.id, annotation_id=accepted.value.id)
    finally:
        remove()
    assert recorded == ["reopen_suggestion"]
    assert [a.id for a in op.changes.removed_annotations] == [accepted.value.id]
    assert figure.id in {s.id for s in store.list_suggestions(aid)}
    assert store.count_annotations(aid) == 0


def test_a_failing_operation_writes_nothing(store, monkeypatch):
    figure = store.tag_by_name("figure")
    aid = article_id(store)
    a = ann.add_annotation(store, article=aid, tag_id=figure.id, start=18, end=21, annotator="ana").value
    s = next(x for x in suggest_article(store, aid) if "1,200" in x.quote)
    accepted = ann.accept_suggestion(store, suggestion_id=s.id, annotator="ana").value

    def broken(_suggestion_id):
        raise RuntimeError("power cut")

    monkeypatch.setattr(store, "reset_suggestion", broken)
    with pytest.raises(RuntimeError):
        ann.reopen_suggestion(store, suggestion_id=s.id, annotation_id=accepted.id)
    # The annotation deleted on the way is back: the operation was one transaction.
    assert {x.id for x in store.list_annotations(aid)} == {a.id, accepted.id}


def test_settings_are_typed_with_defaults(store):
    settings = load_settings(store)
    assert settings == Settings(seeded=True)
    assert settings.show_suggestions is True and settings.whole_words is False and settings.last_article is None
    after = save_setting(store, name="show_suggestions", value=False)
    assert after.value.show_suggestions is False and after.changes.settings == {"show_suggestions"}
    save_setting(store, name="last_article", value=article_id(store))
    assert load_settings(store).last_article == article_id(store)
    with pytest.raises(ValueError, match="unknown setting"):
        save_setting(store, name="colour_scheme", value="dark")


def test_a_long_article_is_suggested_in_a_worker_process_as_in_the_caller(store, monkeypatch):
    """Over the in-thread limit, suggestions (the trained tagger's too) come from a worker process."""
    from annotator.services import suggestions
    from annotator.suggest import suggest

    aid = article_id(store)
    monkeypatch.setattr(suggestions, "IN_THREAD_LIMIT", len(TEXT) - 1)
    spawned = []
    real_pool = suggestions.process_pool
    monkeypatch.setattr(suggestions, "process_pool", lambda *a, **k: spawned.append(a) or real_pool(*a, **k))
    pending = suggest_article(store, aid)
    assert spawned
    assert sorted((s.start, s.end, s.quote) for s in pending) == sorted(
        (s.start, s.end, s.quote) for s in suggest(TEXT))
    assert any(s.quote == "officials" for s in pending)
