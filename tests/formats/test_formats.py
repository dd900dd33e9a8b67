"""What each format's file looks like, and how imports treat other tools' files,
conflicts, bad spans and cancels."""

from __future__ import annotations

import html
import json
import re
import zipfile

import pytest
from defusedxml.ElementTree import fromstring

from annotator.domain import NewArticle
from annotator.formats import ExportCancelled
from annotator.services.exchange import ImportCancelled, apply_import, plan_import
from annotator.services.exporting import ExportError, export_annotations
from annotator.store import open_store

NS = "{urn:QDA-XML:project:1.0}"


def test_qdpx_follows_what_real_importers_need(hard_store, tmp_path):
    out = tmp_path / "p.qdpx"
    export_annotations(hard_store, "qdpx", out)
    with zipfile.ZipFile(out) as z:
        raw = z.read("project.qde")
        sources = {n: z.read(n) for n in z.namelist() if n.startswith("sources/")}
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    root = fromstring(raw, forbid_dtd=True)
    assert root.tag == f"{NS}Project"
    assert root.get("origin", "").startswith("annotator")
    book = root.find(f"{NS}CodeBook")
    assert book is not None and book.find(f"{NS}Codes") is not None
    codes = {c.get("guid"): c for c in root.iter(f"{NS}Code")}
    names = [c.get("name") for c in codes.values()]
    assert len(names) == len(set(names)) == len(hard_store.list_tags())
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c.get("color")) for c in codes.values())
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    for note in root.iter(f"{NS}Note"):
        assert note.get("creationDateTime")
    quotes = sorted(
        (n.start, n.end, n.quote) for a in hard_store.iter_articles() for n in hard_store.list_annotations(a.id)
    )
    found = []
    for source in root.iter(f"{NS}TextSource"):
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        data = sources["sources/" + path[len("internal://"):]]
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
        text = data.decode("utf-8")
        for sel in source.iter(f"{NS}PlainTextSelection"):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            found.append((start, end, text[start:end]))
            assert sel.get("creatingUser") in users
            codings = sel.findall(f"{NS}Coding")
            assert codings and all(c.find(f"{NS}CodeRef").get("targetGUID") in codes for c in codings)
    assert sorted(found) == quotes
    note_el = [s for s in root.iter(f"{NS}PlainTextSelection") if s.find(f"{NS}Description") is not None]
    assert any(s.find(f"{NS}Description").text == "Check: \"fine\", really?\nSecond line, with, commas" for s in note_el)


def without_sidecar(qdpx, bare):
    """``qdpx`` as another REFI-QDA program writes it: without annotator's annotator.json."""
    with zipfile.ZipFile(qdpx) as z, zipfile.ZipFile(bare, "w") as w:
        for name in z.namelist():
            if name != "annotator.json":
                w.writestr(name, z.read(name))
    return bare


def test_qdpx_from_another_program_imports_without_annotator_extras(hard_store, tmp_path):
    hard_store.update_tag(hard_store.tag_by_name("claim").id, colour="#abc")
    out = tmp_path / "p.qdpx"
    export_annotations(hard_store, "qdpx", out)
    bare = without_sidecar(out, tmp_path / "bare.qdpx")
    target = open_store(tmp_path / "b.db")
    plan = plan_import(target, [bare])
    assert plan.errors == []
    apply_import(target, plan)
    assert target.tag_by_name("claim").colour == "#aabbcc"
    assert target.count_annotations() == hard_store.count_annotations()
    annotators = {n.annotator for a in target.iter_articles() for n in target.list_annotations(a.id)}
    assert annotators == {"nadia", "Zoë", "(unknown)"}

    # With annotator's extras, the exact colour comes back.
    exact = open_store(tmp_path / "c.db")
    apply_import(exact, plan_import(exact, [out]))
    assert exact.tag_by_name("claim").colour == "#abc"


def test_brat_types_are_safe_and_map_back(hard_store, tmp_path):
    out = tmp_path / "brat"
    export_annotations(hard_store, "brat", out)
    types = set()
    for ann in out.glob("*.ann"):
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                types.add(line.split("\t")[1].split(" ")[0])
    assert types and all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", t) for t in types)
    visual = (out / "visual.conf").read_text(encoding="utf-8")
    assert "figure_number | figure, number" in visual and "bgColor:#E11D48" in visual


