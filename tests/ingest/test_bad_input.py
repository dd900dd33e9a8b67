"""Every kind of bad input gets a specific IngestError, and nothing else escapes."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.ingest import MAX_FILE_BYTES, IngestError, read_clipboard, read_path, read_text


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(IngestError) as info:
        read_path(path)
    assert str(info.value) == "empty.txt: the file is empty"
    assert info.value.path == str(path)
    assert info.value.problem == "the file is empty"


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.md"
    path.write_text("  \n\n\t\n")
    with pytest.raises(IngestError, match="^blank.md: the file is empty$"):
        read_path(path)


@pytest.mark.parametrize("name", ["photo.txt", "photo.bin", "photo"])
def test_binary_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(IngestError, match=rf"^{name}: this (looks like|is) a binary"):
        read_path(path)


def test_zip_archive_with_unknown_extension(tmp_path):
    import zipfile

    path = tmp_path / "bundle.dat"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(IngestError, match="^bundle.dat: this is a zip archive"):
        read_path(path)


def test_oversize_file(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk space used
    with pytest.raises(IngestError) as info:
        read_path(path)
    assert str(info.value) == "huge.txt: file is 52.4 MB; the limit is 50 MB"


def test_file_just_under_the_limit_is_read(tmp_path):
    path = tmp_path / "big.txt"
    line = b"A line of a long plain text article.\n"
    path.write_bytes(line * (5_000_000 // len(line)))
    assert read_path(path).text.startswith("A line of a long plain text article.")


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="^gone.pdf: no such file$"):
        read_path(tmp_path / "gone.pdf")


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("secret")

    def deny(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(IngestError, match="^locked.txt: permission denied"):
        read_path(path)


def test_folder_given_to_read_path(tmp_path):
    with pytest.raises(IngestError, match="this is a folder, not a file"):
        read_path(tmp_path)


def test_unexpected_parser_failure_is_wrapped(tmp_path, monkeypatch):
    import annotator.ingest.reader as reader

    def boom(*args, **kwargs):
        raise KeyError("internal")

    monkeypatch.setattr(reader, "extract_html", boom)
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>x</p></body></html>")
    with pytest.raises(IngestError, match=r"^page.html: the file could not be read \(KeyError"):
        read_path(path)


def test_read_text_empty():
    with pytest.raises(IngestError, match="^pasted text: there is no text to import$"):
        read_text("   \n")


SUFFIXES = ["", ".txt", ".md", ".html", ".htm.gz", ".html.gz", ".docx", ".pdf", ".xyz"]
PREFIXES = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x1f\x8b\x08\x00", b"<!DOCTYPE html><html><body>", b"\xff\xfe", b"\xef\xbb\xbf"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=3000),
    suffix=st.sampled_from(SUFFIXES),
)
def test_arbitrary_bytes_never_raise_anything_but_ingest_error(tmp_path, prefix, body, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(prefix + body)
    try:
        article = read_path(path)
    except IngestError as error:
        assert str(error).startswith(f"input{suffix}: ")
        assert error.problem
    else:
        assert article.text.strip()
        assert "\r" not in article.text


@settings(max_examples=200, deadline=None)
@given(html=st.one_of(st.none(), st.text(max_size=500)), text=st.one_of(st.none(), st.text(max_size=500)))
def test_arbitrary_clipboard_never_raises_anything_but_ingest_error(html, text):
    try:
        article = read_clipboard(html, text)
    except IngestError as error:
        assert str(error).startswith("clipboard: ")
    else:
        assert article.text.strip()


HTML_PIECES = st.sampled_from([
    "<html>", "</html>", "<body>", "</body>", "<p>", "</p>", "<div class='x'>", "</div>", "<article>", "<script>",
    "</script>", "<!--", "-->", "<br>", "<table><tr><td>", "</td></tr></table>", "<h1>", "</h1>", "&amp;", "&#0;",
    "<meta charset='utf-16'>", "<title>", "</title>", "\x00", "\ufeff", "<![CDATA[", "]]>", "<?xml version='1.0'?>",
    "The minister said the plan would cost 3 billion euros over five years. ",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.one_of(HTML_PIECES, st.text(max_size=20)), max_size=80))
def test_arbitrary_html_soup_never_raises_anything_but_ingest_error(tmp_path, pieces):
    path = tmp_path / "soup.html"
    path.write_text("".join(pieces), encoding="utf-8", errors="surrogatepass")
    try:
        article = read_path(path)
    except IngestError as error:
        assert str(error).startswith("soup.html: ")
    else:
        assert article.text.strip()


def test_pdf_encrypted_with_aes_and_no_password_opens(tmp_path):
    import io

    from pypdf import PdfReader, PdfWriter

    from .pdfmaker import make_pdf

    plain = make_pdf([["Officials said the bridge would reopen in March after repairs to its deck."]])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt("", "owner secret", algorithm="AES-256")
    path = tmp_path / "aes.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    assert "bridge would reopen" in read_path(path).text


def test_html_nested_too_deeply_says_so(tmp_path):
    path = tmp_path / "deep.html"
    body = "<p>" + "A real paragraph of news text, long enough to count as an article. " * 10 + "</p>"
    path.write_text("<html><body>" + "<div>" * 400 + body + "</div>" * 400 + "</body></html>", encoding="utf-8")
    try:
        article = read_path(path)
    except IngestError as error:
        assert "nested" in str(error) and str(error).startswith("deep.html")
    else:
        assert "A real paragraph of news text" in article.text


def test_docx_paragraph_with_an_entity_reference_is_not_dropped_silently(tmp_path):
    import io
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("First paragraph of a report on the bridge repairs in March.")
    document.add_paragraph("Second paragraph PLACEHOLDER about the cost.")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "entity.docx"
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
                                    b"<?xml version='1.0' encoding='UTF-8'?><!DOCTYPE w:document [<!ENTITY co \"ACME\">]>")
                data = data.replace(b"PLACEHOLDER", b"&co;")
            dst.writestr(item, data)
    with pytest.raises(IngestError, match=r"^entity.docx: .*entity reference \(&co;\)"):
        read_path(path)
