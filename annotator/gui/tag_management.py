"""Managing tags: add, change and delete them, and the codebook. Adding and
changing a tag are undo steps; deleting one (with its annotations) asks first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from annotator.gui.commands import CreateTagCommand, UpdateTagCommand
from annotator.gui.context import Workbench
from annotator.gui.tag_palette import SUGGESTED_COLOURS, TagDialog
from annotator.services import tags as tag_ops
from annotator.store import StoreError


class TagManager(QObject):
    """Tags → Add tag, the palette's Edit/Delete, Tags → Codebook.

    ``clear_history()`` forgets every article's undo steps (after a deletion they
    may refer to annotations that are gone).
    """

    def __init__(self, bench: Workbench, clear_history: Callable[[], None]):
        super().__init__(bench.window)
        self.bench = bench
        self.document = bench.document
        self.clear_history = clear_history

    def add_tag(self) -> int | None:
        """Ask for a new tag; returns its id once saved (None: cancelled)."""
        used = {t.colour.upper() for t in self.document.tags}
        colour = next((c for c in SUGGESTED_COLOURS if c not in used), SUGGESTED_COLOURS[0])
        dialog = TagDialog(self.bench.window, colour=colour, tags=self.document.tags)
        self.dialog = dialog
        while dialog.exec():
            command = CreateTagCommand(self.document, dialog.values())
            if self.bench.push(command):
                self.bench.message(f"Tag “{command.fields['name'].strip()}” added (Ctrl+Z undoes)", 4000)
                return command.tag_id
        return None

    def edit_tag(self, tag_id: int) -> bool:
        tag = self.document.tag(tag_id)
        if tag is None:
            return False
        dialog = TagDialog(self.bench.window, tag, tags=self.document.tags)
        self.dialog = dialog
        while dialog.exec():
            command = UpdateTagCommand(self.document, tag, dialog.values())
            if not command.new:
                return False
            if self.bench.push(command):
                self.bench.message(f"Tag “{tag.name}” changed (Ctrl+Z undoes)", 4000)
                return True
        return False

    def delete_tag(self, tag_id: int) -> bool:
        tag = self.document.tag(tag_id)
        if tag is None:
            return False
        try:
            used = self.bench.store.tag_usage(tag_id)
        except StoreError as error:
            self.bench.report(error, "Could not read the tag")
            return False
        if used and not self.bench.confirm(
            "Delete tag",
            f"“{tag.name}” is used by {used} annotation{'s' if used != 1 else ''} in your database. "
            "Deleting the tag deletes them too, and this cannot be undone.\n\nDelete the tag?",
        ):
            return False
        try:
            tag_ops.delete_tag(self.bench.store, tag_id=tag_id)
        except StoreError as error:
            self.bench.report(error, "Could not save")
            return False
        # Undo steps may refer to the deleted tag and annotations.
        self.clear_history()
        self.bench.message(f"Tag “{tag.name}” deleted", 4000)
        return True

    def show_codebook(self) -> None:
        """Tags → Codebook."""
        from annotator.gui.codebook import CodebookDialog

        dialog = CodebookDialog(self.bench.store, self.bench.window)
        dialog.changed.connect(self.document.reload_tags)
        self.codebook_dialog = dialog
        dialog.exec()
