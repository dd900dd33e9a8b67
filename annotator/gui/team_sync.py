"""Background sync with the team server while the window is connected.

One sync at a time, off the UI thread (its own SQLite connection): every few
seconds while connected, and at once on demand. The connection state is a line
for the status bar: connected as X, syncing, offline since HH:MM (the server could
not be reached: it is tried again every few seconds), refused (the server answered
no: the login, the role, its schema version, a permission; the line says what to
do, and it is not tried again until F5 or Connect), or an error. Work goes on
either way; the next sync sends it. What a sync changed (which articles) is
announced through the window's ChangeHub, so every view refreshes what it shows of
those.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.gui.workers import QuietJob, run_quietly
from annotator.services.changes import Changes
from annotator.store import StoreError

if TYPE_CHECKING:
    from annotator.services.team import SyncReport


class TeamSync(QObject):
    """Syncs ``db_path`` with the team server named by ``conninfo()`` (empty: not
    connected) as ``analyst()``, every ``interval_s()`` seconds; ``announce(changes)``
    tells the window what a sync received (the ChangeHub's ``changed.emit``)."""

    stateChanged = Signal(str)   # the line for the status bar
    synced = Signal(object)      # the SyncReport of a sync that succeeded
    failed = Signal(str)         # why a sync did not happen (offline or an error)

    def __init__(self, db_path: str, *, conninfo: Callable[[], str], analyst: Callable[[], str],
                 interval_s: Callable[[], int], announce: Callable[[Changes], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self.conninfo, self.analyst, self.interval_s, self.announce = conninfo, analyst, interval_s, announce
        self.job: QuietJob | None = None
        self.again = False            # asked to sync while one was running
        self.state = ""
        self.offline_since: datetime | None = None
        self.refused: str = ""        # why the server said no (empty: it did not)
        self.last_report: SyncReport | None = None
        self.last_sync: datetime | None = None
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.sync_now)

    @property
    def connected(self) -> bool:
        return bool(self.conninfo())

    def running(self) -> bool:
        return self.job is not None and self.job.is_running()

    def start(self) -> None:
        """Begin syncing (after Connect, or when the window opens already connected)."""
        self.offline_since = None
        self.refused = ""
        self.sync_now()

    def stop(self) -> None:
        """Stop syncing (Disconnect); a sync under way finishes, nothing more starts."""
        self.timer.stop()
        self.again = False
        self.offline_since = None
        self.refused = ""
        self._set_state("")

    def sync_now(self) -> None:
        """Sync at once, or right after the sync under way (never two at a time)."""
        if not self.connected:
            self._set_state("")
            return
        if self.running():
            self.again = True
            return
        self.timer.stop()
        self.again = False
        conninfo, analyst = self.conninfo(), self.analyst() or None
        self._set_state(f"Team: syncing as {analyst}…" if analyst else "Team: syncing…")

        def work(store, _progress, _cancelled):
            # psycopg is loaded by the first sync, not when the window starts.
            from annotator.services.team import sync

            report = sync(store, conninfo, analyst=analyst)
            # What the views must re-read: sync applies rows, not operations, so it names
            # no annotations; the articles it changed (and the tags) are enough for every
            # view to refresh what it shows of them.
            changes = Changes(
                articles=report.changed_articles, removed_articles=report.removed_articles,
                tags=frozenset(t.id for t in store.list_tags()) if report.received_tags else frozenset(),
            )
            return report, changes

        self.job = run_quietly(self, self.db_path, work, self._done, self._failed)

    def _done(self, result: tuple[SyncReport, Changes]) -> None:
        report, changes = result
        self.last_report, self.last_sync, self.offline_since, self.refused = report, datetime.now(), None, ""
        if changes and self.connected:
            self.announce(changes)
        role = " (curator)" if report.curator else ""
        self._set_state(f"Team: connected as {report.analyst}{role} · synced {self.last_sync:%H:%M:%S}")
        self.synced.emit(report)
        self._next()

    def _failed(self, error: Exception) -> None:
        from annotator.services.team import TeamError

        if isinstance(error, TeamError) and error.refused:
            # The server answered no: asking again every few seconds changes nothing
            # (and may lock an account); F5 or Connect… tries again once acted upon.
            self.offline_since, self.refused = None, str(error)
            self._set_state(f"Team: refused, not tried again until F5 — {error} (Team → Sync now, F5, or "
                            "Connect… tries again; your work stays here)")
            self.failed.emit(self.refused)
            return
        if isinstance(error, TeamError):
            # The server is down or unreachable: work goes on here and the next sync sends it.
            self.offline_since = self.offline_since or datetime.now()
            reason = str(error)
            self._set_state(f"Team: offline since {self.offline_since:%H:%M}, will retry every "
                            f"{max(1, self.interval_s())} s — server unreachable: {reason}")
        elif isinstance(error, StoreError):
            reason = f"the local database: {error}"
            self._set_state(f"Team: sync error in {reason}; retrying")
        else:
            # A bug, not the network: said once, not retried every few seconds (Sync now tries again).
            reason = f"{type(error).__name__}: {error}"
            self._set_state(f"Team: sync failed ({reason}); Team → Sync now tries again")
            self.failed.emit(reason)
            return
        self.failed.emit(reason)
        self._next()

    def _next(self) -> None:
        if not self.connected:
            self._set_state("")
        elif self.again:
            self.sync_now()
        else:
            self.timer.start(max(1, self.interval_s()) * 1000)

    def _set_state(self, text: str) -> None:
        if text != self.state:
            self.state = text
            self.stateChanged.emit(text)

    def close(self, ms: int = 10_000) -> None:
        """The window is closing: no more syncs, wait for the one under way."""
        self.timer.stop()
        self.again = False
        if self.job is not None:
            self.job.abandon(ms)
