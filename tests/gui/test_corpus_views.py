"""The Corpus menu in the real window: search and open a hit, a verdict on a claim,
the source registry, figures side by side and charts saved as PNG and SVG."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog

from annotator.services import verdicts
from annotator.services.annotations import add_annotation


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _press(qtbot, window, key):
    qtbot.keyClick(window, key, CTRL_SHIFT)


def test_search_opens_the_article_at_the_hit_and_follows_new_annotations(qtbot, make_window):
    window = make_window(auto_suggest=False, active=True)
    text = window.document.article.text
    _press(qtbot, window, Qt.Key.Key_F)
    panel = window.corpus_menu.views["search"]
    qtbot.waitUntil(lambda: panel.query.hasFocus())
    qtbot.keyClicks(panel.query, "soldiers")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert panel.results.count() >= 1
    window.view.select_span(0, 0)
    panel.results.setFocus()
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    start, end = window.view.selected_span()
    assert text[start:end].lower() == "soldiers"
    # Tag the hit as a claim with its key: the panel finds the new quote by itself.
    qtbot.keyClick(window.view, "1")
    hit = lambda: [panel.results.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(panel.results.count())]  # noqa: E731
    qtbot.waitUntil(lambda: any(h.kind == "annotation" and h.tag == "claim" for h in hit()))
    panel.grab().save("/tmp/annotator-search-panel.png")


def test_a_search_that_cannot_be_read_says_why_in_the_panel(qtbot, make_window):
    window = make_window(auto_suggest=False, active=True)
    _press(qtbot, window, Qt.Key.Key_F)
    panel = window.corpus_menu.views["search"]
    qtbot.waitUntil(lambda: panel.query.hasFocus())
    qtbot.keyClicks(panel.query, "(soldiers OR troops")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert "“(” is not closed" in panel.summary.text() and panel.results.count() == 0
    # Text pasted from a PDF may hold a NUL: SQLite read it as the end of the query.
    panel.query.clear()
    panel.query.insert("soldiers\x00")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert panel.results.count() >= 1
    qtbot.keyClicks(panel.date_from, "31/05/2024")
    qtbot.keyClick(panel.date_from, Qt.Key.Key_Return)
    assert "“31/05/2024”" in panel.summary.text() and panel.results.count() == 0
    assert panel.summary.wordWrap()


def _tag_a_claim_and_open_its_verdict(qtbot, window):
    """Tag "soldiers" as a claim (key 1) and open the verdict dialog (Ctrl+Shift+J)."""
    text = window.document.article.text
    start = text.index("soldiers")
    window.view.select_span(start, start + len("soldiers"))
    qtbot.keyClick(window.view, "1")
    qtbot.waitUntil(lambda: window.current_annotation() is not None)
    _press(qtbot, window, Qt.Key.Key_J)
    dialog = window.corpus_menu.views["verdict"]
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _tag_a_claim_and_give_it_a_verdict(qtbot, window, rating: str, explanation: str = "", evidence: str = ""):
    """Tag "soldiers" as a claim, open the verdict dialog and save ``rating``."""
    dialog = _tag_a_claim_and_open_its_verdict(qtbot, window)
    dialog.rating.setCurrentText(rating)
    qtbot.keyClicks(dialog.explanation, explanation)
    qtbot.keyClicks(dialog.evidence, evidence)
    dialog.grab().save("/tmp/annotator-verdict.png")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def test_verdict_on_a_claim_shows_in_the_details(qtbot, make_window):
    window = make_window(auto_suggest=False, active=True)
    _tag_a_claim_and_give_it_a_verdict(qtbot, window, "mostly false", "The ministry counted nine.",
                                       "https://example.org/ministry")
    assert "Verdict: mostly false" in window.details_label.text()
    # A step on the undo stack like any other.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Verdict" not in window.details_label.text()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL_SHIFT)
    assert "Verdict: mostly false" in window.details_label.text()


def test_the_verdict_dialog_refuses_a_date_that_is_no_day_and_each_field_has_its_own_key(qtbot, make_window,
                                                                                        monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    window = make_window(auto_suggest=False, active=True)
    dialog = _tag_a_claim_and_open_its_verdict(qtbot, window)
    qtbot.waitUntil(dialog.isActiveWindow)  # its keys reach it
    for key, field in (("e", dialog.explanation), ("v", dialog.evidence), ("w", dialog.reviewer),
                       ("d", dialog.date), ("r", dialog.rating)):
        qtbot.keyClick(dialog, key, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(dialog, "d", Qt.KeyboardModifier.AltModifier)
    dialog.date.selectAll()
    qtbot.keyClicks(dialog.date, "31/05/2024")
    qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    assert shown and "“31/05/2024”" in shown[-1] and dialog.isVisible()
    assert "Verdict" not in window.details_label.text()
    dialog.date.selectAll()
    qtbot.keyClicks(dialog.date, "2024-05-31")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    assert "Verdict: true" in window.details_label.text()


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # the offscreen menu
def test_the_desk_sets_its_rating_scale_from_the_corpus_menu(qtbot, make_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    window = make_window(auto_suggest=False, active=True)
    _tag_a_claim_and_give_it_a_verdict(qtbot, window, "mostly false")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _press(qtbot, window, Qt.Key.Key_K)  # the verdict chart, open beside, follows the scale
    charts = window.corpus_menu.views["charts"]
    qtbot.waitUntil(lambda: charts.computed_once)
    with qtbot.waitSignal(charts.computed_shown):
        charts.kind.setCurrentIndex(charts.kind.findData("verdicts"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Corpus menu
    menu = window.menuBar().actions()[[a.text() for a in window.menuBar().actions()].index("&Corpus")].menu()
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_A)
    dialog = window.corpus_menu.views["rating_scale"]
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.ratings.toPlainText().splitlines()[3] == "mostly false" and dialog.ratings.hasFocus()
    dialog.ratings.selectAll()
    qtbot.keyClicks(dialog.ratings, "correct")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert shown and "“mostly false” is the verdict on 1 claim" in shown[-1] and dialog.isVisible()
    for line in ("", "mostly false", "false", "", "correct"):  # blank and repeated lines drop out
        qtbot.keyClick(dialog.ratings, Qt.Key.Key_Return)
        qtbot.keyClicks(dialog.ratings, line)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert verdicts.rating_scale(window.store) == ("correct", "mostly false", "false")
    qtbot.waitUntil(lambda: list(_verdict_bars(charts)) == ["correct", "mostly false", "false"])


def test_registry_figures_and_charts(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(auto_suggest=False, active=True)
    text = window.document.article.text
    start = text.index("11 soldiers")
    window.view.select_span(start, start + len("11 soldiers"))
    qtbot.keyClick(window.view, "3")
    _press(qtbot, window, Qt.Key.Key_G)
    tracker = window.corpus_menu.views["figures"]
    qtbot.waitUntil(tracker.isVisible)
    # Grouped in the background: the window is up at once, and says so.
    assert tracker.summary.text() == "Grouping the figures by what they count…"
    qtbot.waitUntil(lambda: tracker.computed_once)
    top = tracker.tree.topLevelItem(0)
    assert top.text(0) == "soldier" and top.child(0).text(0) == "11 soldiers"
    tracker.tree.setCurrentItem(top.child(0))
    tracker.tree.setFocus()
    qtbot.keyClick(tracker.tree, Qt.Key.Key_Return)
    start, end = window.view.selected_span()
    assert text[start:end] == "11 soldiers"
    tracker.grab().save("/tmp/annotator-figures.png")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _press(qtbot, window, Qt.Key.Key_W)
    registry = window.corpus_menu.views["registry"]
    qtbot.waitUntil(registry.isVisible)
    # The sources are grouped in the background: the window is up at once, and says so.
    assert registry.summary.text() == "Grouping the source mentions into people and organisations…"
    qtbot.waitUntil(lambda: registry.summary.text().startswith("No sources in this layer yet"))
    # Tag two mentions of one person as sources: the registry, still open, follows.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for quote in ("Colonel Henrik Malmberg", "Malmberg"):
        start = text.index(quote, text.index("Colonel Henrik Malmberg") + (1 if quote == "Malmberg" else 0))
        window.view.select_span(start, start + len(quote))
        qtbot.keyClick(window.view, "2")
    qtbot.waitUntil(lambda: registry.model.rowCount() == 1)
    cell = lambda row, column: registry.model.index(row, column).data()  # noqa: E731
    assert (cell(0, 0), cell(0, 1), cell(0, 6)) == ("Henrik Malmberg", "2", "proposed")
    registry.activateWindow()
    qtbot.waitUntil(registry.isActiveWindow)
    registry.sources.setFocus()
    with qtbot.waitSignal(registry.computed_shown):
        qtbot.keyClick(registry.sources, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert cell(0, 6) == "confirmed"
    # Renamed with F2, and the rename undone: the name the group had comes back.
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Col. H. Malmberg", True))
    with qtbot.waitSignal(registry.computed_shown):
        qtbot.keyClick(registry.sources, Qt.Key.Key_F2)
    assert (cell(0, 0), cell(0, 6)) == ("Col. H. Malmberg", "confirmed")
    with qtbot.waitSignal(registry.computed_shown):
        qtbot.keyClick(registry.sources, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (cell(0, 0), cell(0, 6)) == ("Henrik Malmberg", "confirmed")
    with qtbot.waitSignal(registry.computed_shown):
        qtbot.keyClick(registry.sources, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cell(0, 6) == "proposed"
    # Another analyst's source counts for all analysts, not in this analyst's layer.
    start = text.index("the northern command")
    add_annotation(window.store, article=window.document.article, tag_id=window.store.tag_by_name("source").id,
                   start=start, end=start + len("the northern command"), annotator="ben")
    with qtbot.waitSignal(registry.computed_shown):
        registry.open_registry()
    assert registry.model.rowCount() == 2
    registry.analyst.setFocus()  # the analysts are listed as the box takes the focus: ben, tester
    qtbot.waitUntil(lambda: registry.analyst.count() == 5)
    # The layers as everywhere in team work: all, mine, curated, then each analyst.
    def down():
        with qtbot.waitSignal(registry.computed_shown):
            qtbot.keyClick(registry.analyst, Qt.Key.Key_Down)

    down()
    assert registry.analyst.currentData() == "mine"  # this window's analyst is "tester"
    assert [cell(i, 0) for i in range(registry.model.rowCount())] == ["Henrik Malmberg"]
    down()
    assert registry.analyst.currentData() == "curated" and registry.model.rowCount() == 0
    down()
    assert registry.analyst.currentData() == "ben"
    assert registry.model.rowCount() == 1 and "northern command" in cell(0, 0).lower()
    down()
    assert registry.analyst.currentData() == "tester"
    assert [cell(i, 0) for i in range(registry.model.rowCount())] == ["Henrik Malmberg"]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _press(qtbot, window, Qt.Key.Key_K)
    charts = window.corpus_menu.views["charts"]
    qtbot.waitUntil(charts.isVisible)
    # Counted in the background: the window is up at once and says so.
    assert charts.summary.text() == "Counting…"
    qtbot.waitUntil(lambda: charts.computed_once)
    assert charts.summary.text() == ""
    for suffix in ("png", "svg"):
        charts.save(tmp_path / f"chart.{suffix}")
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "chart.svg").read_bytes()[:400]
    charts.grab().save("/tmp/annotator-charts.png")
    QApplication.processEvents()


def test_window_start_up_loads_no_chart_or_similarity_library(tmp_path):
    """matplotlib and rapidfuzz cost start-up time; they load only when a view needs them."""
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from annotator.gui.main_window import MainWindow\n"
        "from annotator.services.workspace import open_workspace\n"
        f"window = MainWindow(open_workspace({str(tmp_path / 'w.db')!r}), annotator='t')\n"
        "window.show(); app.processEvents()\n"
        "print(sorted(m for m in ('matplotlib', 'rapidfuzz', 'annotator.services.sources', 'annotator.store.corpus')\n"
        "            if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def _verdict_bars(charts) -> dict[str, float]:
    ax = charts.canvas.figure.axes[0]
    return {label.get_text(): bar.get_height() for label, bar in zip(ax.get_xticklabels(), ax.patches)}


def test_the_verdict_chart_follows_a_verdict_saved_and_undone(qtbot, make_window):
    window = make_window(auto_suggest=False, active=True)
    _press(qtbot, window, Qt.Key.Key_K)
    charts = window.corpus_menu.views["charts"]
    qtbot.waitUntil(lambda: charts.computed_once)
    charts.kind.setFocus()
    while charts.kind.currentData() != "verdicts":
        with qtbot.waitSignal(charts.computed_shown):
            qtbot.keyClick(charts.kind, Qt.Key.Key_Down)
    assert _verdict_bars(charts)["mostly false"] == 0
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _tag_a_claim_and_give_it_a_verdict(qtbot, window, "mostly false")
    # The chart, open beside the window, redraws from the verdict operation's changes.
    qtbot.waitUntil(lambda: _verdict_bars(charts)["mostly false"] == 1)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _verdict_bars(charts)["mostly false"] == 0)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL_SHIFT)
    qtbot.waitUntil(lambda: _verdict_bars(charts)["mostly false"] == 1)


def test_registry_rows_are_a_model_and_two_selected_sources_merge(qtbot, make_window):
    window = make_window(auto_suggest=False, active=True)
    text = window.document.article.text
    for quote in ("Colonel Henrik Malmberg", "the northern command"):
        start = text.index(quote)
        window.view.select_span(start, start + len(quote))
        qtbot.keyClick(window.view, "2")
    _press(qtbot, window, Qt.Key.Key_W)
    registry = window.corpus_menu.views["registry"]
    qtbot.waitUntil(registry.isVisible)
    tester = QAbstractItemModelTester(registry.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    qtbot.waitUntil(lambda: registry.model.rowCount() == 2)
    assert registry.mentions.topLevelItemCount() == 1  # the current source's mention
    registry.activateWindow()
    qtbot.waitUntil(registry.isActiveWindow)
    registry.sources.setFocus()
    qtbot.keyClick(registry.sources, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select both
    with qtbot.waitSignal(registry.computed_shown):
        qtbot.keyClick(registry.sources, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert registry.model.rowCount() == 1
    assert registry.model.index(0, 1).data() == "2" and registry.model.index(0, 6).data() == "confirmed"
    assert registry.mentions.topLevelItemCount() == 2
    del tester


def test_a_corpus_window_opened_again_reuses_its_rows_until_something_changes(qtbot, make_window, monkeypatch):
    from annotator.services import sources

    computed = []
    real = sources.source_registry
    monkeypatch.setattr(sources, "source_registry", lambda *a, **k: computed.append(1) or real(*a, **k))
    window = make_window(auto_suggest=False, active=True)
    text = window.document.article.text
    _press(qtbot, window, Qt.Key.Key_W)
    registry = window.corpus_menu.views["registry"]
    qtbot.waitUntil(registry.isVisible)
    qtbot.waitUntil(lambda: registry.computed_once)
    qtbot.keyClick(registry.sources, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not registry.isVisible())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _press(qtbot, window, Qt.Key.Key_W)
    qtbot.waitUntil(registry.isVisible)
    assert len(computed) == 1 and registry.model.rowCount() == 0
    # A source tagged while the registry is closed: the next open counts it.
    registry.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    start = text.index("Colonel Henrik Malmberg")
    window.view.select_span(start, start + len("Colonel Henrik Malmberg"))
    qtbot.keyClick(window.view, "2")
    with qtbot.waitSignal(registry.computed_shown):
        _press(qtbot, window, Qt.Key.Key_W)
    assert len(computed) == 2 and registry.model.rowCount() == 1
    # A commit by another connection (a background job, another program) is noticed too.
    registry.close()
    other = sqlite3.connect(window.store.path)
    with other:
        other.execute("UPDATE annotations SET note = 'checked' WHERE id = (SELECT min(id) FROM annotations)")
    other.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(registry.computed_shown):
        _press(qtbot, window, Qt.Key.Key_W)
    assert len(computed) == 3


def test_an_empty_figure_tracker_says_how_to_fill_it(qtbot, make_window):
    window = make_window(auto_suggest=False, active=True)
    _press(qtbot, window, Qt.Key.Key_G)
    tracker = window.corpus_menu.views["figures"]
    qtbot.waitUntil(lambda: tracker.computed_once)
    assert tracker.tree.topLevelItemCount() == 0
    assert tracker.summary.text().startswith("No figures in this layer yet: tag numbers as figures")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    text = window.document.article.text
    start = text.index("11 soldiers")
    window.view.select_span(start, start + len("11 soldiers"))
    qtbot.keyClick(window.view, "3")
    qtbot.waitUntil(lambda: tracker.summary.text() == "1 quantity, 1 figure. Enter on a report opens it in its article.")


def test_an_empty_registry_and_empty_charts_say_how_to_fill_them(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(auto_suggest=False, active=True)
    _press(qtbot, window, Qt.Key.Key_W)
    registry = window.corpus_menu.views["registry"]
    qtbot.waitUntil(lambda: registry.summary.text().startswith("No sources in this layer yet: tag who is cited"))
    registry.grab().save("/tmp/annotator-registry-empty.png")
    registry.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _press(qtbot, window, Qt.Key.Key_K)
    charts = window.corpus_menu.views["charts"]
    qtbot.waitUntil(lambda: charts.computed_once)
    said = {}
    for i in range(charts.kind.count()):
        texts = [t.get_text() for t in charts.canvas.figure.axes[0].texts]
        said[charts.kind.currentData()] = texts[0] if texts else ""
        if i + 1 < charts.kind.count():
            with qtbot.waitSignal(charts.computed_shown):
                qtbot.keyClick(charts.kind, Qt.Key.Key_Down)
    assert said["verdicts"].startswith("No verdicts in this layer yet") and "Ctrl+Shift+J" in said["verdicts"]
    assert said["top_sources"].startswith("No sources") and said["sources_per_claim"].startswith("No claims")
    charts.grab().save("/tmp/annotator-charts-empty.png")
    # A name typed without .png or .svg (or with another) is saved as the type chosen in the dialog.
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "verdicts.txt"), "SVG drawing (*.svg)"))
    qtbot.waitUntil(charts.isActiveWindow)
    qtbot.keyClick(charts, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil((tmp_path / "verdicts.txt.svg").exists)
    assert b"<svg" in (tmp_path / "verdicts.txt.svg").read_bytes()[:400]


def test_the_corpus_views_follow_the_layer_the_window_shows(qtbot, make_window):
    window = make_window(auto_suggest=False, active=True)
    store, article = window.store, window.document.article
    start = article.text.index("soldiers")
    add_annotation(store, article=article, tag_id=store.tag_by_name("source").id, start=start,
                   end=start + len("soldiers"), annotator="ben")
    _press(qtbot, window, Qt.Key.Key_W)
    registry = window.corpus_menu.views["registry"]
    qtbot.waitUntil(lambda: registry.computed_once)
    assert [e.name for e in registry.entries] == ["soldiers"]  # every analyst's, as the window shows
    registry.close()
    # The window shows the tester's own layer: the registry opened again counts only that.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.team_menu.layers.choose("mine")
    with qtbot.waitSignal(registry.computed_shown):
        _press(qtbot, window, Qt.Key.Key_W)
    assert registry.analyst.word() == "mine" and registry.entries == []
    # Chosen in the window while the registry is open (ben's layer): it follows.
    window.team_menu.layers.choose("ben")
    qtbot.waitUntil(lambda: [e.name for e in registry.entries] == ["soldiers"])
    assert registry.analyst.word() == "ben"


def test_tags_of_one_colour_are_told_apart_in_the_stacked_charts(qtbot, make_window):
    from matplotlib.colors import to_hex

    from annotator.services.tags import update_tag

    window = make_window(auto_suggest=False, active=True)
    store, article = window.store, window.document.article
    for name, quote in (("claim", "soldiers"), ("source", "11")):
        update_tag(store, tag_id=store.tag_by_name(name).id, colour="#3B82F6")
        start = article.text.index(quote)
        add_annotation(store, article=article, tag_id=store.tag_by_name(name).id, start=start,
                       end=start + len(quote), annotator="tester")
    _press(qtbot, window, Qt.Key.Key_K)
    charts = window.corpus_menu.views["charts"]
    qtbot.waitUntil(lambda: charts.computed_once)
    assert charts.kind.currentData() == "per_outlet"
    legend = charts.canvas.figure.axes[0].get_legend()
    colours = {t.get_text(): to_hex(h.get_facecolor()) for t, h in zip(legend.get_texts(), legend.legend_handles)}
    assert colours["claim"] == "#3b82f6" and colours["source"] != colours["claim"], colours


def test_a_long_mention_leaves_the_article_and_date_in_sight(qtbot, make_window):
    window = make_window(auto_suggest=False, active=True)
    text = window.document.article.text
    quote = "Colonel Henrik Malmberg, a spokesman for the northern command"
    start = text.index(quote)
    window.view.select_span(start, start + len(quote))
    qtbot.keyClick(window.view, "2")
    _press(qtbot, window, Qt.Key.Key_W)
    registry = window.corpus_menu.views["registry"]
    qtbot.waitUntil(lambda: registry.isVisible() and registry.mentions.topLevelItemCount() == 1)
    mentions = registry.mentions
    item = mentions.topLevelItem(0)
    assert item.text(0) == quote and item.toolTip(0) == quote
    assert mentions.fontMetrics().horizontalAdvance(quote) > mentions.columnWidth(0)
    date_right = sum(mentions.columnWidth(c) for c in range(4))
    assert date_right <= mentions.viewport().width()


def test_a_registry_that_cannot_read_the_corpus_says_why_and_recovers(qtbot, make_window, monkeypatch):
    from annotator.services import sources
    from annotator.store import StoreError

    real = sources.source_registry

    def unreadable(*_args, **_kwargs):
        raise StoreError("The database is locked by another program; try again in a moment.")

    monkeypatch.setattr(sources, "source_registry", unreadable)
    window = make_window(auto_suggest=False, active=True)
    _press(qtbot, window, Qt.Key.Key_W)
    registry = window.corpus_menu.views["registry"]
    qtbot.waitUntil(lambda: registry.summary.text().startswith("Could not read the corpus"))
    assert "locked by another program" in registry.summary.text() and registry.isVisible()
    # Readable again: the next change groups as usual.
    monkeypatch.setattr(sources, "source_registry", real)
    with qtbot.waitSignal(registry.computed_shown):
        registry.analyst.setFocus()
        qtbot.keyClick(registry.analyst, Qt.Key.Key_Down)
    assert registry.summary.text().startswith("No sources in this layer yet")


def test_the_registry_shows_a_source_over_time(qtbot, make_window):
    from annotator.domain import NewArticle

    window = make_window(auto_suggest=False, active=True)
    store = window.store
    source = store.tag_by_name("source").id
    for day in ("2024-03-04", "2024-03-20", "2024-06-01"):
        article_id, _ = store.insert_article(NewArticle(title=day, text=f"Henrik Malmberg said so on {day}.",
                                                        published=day))
        add_annotation(store, article=store.get_article(article_id), tag_id=source, start=0, end=15, annotator="tester")
    _press(qtbot, window, Qt.Key.Key_W)
    registry = window.corpus_menu.views["registry"]
    qtbot.waitUntil(lambda: registry.computed_once)
    assert registry.entries[0].name == "Henrik Malmberg"
    assert registry.summary.text() == "1 source, 0 confirmed; 3 source annotations."
    timeline = registry.timeline
    assert timeline.months == {"2024-03": 2, "2024-04": 0, "2024-05": 0, "2024-06": 1}
    assert registry.over_time.text() == "Cited per month, 2024-03 to 2024-06: most in 2024-03 (2 citations)"
    # Each bar tells its month and count; the first bar is March, the last June.
    area, width = timeline._bars()
    assert timeline.month_at(area.left() + width / 2) == "2024-03"
    assert timeline.month_at(area.right() - width / 2) == "2024-06"
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    at = QPoint(int(area.left() + width / 2), area.center().y())
    QApplication.sendEvent(timeline, QHelpEvent(QEvent.Type.ToolTip, at, timeline.mapToGlobal(at)))
    qtbot.waitUntil(lambda: QToolTip.text() == "2024-03: 2 citations")
    registry.grab().save("/tmp/annotator-registry-timeline.png")
