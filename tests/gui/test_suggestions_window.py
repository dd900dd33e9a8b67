"""Suggestions in the window: shown differently, reviewed with single keys."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat



@pytest.fixture
def window(make_window):
    return make_window(active=True, wait_for_suggestions=True)


def test_suggestions_appear_with_a_dashed_look(window, qtbot, formats_at):
    figure = window.store.tag_by_name("figure")
    suggestions = window.document.suggestions
    assert any(s.tag_id == figure.id and s.quote.lower().startswith("at least 11 soldiers") for s in suggestions)
    s = next(s for s in suggestions if s.tag_id == figure.id)
    window.view.reveal(s.start, s.end, flash=False)
    qtbot.waitUntil(lambda: bool(formats_at(window.view, s.start)))
    fmt = formats_at(window.view, s.start)[0]
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
    # Hidden on request.
    window.show_suggestions_action.trigger()
    assert formats_at(window.view, s.start) == []
    assert window.store.get_setting("show_suggestions") == "0"


def test_next_accept_reject_with_single_keys_and_undo(window, qtbot):
    text = window.document.article.text
    before = len(window.document.suggestions)
    cursor = window.view.textCursor()
    cursor.setPosition(0)
    window.view.setTextCursor(cursor)
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    first = window.review.current_suggestion()
    assert first is not None and window.view.selected_span() == (first.start, first.end)
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    saved = window.store.list_annotations(window.document.article.id)
    assert [(a.start, a.end, a.quote) for a in saved] == [(first.start, first.end, text[first.start:first.end])]
    origin = json.loads(saved[0].origin)
    assert origin["suggester"] and origin["version"] and 0 <= origin["score"] <= 1
    assert saved[0].value == first.value
    # The next suggestion is selected at once; X rejects it and it never comes back.
    second = window.review.current_suggestion()
    assert second is not None and second.id != first.id
    qtbot.keyClick(window.view, Qt.Key.Key_X)
    assert len(window.document.suggestions) == before - 2
    window.review.suggest_current_article()
    qtbot.waitUntil(lambda: all(s.start != second.start or s.end != second.end or s.tag_id != second.tag_id
                                for s in window.store.list_suggestions(window.document.article.id)))
    # Undo the reject, then the accept.
    window.undo_action.trigger()
    assert any(s.id == second.id for s in window.document.suggestions)
    window.undo_action.trigger()
    assert window.store.list_annotations(window.document.article.id) == []
    assert any(s.id == first.id for s in window.document.suggestions)


def test_tag_key_on_a_suggestion_accepts_it_under_that_tag(window, qtbot):
    claim = window.store.tag_by_name("claim")
    figure = window.store.tag_by_name("figure")
    s = next(s for s in window.document.suggestions if s.tag_id == figure.id)
    window.view.select_span(s.start, s.end)
    qtbot.keyClick(window.view, "1")
    saved = window.store.list_annotations(window.document.article.id)
    assert [(a.start, a.end, a.tag_id) for a in saved] == [(s.start, s.end, claim.id)]


def test_accept_all_of_one_tag_is_one_undo_step(window, qtbot):
    figure = window.store.tag_by_name("figure")
    figures = [s for s in window.document.suggestions if s.tag_id == figure.id]
    assert len(figures) >= 5
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    saved = window.store.list_annotations(window.document.article.id)
    assert sorted((a.start, a.end) for a in saved) == sorted((s.start, s.end) for s in figures)
    assert all(s.tag_id != figure.id for s in window.document.suggestions)
    window.undo_action.trigger()
    assert window.store.list_annotations(window.document.article.id) == []


def test_accepted_claim_and_source_are_linked_and_shown_in_details(window, qtbot):
    claim_tag = window.store.tag_by_name("claim")
    claim = next(s for s in window.document.suggestions
                 if s.tag_id == claim_tag.id and s.source_suggestion_id is not None)
    source_id = claim.source_suggestion_id
    window.review.accept_suggestion(source_id)
    claim_annotation = window.review.accept_suggestion(claim.id)
    links = window.store.list_links(window.document.article.id)
    assert [(f, k) for f, _t, k in links] == [(claim_annotation.id, "source")]
    window.select_annotation(claim_annotation.id)
    assert "Said by: “" in window.details_label.text()
    assert claim.cue and f"Cue: {claim.cue}" in window.details_label.text()


def test_date_suggestions_can_be_left_out(window):
    from annotator.gui.document import suggestion_kind

    dates = [s for s in window.document.suggestions if suggestion_kind(s) == "date"]
    assert dates, "the sample article has dates (March 14, 2026; Friday; October 2024)"
    window.date_suggestions_action.trigger()
    assert all(suggestion_kind(s) != "date" for s in window.document.suggestions)
    assert window.document.suggestions
    assert window.store.get_setting("date_suggestions") == "0"
    pending = window.store.list_suggestions(window.document.article.id)
    assert {s.id for s in dates} <= {s.id for s in pending}, "hidden, not rejected"
    window.date_suggestions_action.trigger()
    assert {s.id for s in dates} <= {s.id for s in window.document.suggestions}


def test_corpus_wide_run_in_the_background(window, qtbot):
    from annotator.domain import NewArticle

    second, _ = window.store.insert_article(NewArticle(
        title="Second", text="Second\n\nPolice said 40 people were arrested, according to a statement.\n"))
    assert window.store.list_suggestions(second) == []
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        job = window.review.suggest_all_articles()
        assert job.dialog.labelText() != "" and not job.cancelled
    quotes = {s.quote for s in window.store.list_suggestions(second)}
    assert "40 people" in quotes


def test_corpus_wide_run_can_be_cancelled(window, qtbot):
    from annotator.domain import NewArticle

    ids = [window.store.insert_article(NewArticle(title=f"Story {i}", text=f"Story {i}\n\n{i} soldiers died.\n"))[0]
           for i in range(30)]
    with qtbot.waitSignal(window.jobFinished, timeout=30_000):
        job = window.review.suggest_all_articles()
        job.cancel()
    assert job.cancelled
    untouched = [i for i in ids if not window.store.list_suggestions(i)]
    assert untouched, "a cancelled run stops before the end"


def test_very_long_articles_are_suggested_on_request_only(window, qtbot, monkeypatch):
    from annotator.domain import NewArticle
    from annotator.gui import suggestion_review

    monkeypatch.setattr(suggestion_review, "AUTO_SUGGEST_MAX_CHARS", 100)
    long_id, _ = window.store.insert_article(NewArticle(
        title="Long", text="Long\n\n" + "Officials said 12 people were hurt. " * 10))
    window.open_article(long_id)
    # The automatic run has been considered (it says so) and started nothing.
    qtbot.waitUntil(lambda: "F6" in window.statusBar().currentMessage(), timeout=5000)
    assert not window.review._timer.isActive()
    assert not any(job.is_running() for job in window.review._quiet_jobs)
    assert window.store.list_suggestions(long_id) == []
    with qtbot.waitSignal(window.suggestionsReady, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_F6)
    assert window.document.suggestions


def test_the_window_warms_the_suggesters_up_in_the_background_when_suggesting_automatically(
        make_window, qtbot, monkeypatch):
    import threading

    from annotator.services import suggestions

    calls = []
    monkeypatch.setattr(suggestions, "warm_up", lambda: calls.append(threading.current_thread().name))
    make_window(auto_suggest=True)
    qtbot.waitUntil(lambda: calls == ["suggesters warm-up"])
    make_window(auto_suggest=False)  # the setting is kept: no warm-up
    qtbot.wait(100)
    assert calls == ["suggesters warm-up"]


def test_warming_up_loads_the_attribution_tagger() -> None:
    from annotator.services.suggestions import warm_up
    from annotator.suggest import tagger

    tagger._CACHE.pop(tagger.model_path(), None)
    warm_up()
    assert isinstance(tagger._CACHE[tagger.model_path()], tagger.Model)
