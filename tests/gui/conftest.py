"""Shared GUI fixtures: the real main window, with Qt's model tester attached to
every item model before the window uses it, and helpers to read what Qt paints."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextCharFormat
from PySide6.QtTest import QAbstractItemModelTester

from annotator.gui.main_window import MainWindow
from annotator.services.workspace import open_workspace


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory):
    """Each GUI test starts from empty application settings in a folder of its own:
    nothing a test remembers (window geometry, the last export) reaches another test
    or the person's own settings."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("settings")))


def attach_model_testers(window: MainWindow) -> list[QAbstractItemModelTester]:
    """Qt's QAbstractItemModelTester on each of the window's models. It checks every
    insert, remove, move and reset as it happens and reports a broken contract as a
    Qt warning, which fails the test (``qt_log_level_fail = WARNING``). pytest-qt's
    ``qtmodeltester`` keeps one tester at a time; the window has four models."""
    mode = QAbstractItemModelTester.FailureReportingMode.Warning
    models = [window.article_model, window.article_proxy, window.annotation_model, window.annotation_proxy]
    return [QAbstractItemModelTester(model, mode) for model in models]


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "work.db"


@pytest.fixture
def make_window(qtbot, db_path):
    """``make_window(auto_suggest=True, active=False, wait_for_suggestions=False)``:
    the main window on ``db_path`` (first run: default tags and the sample article),
    its models under test, the latest article open (its suggestions shown, when
    waited for) and the text focused."""
    opened = []

    def make(*, auto_suggest: bool = True, active: bool = False, wait_for_suggestions: bool = False) -> MainWindow:
        store = open_workspace(db_path)
        if not auto_suggest:
            store.set_setting("auto_suggest", "0")
        win = MainWindow(store, annotator="tester")
        win.model_testers = attach_model_testers(win)
        qtbot.addWidget(win)
        win.show()
        if active:
            qtbot.waitUntil(win.isActiveWindow)
        if wait_for_suggestions:
            with qtbot.waitSignal(win.suggestionsReady, timeout=20_000):
                win.open_article(store.latest_article_id())
        else:
            win.open_article(store.latest_article_id())
        win.view.setFocus()
        opened.append(win)
        return win

    yield make
    for win in opened:
        win.close()
        win.store.close()


@pytest.fixture
def window(make_window):
    return make_window()


def _formats_at(view, offset: int) -> list[QTextCharFormat]:
    position = view.to_qt(offset)
    block = view.document().findBlock(position)
    inside = position - block.position()
    ranges = block.layout().formats()
    return [QTextCharFormat(r.format) for r in ranges if r.start <= inside < r.start + r.length]


@pytest.fixture
def formats_at():
    """``formats_at(view, offset)``: the highlight formats Qt paints at a code-point offset."""
    return _formats_at
