"""Plain text and Markdown files in the encodings analysts actually have."""

import codecs

import pytest

from annotator.ingest import IngestError, read_path

SENTENCE = "The minister said \u201cwe will pay \u20ac5m\u201d \u2013 it\u2019s final, caf\u00e9 owners agree."


@pytest.mark.parametrize(
    "encoding, prefix",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("cp1252", b""),
    ],
)
def test_text_in_common_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "story.txt"
    path.write_bytes(prefix + f"Budget deal\n\n{SENTENCE}\n".encode(encoding))
    article = read_path(path)
    assert article.text == f"Budget deal\n\n{SENTENCE}"
    assert article.title == "Budget deal"
    assert article.source_format == "text"


def test_latin1_french(tmp_path):
    text = "Le caf\u00e9 cr\u00e8me co\u00fbte d\u00e9j\u00e0 trois euros \u00e0 Paris, a d\u00e9clar\u00e9 le ma\u00eetre d'h\u00f4tel."
    path = tmp_path / "paris.text"
    path.write_bytes(text.encode("latin-1"))
    assert read_path(path).text == text


def test_cp1250_polish(tmp_path):
    text = "Zamiast tego rz\u0105d og\u0142osi\u0142 w pi\u0105tek, \u017ce podatki wzrosn\u0105 o dwa procent w przysz\u0142ym roku."
    path = tmp_path / "pl.txt"
    path.write_bytes(text.encode("cp1250"))
    assert read_path(path).text == text


def test_line_endings_normalised(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Title\r\n\r\nFirst line.\rSecond line.\r\n")
    assert read_path(path).text == "Title\n\nFirst line.\nSecond line."


def test_markdown_rendered_as_readable_text(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(
        "# Rates *rise* again\n\n"
        "The central bank raised rates by **0.25 points**, [the statement](https://example.org) said.\n"
        "It was the third rise.\n\n"
        "- Inflation: 3.1%\n- Unemployment: 4.2%\n\n"
        "1. first\n2. second\n\n"
        "> A quoted remark.\n\n"
        "```\ncode stays\n```\n",
        encoding="utf-8",
    )
    article = read_path(path)
    assert article.title == "Rates rise again"
    assert article.source_format == "markdown"
    assert article.text == (
        "Rates rise again\n\n"
        "The central bank raised rates by 0.25 points, the statement said. It was the third rise.\n\n"
        "• Inflation: 3.1%\n• Unemployment: 4.2%\n\n"
        "1. first\n2. second\n\n"
        "> A quoted remark.\n\n"
        "code stays"
    )


def test_original_bytes_kept_compressed(tmp_path):
    import zlib

    raw = "Title\n\nBody text here.\n".encode("utf-16")
    path = tmp_path / "u16.txt"
    path.write_bytes(raw)
    article = read_path(path)
    assert zlib.decompress(article.original_bytes) == raw
    assert article.original_name == "u16.txt"
    assert article.source_path == str(path)


def test_unknown_extension_sniffed_as_text(tmp_path):
    path = tmp_path / "article.eml2"
    path.write_text("Headline\n\nSome article text that is plain.", encoding="utf-8")
    assert read_path(path).text == "Headline\n\nSome article text that is plain."


def test_unknown_extension_sniffed_as_html(tmp_path):
    path = tmp_path / "saved_page"
    body = " ".join(["The council voted to approve the new housing plan on Tuesday evening."] * 6)
    path.write_text(f"<!DOCTYPE html><html><head><title>Vote</title></head><body><article><p>{body}</p></article></body></html>")
    article = read_path(path)
    assert article.source_format == "html"
    assert "housing plan" in article.text


def test_invalid_utf8_bom_is_reported(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"abc \xff\xfe\xfd def")
    with pytest.raises(IngestError, match="^bad.txt: .*byte-order mark"):
        read_path(path)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, encoding):
    path = tmp_path / "wide.txt"
    path.write_bytes(f"Budget deal\n\n{SENTENCE}\n".encode(encoding))
    assert read_path(path).text == f"Budget deal\n\n{SENTENCE}"
