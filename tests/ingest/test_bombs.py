"""Decompression bombs through the real entry points: the import preview's read_article,
`annotator import` and `annotator import-annotations`. Intake and the exchange formats
share one guard (annotator.formats.safety.check_unpacked): same limits, same words."""

from __future__ import annotations

import gzip
import re
import zipfile
import zlib

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.ingest import IngestError, reader
from annotator.services.intake import read_article
from annotator.store import open_store

BOMB = re.compile(r"refused: (this gzip file|this Word document|the archive) unpacks (\d+)-fold to ([\d.]+) MB"
                  r".*, which only a decompression bomb does\.")


def gzip_of_zeros(path, megabytes: int):
    """A gzip file of ``megabytes`` MiB of zero bytes, written without holding them in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    with path.open("wb") as fh:
        for _ in range(megabytes):
            fh.write(packer.compress(chunk))
        fh.write(packer.flush())
    return path


def docx_with_zeros(path, megabytes: int):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(bytes(1 << 20))
    return path


def test_a_gzip_bomb_is_stopped_while_it_unpacks(tmp_path, tagged_store):
    path = gzip_of_zeros(tmp_path / "bomb.html.gz", 200)
    packed = path.stat().st_size
    assert packed < 1_000_000
    result = read_article(tagged_store, path)
    assert isinstance(result, IngestError)
    match = BOMB.fullmatch(result.problem)
    assert str(result).startswith("bomb.html.gz: ") and match, str(result)
    # Stopped once the ratio was passed: about 100 times the packed size, not 200 MB.
    assert float(match.group(3)) * 1e6 < 100 * packed + 2 * (1 << 20)


def test_a_gzipped_page_over_the_unpacked_limit_is_refused_by_name(tmp_path, tagged_store, monkeypatch):
    monkeypatch.setattr(reader, "ARTICLE_UNPACKED_BYTES", 50_000)
    words = " ".join(f"word{i * 7919 % 100_003}" for i in range(20_000))
    page = f"<html><body><article><p>{words}</p></article></body></html>".encode()
    path = tmp_path / "long.html.gz"
    path.write_bytes(gzip.compress(page))
    result = read_article(tagged_store, path)
    assert isinstance(result, IngestError)
    assert re.fullmatch(r"long\.html\.gz: refused: this gzip file would unpack to [\d.]+ kB"
                        r" \(the limit is 50\.0 kB\); a zip bomb\?", str(result)), str(result)


def test_a_word_document_bomb_is_refused_before_unpacking(tmp_path, tagged_store):
    result = read_article(tagged_store, docx_with_zeros(tmp_path / "bomb.docx", 120))
    assert isinstance(result, IngestError)
    assert str(result).startswith("bomb.docx: ") and BOMB.fullmatch(result.problem), str(result)


def test_import_refuses_each_bomb_by_name_and_imports_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    gzip_of_zeros(folder / "a-bomb.html.gz", 150)
    docx_with_zeros(folder / "b-bomb.docx", 120)
    (folder / "c-good.txt").write_text("The council approved the budget on Tuesday, officials said.\n")
    db = tmp_path / "a.db"
    result = CliRunner().invoke(cli, ["import", "--db", str(db), str(folder)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = dict(line.split("\t", 1) for line in result.output.splitlines())
    assert lines[str(folder / "c-good.txt")].startswith("imported as article")
    for name in ("a-bomb.html.gz", "b-bomb.docx"):
        assert lines[str(folder / name)].startswith(f"error: {name}: refused: "), lines
        assert BOMB.search(lines[str(folder / name)]), lines
    store = open_store(db)
    try:  # a new database holds the sample article; the good file is the only one added
        assert [a.title for a in store.iter_articles()][1:] == [
            "The council approved the budget on Tuesday, officials said."
        ]
    finally:
        store.close()


def test_intake_and_annotation_import_refuse_bombs_in_the_same_words(tmp_path):
    archive = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" origin="x" name="n"></Project>')
        z.writestr("sources/huge.txt", bytes(8 << 20))
    db = tmp_path / "a.db"
    annotations = CliRunner().invoke(cli, ["import-annotations", "--db", str(db), str(archive)])
    assert annotations.exit_code == 1 and "Traceback" not in annotations.output
    assert "bomb.qdpx: refused: the archive unpacks" in annotations.output, annotations.output
    assert BOMB.search(annotations.output), annotations.output
