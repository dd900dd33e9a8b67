"""The verdict on a claim: rating from the desk's scale, explanation, evidence links,
reviewer and date. Saved through the verdict services as a step on the undo stack."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from annotator.domain import Annotation, Verdict
from annotator.gui.commands import StoreCommand, short
from annotator.gui.document import ArticleDocument
from annotator.services import verdicts
from annotator.store import Store, StoreError


class SetVerdictCommand(StoreCommand):
    """Give a claim a verdict, change it or clear it (``new`` None); undo puts the old one back."""

    def __init__(self, document: ArticleDocument, annotation: Annotation, new: Verdict | None, old: Verdict | None,
                 after: Callable[[], None]):
        what = f"verdict “{new.rating}”" if new is not None else "clear the verdict"
        super().__init__(document, f"{what} on “{short(annotation.quote)}”")
        self.annotation_id, self.new, self.old, self.after = annotation.id, new, old, after

    def _apply(self, verdict: Verdict | None) -> None:
        store = self.document.store
        if verdict is None:
            verdicts.clear_verdict(store, annotation_id=self.annotation_id)
        else:
            verdicts.set_verdict(
                store, annotation_id=self.annotation_id, rating=verdict.rating, explanation=verdict.explanation,
                evidence=list(verdict.evidence), reviewer=verdict.reviewer, date=verdict.date,
            )
        self.after()

    def do_redo(self) -> None:
        self._apply(self.new)

    def do_undo(self) -> None:
        self._apply(self.old)


class VerdictDialog(QDialog):
    """Edit (or clear) the verdict on one claim annotation; ``push`` runs the undo command."""

    def __init__(self, document: ArticleDocument, annotation: Annotation, reviewer: str, report,
                 push: Callable[[StoreCommand], bool], after: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Verdict on the claim")
        store: Store = document.store
        self.document, self.annotation, self.report, self.push, self.after = document, annotation, report, push, after
        self.old = old = verdicts.get_verdict(store, annotation.id)
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
        form.addRow("Revie&wer", self.reviewer)
        form.addRow("&Date", self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.clear_button = buttons.addButton("C&lear verdict", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.clear_button.setEnabled(old is not None)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.clear_button.clicked.connect(self.clear)
        form.addRow(buttons)
        self.rating.setFocus()

    def _run(self, new: Verdict | None) -> None:
        if self.push(SetVerdictCommand(self.document, self.annotation, new, self.old, self.after)):
            self.accept()

    def save(self) -> None:
        try:
            evidence = verdicts.check_evidence(self.evidence.toPlainText().splitlines())
            date = verdicts.check_date(self.date.text())
        except ValueError as error:
            self.report(error, "Could not save the verdict")
            return
        self._run(Verdict(
            self.annotation.id, self.rating.currentText(), self.explanation.toPlainText().strip(), evidence,
            self.reviewer.text().strip(), date,
        ))

    def clear(self) -> None:
        self._run(None)


class RatingScaleDialog(QDialog):
    """The desk's rating scale, best first, one rating a line; saved through the verdict service."""

    def __init__(self, store: Store, report, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Verdict rating scale")
        self.store, self.report = store, report
        self.ratings = QPlainTextEdit("\n".join(verdicts.rating_scale(store)), self)
        self.ratings.setTabChangesFocus(True)
        form = QFormLayout(self)
        form.addRow(QLabel("The ratings a verdict can give, best first, one a line. A rating that verdicts "
                           "give stays until those verdicts change.", self, wordWrap=True))
        form.addRow("&Ratings", self.ratings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.ratings.setFocus()

    def save(self) -> None:
        try:
            verdicts.set_rating_scale(self.store, ratings=self.ratings.toPlainText().splitlines())
        except StoreError as error:
            self.report(error, "Could not change the rating scale")
            return
        self.accept()
