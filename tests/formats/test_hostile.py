"""Hostile annotation files: each gets a message naming it, nothing is written, the batch goes on."""

from __future__ import annotations

import json
import zipfile

import pytest

from annotator.domain import NewArticle
from annotator.services.exchange import apply_import, plan_import
from annotator.services.exporting import export_annotations
from annotator.store import open_store

from .test_safety import PROJECT_HEAD, qdpx

TEXT = "Some text here about 40 soldiers."


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "a.db")
    store.insert_article(NewArticle(title="t", text=TEXT))
    store.insert_tag("claim", "#3B82F6")
    yield store
    store.close()


def good_line() -> str:
    return json.dumps({"text": TEXT, "spans": [{"start": 0, "end": 4, "label": "claim"}]})


def plan_of(store, tmp_path, name: str, data: bytes):
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "good.jsonl"
    good.write_text(good_line() + "\n", encoding="utf-8")
    plan = plan_import(store, [bad, good])
    # The good file of the batch is still read.
    assert [(a.start, a.end) for a in plan.annotations] == [(0, 4)] or plan.duplicates
    return plan


@pytest.mark.parametrize(("name", "data", "words"), [
    ("deep.jsonl", b"[" * 100_000 + b"\n", "nested too deeply"),
    ("deep.json", b"[" * 100_000, "nested too deeply"),
    ("big.jsonl", b'{"text": "x", "spans": [{"start": ' + b"9" * 5000 + b', "end": 1, "label": "a"}]}\n', "too large"),
    ("big.json", b'{"type": "Annotation", "x": ' + b"1" * 5000 + b"}", "too large"),
    ("lone.jsonl", b'{"text": "a\\ud800b", "spans": []}\n', "lone surrogate"),
    ("lone.json", b'{"type": "Annotation", "body": [{"value": "\\udfff", "purpose": "tagging"}]}', "lone surrogate"),
])
def test_json_that_python_cannot_hold_is_named(store, tmp_path, name, data, words):
    plan = plan_of(store, tmp_path, name, data)
    assert any(e.startswith(name) and words in e for e in plan.errors), plan.errors


@pytest.mark.parametrize("line", [
    {"text": TEXT, "spans": [{"start": 0, "end": 4, "label": "claim", "links": 5}]},
    {"text": TEXT, "spans": [], "tags": 7},
    {"text": TEXT, "spans": [{"start": 0, "end": 4, "label": "claim", "note": ["x"]}]},
])
def test_jsonl_fields_of_the_wrong_kind_are_errors_of_their_line(store, tmp_path, line):
    plan = plan_of(store, tmp_path, "types.jsonl", (json.dumps(line) + "\n").encode())
    assert any("types.jsonl line 1" in e for e in plan.errors), plan.errors


def test_w3c_link_kind_of_the_wrong_kind_is_an_error(store, tmp_path):
    item = {"type": "Annotation", "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"}],
            "target": {"source": "urn:x", "selector": {"type": "TextQuoteSelector", "exact": "Some"}},
            "ann:links": [{"ann:to": "urn:y", "ann:kind": ["x"]}]}
    plan = plan_of(store, tmp_path, "kind.json", json.dumps(item).encode())
    assert any("kind.json" in e for e in plan.errors), plan.errors


def test_brat_companion_with_a_number_for_a_tag_name(store, tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "a.ann").write_text("T1\tfigure 21 31\t40 soldie\n", encoding="utf-8")
    (folder / "a.json").write_text(json.dumps({"tags": {"figure": {"name": 5}}, "relations": {"R1": {"x": 1}}}))
    plan = plan_import(store, [folder])
    assert any("should be text" in e or "brat" in e for e in plan.errors), plan.errors
    assert plan.annotations == []


@pytest.mark.parametrize(("project", "words"), [
    (b'<?xml version="1.0" encoding="x-no-such"?>' + PROJECT_HEAD.encode() + b"</Project>", "encoding"),
    ((PROJECT_HEAD + "<CodeBook><Codes>" + '<Code guid="g" name="c">' * 1000 + "</Code>" * 1000
      + "</Codes></CodeBook></Project>").encode(), "nested too deeply"),
])
def test_qdpx_hostile_xml_is_named(store, tmp_path, project, words):
    path = qdpx(tmp_path / "h.qdpx", project)
    plan = plan_import(store, [path])
    assert any(e.startswith("h.qdpx") and words in e for e in plan.errors), plan.errors


def test_qdpx_with_corrupt_deflate_data_is_named(store, tmp_path):
    path = qdpx(tmp_path / "c.qdpx", PROJECT_HEAD + "<Users>" + "<User guid='u' name='x'/>" * 200 + "</Users></Project>")
    data = bytearray(path.read_bytes())
    at = data.find(b"project.qde") + len(b"project.qde")
    data[at + 5:at + 25] = b"\xff" * 20  # inside the compressed stream of the first member header
    path.write_bytes(bytes(data))
    plan = plan_import(store, [path])
    assert len(plan.errors) == 1 and plan.errors[0].startswith("c.qdpx")


def test_a_date_past_year_9999_in_utc_neither_imports_nor_blocks_a_qdpx_export(store, tmp_path):
    line = {"text": TEXT, "spans": [{"start": 0, "end": 4, "label": "claim", "created": "9999-12-31T23:59:59-12:00"}]}
    path = tmp_path / "late.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    plan = plan_import(store, [path])
    assert plan.errors == [] and any("9999-12-31T23:59:59-12:00" in w for w in plan.warnings)
    assert plan.annotations[0].created != "9999-12-31T23:59:59-12:00"
    apply_import(store, plan)
    # A row stored with such a date (by an older version) does not block the export either.
    tag = store.tag_by_name("claim")
    store.insert_annotation(store.latest_article_id(), tag.id, 5, 9, "text", created="9999-12-31T23:59:59-12:00")
    assert export_annotations(store, "qdpx", tmp_path / "o.qdpx") == 2
    with zipfile.ZipFile(tmp_path / "o.qdpx") as z:
        assert b"9999-12-31T23:59:59Z" in z.read("project.qde")


def test_the_same_file_imported_twice_at_once_stores_each_annotation_once(store, tmp_path):
    path = tmp_path / "same.jsonl"
    path.write_text(good_line() + "\n", encoding="utf-8")
    # Two processes plan before either writes, then both apply.
    first, second = plan_import(store, [path]), plan_import(open_store(store.path), [path])
    assert len(first.annotations) == len(second.annotations) == 1
    assert apply_import(store, first).annotations_added == 1
    assert apply_import(store, second).annotations_added == 0
    assert store.count_annotations() == 1
