"""Layers import downwards only, checked by import-linter's contracts in pyproject.toml
(Qt only in annotator/gui, SQLite only in annotator/store, cli > gui > services >
store, ingest, suggest, formats > domain). import-linter builds the import graph with
grimp, which follows relative imports and imports inside functions too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint(package_parent: Path) -> subprocess.CompletedProcess:
    """Run import-linter with the project's contracts on the ``annotator`` package in ``package_parent``."""
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}, no_cache=True, no_logo=True))")
    env = dict(os.environ, PYTHONPATH=str(package_parent))
    return subprocess.run([sys.executable, "-c", code], cwd=package_parent, env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_contracts_are_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_relative_import_of_qt_into_the_domain_breaks_the_contracts(tmp_path):
    """Guard: the checker sees a relative import hidden in a function."""
    shutil.copytree(ROOT / "annotator", tmp_path / "annotator", ignore=shutil.ignore_patterns("__pycache__"))
    with open(tmp_path / "annotator" / "domain.py", "a", encoding="utf-8") as fh:
        fh.write("\n\ndef _sneaky():\n    from .gui import app  # noqa: F401\n")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "annotator.domain -> annotator.gui" in result.stdout
