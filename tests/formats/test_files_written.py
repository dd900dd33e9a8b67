"""Exported files get the permissions any new file of the user gets (the umask decides)."""

from __future__ import annotations

import os
import stat

import pytest

from annotator.services.exporting import export_annotations


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize(("fmt", "name"), [("csv", "o.csv"), ("xlsx", "o.xlsx"), ("qdpx", "o.qdpx"), ("brat", "o.zip")])
def test_exported_files_respect_the_umask(hard_store, tmp_path, umask_022, fmt, name):
    out = tmp_path / name
    export_annotations(hard_store, fmt, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_exported_folders_respect_the_umask(hard_store, tmp_path, umask_022):
    out = tmp_path / "brat"
    export_annotations(hard_store, "brat", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in out.rglob("*") if p.is_file())
