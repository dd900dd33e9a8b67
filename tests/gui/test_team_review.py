"""Team → Agreement and Team → Curation in the window: ana's and ben's work, met
through a real PostgreSQL server, in the lead's window. The agreement report is
computed in the background and opens a disagreement in the text; the lead (a
curator) settles every place into the curated layer with single keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services import team
from annotator.services.articles import set_article_status
from annotator.services.workspace import open_workspace

TEXT = ("The minister said on Monday that 40 schools would reopen next week. "
        "Teachers' unions disputed the figure and called for more time.\n")
CLAIM = "The minister said on Monday that 40 schools would reopen next week."
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _add(store, article_id, tag, phrase, analyst):
    start = TEXT.index(phrase)
    ops.add_annotation(store, article=article_id, tag_id=store.tag_by_name(tag).id, start=start,
                       end=start + len(phrase), annotator=analyst)


@pytest.fixture
def team_work(tmp_path, team_server, db_path):
    """ana and ben agree on the claim, differ on the figure's limits; only ben has the
    source. The lead's database (the window's) has received all of it."""
    ana = open_workspace(tmp_path / "ana.db")
    ben = open_workspace(tmp_path / "ben.db")
    article, _ = ana.insert_article(NewArticle(title="Schools reopen", text=TEXT, source_format="txt"))
    _add(ana, article, "claim", CLAIM, "ana")
    _add(ana, article, "figure", "40 schools", "ana")
    set_article_status(ana, article_id=article, status="done")
    team.sync(ana, team_server.url("ana"))
    team.sync(ben, team_server.url("ben"))
    shared = ben.article_ids()[-1]
    _add(ben, shared, "claim", CLAIM, "ben")
    _add(ben, shared, "figure", "40 schools would", "ben")
    _add(ben, shared, "source", "Teachers' unions", "ben")
    team.sync(ben, team_server.url("ben"))
    lead = open_workspace(db_path)
    team.sync(lead, team_server.url("lead"))
    article_id = next(a.id for a in lead.list_articles() if a.title == "Schools reopen")
    for store in (ana, ben, lead):
        store.close()
    return article_id


def _row(curation, row: int) -> list[str]:
    model = curation.group_model
    return [model.index(row, c).data() for c in range(model.columnCount())]


def _curated(window):
    """The curated layer, as the window shows it when that layer is chosen."""
    chooser = window.team_menu.layers
    shown = chooser.currentData()
    chooser.choose("curated")
    curated = sorted((a.start, a.end, window.store.get_tag(a.tag_id).name) for a in window.document.annotations)
    chooser.choose(shown)
    return curated


def test_agreement_report_lists_disagreements_and_opens_one_in_the_text(qtbot, make_window, team_work):
    window = make_window(auto_suggest=False, active=True)
    window.open_article(window.store.article_ids()[0])  # the sample: the report must take us elsewhere
    qtbot.keyClick(window, "a", CTRL_SHIFT)
    report = window.team_menu.views["agreement"]
    mode = QAbstractItemModelTester.FailureReportingMode.Warning
    testers = [QAbstractItemModelTester(m, mode) for m in (report.score_model, report.score_proxy,  # noqa: F841
                                                           report.disagreement_model, report.disagreement_proxy)]
    qtbot.waitUntil(lambda: report.computed is not None, timeout=15_000)
    assert report.isVisible()
    assert report.computed.report.analysts == ["ana", "ben"]
    assert "ana, ben" in report.summary.text()

    # The first line is the corpus over all tags for the pair: the claim matches exactly,
    # the figure only by overlap, the source is ben's alone.
    assert [report.score_proxy.index(0, c).data() for c in range(3)] == ["All articles", "All tags", "ana – ben"]
    assert report.score_proxy.index(0, 5).data() == "0.40"  # F1 exact: 1 match, 2 and 3 spans
    assert report.score_proxy.index(0, 6).data() == "0.80"  # F1 overlap: 2 matches
    assert report.scores.currentIndex().row() == 0
    rows = sorted(tuple(report.disagreement_proxy.index(r, c).data() for c in range(6))
                  for r in range(report.disagreement_proxy.rowCount()))
    assert rows == [
        ("Schools reopen", "40 schools", "figure", "ana", "ben", "other limits"),
        ("Schools reopen", "40 schools would", "figure", "ben", "ana", "other limits"),
        ("Schools reopen", "Teachers' unions", "source", "ben", "ana", "only this analyst"),
    ]

    # Filtering the scores by a tag: the claim line agrees fully and has no disagreement.
    qtbot.keyClicks(report.filter, "claim")
    report.scores.setFocus()
    report.scores.setCurrentIndex(report.score_proxy.index(0, 0))
    assert [report.score_proxy.index(0, c).data() for c in (1, 5)] == ["claim", "1.00"]
    assert report.disagreement_proxy.rowCount() == 0
    assert report.disagreement_label.text() == "0 disagreements, tag claim, between ana and ben"
    report.filter.clear()
    report.scores.setCurrentIndex(report.score_proxy.index(0, 0))

    # Enter on the disagreement opens the article with the span selected.
    report.disagreements.setFocus()
    unions = report.disagreement_proxy.match(report.disagreement_proxy.index(0, 1), Qt.ItemDataRole.DisplayRole,
                                             "Teachers' unions")[0]
    report.disagreements.setCurrentIndex(unions)
    qtbot.keyClick(report.disagreements, Qt.Key.Key_Return)
    start = TEXT.index("Teachers' unions")
    assert window.document.article.id == team_work
    assert window.view.selected_span() == (start, start + len("Teachers' unions"))


def test_lead_accepts_edits_rejects_and_undoes_with_single_keys(qtbot, make_window, team_work):
    window = make_window(auto_suggest=False, active=True)
    window.open_article(team_work)
    qtbot.keyClick(window, "u", CTRL_SHIFT)
    curation = window.team_menu.views["curation"]
    testers = [QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Warning)  # noqa: F841
               for m in (curation.group_model, curation.article_model)]
    qtbot.waitUntil(lambda: curation.article_model.rowCount() == 1, timeout=10_000)
    assert curation.isVisible()
    table = curation.groups
    assert curation.group_model.headers() == ["Where", "Text", "1 ana", "2 ben", "Curated"]
    assert curation.group_model.rowCount() == 3
    assert _row(curation, 1)[1:] == ["40 schools would", "figure: 40 schools", "figure: 40 schools would", ""]
    assert _row(curation, 2)[2:] == ["—", "source: Teachers' unions", ""]
    assert "0 of 3 places settled" in curation.heading.text()
    assert [curation.article_model.index(0, c).data() for c in (1, 2, 5)] == ["ana, ben", "ana done", "to do"]

    # 1 on the claim: ana's span goes into the curated layer; the next place is selected.
    table.setFocus()
    table.setCurrentIndex(curation.group_model.index(0, 0))
    qtbot.keyClick(table, "1")
    assert _row(curation, 0)[-1] == f"✓ claim: {CLAIM[:49]}…"
    assert table.currentIndex().row() == 1
    assert _curated(window) == [(0, len(CLAIM), "claim")]  # the main window's article shows it

    # 2 takes ben's figure; Ctrl+Z takes it back; E edits ana's into "40 schools would reopen".
    qtbot.keyClick(table, "2")
    assert _row(curation, 1)[-1] == "✓ figure: 40 schools would"
    qtbot.keyClick(table, "z", CTRL)
    assert _row(curation, 1)[-1] == ""
    assert table.currentIndex().row() == 1
    table.setCurrentIndex(curation.group_model.index(1, 2))  # ana's column
    qtbot.keyClick(table, "e")
    dialog = curation.edit_dialog
    assert dialog.isVisible() and dialog.words.textCursor().selectedText() == "40 schools"
    for _ in range(len(" would reopen")):
        qtbot.keyClick(dialog.words, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.words.textCursor().selectedText() == "40 schools would reopen"
    dialog.accept()
    curation.activateWindow()  # back from the dialog, as a window manager does
    qtbot.waitUntil(curation.isActiveWindow)
    start = TEXT.index("40 schools")
    assert _row(curation, 1)[-1] == "✓ figure: 40 schools would reopen"
    assert (start, start + len("40 schools would reopen"), "figure") in _curated(window)

    # R rejects the source only ben saw: every place is settled, the article fully curated.
    table.setCurrentIndex(curation.group_model.index(2, 0))
    qtbot.keyClick(table, "r")
    assert _row(curation, 2)[-1] == "rejected"
    assert "3 of 3 places settled · fully curated" in curation.heading.text()
    qtbot.waitUntil(lambda: curation.article_model.index(0, 5).data() == "curated")
    assert curation.article_summary.text() == "Articles: 1 of 1 fully curated"

    # Undo twice: the rejection, then the edit; redo brings the edit back.
    qtbot.keyClick(table, "z", CTRL)
    qtbot.keyClick(table, "z", CTRL)
    assert [_row(curation, r)[-1] for r in (1, 2)] == ["", ""]
    qtbot.keyClick(table, "z", CTRL_SHIFT)
    assert _row(curation, 1)[-1] == "✓ figure: 40 schools would reopen"
    assert len(_curated(window)) == 2


def _accept_first_place(qtbot, window):
    """Ctrl+Shift+U, then 1 on the first place: accept the first analyst's span."""
    qtbot.keyClick(window, "u", CTRL_SHIFT)
    curation = window.team_menu.views["curation"]
    qtbot.waitUntil(curation.isActiveWindow)
    curation.groups.setFocus()
    curation.groups.setCurrentIndex(curation.group_model.index(0, 0))
    qtbot.keyClick(curation.groups, "1")
    return curation