def test_brat_edited_in_brat_without_companions(hard_store, tmp_path):
    out = tmp_path / "brat"
    export_annotations(hard_store, "brat", out)
    for companion in out.glob("*.json"):
        companion.unlink()
    first = out / "article-1.ann"
    first.write_text(first.read_text(encoding="utf-8").replace("spans a line break", "edited in brat"), encoding="utf-8")
    target = open_store(tmp_path / "b.db")
    plan = plan_import(target, [out])
    assert plan.errors == []
    apply_import(target, plan)
    names = {t.name: t.colour for t in target.list_tags()}
    assert names["figure_number"] == "#E11D48"
    notes = {n.note for a in target.iter_articles() for n in target.list_annotations(a.id)}
    assert "edited in brat" in notes
    assert "Check: \"fine\", really? Second line, with, commas" in notes  # brat notes are one line


def test_brat_single_pair(hard_store, tmp_path):
    out = tmp_path / "brat"
    export_annotations(hard_store, "brat", out)
    target = open_store(tmp_path / "b.db")
    plan = plan_import(target, [out / "article-2.ann"])
    assert plan.errors == [] and len(plan.new_articles) == 1
    assert len(plan.annotations) == hard_store.count_annotations(2)


def test_w3c_annotations_carry_both_selectors_in_code_points(hard_store, tmp_path):
    out = tmp_path / "w.jsonld"
    export_annotations(hard_store, "w3c", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    texts = {s["id"]: s["ann:text"] for s in doc["ann:sources"]}
    items = doc["first"]["items"]
    assert len(items) == doc["total"] == hard_store.count_annotations()
    for item in items:
        quote, position = item["target"]["selector"]
        text = texts[item["target"]["source"]]
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert text[:position["start"]].endswith(quote["prefix"])
        assert text[position["end"]:].startswith(quote["suffix"])
        assert item["body"][0]["purpose"] == "tagging"
    assert any(i["target"]["source"] == "https://example.org/a?x=1&y=<2>" for i in items)
    assert any(i["target"]["source"].startswith("urn:annotator:sha256:") for i in items)


def test_w3c_from_another_tool_is_anchored_by_quote(hard_store, tmp_path):
    foreign = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"},
                 {"type": "TextualBody", "value": "found with hypothesis"}],
        "creator": {"type": "Person", "name": "web reader"},
        "target": {"source": "https://example.org/a?x=1&y=<2>",
                   "selector": {"type": "TextQuoteSelector", "exact": "fine", "prefix": "was \"", "suffix": "\""}},
    }
    path = tmp_path / "hyp.json"
    path.write_text(json.dumps(foreign), encoding="utf-8")
    plan = plan_import(hard_store, [path])
    assert plan.errors == [] and len(plan.annotations) == 1
    planned = plan.annotations[0]
    article = hard_store.get_article(plan.articles[planned.article].existing_id)
    assert article.text[planned.start:planned.end] == "fine"
    assert article.text[planned.start - 5:planned.start] == "was \""
    assert planned.note == "found with hypothesis" and planned.annotator == "web reader"


def test_jsonl_lines_from_doccano_and_spacy(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps({"text": "Acme hired 40 people.", "label": [[0, 4, "ORG"], [11, 13, "CARDINAL"]]}) + "\n"
        + json.dumps({"text": "Beta fired 7.", "spans": [{"start": 0, "end": 4, "label": "ORG"}]}) + "\n",
        encoding="utf-8",
    )
    store = open_store(tmp_path / "b.db")
    plan = plan_import(store, [path])
    assert plan.errors == []
    apply_import(store, plan)
    assert sorted(t.name for t in store.list_tags()) == ["CARDINAL", "ORG"]
    assert sorted(n.quote for a in store.iter_articles() for n in store.list_annotations(a.id)) == ["40", "Acme", "Beta"]


