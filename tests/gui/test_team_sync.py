"""Team work in the window: connect, background sync with a real PostgreSQL server
(the ``pgserver`` wheel), the connection state in the status bar, offline and back."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt

from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services import team
from annotator.services.workspace import open_workspace

TEXT = ("The minister said on Monday that 40 schools would reopen next week. "
        "Teachers' unions disputed the figure and called for more time.\n")


def _connect(qtbot, window, url: str, analyst: str = ""):
    """Team → Connect…, type the server and the name, press Enter."""
    window.team_menu.connect_action.trigger()
    dialog = window.team_menu.views["connect"]
    qtbot.waitUntil(dialog.isVisible)
    dialog.server.clear()
    qtbot.keyClicks(dialog.server, url)
    dialog.analyst.clear()
    qtbot.keyClicks(dialog.analyst, analyst)
    qtbot.keyClick(dialog.analyst, Qt.Key.Key_Return)
    if not dialog.isVisible():
        window.activateWindow()  # the window has the keys again, as after any dialog
        qtbot.waitUntil(window.isActiveWindow)
    return dialog


def _status(window) -> str:
    """The team's state in the status bar, and in its tooltip the whole of it when cut."""
    label = window.team_menu.status
    return f"{label.text()}\n{label.toolTip()}"


def _server_spans(url: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            'SELECT analyst, start, "end", quote, tag_name FROM annotator.annotations WHERE NOT deleted'
            ' ORDER BY analyst, start').fetchall()


def _spans(store, article_id: int) -> list[tuple]:
    return [(a.annotator, a.start, a.end, a.quote) for a in store.list_annotations(article_id)]


@pytest.fixture
def ben(tmp_path):
    """Ben's own database, with an article and one annotation of his, synced."""
    store = open_workspace(tmp_path / "ben.db")
    yield store
    store.close()


def _article_of_ben(ben) -> int:
    article_id, _ = ben.insert_article(NewArticle(title="Schools reopen", text=TEXT, source_format="txt"))
    return article_id


def test_connect_sync_both_ways_and_the_status_bar(qtbot, make_window, team_server, ben):
    shared = _article_of_ben(ben)
    ops.add_annotation(ben, article=shared, tag_id=ben.tag_by_name("claim").id, start=0, end=67, annotator="ben")
    team.sync(ben, team_server.url("ben"))

    window = make_window(auto_suggest=False)
    assert window.team_menu.status.text() == ""  # not connected: nothing about a team
    _connect(qtbot, window, team_server.url("ana"), "ana")
    qtbot.waitUntil(lambda: "connected as ana" in _status(window), timeout=15_000)
    assert window.settings.team_server == team_server.url("ana")
    assert window.document.annotator == "ana"

    # Ben's article came in and the article list shows it.
    titles = lambda: [window.article_model.summary(r).title for r in range(window.article_model.rowCount())]
    qtbot.waitUntil(lambda: "Schools reopen" in titles())
    mine = next(s.id for s in window.store.list_articles() if s.title == "Schools reopen")
    window.open_article(mine)
    assert [(a.annotator, a.quote) for a in window.document.annotations] == [("ben", TEXT[:67])]

    # Ana tags a figure; F5 sends it at once.
    start = TEXT.index("40 schools")
    window.view.setFocus()
    window.view.select_span(start, start + len("40 schools"))
    qtbot.keyClick(window.view, "3")
    # F5 twice: the second waits for the first (never two syncs at a time), then runs.
    synced = []
    window.team_menu.sync.synced.connect(synced.append)
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    assert window.team_menu.sync.again
    qtbot.waitUntil(lambda: len(synced) == 2, timeout=15_000)
    assert synced[0].sent_annotations == 1 and synced[1].sent_annotations == 0
    qtbot.waitUntil(lambda: ("ana", start, start + 10, "40 schools", "figure") in _server_spans(team_server.admin_url),
                    timeout=15_000)
    qtbot.waitUntil(lambda: "connected as ana" in _status(window))

    # Ben receives it, adds a source; the window shows his span without reopening the article.
    team.sync(ben, team_server.url("ben"))
    assert ("ana", start, start + 10, "40 schools") in _spans(ben, shared)
    unions = TEXT.index("Teachers' unions")
    ops.add_annotation(ben, article=shared, tag_id=ben.tag_by_name("source").id, start=unions,
                       end=unions + len("Teachers' unions"), annotator="ben")
    team.sync(ben, team_server.url("ben"))
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: any(a.quote == "Teachers' unions" for a in window.document.annotations), timeout=15_000)
    assert window.annotation_model.rowCount() == 3
    assert window.view.highlighter is not None

    # Disconnect: the status line goes, syncing stops, the setting is cleared.
    window.team_menu.disconnect_action.trigger()
    assert window.team_menu.status.text() == ""
    assert window.settings.team_server == ""
    assert not window.team_menu.sync_action.isEnabled()