def test_an_analyst_who_is_not_a_curator_is_told_so(qtbot, make_window, team_work, team_server, db_path):
    window = make_window(auto_suggest=False, active=True)
    # This file now syncs as ben, who is no curator.
    team.sync(window.store, team_server.url("ben"))
    window.open_article(team_work)
    curation = _accept_first_place(qtbot, window)
    assert curation.problem.isVisible()
    assert "not a curator" in curation.problem.text()
    assert _row(curation, 0)[-1] == ""
    assert curation.undo_stack.count() == 0


def _shown(window) -> list[tuple[str, str]]:
    """(analyst, quote) of the annotations the article and its table show."""
    rows = window.annotation_model.rowCount()
    assert rows == len(window.document.annotations)
    return sorted((a.annotator, a.quote) for a in window.document.annotations)


def _lead_curates_the_claim(qtbot, make_window, article_id):
    """The lead's window on the article; the claim curated (key 1 in the curation view)."""
    window = make_window(auto_suggest=False, active=True)
    window.open_article(article_id)
    curation = _accept_first_place(qtbot, window)
    curation.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_layer_chooser_shows_all_mine_curated_or_one_analyst(qtbot, make_window, team_work):
    window = _lead_curates_the_claim(qtbot, make_window, team_work)
    assert len(_shown(window)) == 5  # all analysts: ana 2, ben 3 (the curated copy is a layer of its own)

    # Ctrl+Shift+L takes the keys to the chooser; the arrows choose.
    chooser = window.team_menu.layers
    qtbot.keyClick(window.view, "l", CTRL_SHIFT)
    assert chooser.hasFocus()
    seen = {}
    for _ in range(chooser.count() - 1):
        qtbot.keyClick(chooser, Qt.Key.Key_Down)
        seen[chooser.currentText()] = _shown(window)
    assert seen == {
        "Layer: Mine (lead)": [],
        "Layer: Curated": [("lead", CLAIM)],
        "Layer: ana": [("ana", "40 schools"), ("ana", CLAIM)],
        "Layer: ben": [("ben", "40 schools would"), ("ben", "Teachers' unions"), ("ben", CLAIM)],
        "Layer: lead": [],  # the lead's own layer: the curated span is not in it
    }

    # In "mine", what the lead tags shows at once; "all" shows everyone's again.
    chooser.choose("mine")
    window.view.setFocus()
    start = TEXT.index("called for more time")
    window.view.select_span(start, start + len("called for more time"))
    qtbot.keyClick(window.view, "1")
    assert _shown(window) == [("lead", "called for more time")]
    chooser.choose("all")
    assert len(_shown(window)) == 6  # ana 2, ben 3, the lead 1


