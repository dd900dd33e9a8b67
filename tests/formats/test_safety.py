"""Hostile and broken files: refused with a clear message, nothing expanded, fetched or written."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from annotator.formats import ImportFormatError, read_file
from annotator.formats import safety
from annotator.services.exchange import plan_import
from annotator.services.exporting import export_annotations
from annotator.store import open_store

PROJECT_HEAD = '<Project xmlns="urn:QDA-XML:project:1.0" origin="x" name="n">'


def qdpx(path, project: str | bytes, extra: dict[str, bytes] | None = None):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", project)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


@pytest.fixture
def empty_store(tmp_path):
    store = open_store(tmp_path / "e.db")
    yield store
    store.close()


def test_billion_laughs_is_refused(tmp_path):
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        + "]>\n" + PROJECT_HEAD + "<Notes>&lol9;</Notes></Project>"
    )
    with pytest.raises(ImportFormatError, match="DTD or entities"):
        read_file(qdpx(tmp_path / "bomb.qdpx", bomb))


def test_external_entities_are_refused(tmp_path):
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        + PROJECT_HEAD + "<Notes>&x;</Notes></Project>"
    )
    with pytest.raises(ImportFormatError, match="DTD or entities"):
        read_file(qdpx(tmp_path / "xxe.qdpx", xxe))


def test_sources_outside_the_archive_are_not_read(tmp_path, empty_store):
    project = (
        PROJECT_HEAD + '<Sources><TextSource guid="A" name="s" plainTextPath="file:///etc/passwd">'
        '<PlainTextSelection guid="B" startPosition="0" endPosition="4"/></TextSource></Sources></Project>'
    )
    plan = plan_import(empty_store, [qdpx(tmp_path / "out.qdpx", project)])
    assert plan.annotations == [] and plan.new_articles == []
    assert any("outside the archive" in e and "file:///etc/passwd" in e for e in plan.errors)


@pytest.mark.parametrize("name", ["../evil.txt", "sources/../../evil.txt", "/etc/evil", "C:/evil.txt", "..\\evil.txt"])
def test_path_traversal_is_refused(tmp_path, name):
    path = qdpx(tmp_path / "t.qdpx", PROJECT_HEAD + "</Project>", {name: b"x"})
    with pytest.raises(ImportFormatError, match="outside the archive|absolute path"):
        read_file(path)


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", PROJECT_HEAD + "</Project>")
        z.writestr("sources/huge.txt", b"\0" * (8 << 20))
    assert path.stat().st_size < 100_000
    with pytest.raises(ImportFormatError, match="decompression bomb"):
        read_file(path, "qdpx")


def test_too_much_unpacked_data_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 1000)
    path = qdpx(tmp_path / "big.qdpx", PROJECT_HEAD + "</Project>", {"sources/a.txt": bytes(range(256)) * 8})
    with pytest.raises(ImportFormatError, match="would unpack to"):
        read_file(path)


def test_too_many_members_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBERS", 5)
    path = qdpx(tmp_path / "many.qdpx", PROJECT_HEAD + "</Project>", {f"sources/{i}.txt": b"x" for i in range(10)})
    with pytest.raises(ImportFormatError, match="holds 11 files"):
        read_file(path)


def test_a_member_larger_than_its_header_says_is_refused(tmp_path):
    path = tmp_path / "liar.qdpx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("project.qde", PROJECT_HEAD + "</Project>" + " " * 100)
    data = bytearray(buffer.getvalue())
    # Shrink the uncompressed size recorded in the central directory (offset 24 in the entry).
    central = data.rfind(b"PK\x01\x02")
    real = int.from_bytes(data[central + 24:central + 28], "little")
    data[central + 24:central + 28] = (real - 50).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError):
        read_file(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.qdpx", b"not a zip", "not a readable zip archive"),
        ("x.json", b"{oops", "not valid JSON"),
        ("x.json", b'{"hello": 1}', "holds no Web Annotations"),
        ("x.csv", b"a,b\n1,2\n", "lacks the column"),
        ("x.csv", b"", "is empty"),
        ("x.ann", b"T1\tclaim 0 4\ttext\n", "text file x.txt is missing"),
        ("x.doc", b"whatever", "unknown kind of file"),
        ("x.jsonl", b"\xff\xfe\n", "not UTF-8"),
    ],
)
def test_malformed_files_give_clear_messages(tmp_path, empty_store, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    plan = plan_import(empty_store, [path])
    assert plan.annotations == []
    assert plan.errors and any(message in e and name in e for e in plan.errors), plan.errors


def test_missing_file_is_named(tmp_path, empty_store):
    plan = plan_import(empty_store, [tmp_path / "gone.jsonl"])
    assert plan.errors == [f"{tmp_path / 'gone.jsonl'} does not exist."]


def test_broken_lines_are_reported_and_the_rest_imported(tmp_path, empty_store):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"text": "Good text here.", "spans": [{"start": 0, "end": 4, "label": "claim"}]}) + "\n"
        + json.dumps({"text": "Bad offsets.", "spans": [{"start": "a", "end": 4, "label": "claim"}]}) + "\n"
        + json.dumps([1, 2]) + "\n"
        + json.dumps({"text": "Out of range.", "spans": [{"start": 5, "end": 500, "label": "claim", "quote": "x"}]}) + "\n",
        encoding="utf-8",
    )
    plan = plan_import(empty_store, [path])
    assert len(plan.annotations) == 1
    assert any("mixed.jsonl line 2, span 1: “start” should be a whole number" in e for e in plan.errors)
    assert any("mixed.jsonl line 3: expected a JSON object" in e for e in plan.errors)
    assert any("mixed.jsonl line 4, span 1" in e and "outside the text" in e for e in plan.errors)


def test_html_report_escapes_everything(tmp_path):
    from annotator.domain import NewArticle

    store = open_store(tmp_path / "h.db")
    tag = store.insert_tag("<b>tag</b>", "#ff0000")
    text = "<script>alert(1)</script> and \"quoted\" & more"
    article_id, _ = store.insert_article(NewArticle(title="<img src=x onerror=alert(1)>", text=text, url="javascript:alert(1)"))
    store.insert_annotation(article_id, tag.id, 0, 8, "<script>", note="<iframe src=//evil>")
    out = tmp_path / "r.html"
    export_annotations(store, "html", out)
    page = out.read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<iframe", "<b>tag", 'href="javascript'):
        assert raw not in page
    assert "&lt;script&gt;" in page and "Content-Security-Policy" in page