def test_a_password_in_the_connection_string_is_refused_and_never_stored(qtbot, make_window, team_server):
    window = make_window(auto_suggest=False)
    with_password = team_server.url("ana").replace("ana@", "ana:secret@", 1)
    dialog = _connect(qtbot, window, with_password, "ana")
    assert dialog.isVisible()
    assert dialog.problem.isVisible() and "password" in dialog.problem.text()
    assert window.store.get_setting("team_server") == ""
    assert "secret" not in "".join(window.store.all_settings().values())
    assert window.team_menu.status.text() == ""


def test_work_goes_on_offline_and_reaches_the_server_when_it_is_back(qtbot, make_window, db_path):
    """The server stops during the session (a fast shutdown that cuts connections, as
    a crash does): the status bar says offline since when and why, tagging goes on,
    and the retry after the restart sends what was made meanwhile."""
    pgserver = pytest.importorskip("pgserver")
    folder = Path(tempfile.mkdtemp(prefix="annotator-pg-down-"))
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        admin = server.get_uri()
        team.init_server(admin)
        team.add_analyst(admin, "ana")
        url = admin.replace("postgresql://postgres:@", "postgresql://ana@", 1)

        store = open_workspace(db_path)
        store.insert_article(NewArticle(title="Schools reopen", text=TEXT, source_format="txt"))
        store.close()
        window = make_window(auto_suggest=False)  # opens that article
        assert window.save_setting("team_sync_seconds", 1)
        _connect(qtbot, window, url)  # no name: the user in the URL
        qtbot.waitUntil(lambda: "connected as ana" in _status(window), timeout=15_000)

        server.cleanup()
        start = TEXT.index("Teachers' unions")
        window.view.setFocus()
        window.view.select_span(start, start + len("Teachers' unions"))
        qtbot.keyClick(window.view, "2")
        assert len(window.document.annotations) == 1  # saved here, server or not
        qtbot.keyClick(window.view, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: "offline since" in _status(window), timeout=15_000)
        assert "team server" in _status(window)

        server = pgserver.get_server(folder, cleanup_mode="stop")
        qtbot.waitUntil(lambda: "connected as ana" in _status(window), timeout=20_000)
        qtbot.waitUntil(lambda: [r[3] for r in _server_spans(admin)] == ["Teachers' unions"],
                        timeout=15_000)
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def test_unreachable_retries_but_refused_says_what_to_do_and_waits(qtbot, make_window, team_server):
    """A server that does not answer is tried again every few seconds; one that answers
    no (an unknown user, a server schema newer than the program) is not: the status bar
    says what to do, and F5 tries again once it is done."""
    window = make_window(auto_suggest=False)
    sync = window.team_menu.sync
    assert window.save_setting("team_sync_seconds", 1)

    # A closed port: nobody answers.
    _connect(qtbot, window, "postgresql://ana@127.0.0.1:1/newsdesk?connect_timeout=2", "ana")
    qtbot.waitUntil(lambda: "offline since" in _status(window), timeout=15_000)
    assert "server unreachable" in _status(window) and "will retry every 1 s" in _status(window)
    assert sync.timer.isActive() and not sync.refused

    # An unknown user: the server answers no. No retry; what to do is said.
    _connect(qtbot, window, team_server.url("nobody"), "nobody")
    qtbot.waitUntil(lambda: "refused" in _status(window), timeout=15_000)
    assert 'role "nobody" does not exist' in _status(window)
    assert "add-analyst" in _status(window) and "F5" in _status(window)
    assert not sync.timer.isActive() and not sync.running()

    # A server set up by a newer annotator: refused until the program is upgraded.
    with team_server.admin() as conn:
        conn.execute("UPDATE annotator.meta SET value = '99' WHERE key = 'schema_version'")
    _connect(qtbot, window, team_server.url("ana"), "ana")
    qtbot.waitUntil(lambda: "newer annotator" in _status(window), timeout=15_000)
    assert "refused" in _status(window) and "upgrade annotator" in _status(window)
    assert not sync.timer.isActive()

    # Once the administrator has put it right, F5 syncs.
    with team_server.admin() as conn:
        conn.execute("UPDATE annotator.meta SET value = %s WHERE key = 'schema_version'",
                     (str(team.server.SERVER_SCHEMA_VERSION),))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "connected as ana" in _status(window), timeout=15_000)
    assert sync.timer.isActive() and not sync.refused