def test_ctrl_e_exports_the_layer_the_window_shows_and_any_other(qtbot, make_window, team_work, tmp_path,
                                                                 monkeypatch):
    """The lead curates the claim, shows the curated layer (Ctrl+Shift+L) and exports
    with Ctrl+E: the dialog offers that layer, and the CSV holds the curated span
    only; the same dialog exports ben's layer when chosen there."""
    import pandas as pd
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.gui.exchange_dialogs import EXPORT_CHOICES, ExportDialog

    window = _lead_curates_the_claim(qtbot, make_window, team_work)
    qtbot.keyClick(window.view, "l", CTRL_SHIFT)
    chooser = window.team_menu.layers
    while chooser.currentData() != "curated":
        qtbot.keyClick(chooser, Qt.Key.Key_Down)
    window.view.setFocus()

    def export(path, layer_keys=()):
        """Ctrl+E; in the dialog: CSV, all articles, the layer moved by ``layer_keys``, Enter."""
        seen = {}

        def act():
            qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ExportDialog))
            dialog = QApplication.activeModalWidget()
            seen["layer"] = dialog.layer_combo.currentText()
            dialog.format_combo.setCurrentIndex([c[1] for c in EXPORT_CHOICES].index("csv"))
            dialog.scope_all.click()
            for key in layer_keys:
                qtbot.keyClick(dialog.layer_combo, key)
            seen["chosen"] = dialog.layer_combo.currentText()
            dialog.path_edit.setText(str(path))
            qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)

        QTimer.singleShot(0, act)
        qtbot.keyClick(window.view, "e", CTRL)
        qtbot.waitUntil(path.exists, timeout=10_000)
        window.activateWindow()  # back from the dialog, as a window manager does
        qtbot.waitUntil(window.isActiveWindow)
        window.view.setFocus()
        return seen

    curated = tmp_path / "curated.csv"
    seen = export(curated)
    assert seen["layer"] == "Curated"  # the layer the window shows
    rows = pd.read_csv(curated, encoding="utf-8-sig")
    assert list(zip(rows["annotator"], rows["tag"], rows["quote"])) == [("lead", "claim", CLAIM)]

    # Another layer chosen in the dialog: ben's own annotations, with his name in every row.
    bens = tmp_path / "ben.csv"
    seen = export(bens, [Qt.Key.Key_End, Qt.Key.Key_Up])  # the analysts follow: ana, ben, lead
    assert seen["chosen"] == "ben"
    rows = pd.read_csv(bens, encoding="utf-8-sig")
    assert sorted(zip(rows["annotator"], rows["quote"])) == [
        ("ben", "40 schools would"), ("ben", "Teachers' unions"), ("ben", CLAIM)]


