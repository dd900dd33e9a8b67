"""The tag palette: one button per tag (with its key), and tag management."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain import Tag, codebook_order
from annotator.gui.article_view import COMMAND_KEYS

SUGGESTED_COLOURS = ("#F59E0B", "#8B5CF6", "#0EA5E9", "#EC4899", "#14B8A6", "#84CC16", "#F97316", "#6366F1")


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class TagDialog(QDialog):
    """Create or edit a tag: name, colour, shortcut key, description."""

    def __init__(self, parent: QWidget | None = None, tag: Tag | None = None, colour: str = "#F59E0B",
                 tags: list[Tag] = ()):
        super().__init__(parent)
        self.setWindowTitle("Edit tag" if tag else "New tag")
        self.name = QLineEdit(tag.name if tag else "")
        self.name.setPlaceholderText("e.g. quote, victim, location")
        self.colour = tag.colour if tag else colour
        self.colour_button = QPushButton()
        self.colour_button.clicked.connect(self._pick_colour)
        self.shortcut = QLineEdit(tag.shortcut if tag else "")
        self.shortcut.setMaxLength(1)
        self.shortcut.setPlaceholderText("one key, e.g. 4")
        self.description = QPlainTextEdit(tag.description if tag else "")
        self.description.setPlaceholderText("What the tag means, when to use it, an example or two")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(90)
        # Categories: any tag but this one and its own sub-tags.
        below = {tag.id} if tag else set()
        grew = True
        while grew:
            grew = False
            for t in tags:
                if t.parent_id in below and t.id not in below:
                    below.add(t.id)
                    grew = True
        self.category = QComboBox()
        self.category.addItem("(none: a top-level tag)", None)
        for t in tags:
            if t.id not in below:
                self.category.addItem(swatch(t.colour), t.name, t.id)
        self.category.setCurrentIndex(max(self.category.findData(tag.parent_id if tag else None), 0))
        self.key_problem = QLabel()
        self.key_problem.setStyleSheet("color: #B91C1C;")
        self.key_problem.hide()
        self.shortcut.textChanged.connect(self._check_key)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Colour", self.colour_button)
        form.addRow("&Key", self.shortcut)
        form.addRow("", self.key_problem)
        form.addRow("&Under", self.category)
        form.addRow("&Memo", self.description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.ok_button.setEnabled(bool(self.name.text().strip()))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._show_colour()

    def _show_colour(self) -> None:
        self.colour_button.setIcon(swatch(self.colour, 16))
        self.colour_button.setText(self.colour.upper())

    def _pick_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour), self, "Tag colour")
        if chosen.isValid():
            self.colour = chosen.name().upper()
            self._show_colour()

    def _check_key(self) -> bool:
        """Refuse a key the article view uses as a command (it would do both)."""
        key = self.shortcut.text().strip()
        command = COMMAND_KEYS.get(key.lower())
        problem = ""
        if command:
            problem = f"{key} is the key for “{command}”; choose another key."
        elif key and not key.isprintable():
            problem = "Choose a letter, digit or sign."
        self.key_problem.setText(problem)
        self.key_problem.setVisible(bool(problem))
        return not problem

    def _accept(self) -> None:
        if self.name.text().strip() and self._check_key():
            self.accept()

    def values(self) -> dict:
        return {
            "name": self.name.text().strip(),
            "colour": QColor(self.colour).name().upper(),
            "shortcut": self.shortcut.text().strip(),
            "description": self.description.toPlainText().strip(),
            "parent_id": self.category.currentData(),
        }


class TagPalette(QWidget):
    """Buttons that tag the current selection; right-click a tag to manage it."""

    tagClicked = Signal(int)
    addRequested = Signal()
    editRequested = Signal(int)
    deleteRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(3)
        self.buttons: dict[int, QToolButton] = {}
        self.add_button = QPushButton("Add tag…")
        self.add_button.setToolTip("Create a tag of your own")
        self.add_button.clicked.connect(self.addRequested)

    def set_tags(self, tags: list[Tag]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None and item.widget() is not self.add_button:
                item.widget().deleteLater()
        self.buttons = {}
        for tag, depth in codebook_order(tags):
            button = QToolButton()
            key = f"{tag.shortcut}  " if tag.shortcut else "    "
            button.setText(f"{'    ' * depth}{key}{tag.name}")
            button.setIcon(swatch(tag.colour))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            tip = f"Tag the selection as “{tag.name}”"
            if tag.shortcut:
                tip += f" (key {tag.shortcut})"
            if tag.description:
                tip += f"\n{tag.description}"
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, t=tag.id: self.tagClicked.emit(t))
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            button.customContextMenuRequested.connect(lambda _pos, t=tag.id, b=button: self._menu(t, b))
            self.buttons[tag.id] = button
            self._layout.addWidget(button)
        self._layout.addWidget(self.add_button)

    def _menu(self, tag_id: int, button: QToolButton) -> None:
        menu = QMenu(self)
        menu.addAction("Edit tag (name, colour, key)…", lambda: self.editRequested.emit(tag_id))
        menu.addAction("Delete tag…", lambda: self.deleteRequested.emit(tag_id))
        menu.exec(button.mapToGlobal(button.rect().bottomLeft()))
