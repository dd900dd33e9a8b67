"""`annotator gui` on a Linux that lacks a system library Qt needs says which one and
the package to install, instead of Qt's abort ("Could not load the Qt platform plugin
xcb") or an ImportError traceback."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.gui import system_libraries

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux")


@pytest.fixture
def pyside_lacking_a_library(tmp_path):
    """PySide6 as installed, but its xcb platform plugin needs a library no system has:
    a copy of the real plugin whose libxcb-icccm.so.4 dependency is renamed."""
    real = system_libraries.pyside_folder()
    fake = tmp_path / "PySide6"
    (fake / "Qt" / "plugins" / "platforms").mkdir(parents=True)
    (fake / "Qt" / "lib").symlink_to(real / "Qt" / "lib")  # the plugin finds Qt through $ORIGIN/../../lib
    plugin = (real / system_libraries.XCB_PLUGIN).read_bytes()
    assert b"libxcb-icccm.so.4\0" in plugin
    (fake / system_libraries.XCB_PLUGIN).write_bytes(plugin.replace(b"libxcb-icccm.so.4\0", b"libxcb-icccX.so.4\0"))
    return fake


def test_gui_names_the_missing_library_instead_of_crashing(pyside_lacking_a_library, monkeypatch, tmp_path):
    monkeypatch.setattr(system_libraries, "pyside_folder", lambda: pyside_lacking_a_library)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    result = CliRunner().invoke(cli, ["gui", "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 1
    assert "Error: The window cannot start: this system lacks libxcb-icccX.so.4.\n" in result.output
    assert "apt-file search" in result.output and "README.md, Quick start" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "w.db").exists()


def test_known_libraries_come_with_their_package(pyside_lacking_a_library):
    missing = {"libxcb-cursor.so.0": ["libqxcb.so"], "libxcb-icccm.so.4": ["libqxcb.so"]}
    assert system_libraries.apt_install(missing) == "sudo apt install libxcb-cursor0 libxcb-icccm4"
    found = system_libraries.missing_libraries([pyside_lacking_a_library / system_libraries.XCB_PLUGIN])
    assert found == {"libxcb-icccX.so.4": ["libqxcb.so"]}


def test_nothing_is_said_where_the_libraries_are_there(monkeypatch):
    # The suite runs offscreen: the window's own libraries are loaded already.
    assert system_libraries.missing_message(env={"QT_QPA_PLATFORM": "offscreen"}) is None


def test_platform_choice():
    assert system_libraries.uses_xcb({"QT_QPA_PLATFORM": "xcb"})
    assert not system_libraries.uses_xcb({"QT_QPA_PLATFORM": "offscreen"})
    assert not system_libraries.uses_xcb({"XDG_SESSION_TYPE": "wayland"})
    assert system_libraries.uses_xcb({"XDG_SESSION_TYPE": "x11"})