def test_the_annotation_table_shows_sorts_and_filters_by_analyst(qtbot, make_window, team_work):
    """Several analysts' work: the table has an Analyst column (kept at 1024x640, where
    the quote keeps its room), a click on its header sorts by it, the analyst filter
    narrows the rows, and the quote's tooltip names who made it."""
    from PySide6.QtCore import QPoint

    window = make_window(auto_suggest=False, active=True)
    window.open_article(team_work)
    table, proxy = window.annotation_table, window.annotation_proxy
    column = [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())].index("By")
    assert not table.isColumnHidden(column)
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(column) + 5, header.height() // 2))
    shown = lambda: [proxy.index(r, column).data() for r in range(proxy.rowCount())]  # noqa: E731
    assert shown() == ["ana", "ana", "ben", "ben", "ben"]
    assert proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole).endswith("— by ana")

    # The analyst filter, with the keys: ben's three spans.
    choose = window.annotations.analyst_filter
    assert choose.isVisible() and [choose.itemText(i) for i in range(choose.count())] == ["All analysts", "ana", "ben"]
    choose.setFocus()
    qtbot.keyClick(choose, Qt.Key.Key_End)
    assert shown() == ["ben", "ben", "ben"]
    qtbot.keyClick(choose, Qt.Key.Key_Home)
    assert len(shown()) == 5

    window.resize(1024, 640)
    qtbot.waitUntil(lambda: table.width() < 360)
    qtbot.waitUntil(lambda: table.isColumnHidden(2))  # "said by" gave way; the analyst stays
    assert not table.isColumnHidden(column) and table.columnWidth(1) >= 150
