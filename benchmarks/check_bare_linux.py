"""Which system libraries the window needs on Linux that this system lacks, and
whether the installed window starts on an X server (Qt's xcb platform plugin).

Run it with the Python of the environment annotator is installed in:

    .venv/bin/python benchmarks/check_bare_linux.py                # libraries only
    .venv/bin/python benchmarks/check_bare_linux.py --start        # and start the window under xvfb-run
    .venv/bin/python benchmarks/check_bare_linux.py --start --display :97   # on a running X server

Prints JSON: every shared library that PySide6's modules, Qt's xcb platform plugin and
its GL integrations need and the dynamic linker cannot find (``ldd``), the Debian or
Ubuntu package that provides each, the ``apt install`` line, and, with ``--start``, how
the window ended (``exit_code`` 0 means it opened and closed itself after 3 s) with
the libraries Qt said it could not load (``QT_DEBUG_PLUGINS=1``).
benchmarks/check_bare_linux.sh runs it in a freshly bootstrapped Debian (no desktop)
and installs the packages it names one by one until the window starts.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Measured on Debian 12 (bookworm); the same names on Ubuntu 22.04. A library not
# listed here is reported with "package": null (find it with `apt-file search NAME`).
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

# What the window loads: the Python modules annotator imports, the xcb platform
# plugin with the Qt library behind it, and the GL integrations the plugin loads.
MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport")
QT_FILES = ("Qt/plugins/platforms/libqxcb.so", "Qt/lib/libQt6XcbQpa.so.6")
QT_GLOBS = ("Qt/plugins/xcbglintegrations/*.so",)


def pyside_folder() -> Path:
    spec = importlib.util.find_spec("PySide6")  # finds it without loading any Qt library
    if spec is None or spec.origin is None:
        sys.exit(json.dumps({"error": f"PySide6 is not installed for {sys.executable}"}))
    return Path(spec.origin).parent


def files_to_check(folder: Path) -> list[Path]:
    files = [p for m in MODULES for p in folder.glob(f"{m}.*.so")]
    files += [folder / name for name in QT_FILES if (folder / name).exists()]
    files += sorted(p for pattern in QT_GLOBS for p in folder.glob(pattern))
    return files


def missing_libraries(files: list[Path]) -> dict[str, list[str]]:
    """soname -> the checked files that need it, for every library ``ldd`` cannot find."""
    missing: dict[str, list[str]] = {}
    for path in files:
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        for soname in re.findall(r"^\s*(\S+) => not found", out, re.MULTILINE):
            needed_by = missing.setdefault(soname, [])
            if path.name not in needed_by:
                needed_by.append(path.name)
    return missing


def start_window(display: str | None) -> dict:
    """Start ``annotator gui`` on the xcb platform for 3 s: on ``display``, else under xvfb-run."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "annotator", "gui", "--db", str(Path(folder) / "check.db"), "--quit-after", "3000"]
        env = dict(os.environ, QT_QPA_PLATFORM="xcb", QT_DEBUG_PLUGINS="1")
        if display:
            env["DISPLAY"] = display
        elif shutil.which("xvfb-run"):
            command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *command]
        else:
            return {"started": None, "reason": "no X server: give --display or install xvfb (apt install xvfb)"}
        try:
            run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            return {"started": False, "reason": "did not close within 120 s"}
    err = run.stderr
    cannot = sorted(set(re.findall(r"cannot open shared object file|(lib[\w.+-]+\.so[.\d]*): cannot open", err)) - {""})
    fatal = [line for line in err.splitlines() if "platform plugin" in line or "Error" in line][-6:]
    return {"started": run.returncode == 0, "exit_code": run.returncode, "cannot_load": cannot, "messages": fatal}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", action="store_true", help="also start the window on an X server")
    parser.add_argument("--display", help="an X server that is running (default: a new one through xvfb-run)")
    args = parser.parse_args()

    folder = pyside_folder()
    files = files_to_check(folder)
    missing = missing_libraries(files)
    packages = sorted({PACKAGES[s] for s in missing if s in PACKAGES})
    report = {
        "python": sys.executable,
        "pyside6": str(folder),
        "checked": [str(p.relative_to(folder)) for p in files],
        "missing": {s: {"package": PACKAGES.get(s), "needed_by": by} for s, by in sorted(missing.items())},
        "apt_install": f"sudo apt install {' '.join(packages)}" if packages else "",
    }
    if args.start:
        report["window"] = start_window(args.display)
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
