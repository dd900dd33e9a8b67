"""Word documents and PDFs, including the broken and hostile ones."""

import io
import re
import zipfile

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from annotator.ingest import IngestError, read_path

from .pdfmaker import make_pdf


def write_docx(path, build) -> None:
    document = docx.Document()
    build(document)
    document.save(path)


def test_docx_paragraphs_tables_and_title(tmp_path):
    def build(d):
        d.core_properties.title = ""
        d.add_heading("Ministry confirms cuts", level=1)
        d.add_paragraph("The ministry confirmed on Friday that 300 posts would go.")
        d.add_paragraph("")
        d.add_paragraph("Unions called the decision \u201creckless\u201d.")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Year", "Posts"
        table.cell(1, 0).text, table.cell(1, 1).text = "2024", "300"
        d.add_paragraph("A final paragraph after the table.")

    path = tmp_path / "cuts.docx"
    write_docx(path, build)
    article = read_path(path)
    assert article.title == "Ministry confirms cuts"
    assert article.source_format == "docx"
    assert article.text == (
        "Ministry confirms cuts\n\n"
        "The ministry confirmed on Friday that 300 posts would go.\n\n"
        "Unions called the decision \u201creckless\u201d.\n\n"
        "Year\tPosts\n\n2024\t300\n\n"
        "A final paragraph after the table."
    )


def test_docx_core_title_wins(tmp_path):
    def build(d):
        d.core_properties.title = "Official title"
        d.add_paragraph("Body text of the document goes here.")

    path = tmp_path / "t.docx"
    write_docx(path, build)
    assert read_path(path).title == "Official title"


def test_corrupt_docx(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(IngestError, match=r"^broken.docx: this Word document is corrupt"):
        read_path(path)


def test_zip_without_word_document(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(IngestError, match=r"^other.docx: this is not a Word document"):
        read_path(path)


def test_docx_with_damaged_xml(tmp_path):
    path = tmp_path / "damaged.docx"
    write_docx(path, lambda d: d.add_paragraph("Text"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(IngestError, match=r"^damaged.docx: this Word document is corrupt"):
        read_path(path)


def test_zip_bomb_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        # 300 MB of zeros packs into a few hundred kB.
        with z.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(IngestError) as info:
        read_path(path)
    assert re.match(r"bomb.docx: refused: this Word document unpacks \d+-fold to 314.6 MB", str(info.value))
    assert "decompression bomb" in str(info.value)


def test_high_ratio_zip_refused(tmp_path):
    path = tmp_path / "ratio.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * 50_000_000)
    with pytest.raises(IngestError, match=r"^ratio.docx: refused: this Word document unpacks \d+-fold"):
        read_path(path)


def test_password_protected_docx(tmp_path):
    path = tmp_path / "secret.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(IngestError, match=r"^secret.docx: this Word document is password-protected"):
        read_path(path)


# ---------------------------------------------------------------------------
# PDF


def test_pdf_paragraphs_hyphens_headers_and_page_numbers(tmp_path):
    pages = [
        ["Quarterly Review - Page 1", "The finance minister said the budget would be re-",
         "viewed next week, after inflation rose to 3.4% in", "March.", "",
         "Economists expected a smaller rise.", "1"],
        ["Quarterly Review - Page 2", "Opposition leaders demanded an inquiry into the",
         "forecasts, which they called misleading.", "2"],
        ["Quarterly Review - Page 3", "The ministry declined to comment.", "3"],
    ]
    path = tmp_path / "review.pdf"
    path.write_bytes(make_pdf(pages, title="Quarterly Review", author="Finance Desk"))
    article = read_path(path)
    assert article.text == (
        "The finance minister said the budget would be reviewed next week, after inflation rose to 3.4% in March.\n\n"
        "Economists expected a smaller rise.\n\n"
        "Opposition leaders demanded an inquiry into the forecasts, which they called misleading.\n\n"
        "The ministry declined to comment."
    )
    assert article.title == "Quarterly Review"
    assert article.author == "Finance Desk"
    assert article.source_format == "pdf"


def test_pdf_paragraph_continues_over_page_break(tmp_path):
    pages = [["Running header", "A sentence that starts on one page and"],
             ["Running header", "ends on the next one."],
             ["Running header", "Last page."]]
    path = tmp_path / "flow.pdf"
    path.write_bytes(make_pdf(pages))
    assert read_path(path).text == "A sentence that starts on one page and ends on the next one.\n\nLast page."


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf([[], []], image_only=True))
    with pytest.raises(IngestError) as info:
        read_path(path)
    assert str(info.value) == "report.pdf: this PDF has no text layer (scanned image?); run OCR first"


def test_encrypted_pdf(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Secret text of the memo."]]))))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "memo.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(IngestError, match=r"^memo.pdf: this PDF is protected by a password"):
        read_path(path)


def test_pdf_with_empty_user_password_opens(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Readable memo text for everyone."]]))))
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "open.pdf"
    path.write_bytes(buffer.getvalue())
    assert read_path(path).text == "Readable memo text for everyone."


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(make_pdf([["Some text here."]])[:60])
    with pytest.raises(IngestError, match=r"^broken.pdf: this PDF is corrupt or unreadable"):
        read_path(path)


def test_pdf_in_two_columns_reads_column_after_column(tmp_path):
    left = ["The left column starts the story and", "goes on down the left side of the page."]
    right = ["The right column continues it and", "ends the story on the right."]
    path = tmp_path / "columns.pdf"
    path.write_bytes(make_pdf([left], right_columns=[right]))
    text = read_path(path).text
    assert text.index("left side of the page.") < text.index("The right column continues")
    assert "goes on down the left side" in text


def test_two_page_pdf_loses_its_running_header(tmp_path):
    pages = [["The Weekly Ledger", "First page text of the story."], ["The Weekly Ledger", "Second page text."]]
    path = tmp_path / "two.pdf"
    path.write_bytes(make_pdf(pages))
    assert read_path(path).text == "First page text of the story.\n\nSecond page text."


def test_pdf_placeholder_title_gives_way_to_the_first_line(tmp_path):
    path = tmp_path / "draft.pdf"
    path.write_bytes(make_pdf([["Budget talks collapse", "", "Ministers left without a deal."]],
                              title="Microsoft Word - draft v2.docx"))
    assert read_path(path).title == "Budget talks collapse"
