"""The program and its resources work from a plain checkout as well as from an install."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs with the checkout on sys.path and without the editable-install hook, as
# `python -m annotator` does in a clone that was never installed.
PLAIN_CHECKOUT = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in type(f).__module__]
for name in [m for m in sys.modules if m == "annotator" or m.startswith("annotator.")]:
    del sys.modules[name]
sys.path.insert(0, sys.argv[1])
from annotator.services.workspace import open_workspace
import annotator
assert annotator.__file__.startswith(sys.argv[1]), annotator.__file__
store = open_workspace(sys.argv[2])
print(len(store.list_tags()), store.get_article(store.latest_article_id()).title)
"""


def test_a_plain_checkout_finds_its_resources(tmp_path):
    env = dict(os.environ, PYTHONPATH="")
    result = subprocess.run([sys.executable, "-c", PLAIN_CHECKOUT, str(ROOT), str(tmp_path / "w.db")],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("3 Border clashes")


def test_every_package_data_pattern_matches_a_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = config.get("package-dir", {})
    for package, patterns in config["package-data"].items():
        folder = ROOT / folders.get(package, package.replace(".", "/"))
        for pattern in patterns:
            assert list(folder.glob(pattern)), f"{package}: {pattern} matches nothing in {folder}"
