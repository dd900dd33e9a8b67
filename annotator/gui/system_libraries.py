"""The system libraries the window needs on Linux, and which of them are missing.

PySide6's wheel carries Qt, not the system libraries Qt is linked against (GL,
fontconfig, the X11 xcb libraries). Without them importing PySide6 fails, or Qt
aborts with "Could not load the Qt platform plugin xcb" and names the library only
under QT_DEBUG_PLUGINS=1. This module asks the dynamic linker before any Qt library
is loaded, so that ``annotator gui`` can say what to install. It imports no Qt.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

# Debian and Ubuntu packages of the libraries measured missing on a minimal Debian 12
# (benchmarks/check_bare_linux.sh).
PACKAGES = {
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libOpenGL.so.0": "libopengl0",
    "libdbus-1.so.3": "libdbus-1-3", "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1", "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-util.so.1": "libxcb-util1", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libxcb-glx.so.0": "libxcb-glx0",
}

# What the window loads: the Python modules annotator imports and, on X11, the xcb
# platform plugin with the Qt library behind it and the GL integrations it loads.
MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport")
XCB_PLUGIN = "Qt/plugins/platforms/libqxcb.so"
XCB_FILES = (XCB_PLUGIN, "Qt/lib/libQt6XcbQpa.so.6")
XCB_GLOBS = ("Qt/plugins/xcbglintegrations/*.so",)


def pyside_folder() -> Path | None:
    """PySide6's folder, found without loading any Qt library."""
    spec = importlib.util.find_spec("PySide6")
    return None if spec is None or spec.origin is None else Path(spec.origin).parent


def uses_xcb(env: dict[str, str] | None = None) -> bool:
    """Whether Qt will open the window through X11 (xcb): QT_QPA_PLATFORM names it,
    or names nothing outside a Wayland session."""
    env = os.environ if env is None else env
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return env.get("XDG_SESSION_TYPE") != "wayland"


def window_files(folder: Path, *, xcb: bool) -> list[Path]:
    """The files of PySide6 the window loads."""
    files = [p for m in MODULES for p in sorted(folder.glob(f"{m}.*.so"))]
    if xcb:
        files += [folder / name for name in XCB_FILES if (folder / name).exists()]
        files += sorted(p for pattern in XCB_GLOBS for p in folder.glob(pattern))
    return files


def missing_libraries(files: list[Path]) -> dict[str, list[str]]:
    """soname -> the names of ``files`` that need it, for every library the dynamic
    linker cannot find (``ldd``)."""
    missing: dict[str, list[str]] = {}
    for path in files:
        try:
            out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        for soname in re.findall(r"^\s*(\S+) => not found", out, re.MULTILINE):
            needed_by = missing.setdefault(soname, [])
            if path.name not in needed_by:
                needed_by.append(path.name)
    return missing


def apt_install(missing: dict[str, list[str]]) -> str:
    """The ``sudo apt install …`` line for the missing libraries that have a known package."""
    packages = sorted({PACKAGES[s] for s in missing if s in PACKAGES})
    return f"sudo apt install {' '.join(packages)}" if packages else ""


def missing_message(folder: Path | None = None, env: dict[str, str] | None = None) -> str | None:
    """What to install before the window can open, or None when nothing is missing
    (or this is not Linux). Cheap when all is well: one ``dlopen`` of the library
    Qt is about to load anyway; ``ldd`` runs only when that fails."""
    if not sys.platform.startswith("linux"):
        return None
    folder = folder or pyside_folder()
    if folder is None:
        return None
    xcb = uses_xcb(env) and (folder / XCB_PLUGIN).exists()
    probe = folder / XCB_PLUGIN if xcb else next(iter(sorted((folder / "Qt/lib").glob("libQt6Widgets.so*"))), None)
    if probe is None:
        return None
    try:
        ctypes.CDLL(str(probe))
        return None
    except OSError as error:
        reason = str(error)
    missing = missing_libraries(window_files(folder, xcb=xcb))
    if not missing:
        return f"The window cannot start: {reason}"
    names = ", ".join(sorted(missing))
    unknown = sorted(s for s in missing if s not in PACKAGES)
    lines = [f"The window cannot start: this system lacks {names}."]
    if apt_install(missing):
        lines.append(f"On Debian or Ubuntu: {apt_install(missing)}")
    if unknown:
        lines.append(f"Find the package of {', '.join(unknown)} with: apt-file search NAME")
    lines.append("README.md, Quick start, lists the packages.")
    return "\n".join(lines)
