"""Keys on a real X server: Xvfb, the program's window on Qt's xcb platform, and key
presses sent through X by xdotool, as a person's keyboard sends them.

Offscreen, Qt has no X11 key bindings, so a test there cannot see a text field take
a window shortcut for itself (on X11 Ctrl+E in a text field means "end of line").
Runs only where Xvfb and xdotool are installed (``apt install xvfb xdotool``).
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotator.services.workspace import open_workspace

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="needs Xvfb and xdotool (apt install xvfb xdotool) to press keys through a real X server",
)

HELPER = Path(__file__).with_name("x11_annotator.py")
WAIT = 30  # seconds; xdotool's --sync waits for the window itself


@pytest.fixture
def display():
    """A fresh Xvfb; its display name once it accepts connections (-displayfd)."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as ready:
        number = ready.readline().strip()  # written when the server is ready; "" if it died
    assert number, "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(WAIT)


class Window:
    """The program's window in a process of its own on ``display``."""

    def __init__(self, tmp_path: Path, display: str):
        db = tmp_path / "work.db"
        store = open_workspace(db)
        store.set_setting("auto_suggest", "0")  # nothing but what the keys do
        store.close()
        home = tmp_path / "home"
        self.env = dict(
            os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(home),
            XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"),
        )
        self.process = subprocess.Popen(
            [sys.executable, str(HELPER), str(db)], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put("exit")

    def xdotool(self, *args: str) -> str:
        try:
            done = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=WAIT)
        except subprocess.TimeoutExpired:
            return ""
        return done.stdout.strip()

    def find(self, title_pattern: str) -> str:
        """The id of the visible window whose title matches, once it is shown ("" if never)."""
        found = self.xdotool("search", "--sync", "--onlyvisible", "--name", title_pattern)
        return found.split()[0] if found else ""

    def focus_reaches(self, wanted: str) -> bool:
        """Whether the window reports the keyboard focus moving to ``wanted``."""
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                return False
            if line == wanted:
                return True
            if line == "exit":
                return False

    def close(self) -> str:
        self.process.terminate()
        try:
            return self.process.communicate(timeout=WAIT)[1]
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.communicate()[1]


@pytest.fixture
def window(tmp_path, display):
    opened = Window(tmp_path, display)
    main = opened.find(" — annotator$")
    if not main:
        errors = opened.close()
        if "Could not load the Qt platform plugin" in errors:
            pytest.skip(f"Qt's xcb platform plugin cannot load here (see README, Quick start): {errors[-300:]}")
        pytest.fail(f"the window did not open on {display}: {errors[-2000:]}")
    opened.main = main
    yield opened
    opened.close()


def test_ctrl_e_opens_export_while_the_article_filter_has_focus(window):
    window.xdotool("windowfocus", "--sync", window.main)
    # A click into the filter field (top of the article list, under the menu bar).
    window.xdotool("mousemove", "--window", window.main, "100", "35", "click", "1")
    assert window.focus_reaches("focus QLineEdit Filter articles"), "the click did not reach the article filter"
    window.xdotool("type", "--delay", "20", "Border")
    window.xdotool("key", "ctrl+e")
    assert window.find("^Export annotations$"), "Ctrl+E did not open the export dialog from the article filter"
