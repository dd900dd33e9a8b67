"""What an analyst does to a whole article: properties and status (undo steps),
the original file, deletion, and memos on the article and the project."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from annotator.gui.commands import EditArticleCommand
from annotator.gui.context import Workbench
from annotator.services import articles as article_ops
from annotator.store import StoreError


class ArticleActions(QObject):
    """``open_article(id | None)`` shows an article; ``forget_history(article_id)``
    drops a deleted article's undo steps."""

    def __init__(self, bench: Workbench, open_article: Callable[[int | None], None],
                 forget_history: Callable[[int], None]):
        super().__init__(bench.window)
        self.bench = bench
        self.document = bench.document
        self.open_article = open_article
        self.forget_history = forget_history

    def menu_entries(self, article_id: int) -> list:
        """The article list's context menu."""
        return [("Properties…", lambda: self.edit_properties(article_id)),
                ("Save original file…", lambda: self.save_original(article_id)),
                None,
                ("Delete article…", lambda: self.delete_article(article_id))]

    def _article(self, article_id: int):
        try:
            return self.bench.store.get_article(article_id)
        except StoreError as error:
            self.bench.report(error, "Could not read the article")
            return None

    def set_status(self, status: str) -> bool:
        """The status of the open article (an undo step)."""
        article = self.document.article
        if article is None or article.status == status:
            return False
        command = EditArticleCommand(self.document, article, {"status": status},
                                     f"set status of “{article.title[:30]}” to “{status}”")
        if not self.bench.push(command):
            self.document.articleMetaChanged.emit()  # show the status it still has
            return False
        self.bench.message(f"Status set to “{status}” (saved)", 3000)
        return True

    def edit_properties(self, article_id: int) -> bool:
        """Title, outlet, author, date, link (one undo step); lines removed at import
        can be restored from the same dialog."""
        from annotator.gui.intake_dialogs import ArticlePropertiesDialog

        store = self.bench.store
        article = self._article(article_id)
        if article is None:
            return False
        try:
            removed = store.removed_lines(article_id)
            original = store.article_original(article_id)
        except StoreError as error:
            self.bench.report(error, "Could not read the article")
            return False
        dialog = ArticlePropertiesDialog(
            article, removed, original_name=original[0] if original else "",
            restore=lambda lines: article_ops.restore_removed_lines(store, article_id=article_id, lines=lines).value,
            parent=self.bench.window,
        )
        self.properties_dialog = dialog
        accepted = dialog.exec()
        if dialog.restored and self.document.article is not None and self.document.article.id == article_id:
            self.open_article(None)  # the text changed: show it again
            self.open_article(article_id)
        if not accepted or not dialog.changes():
            return bool(dialog.restored)
        article = self._article(article_id)
        if article is None:
            return False
        command = EditArticleCommand(self.document, article, dialog.changes())
        if not command.new or not self.bench.push(command):
            return False
        self.bench.message("Properties saved (Ctrl+Z undoes)", 3000)
        return True

    def save_original(self, article_id: int):
        from annotator.gui.intake_dialogs import save_original

        return save_original(self.bench.window, self.bench.store, article_id)

    def delete_article(self, article_id: int) -> bool:
        """Delete an article after asking. In a team, an article the team shares is
        deleted by a curator, for every analyst (as in INCEpTION, where only a project's
        managers remove documents); an analyst is told so and nothing is deleted."""
        from annotator.store.team import deletion_rule

        article = self._article(article_id)
        if article is None:
            return False
        try:
            count = self.bench.store.count_annotations(article_id)
            rule = deletion_rule(self.bench.store, article_id)
        except StoreError as error:
            self.bench.report(error, "Could not read the article")
            return False
        if rule == "curator":
            self.bench.report(StoreError(
                f"“{article.title}” is shared with your team, so only a curator can delete it (for everyone). "
                "Nothing was deleted. Ask your lead to delete it, or set its status to say you are done with it."),
                "Only a curator deletes a shared article")
            return False
        annotations = f"{count} annotation{'s' if count != 1 else ''}"
        question = (f"Delete “{article.title}” and its {annotations} for the whole team? Every analyst's copy "
                    "goes at their next sync. This cannot be undone." if rule == "team" else
                    f"Delete “{article.title}” and its {annotations}? This cannot be undone.")
        if not self.bench.confirm("Delete article", question):
            return False
        try:
            article_ops.delete_article(self.bench.store, article_id=article_id)
        except StoreError as error:
            self.bench.report(error, "Could not save")
            return False
        self.forget_history(article_id)
        return True

    # -- memos -------------------------------------------------------------------

    def edit_article_memo(self) -> bool:
        """File → Article memo (Ctrl+Alt+M): the open article's memo."""
        article = self.document.article
        return article is not None and self._edit_memo("article", article.id, f"Memo on “{article.title}”")

    def edit_project_memo(self) -> bool:
        return self._edit_memo("project", 0, "Project memo")

    def _edit_memo(self, scope: str, target_id: int, title: str) -> bool:
        from annotator.gui.codebook import MemoDialog
        from annotator.services.memos import set_memo

        try:
            text = self.bench.store.get_memo(scope, target_id)
        except StoreError as error:
            self.bench.report(error, "Could not read the memo")
            return False
        dialog = MemoDialog(title, text, self.bench.window)
        self.memo_dialog = dialog
        if not dialog.exec():
            return False
        try:
            set_memo(self.bench.store, scope=scope, target_id=target_id, text=dialog.text())
        except StoreError as error:
            self.bench.report(error, "Could not save")
            return False
        self.bench.message("Memo saved", 3000)
        return True

    def search_memos(self) -> None:
        """File → Search memos: find words in every memo; Enter opens an article's."""
        from annotator.gui.codebook import MemoSearchDialog

        dialog = MemoSearchDialog(self.bench.store, self.bench.window)
        dialog.articleChosen.connect(self.open_article)
        self.memo_search_dialog = dialog
        dialog.exec()
