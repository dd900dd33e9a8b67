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
the libraries Qt said it could not load (``QT_DEBUG_PLUGINS=1``). The libraries and
their packages are annotator.gui.system_libraries', which ``annotator gui`` asks too.
benchmarks/check_bare_linux.sh runs it in a freshly bootstrapped Debian (no desktop)
and installs the packages it names one by one until the window starts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from annotator.gui.system_libraries import PACKAGES, apt_install, missing_libraries, pyside_folder, window_files


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
    if folder is None:
        sys.exit(json.dumps({"error": f"PySide6 is not installed for {sys.executable}"}))
    files = window_files(folder, xcb=True)
    missing = missing_libraries(files)
    report = {
        "python": sys.executable,
        "pyside6": str(folder),
        "checked": [str(p.relative_to(folder)) for p in files],
        "missing": {s: {"package": PACKAGES.get(s), "needed_by": by} for s, by in sorted(missing.items())},
        "apt_install": apt_install(missing),
    }
    if args.start:
        report["window"] = start_window(args.display)
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
