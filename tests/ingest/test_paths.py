"""Expanding folders into files."""

from annotator.ingest import iter_paths


def test_folders_are_expanded_sorted_and_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "b" / "a.html").write_text("a")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("x")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "a.md").write_text("a")
    # A browser's "save complete page" assets are not articles.
    (tmp_path / "page.html").write_text("p")
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "inner.html").write_text("i")
    (tmp_path / "page_files" / "style.css").write_text("c")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path])]
    assert found == ["a.md", "b/a.html", "b/z.txt", "page.html"]


def test_explicit_paths_are_yielded_even_if_missing_or_unsupported(tmp_path):
    missing = tmp_path / "missing.txt"
    image = tmp_path / "logo.png"
    image.write_bytes(b"\x89PNG")
    assert list(iter_paths([missing, str(image)])) == [missing, image]
