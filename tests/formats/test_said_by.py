"""Attribution in the tabular exports and the HTML report: a claim's source ("said by")."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from annotator.domain import NewArticle
from annotator.services.exchange import apply_import, plan_import
from annotator.services.exporting import export_annotations
from annotator.services.tags import create_tag
from annotator.store import open_store

TEXT = "Colonel Henrik Malmberg said 40 tanks crossed the river at dawn. The ministry denied it."


def _store(path):
    store = open_store(path)
    for name, colour in (("claim", "#3B82F6"), ("source", "#F59E0B"), ("figure", "#10B981")):
        create_tag(store, name=name, colour=colour)
    return store


def _add(store, article_id, tag, phrase):
    start = TEXT.index(phrase)
    return store.insert_annotation(article_id, store.tag_by_name(tag).id, start, start + len(phrase), phrase)


@pytest.fixture
def linked(tmp_path):
    store = _store(tmp_path / "a.db")
    article_id, _ = store.insert_article(NewArticle(title="Tanks", text=TEXT))
    claim = _add(store, article_id, "claim", "40 tanks crossed the river at dawn")
    source = _add(store, article_id, "source", "Colonel Henrik Malmberg")
    figure = _add(store, article_id, "figure", "40 tanks")
    _add(store, article_id, "claim", "The ministry denied it")
    store.insert_link(claim.id, source.id, "source", "said")
    yield store, claim, source, figure
    store.close()


def _reimport(tmp_path, path):
    other = _store(tmp_path / f"other-{path.suffix[1:]}.db")
    article_id, _ = other.insert_article(NewArticle(title="Tanks", text=TEXT))
    plan = plan_import(other, [path])
    assert not plan.errors, plan.errors
    apply_import(other, plan)
    ids = {a.quote: a.id for a in other.list_annotations(article_id)}
    links = [(f, t, k) for f, t, k in other.list_links(article_id)]
    other.close()
    return ids, links


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tables_carry_the_source_and_import_it_back(linked, tmp_path, fmt):
    store, claim, source, figure = linked
    path = tmp_path / f"out.{fmt}"
    export_annotations(store, fmt, path)
    frame = pd.read_csv(path, encoding="utf-8-sig") if fmt == "csv" else pd.read_excel(path, sheet_name="annotations")
    rows = {row.quote: row for row in frame.itertuples()}
    said = rows["40 tanks crossed the river at dawn"]
    assert said.annotation_id == claim.id
    assert said.source_id == source.id and said.source_quote == "Colonel Henrik Malmberg"
    assert pd.isna(rows["40 tanks"].source_id) and pd.isna(rows["The ministry denied it"].source_quote)

    ids, links = _reimport(tmp_path, path)
    assert len(ids) == 4
    assert links == [(ids["40 tanks crossed the river at dawn"], ids["Colonel Henrik Malmberg"], "source")]


def test_a_filtered_table_without_the_source_row_imports_without_the_link(linked, tmp_path):
    store, *_ = linked
    path = tmp_path / "out.xlsx"
    export_annotations(store, "xlsx", path)
    book = openpyxl.load_workbook(path)
    sheet = book["annotations"]
    quote_col = [c.value for c in sheet[1]].index("quote")
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, quote_col + 1).value == "Colonel Henrik Malmberg":
            sheet.delete_rows(row)
    book.save(path)
    ids, links = _reimport(tmp_path, path)
    assert len(ids) == 3 and links == []


def test_html_report_says_who_said_a_claim_and_draws_only_legend_colours(linked, tmp_path):
    store, *_ = linked
    path = tmp_path / "report.html"
    export_annotations(store, "html", path)
    page = path.read_text(encoding="utf-8")
    assert re.search(r"Said by <a [^>]*>\d+</a>: Colonel Henrik Malmberg", page)
    legend = re.search(r'<p class="legend">(.*?)</p>', page).group(1)
    legend_colours = set(re.findall(r"background-color: (#[0-9a-f]{6})", legend))
    text = re.search(r'<div class="text">(.*?)</div>', page, re.S).group(1)
    drawn = set(re.findall(r"background-color: (#[0-9a-f]{6})", text))
    assert len(legend_colours) == 3
    assert drawn and drawn <= legend_colours, drawn - legend_colours
