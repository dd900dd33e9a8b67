"""Layers import downwards only: Qt stays in annotator/gui, SQL in annotator/store."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "annotator"


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, wherever the import sits."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module", "__import__"
        ) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            names.add(node.args[0].value)
    return names


def modules():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    return [(f.relative_to(PACKAGE.parent).as_posix(), imported_modules(f)) for f in files]


def roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_only_the_gui_imports_qt():
    offenders = [
        path for path, names in modules()
        if not path.startswith("annotator/gui/") and roots(names) & {"PySide6", "shiboken6", "PyQt5", "PyQt6"}
    ]
    assert offenders == []


def test_only_the_store_talks_to_sqlite():
    offenders = [
        path for path, names in modules()
        if not path.startswith("annotator/store/") and roots(names) & {"sqlite3", "sqlite_utils", "apsw"}
    ]
    assert offenders == []


def test_lower_layers_do_not_import_upper_ones():
    upper = {
        "annotator/domain.py": {"annotator.store", "annotator.services", "annotator.gui", "annotator.cli",
                                "annotator.ingest", "annotator.suggest", "annotator.export"},
        "annotator/store/": {"annotator.services", "annotator.gui", "annotator.cli"},
        "annotator/ingest/": {"annotator.store", "annotator.services", "annotator.gui", "annotator.cli"},
        "annotator/suggest/": {"annotator.services", "annotator.gui", "annotator.cli"},
        "annotator/export/": {"annotator.services", "annotator.gui", "annotator.cli"},
        "annotator/services/": {"annotator.gui", "annotator.cli"},
    }
    offenders = []
    for path, names in modules():
        for prefix, forbidden in upper.items():
            if path.startswith(prefix):
                offenders += [(path, n) for n in names if any(n == f or n.startswith(f + ".") for f in forbidden)]
    assert offenders == []


def test_the_checker_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from PySide6.QtWidgets import QWidget\n    import sqlite3 as s\n")
    assert roots(imported_modules(sample)) == {"PySide6", "sqlite3"}