def test_span_errors_name_the_file_and_span(hard_store, tmp_path):
    out = tmp_path / "o.jsonl"
    export_annotations(hard_store, "jsonl", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["spans"][0]["start"] += 1
    lines[1] = json.dumps(record, ensure_ascii=False)
    lines.insert(0, "{not json")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = open_store(tmp_path / "b.db")
    plan = plan_import(target, [out])
    assert any(e.startswith("o.jsonl line 1: not valid JSON") for e in plan.errors)
    span_errors = [e for e in plan.errors if "line 3, span 1" in e]
    assert len(span_errors) == 1 and "reads" in span_errors[0] and "not" in span_errors[0]
    assert len(plan.annotations) == hard_store.count_annotations() - 1


def test_conflicts_are_listed_and_existing_work_kept(hard_store, tmp_path):
    out = tmp_path / "o.jsonl"
    export_annotations(hard_store, "jsonl", out)
    claim = hard_store.tag_by_name("claim")
    hard_store.update_tag(claim.id, colour="#000000")
    first = hard_store.list_annotations(3)[0]
    hard_store.update_annotation(first.id, note="changed here")
    plan = plan_import(hard_store, [out])
    assert plan.errors == []
    assert any("Tag “claim”" in c and "database colour is kept" in c for c in plan.conflicts)
    assert any("another note" in c and "existing annotation is kept" in c for c in plan.conflicts)
    assert plan.annotations == []
    assert len(plan.duplicates) == hard_store.count_annotations() - 1
    before = hard_store.count_annotations()
    apply_import(hard_store, plan)
    assert hard_store.count_annotations() == before
    assert hard_store.get_annotation(first.id).note == "changed here"


def test_cancelled_export_leaves_nothing(hard_store, tmp_path):
    for fmt, name in [("jsonl", "o.jsonl"), ("qdpx", "o.qdpx"), ("brat", "b"), ("html", "h.zip"), ("csv", "o.csv")]:
        with pytest.raises(ExportCancelled):
            export_annotations(hard_store, fmt, tmp_path / name, cancelled=lambda: True)
    assert {p.name for p in tmp_path.iterdir()} <= {"a.db", "a.db-shm", "a.db-wal"}


def test_export_refuses_a_folder_with_files(hard_store, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="not empty"):
        export_annotations(hard_store, "brat", tmp_path / "full")
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"


def test_cancelled_import_writes_nothing(hard_store, tmp_path):
    out = tmp_path / "o.jsonl"
    export_annotations(hard_store, "jsonl", out)
    target = open_store(tmp_path / "b.db")
    plan = plan_import(target, [out])
    with pytest.raises(ImportCancelled):
        apply_import(target, plan, cancelled=lambda: True)
    assert target.article_ids() == [] and target.list_tags() == [] and target.count_annotations() == 0


def test_progress_reaches_the_total(hard_store, tmp_path):
    seen = []
    export_annotations(hard_store, "w3c", tmp_path / "w.jsonld", progress=lambda d, t: seen.append((d, t)))
    total = hard_store.count_annotations()
    assert seen[-1] == (total, total)


def test_scope_limits_the_export(hard_store, tmp_path):
    out = tmp_path / "o.jsonl"
    assert export_annotations(hard_store, "jsonl", out, article_ids=[2]) == hard_store.count_annotations(2)
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == [2]
    with pytest.raises(ExportError, match="no article with id 99"):
        export_annotations(hard_store, "jsonl", out, article_ids=[99])


def test_line_endings_of_other_tools_are_folded_with_offsets_moved(tmp_path):
    text = "First line\r\nSecond line with a claim\r\nThird"
    start = text.index("claim")
    path = tmp_path / "w.jsonl"
    path.write_text(json.dumps({"text": text, "spans": [
        {"start": start, "end": start + 5, "label": "claim", "quote": "claim"},
        {"start": 0, "end": 18, "label": "claim", "quote": "First line\r\nSecond"},
    ]}) + "\n", encoding="utf-8")
    store = open_store(tmp_path / "b.db")
    plan = plan_import(store, [path])
    assert plan.errors == []
    apply_import(store, plan)
    article = next(store.iter_articles())
    assert "\r" not in article.text
    assert sorted(n.quote for n in store.list_annotations(article.id)) == ["First line\nSecond", "claim"]


def test_new_articles_keep_their_metadata(hard_store, tmp_path):
    out = tmp_path / "o.jsonl"
    export_annotations(hard_store, "jsonl", out)
    target = open_store(tmp_path / "b.db")
    plan = plan_import(target, [out])
    assert {a.how for a in plan.articles} == {"new"}
    apply_import(target, plan)
    again = plan_import(target, [out])
    assert {a.how for a in again.articles} == {"same text"}
    assert not again.changes_anything


def test_existing_article_with_same_url_but_other_text_is_an_error(hard_store, tmp_path):
    out = tmp_path / "o.jsonl"
    export_annotations(hard_store, "jsonl", out, article_ids=[1])
    target = open_store(tmp_path / "b.db")
    target.insert_article(NewArticle(title="Other", text="Completely different text.", url="https://example.org/a?x=1&y=<2>"))
    plan = plan_import(target, [out])
    assert len(plan.errors) == 1 and "same URL" not in plan.errors[0] and "different text" in plan.errors[0]
    assert plan.annotations == []


def test_article_matched_by_content_hash_with_other_spacing(tmp_path):
    stored_text = "Officials said 40 per cent\nof claims were false."
    file_text = "Officials  said 40 per cent\n\nof claims   were false.  "
    store = open_store(tmp_path / "b.db")
    article_id, _ = store.insert_article(NewArticle(title="A", text=stored_text))
    start = file_text.index("40 per cent\n\nof claims")
    path = tmp_path / "spaced.jsonl"
    path.write_text(json.dumps({"text": file_text, "spans": [
        {"start": start, "end": start + len("40 per cent\n\nof claims"), "label": "figure",
         "quote": "40 per cent\n\nof claims"},
        {"start": 0, "end": 15, "label": "source", "quote": "Officials  said"},
    ]}) + "\n", encoding="utf-8")
    plan = plan_import(store, [path])
    assert plan.errors == [] and [a.how for a in plan.articles] == ["same content hash"]
    apply_import(store, plan)
    assert sorted(n.quote for n in store.list_annotations(article_id)) == [
        "40 per cent\nof claims", "Officials said",
    ]


def test_html_report_and_pages(hard_store, tmp_path):
    report = tmp_path / "r.html"
    export_annotations(hard_store, "html", report)
    page = report.read_text(encoding="utf-8")
    assert page.count('<section id="article-') == 3
    assert 'class="hl overlap"' in page  # overlapping spans stay visible as such
    assert 'dir="rtl"' in page and "@media print" in page
    assert "Check: &quot;fine&quot;, really?\nSecond line, with, commas" in page
    for tag in hard_store.list_tags():
        if hard_store.tag_usage(tag.id):
            assert f"{html.escape(tag.name)} (" in page  # in the legend, with its count

    pages = tmp_path / "pages"
    export_annotations(hard_store, "html", pages)
    assert sorted(p.name for p in pages.iterdir()) == ["article-1.html", "article-2.html", "article-3.html", "index.html"]
    assert 'href="article-2.html"' in (pages / "index.html").read_text(encoding="utf-8")


def test_tags_match_existing_ones_ignoring_case(tmp_path):
    store = open_store(tmp_path / "b.db")
    claim = store.insert_tag("claim", "#3B82F6")
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"text": "Acme hired 40 people.", "spans": [
        {"start": 0, "end": 4, "label": "CLAIM"}, {"start": 11, "end": 13, "label": "Claim"},
    ]}) + "\n", encoding="utf-8")
    plan = plan_import(store, [path])
    assert plan.tags == [] and plan.errors == []
    apply_import(store, plan)
    (article,) = store.iter_articles()
    assert {n.tag_id for n in store.list_annotations(article.id)} == {claim.id}