def test_an_incoming_change_refreshes_only_the_articles_it_touched(qtbot, make_window, team_server, ben,
                                                                   monkeypatch):
    """Ben tags article X, which the window shows: X's annotations appear. Then he tags
    only article Y: the sync names Y alone, Y's row counts it, and the open X is not
    read again."""
    x = _article_of_ben(ben)
    y, _ = ben.insert_article(NewArticle(title="Hospitals strike", text="Nurses walked out on Friday.\n",
                                         source_format="txt"))
    team.sync(ben, team_server.url("ben"))
    window = make_window(auto_suggest=False)
    _connect(qtbot, window, team_server.url("ana"), "ana")
    qtbot.waitUntil(lambda: "connected as ana" in _status(window), timeout=15_000)
    ids = {s.title: s.id for s in window.store.list_articles()}
    window.open_article(ids["Schools reopen"])
    synced = []
    window.team_menu.sync.synced.connect(synced.append)

    ops.add_annotation(ben, article=x, tag_id=ben.tag_by_name("claim").id, start=0, end=67, annotator="ben")
    team.sync(ben, team_server.url("ben"))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: [a.quote for a in window.document.annotations] == [TEXT[:67]], timeout=15_000)
    assert synced[-1].changed_articles == {ids["Schools reopen"]}

    lists = []
    monkeypatch.setattr(window.store, "list_articles", lambda ids=None, read=window.store.list_articles: (
        lists.append("all") if ids is None else None, read(ids))[1])
    resets = []
    window.document.aboutToReset.connect(lambda: resets.append("annotations"))
    window.document.articleMetaChanged.connect(lambda: resets.append("metadata"))
    ops.add_annotation(ben, article=y, tag_id=ben.tag_by_name("source").id, start=0, end=6, annotator="ben")
    team.sync(ben, team_server.url("ben"))
    count = len(synced)
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: len(synced) > count and synced[-1].received, timeout=15_000)
    assert synced[-1].changed_articles == {ids["Hospitals strike"]}
    row = window.article_model.row_of(ids["Hospitals strike"])
    qtbot.waitUntil(lambda: window.article_model.summary(row).annotation_count == 1)
    assert lists == []  # that row was read again, not the whole list
    assert resets == []  # the open article was not read again
    assert [a.quote for a in window.document.annotations] == [TEXT[:67]]


def _delete_from_the_list(qtbot, window, article_id: int) -> None:
    """A right click on the article's row, then "Delete article…" (the menu's last
    entry) with the keys."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    def choose_delete():
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
        menu = QApplication.activePopupWidget()
        qtbot.keyClick(menu, Qt.Key.Key_Up)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    table = window.article_list
    row = window.article_proxy.mapFromSource(window.article_model.index(window.article_model.row_of(article_id), 0))
    QTimer.singleShot(0, choose_delete)
    at = table.visualRect(row).center()  # what a right click there sends
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at,
                                                               table.viewport().mapToGlobal(at)))


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # the offscreen menu
def test_deleting_a_shared_article_in_the_window(qtbot, make_window, team_server, ben, monkeypatch, tmp_path):
    """ben (no curator) is told that only a curator deletes a shared article, and it
    stays; the lead deletes it, F5 sends it, and it is gone from ben's file too."""
    from PySide6.QtWidgets import QMessageBox

    x = _article_of_ben(ben)
    ops.add_annotation(ben, article=x, tag_id=ben.tag_by_name("claim").id, start=0, end=67, annotator="ben")
    team.sync(ben, team_server.url("ben"))
    told = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: told.append((title, text)))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (told.append(a[2]), QMessageBox.StandardButton.Yes)[1])

    window = make_window(auto_suggest=False)
    _connect(qtbot, window, team_server.url("ana"), "ana")
    qtbot.waitUntil(lambda: "connected as ana" in _status(window), timeout=15_000)
    shared = next(s.id for s in window.store.list_articles() if s.title == "Schools reopen")
    _delete_from_the_list(qtbot, window, shared)
    qtbot.waitUntil(lambda: bool(told))
    assert told == [("Only a curator deletes a shared article",
                     "“Schools reopen” is shared with your team, so only a curator can delete it (for everyone). "
                     "Nothing was deleted. Ask your lead to delete it, or set its status to say you are done "
                     "with it.")]
    assert window.store.has_article(shared)

    # The lead's window: asked about the whole team, deletes, F5 sends.
    window.team_menu.disconnect_action.trigger()
    told.clear()
    _connect(qtbot, window, team_server.url("lead"), "lead")
    qtbot.waitUntil(lambda: "connected as lead (curator)" in _status(window), timeout=15_000)
    window.open_article(shared)
    _delete_from_the_list(qtbot, window, shared)
    qtbot.waitUntil(lambda: not window.store.has_article(shared))
    assert "for the whole team" in told[0] and window.document.article is None
    synced = []
    window.team_menu.sync.synced.connect(synced.append)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: any(r.sent_article_deletions for r in synced), timeout=15_000)
    got = team.sync(ben, team_server.url("ben"))
    assert got.removed_articles == {x} and not ben.has_article(x)
