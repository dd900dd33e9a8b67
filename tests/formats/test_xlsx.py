"""The Excel workbook: typed cells, a usable sheet, and an exact way back."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain import NewArticle
from annotator.formats.csv import CSV_COLUMNS
from annotator.formats.xlsx import escape_cell, split_cell, unescape_cell
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
    assert sheet.auto_filter.ref == f"A1:V{count + 1}"  # 22 columns, the verdict last
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


# -- cells over Excel's 32,767 characters ------------------------------------------------------

def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def long_store(path):
    """An article whose claim quotes 70,000 characters (emoji count twice in Excel), with a
    40,000-character note full of escapes, a 33,000-character title and a long verdict.
    (No literal ``_xHHHH_``: LibreOffice reads ``_x005F_x0041_`` as ``_x0041_`` but saves
    that unescaped, so after it a literal ``_x0041_`` reads as "A" in Excel too.)"""
    from annotator.services.verdicts import set_verdict

    store = open_store(path)
    tag = store.insert_tag("claim", "#3B82F6")
    words = ("The ministry said 👍🏽 turnout rose by a third in the north, x_41 and café prices fell. "
             "Officials in Kyiv 🇺🇦 said the figures were provisional. ")
    text = (words * (150_000 // len(words)))[:150_000]
    article_id, _ = store.insert_article(NewArticle(title="Long " * 6_600, text=text))
    quote = text[1_000:71_000]
    note = ("bell\x07 _under_score_ 🚀 carriage\r return " * 1_400)[:40_000]
    claim = store.insert_annotation(article_id, tag.id, 1_000, 71_000, quote, note=note)
    store.insert_annotation(article_id, tag.id, 0, 12, text[:12], note="short")
    set_verdict(store, annotation_id=claim.id, rating="mixed", explanation="=because " * 6_000,
                evidence=["https://stats.example.org/a"], reviewer="Ana", date="2026-03-01")
    return store, text


def test_no_cell_exceeds_excels_limit_and_the_rest_is_in_the_continued_sheet(tmp_path):
    store, _ = long_store(tmp_path / "a.db")
    out = tmp_path / "long.xlsx"
    export_annotations(store, "xlsx", out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["annotations", "articles", "continued"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert utf16_units(cell.value) <= 32_767, (sheet.title, cell.coordinate, len(cell.value))
    col = {name: i for i, name in enumerate(CSV_COLUMNS)}
    long_row = next(r for r in book["annotations"].iter_rows(min_row=2) if r[col["end"]].value == 71_000)
    assert "continued" in long_row[col["quote"]].comment.text
    continued = [[c.value for c in r] for r in book["continued"].iter_rows()]
    assert continued[0] == ["sheet", "id", "column", "part", "text"]
    parts = {(r[0], r[2]) for r in continued[1:]}
    assert {("annotations", "quote"), ("annotations", "note"), ("annotations", "title"),
            ("annotations", "verdict_explanation"), ("articles", "title")} == parts
    # Keyed by the row's annotation id (the title is long on every row), or the article's id.
    ids = {r[col["annotation_id"]].value for r in book["annotations"].iter_rows(min_row=2)}
    assert {r[1] for r in continued[1:] if r[0] == "annotations"} == ids
    assert {r[1] for r in continued[1:] if r[0] == "articles"} == {book["articles"]["A2"].value}
    quote_parts = [r for r in continued[1:] if r[0] == "annotations" and r[2] == "quote"]
    assert [r[3] for r in quote_parts] == [2, 3]  # 70,000 characters, emoji counting twice: three cells


def test_long_cells_import_back_exactly_even_after_sorting_the_sheet(tmp_path):
    from annotator.services.verdicts import get_verdict

    store, text = long_store(tmp_path / "a.db")
    out = tmp_path / "long.xlsx"
    export_annotations(store, "xlsx", out)
    # A person sorts the annotations by start, largest first, and saves.
    book = openpyxl.load_workbook(out)
    sheet = book["annotations"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    start = CSV_COLUMNS.index("start")
    for r, values in enumerate(sorted(rows, key=lambda v: -v[start]), 2):
        for c, value in enumerate(values, 1):
            cell = sheet.cell(r, c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # as a spreadsheet keeps a text cell: never a formula
    sorted_out = tmp_path / "sorted.xlsx"
    book.save(sorted_out)
    for path in (out, sorted_out):
        target = open_store(tmp_path / f"{path.stem}.db")
        copy_articles(store, target)
        plan = plan_import(target, [path])
        assert plan.errors == [] and plan.warnings == [], (plan.errors, plan.warnings)
        apply_import(target, plan)
        assert annotations_of(target, extras=False) == annotations_of(store, extras=False)
        (claim,) = [n for n in target.list_annotations(target.article_ids()[0]) if n.end == 71_000]
        assert claim.quote == text[1_000:71_000]
        assert get_verdict(target, claim.id).explanation == ("=because " * 6_000).strip()
        target.close()


@given(st.text(alphabet=st.sampled_from("ab_x0041\x07\r👍🇺é\n"), max_size=400), st.integers(7, 60))
def test_split_cells_join_back_and_each_fits(text, limit):
    parts = split_cell(text, limit)
    assert "".join(parts) == text
    assert all(utf16_units(escape_cell(p)) <= limit for p in parts)
    assert "".join(unescape_cell(escape_cell(p)) for p in parts) == text


def test_pandas_joins_the_long_cells_as_the_readme_says(tmp_path):
    import pandas as pd

    store, text = long_store(tmp_path / "a.db")
    out = tmp_path / "long.xlsx"
    export_annotations(store, "xlsx", out)
    df = pd.read_excel(out, "annotations")
    assert (df["quote"].str.len() < 40_000).all()  # cut at Excel's limit
    cont = pd.read_excel(out, "continued").sort_values("part")
    rest = cont[(cont.sheet == "annotations") & (cont.column == "quote")].groupby("id").text.sum()
    df["quote"] += df.annotation_id.map(rest).fillna("")
    for start, end, quote in zip(df["start"], df["end"], df["quote"]):
        assert text[start:end] == quote
