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


def test_symlink_loops_are_walked_once(tmp_path):
    import itertools
    import os

    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    os.symlink(".", folder / "l1")
    os.symlink(".", folder / "l2")
    found = list(itertools.islice(iter_paths([folder]), 100))
    assert [p.name for p in found] == ["a.txt"]


def test_links_out_of_the_folder_and_pipes_are_reported_not_read(tmp_path):
    import os

    import pytest

    from annotator.ingest import IngestError, read_path

    folder = tmp_path / "d"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("A private text that lies outside the folder being imported.")
    os.symlink(secret, folder / "notes.txt")
    os.mkfifo(folder / "pipe.txt")
    found = {p.name: p for p in iter_paths([folder])}
    assert set(found) == {"notes.txt", "pipe.txt"}
    with pytest.raises(IngestError, match="outside the folder"):
        read_path(found["notes.txt"])
    with pytest.raises(IngestError, match="named pipe"):
        read_path(found["pipe.txt"])  # would block forever if it were opened
    # Named directly, the link is the person's choice and is read.
    assert "private text" in read_path(folder / "notes.txt").text


def test_a_file_name_that_is_not_utf8_imports_and_is_printed(tmp_path):
    import os

    from click.testing import CliRunner

    from annotator.cli import cli

    folder = tmp_path / "d"
    folder.mkdir()
    name = os.fsdecode(b"b-\xff.txt")
    (folder / name).write_text("An article whose file name is not UTF-8 at all.")
    (folder / "c.txt").write_text("A later article in the same batch, still imported.")
    result = CliRunner().invoke(cli, ["import", "--db", str(tmp_path / "a.db"), str(folder)])
    assert result.exit_code == 0, result.output
    assert "b-\\udcff.txt\timported as article" in result.output
    assert "c.txt\timported as article" in result.output