def test_brat_configuration_allows_nested_and_crossing_annotations(hard_store, tmp_path):
    out = tmp_path / "brat"
    export_annotations(hard_store, "brat", out)
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    relations = conf.split("[relations]", 1)[1].split("[events]", 1)[0]
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in relations.splitlines()


def test_qdpx_links_and_notes_travel_in_the_standard_elements(hard_store, tmp_path):
    out = tmp_path / "p.qdpx"
    export_annotations(hard_store, "qdpx", out)
    with zipfile.ZipFile(out) as z:
        root = fromstring(z.read("project.qde"), forbid_dtd=True)
    guids = [el.get("guid") for el in root.iter() if el.get("guid")]
    assert guids and all(g == g.lower() for g in guids)
    selections = {s.get("guid"): s for s in root.iter(f"{NS}PlainTextSelection")}
    links = list(root.iter(f"{NS}Link"))
    assert len(links) == len(hard_store.list_links())
    assert all(link.get("originGUID") in selections and link.get("targetGUID") in selections for link in links)
    notes = {n.get("guid"): n.find(f"{NS}PlainTextContent").text for n in root.iter(f"{NS}Note")}
    refs = [(s, r.get("targetGUID")) for s in selections.values() for r in s.findall(f"{NS}NoteRef")]
    assert refs and all(target in notes for _, target in refs)
    assert "Check: \"fine\", really?\nSecond line, with, commas" in notes.values()

    # A REFI-QDA reader without annotator's sidecar gets the links and notes from them.
    bare = without_sidecar(out, tmp_path / "bare.qdpx")
    target = open_store(tmp_path / "b.db")
    apply_import(target, plan_import(target, [bare]))
    assert len(target.list_links()) == len(hard_store.list_links())
    assert sorted(n.note for a in target.iter_articles() for n in target.list_annotations(a.id)) == sorted(
        n.note for a in hard_store.iter_articles() for n in hard_store.list_annotations(a.id)
    )
