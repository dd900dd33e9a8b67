"""The Excel workbook: typed cells, a usable sheet, and an exact way back."""

from __future__ import annotations

import openpyxl
import pytest

from annotator.domain import NewArticle
from annotator.formats.csv import CSV_COLUMNS
from annotator.formats.xlsx import escape_cell, unescape_cell
from annotator.services.exchange import apply_import, plan_import
from annotator.services.exporting import export_annotations
from annotator.store import open_store

from .test_roundtrip import annotations_of


def copy_articles(source, target):
    """The same articles and tags in another database, added in another order."""
    for article in reversed(list(source.iter_articles())):
        target.insert_article(NewArticle(
            title=article.title, text=article.text, outlet=article.outlet, author=article.author,
            url=article.url, published=article.published,
        ))
    for tag in source.list_tags():
        target.insert_tag(tag.name, tag.colour, tag.shortcut, tag.description)


def test_workbook_cells_are_typed_and_the_sheets_usable(hard_store, tmp_path):
    out = tmp_path / "out.xlsx"
    count = export_annotations(hard_store, "xlsx", out)
    assert count == hard_store.count_annotations()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["annotations", "articles"]
    sheet = book["annotations"]
    assert [c.value for c in sheet[1]] == list(CSV_COLUMNS)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:P{count + 1}"
    assert sheet.column_dimensions["G"].width == 60  # the quote
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == count
    col = {name: i for i, name in enumerate(CSV_COLUMNS)}
    for row in rows:
        assert isinstance(row[col["start"]].value, int) and isinstance(row[col["end"]].value, int)
        for name in ("title", "tag", "quote", "note", "annotator", "created"):
            cell = row[col[name]]
            assert cell.value is None or cell.data_type == "s", (name, cell.value, cell.data_type)
    formulas = [r[col["quote"]].value for r in rows if str(r[col["quote"]].value).startswith(("=", "+", "-"))]
    assert formulas, "the hard cases hold quotes that look like formulas"
    assert not any(str(r[col["tag"]].value).startswith("'") for r in rows)  # no apostrophe needed
    linked = [r[col["url"]] for r in rows if r[col["url"]].value]
    assert linked and all(c.hyperlink.target == c.value for c in linked)
    articles = book["articles"]
    assert [c.value for c in articles[1]][:5] == ["article_id", "title", "outlet", "author", "url"]
    assert articles.max_row == 1 + len(list(hard_store.iter_articles()))


def test_workbook_imports_back_exactly(hard_store, tmp_path):
    out = tmp_path / "out.xlsx"
    export_annotations(hard_store, "xlsx", out)
    target = open_store(tmp_path / "b.db")
    copy_articles(hard_store, target)
    plan = plan_import(target, [out])
    assert plan.errors == [] and plan.warnings == [] and plan.new_articles == []
    apply_import(target, plan)
    assert annotations_of(target, extras=False) == annotations_of(hard_store, extras=False)
    again = plan_import(target, [out])
    assert again.annotations == [] and len(again.duplicates) == hard_store.count_annotations()


@pytest.mark.parametrize("text", ["a\rb", "bell\x07", "_x0041_ literal", "tab\tnew\nline", "\x00", "plain"])
def test_cell_escapes_are_exact_inverses(text):
    escaped = escape_cell(text)
    assert "\r" not in escaped and "\x07" not in escaped and "\x00" not in escaped
    assert unescape_cell(escaped) == text


def test_control_characters_in_notes_survive_the_workbook(tmp_path):
    store = open_store(tmp_path / "a.db")
    tag = store.insert_tag("claim", "#3B82F6")
    article_id, _ = store.insert_article(NewArticle(title="t", text="The =SUM(A1) figure +1 rose."))
    store.insert_annotation(article_id, tag.id, 4, 12, "=SUM(A1)", note="line\rfeed\x07 _x0041_ kept")
    store.insert_annotation(article_id, tag.id, 20, 22, "+1")
    out = tmp_path / "n.xlsx"
    export_annotations(store, "xlsx", out)
    target = open_store(tmp_path / "b.db")
    target.insert_article(NewArticle(title="t", text="The =SUM(A1) figure +1 rose."))
    plan = plan_import(target, [out])
    assert plan.errors == []
    assert sorted((a.quote, a.note) for a in plan.annotations) == [
        ("+1", ""), ("=SUM(A1)", "line\rfeed\x07 _x0041_ kept"),
    ]


def test_a_file_that_is_not_a_workbook_is_named(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    plan = plan_import(open_store(tmp_path / "a.db"), [bad])
    assert len(plan.errors) == 1 and "bad.xlsx" in plan.errors[0]
