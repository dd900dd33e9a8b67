"""The Team menu: connect to the team server and sync in the background, agreement
between analysts, curation, and the layer chooser. The connection state and the
layer shown sit in the status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from annotator.gui.team_connect import TeamConnectDialog
from annotator.gui.team_layers import Filter, LayerChooser
from annotator.gui.team_sync import TeamSync
from annotator.store.team import membership

if TYPE_CHECKING:
    from annotator.services.team import SyncReport


STATE_WIDTH = 420  # pixels of the status bar for the team's state: the window keeps its width


class TeamMenu(QObject):
    """Builds the Team menu on ``window`` and runs the sync.

    Dependencies: ``store`` and ``document`` (the open article), ``changes`` (the
    window's ChangeHub), ``settings()`` (the preferences as they are now) and
    ``save_setting(name, value) -> bool``, ``open_span(article_id, start, end)``
    and ``select_annotation(id, reveal)`` / ``current_annotation()`` of the window."""

    def __init__(self, window: QMainWindow, menu: QMenu, *, store, document, changes,
                 settings: Callable, save_setting: Callable[[str, object], bool],
                 open_span: Callable, select_annotation: Callable, current_annotation: Callable):
        super().__init__(window)
        self.window, self.store, self.document, self.changes = window, store, document, changes
        self.settings, self.save_setting = settings, save_setting
        self.open_span, self.select_annotation, self.current_annotation = open_span, select_annotation, current_annotation
        self.views: dict[str, object] = {}
        self.layers = LayerChooser(store, lambda: document.annotator, self.show_layer, window)
        joined = membership(store)
        if joined is not None:
            # A file that joined a team tags as its analyst (what is tagged under
            # another name is never sent), and shows the analysts' layers, not the
            # curated copies among them (before a team there is no curated layer).
            document.annotator = joined.analyst
            document.layer = self.layers.current_filter()
        window.addAction(self.layers.focus_action)
        window.statusBar().addPermanentWidget(self.layers)
        self.status = QLabel()
        self.status.setObjectName("team_status")
        window.statusBar().addPermanentWidget(self.status)
        self.sync = TeamSync(
            store.path,
            conninfo=lambda: self.settings().team_server,
            analyst=lambda: self.settings().team_analyst,
            interval_s=lambda: self.settings().team_sync_seconds,
            announce=changes.changed.emit,
            parent=self,
        )
        self.sync.stateChanged.connect(self._show_state)
        self.sync.synced.connect(self._synced)
        self.connect_action = self._add(menu, "&Connect…", self.connect_server,
                                        tip="Join the team server (a PostgreSQL connection string) as an analyst")
        self.disconnect_action = self._add(menu, "&Disconnect", self.disconnect_server,
                                           tip="Stop syncing; your work stays here and is sent when you connect again")
        self.sync_action = self._add(menu, "&Sync now", self.sync.sync_now, "F5",
                                     "Send your changes to the team server and receive everyone else's")
        menu.addSeparator()
        self.agreement_action = self._add(menu, "&Agreement…", self.open_agreement, "Ctrl+Shift+A",
                                          "How much the analysts agree, and where they disagree")
        self.curation_action = self._add(menu, "C&uration…", self.open_curation, "Ctrl+Shift+U",
                                         "Every analyst's spans side by side: accept, edit or reject into the "
                                         "curated layer")
        self._enable()
        window.installEventFilter(self)
        if self.settings().team_server:
            self.sync.start()

    def _add(self, menu: QMenu, text: str, slot, shortcut: str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda *_: slot())
        menu.addAction(action)
        return action

    def _enable(self) -> None:
        connected = bool(self.settings().team_server)
        self.disconnect_action.setEnabled(connected)
        self.sync_action.setEnabled(connected)

    # -- connection -----------------------------------------------------------

    def connect_server(self) -> TeamConnectDialog:
        """The Connect dialog (shown, not waited for); accepting it saves the server
        and the analyst and starts syncing."""
        current = self.settings()
        dialog = TeamConnectDialog(current.team_server, current.team_analyst, self.window)
        dialog.accepted.connect(lambda: self._connect_to(*dialog.values()))
        dialog.open()
        self.views["connect"] = dialog
        return dialog

    def _connect_to(self, conninfo: str, analyst: str) -> None:
        if self.save_setting("team_analyst", analyst) and self.save_setting("team_server", conninfo):
            self._enable()
            self.sync.start()

    def disconnect_server(self) -> None:
        if self.save_setting("team_server", ""):
            self.sync.stop()
            self._enable()
            self.window.statusBar().showMessage(
                "Disconnected from the team server; your work stays here and is sent when you connect again.", 5000)

    def _show_state(self, text: str) -> None:
        """The state in the status bar, cut to its room (a refusal's reason and what to do
        run long); the whole of it, with the last sync's report, in the tooltip."""
        self.status.setText(self.status.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, STATE_WIDTH))
        report = self.sync.last_report
        lines = [text] if text != self.status.text() else []
        self.status.setToolTip("\n".join(lines + (report.lines() if report is not None else [])))

    def _synced(self, report: SyncReport) -> None:
        # The analyst's name is the role the server knows (sync saved it as the annotator name).
        self.document.annotator = report.analyst
        if self.document.layer is None:  # the first sync of this file: it has joined the team
            self.document.layer = self.layers.current_filter()
        article = self.document.article
        if article is not None and article.id in report.changed_articles:
            self.reload_open_article()

    def reload_open_article(self) -> None:
        """Show what the sync brought into the open article, keeping the selected annotation."""
        article = self.document.article
        if article is None or self.document.annotations_of(article.id) == self.document.annotations:
            return
        self._reload_keeping_selection()

    def _reload_keeping_selection(self) -> None:
        selected = self.current_annotation()
        self.document.reload_tags()
        if selected is not None and self.document.annotation(selected.id) is not None:
            self.select_annotation(selected.id, False)

    def show_layer(self, layer: Filter, name: str) -> None:
        """Show the open article's annotations of one layer."""
        self.document.layer = layer
        self._reload_keeping_selection()
        self.window.statusBar().showMessage(f"The article shows the annotations of: {name}", 4000)

    # -- views ----------------------------------------------------------------

    def open_agreement(self):
        from annotator.gui.agreement_view import AgreementWindow

        if "agreement" not in self.views:
            self.views["agreement"] = AgreementWindow(self.store, self.open_span, self.changes, self.window)
        window = self.views["agreement"]
        window.open_report()
        return window

    def open_curation(self):
        from annotator.gui.curation_view import CurationWindow

        if "curation" not in self.views:
            self.views["curation"] = CurationWindow(self.store, self.document, self.open_span,
                                                    self.reload_open_article, self.changes, self.window)
        window = self.views["curation"]
        window.open_curation()
        return window

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.sync.close()
            for view in self.views.values():
                if hasattr(view, "abandon_work"):
                    view.abandon_work()  # a thread is waited for, never destroyed while it runs
        return False


def install_team_menu(window: QMainWindow) -> TeamMenu:
    """The Team menu on ``window`` (before Help), with the window's store, document,
    ChangeHub, preferences and navigation passed in. Install it once the window's
    ChangeHub exists."""
    bar = window.menuBar()
    menu = QMenu("&Team", window)
    bar.insertMenu(bar.actions()[-1], menu)
    return TeamMenu(
        window, menu, store=window.store, document=window.document, changes=window.changes,
        settings=lambda: window.settings, save_setting=window.save_setting,
        open_span=window.corpus_menu.open_span, select_annotation=window.select_annotation,
        current_annotation=window.current_annotation,
    )
