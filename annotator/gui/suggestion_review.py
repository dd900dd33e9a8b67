"""Reviewing suggestions in the main window: show, hide, go to, accept, reject."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QVBoxLayout,
)

from annotator.domain import Suggestion
from annotator.gui.commands import (
    AcceptSuggestionCommand,
    RejectSuggestionCommand,
    short,
)
from annotator.gui.context import Workbench
from annotator.gui.workers import BackgroundJob, QuietJob, run_quietly
from annotator.services.settings import Settings
from annotator.store import StoreError

# Articles longer than this (about 35,000 words) are not suggested for automatically
# when they open: suggesting them takes seconds of a core the analyst is tagging
# with. F6 (Suggestions → Suggest for this article) still does it on request.
AUTO_SUGGEST_MAX_CHARS = 200_000


class SuggestionReview(QObject):
    """The Suggestions menu and its keys: show, hide, go to, accept, reject.

    Suggestions for the open article are computed in the background when it
    opens; each accept or reject is an undo step saved at once.
    """

    ready = Signal()     # suggestions for the open article have arrived
    changed = Signal()   # the open article's pending suggestions changed

    def __init__(self, bench: Workbench, settings: Settings, menu: QMenu):
        super().__init__(bench.window)
        self.bench = bench
        self.document = bench.document
        self.view = bench.view
        self._prompting = False  # the status bar shows a prompt about the selected suggestion
        self._quiet_jobs: list[QuietJob] = []
        self._timer = QTimer(self, singleShot=True, interval=60)
        self._timer.timeout.connect(self.auto_suggest)
        self._build_actions(menu, settings)
        self.view.highlighter.show_suggestions = self.show_action.isChecked()
        self.document.hidden_kinds = set() if self.dates_action.isChecked() else {"date"}
        self.document.suggestionsChanged.connect(self._suggestions_changed)
        self.document.tagsChanged.connect(self._tags_changed)
        self.view.keyCommand.connect(self.key_command)
        self.view.selectionChanged.connect(self._selection_moved)
        if self.auto_action.isChecked():
            QTimer.singleShot(0, self._warm_up)

    @staticmethod
    def _warm_up() -> None:
        """Load the suggesters in the background once the window is up (about a third of a
        second, mostly numpy and the tagger's weights), so that the first article opened does
        not wait for them. A failure here is left to the first real suggestion to report."""
        def work() -> None:
            try:
                from annotator.services.suggestions import warm_up

                warm_up()
            except Exception:  # noqa: BLE001 - reported when an article is suggested for
                pass

        threading.Thread(target=work, name="suggesters warm-up", daemon=True).start()

    def _add(self, menu: QMenu, text: str, slot, shortcut: str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self.bench.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self, menu: QMenu, settings: Settings) -> None:
        self.show_action = self._add(menu, "&Show suggestions", self.set_show_suggestions, "Ctrl+Shift+H")
        self.show_action.setCheckable(True)
        self.show_action.setChecked(settings.show_suggestions)
        self.auto_action = self._add(menu, "Suggest &automatically when an article opens", self.set_auto_suggest)
        self.auto_action.setCheckable(True)
        self.auto_action.setChecked(settings.auto_suggest)
        self.dates_action = self._add(menu, "Include &dates", self.set_date_suggestions,
                                      tip="Propose dates and times as figures (they are kept either way)")
        self.dates_action.setCheckable(True)
        self.dates_action.setChecked(settings.date_suggestions)
        self._add(menu, "Suggest for this &article", self.suggest_current_article, "F6")
        self._add(menu, "Suggest for all articles…", self.suggest_all_articles)
        menu.addSeparator()
        for text, command in (("&Next suggestion\tN", "next_suggestion"),
                              ("&Previous suggestion\tShift+N", "previous_suggestion"),
                              ("A&ccept suggestion\tA", "accept"),
                              ("&Reject suggestion\tX", "reject")):
            self._add(menu, text, lambda _checked=False, c=command: self.key_command(c))
        self.accept_all_menu = menu.addMenu("Accept all suggestions of a &tag")
        menu.addSeparator()
        self._add(menu, "Re&jected suggestions…", self.show_rejected_suggestions,
                  tip="See the suggestions rejected in this article and propose chosen ones again")

    def _tags_changed(self) -> None:
        self.accept_all_menu.clear()
        for t in self.document.tags:
            action = self.accept_all_menu.addAction(f"Accept all {t.name} suggestions")
            if t.shortcut:
                action.setShortcut(QKeySequence(f"Alt+{t.shortcut}"))
            action.triggered.connect(lambda _checked=False, tag_id=t.id: self.accept_all_suggestions(tag_id))

    def set_show_suggestions(self, show: bool) -> None:
        self.view.set_show_suggestions(show)
        self.bench.save_setting("show_suggestions", show)

    def set_date_suggestions(self, on: bool) -> None:
        self.document.hidden_kinds = set() if on else {"date"}
        self.bench.save_setting("date_suggestions", on)
        self.document.reload_suggestions()

    def set_auto_suggest(self, on: bool) -> None:
        self.bench.save_setting("auto_suggest", on)
        if on:
            self.suggest_current_article()

    def article_opened(self) -> None:
        """Suggest for the article just opened (when suggesting automatically), once
        it has painted: a typical article's suggestions still arrive well within
        200 ms of opening it."""
        if self.auto_action.isChecked():
            self._timer.start()

    def auto_suggest(self) -> None:
        """Suggest for the article just opened, unless it is very long."""
        article = self.document.article
        if article is None:
            return
        if len(article.text) > AUTO_SUGGEST_MAX_CHARS:
            self.bench.message(
                "Long article: suggestions are not made automatically; press F6 to make them.", 8000)
            return
        self.suggest_current_article()

    def suggest_current_article(self) -> None:
        """Compute suggestions for the open article off the UI thread."""
        from annotator.services.suggestions import suggest_article

        article = self.document.article
        if article is None:
            return
        article_id = article.id

        def done(_result) -> None:
            if self.document.article is not None and self.document.article.id == article_id:
                self.document.reload_suggestions()
                self.ready.emit()

        job = run_quietly(self.bench.window, self.bench.store.path,
                          lambda store, _p, _c: suggest_article(store, article_id),
                          done, lambda e: self.bench.report(e, "Suggestions failed"))
        self._quiet_jobs = [j for j in self._quiet_jobs if j.is_running()] + [job]

    def suggest_all_articles(self) -> BackgroundJob:
        from annotator.services.suggestions import suggest_article

        def work(store, progress, cancelled):
            ids = store.article_ids()
            done = 0
            for done, article_id in enumerate(ids, 1):
                if cancelled():
                    break
                progress(done - 1, len(ids), store.get_article(article_id).title)
                suggest_article(store, article_id)
            return done

        def finished(count: int) -> None:
            self.document.reload_suggestions()
            self.bench.message(f"Suggestions made for {count} articles", 5000)

        return self.bench.run_in_background("Suggesting figures, sources and claims", work, finished,
                                            lambda e: self.bench.report(e, "Suggestions failed"))

    def close(self) -> None:
        """The window closes: pending suggestion jobs are left to finish unheard."""
        self._timer.stop()
        for job in self._quiet_jobs:
            job.abandon()

    def _suggestions_changed(self) -> None:
        self.view.set_suggestions(self.document.annotations, self.document.suggestions)
        self.changed.emit()

    def _selection_moved(self) -> None:
        """A prompt about a suggestion goes once the analyst selects something else."""
        if self._prompting and self.current_suggestion() is None:
            self._prompting = False
            self.bench.message("", 0)

    def current_suggestion(self) -> Suggestion | None:
        start, end = self.view.selected_span()
        return self.document.suggestion_at(start, end) if end > start else None

    def go_to_suggestion(self, step: int, done: str = "") -> None:
        """Select the next (+1) or previous (-1) suggestion after the cursor;
        ``done`` (what the last key did) leads the status message, so a slip shows."""
        done = f"{done} (Ctrl+Z undoes) · " if done else ""
        pending = self.document.suggestions
        if not pending:
            self.bench.message(f"{done}No suggestions left in this article", 8000)
            return
        if not self.show_action.isChecked():
            self.show_action.setChecked(True)
            self.set_show_suggestions(True)
        start, end = self.view.selected_span()
        if step > 0:
            target = next((s for s in pending if (s.start, s.end) > (start, end)), pending[0])
        else:
            target = next((s for s in reversed(pending) if (s.start, s.end) < (start, end)), pending[-1])
        self.view.reveal(target.start, target.end, flash=False)
        self.view.select_span(target.start, target.end)
        self._prompting = True
        tag = self.document.tag(target.tag_id)
        self.bench.message(
            f"{done}Suggested {tag.name if tag else '?'} ({target.score:.0%}): A accept · X reject · N next · "
            "a tag key accepts as that tag", 8000 if done else 6000)

    def accept_suggestion(self, suggestion_id: int, tag_id: int | None = None):
        command = AcceptSuggestionCommand(self.document, suggestion_id, tag_id)
        if self.bench.push(command):
            tag = self.document.tag(command.annotation.tag_id)
            self.go_to_suggestion(1, f"Accepted as {tag.name if tag else '?'}: “{short(command.annotation.quote)}”")
            return command.annotation
        return None

    def reject_suggestion(self, suggestion_id: int) -> None:
        suggestion = self.document.suggestion(suggestion_id)
        if self.bench.push(RejectSuggestionCommand(self.document, suggestion_id)):
            self.go_to_suggestion(1, f"Rejected “{short(suggestion.quote)}”")

    def show_rejected_suggestions(self) -> int:
        """Suggestions → Rejected suggestions: see them and make chosen ones pending again."""
        from annotator.services.suggestions import restore_suggestions

        article = self.document.article
        if article is None:
            return 0
        try:
            rejected = self.bench.store.list_suggestions(article.id, status="rejected")
        except StoreError as error:
            self.bench.report(error, "Could not read the rejected suggestions")
            return 0
        dialog = RejectedSuggestionsDialog(rejected, self.document, self.bench.window)
        self.rejected_dialog = dialog
        if not dialog.exec() or not dialog.chosen():
            return 0
        chosen = dialog.chosen()
        try:
            restore_suggestions(self.bench.store, suggestion_ids=chosen)
        except StoreError as error:
            self.bench.report(error, "Could not save")
            return 0
        self.document.reload_suggestions()
        self.bench.message(f"{len(chosen)} suggestion(s) are proposed again", 4000)
        return len(chosen)

    def accept_all_suggestions(self, tag_id: int) -> int:
        """Accept every pending suggestion of one tag in the open article (one undo step)."""
        chosen = [s.id for s in self.document.suggestions if s.tag_id == tag_id]
        if not chosen or self.document.article is None:
            return 0
        tag = self.document.tag(tag_id)
        with self.bench.macro(f"accept {len(chosen)} {tag.name if tag else ''} suggestions"):
            for suggestion_id in chosen:
                self.bench.push(AcceptSuggestionCommand(self.document, suggestion_id))
        self.bench.message(f"Accepted {len(chosen)} suggestions (saved; Ctrl+Z undoes them all)", 4000)
        return len(chosen)

    def key_command(self, command: str) -> None:
        if command in ("next_suggestion", "previous_suggestion"):
            self.go_to_suggestion(1 if command == "next_suggestion" else -1)
            return
        suggestion = self.current_suggestion()
        if suggestion is None:
            self.bench.message("Press N to go to a suggestion first", 3000)
        elif command == "accept":
            self.accept_suggestion(suggestion.id)
        else:
            self.reject_suggestion(suggestion.id)


class RejectedSuggestionsDialog(QDialog):
    """The open article's rejected suggestions; the checked ones are proposed again."""

    def __init__(self, rejected: list[Suggestion], document, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Rejected suggestions")
        self.resize(640, 380)
        self.list = QListWidget()
        for s in rejected:
            tag = document.tag(s.tag_id)
            item = QListWidgetItem(f"{tag.name if tag else '?'}: “{short(s.quote, 90)}”  (characters {s.start}–{s.end})")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        label = QLabel("Check the suggestions to propose again." if rejected
                       else "No suggestion has been rejected in this article.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("&Propose again", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]
