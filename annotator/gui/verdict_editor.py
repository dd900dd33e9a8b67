"""The verdict on a claim: rating from the desk's scale, explanation, evidence links,
reviewer and date. Saved through the verdict services."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from annotator.domain import Annotation
from annotator.services import verdicts
from annotator.store import Store, StoreError


class VerdictDialog(QDialog):
    """Edit (or clear) the verdict on one claim annotation."""

    def __init__(self, store: Store, annotation: Annotation, reviewer: str, report, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Verdict on the claim")
        self.store, self.annotation, self.report = store, annotation, report
        old = verdicts.get_verdict(store, annotation.id)
        self.rating = QComboBox(self)
        self.rating.addItems(verdicts.rating_scale(store))
        self.explanation = QPlainTextEdit(self)
        self.explanation.setTabChangesFocus(True)
        self.evidence = QPlainTextEdit(self, placeholderText="one web address a line")
        self.evidence.setTabChangesFocus(True)
        self.reviewer = QLineEdit(reviewer, self)
        self.date = QLineEdit(_dt.date.today().isoformat(), self)
        if old is not None:
            self.rating.setCurrentText(old.rating)
            self.explanation.setPlainText(old.explanation)
            self.evidence.setPlainText("\n".join(old.evidence))
            self.reviewer.setText(old.reviewer)
            self.date.setText(old.date)
        form = QFormLayout(self)
        claim = QLineEdit(annotation.quote, self, readOnly=True)
        form.addRow("Claim", claim)
        form.addRow("&Rating", self.rating)
        form.addRow("&Explanation", self.explanation)
        form.addRow("E&vidence", self.evidence)
        form.addRow("Re&viewer", self.reviewer)
        form.addRow("&Date", self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.clear_button = buttons.addButton("C&lear verdict", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.clear_button.setEnabled(old is not None)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.clear_button.clicked.connect(self.clear)
        form.addRow(buttons)
        self.rating.setFocus()

    def save(self) -> None:
        try:
            verdicts.set_verdict(
                self.store, annotation_id=self.annotation.id, rating=self.rating.currentText(),
                explanation=self.explanation.toPlainText(), evidence=self.evidence.toPlainText().splitlines(),
                reviewer=self.reviewer.text(), date=self.date.text().strip(),
            )
        except (StoreError, ValueError) as error:
            self.report(error, "Could not save the verdict")
            return
        self.accept()

    def clear(self) -> None:
        try:
            verdicts.clear_verdict(self.store, annotation_id=self.annotation.id)
        except StoreError as error:
            self.report(error, "Could not clear the verdict")
            return
        self.accept()
