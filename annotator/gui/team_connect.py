"""Team → Connect…: the team server's connection string and the analyst's name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.services.settings import conninfo_has_password

PASSWORD_NOTE = (
    "The password is never stored or typed here: libpq reads it from the PGPASSWORD "
    "environment variable, from ~/.pgpass (%APPDATA%\\postgresql\\pgpass.conf on Windows) "
    "or from a service file (service=NAME in pg_service.conf)."
)


class TeamConnectDialog(QDialog):
    """Asks for the server (a libpq connection string or URL, without a password) and
    the analyst's name (empty: the user named in the connection string)."""

    def __init__(self, conninfo: str = "", analyst: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Connect to the team server")
        self.server = QLineEdit(conninfo)
        self.server.setPlaceholderText("postgresql://ana@team.example.org/newsdesk")
        self.server.setMinimumWidth(440)
        self.analyst = QLineEdit(analyst)
        self.analyst.setPlaceholderText("the user in the connection string")
        form = QFormLayout()
        form.addRow("&Server:", self.server)
        form.addRow("&Analyst name:", self.analyst)
        help_text = QLabel(
            "The server is a libpq connection string, as psql takes it: a URL "
            "(postgresql://USER@HOST:PORT/DATABASE) or key=value pairs (host=… dbname=… user=…). "
            "Your analyst name is your PostgreSQL role; an administrator creates it with "
            "annotator team add-analyst."
        )
        password_text = QLabel(PASSWORD_NOTE)
        for label in (help_text, password_text):
            label.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B91C1C")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("&Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # wrapped text is never cut off
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addWidget(password_text)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)

    def values(self) -> tuple[str, str]:
        """(connection string, analyst name), stripped."""
        return self.server.text().strip(), self.analyst.text().strip()

    def accept(self) -> None:
        conninfo, _analyst = self.values()
        if not conninfo:
            self._refuse("Type the team server's connection string.")
        elif conninfo_has_password(conninfo):
            self._refuse("This connection string holds a password. annotator never stores one: take it out "
                         "and put it in PGPASSWORD, ~/.pgpass or a service file.")
        else:
            super().accept()

    def _refuse(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        self.adjustSize()
        self.server.setFocus()
