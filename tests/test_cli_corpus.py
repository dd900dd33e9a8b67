"""annotator search / sources / figures: what a pipeline reads."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewArticle

TEXT = "👍🏽 At least 11 soldiers were killed, Ana Ruiz said. Ms. Ruiz added that 12 troops died."


def _corpus(store):
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT, outlet="Wire", published="2024-05-03"))
    tag = {name: store.tag_by_name(name).id for name in ("claim", "source", "figure")}
    for name, quote, value in (("figure", "At least 11 soldiers", '{"value":"11","noun":"soldiers"}'),
                               ("figure", "12 troops", '{"value":"12","noun":"troops"}'),
                               ("source", "Ana Ruiz", ""), ("source", "Ms. Ruiz", ""),
                               ("claim", "At least 11 soldiers were killed", "")):
        start = TEXT.index(quote)
        store.insert_annotation(article_id, tag[name], start, start + len(quote), quote, value=value)
    return article_id


def _run(store, *args):
    result = CliRunner().invoke(cli, [*args, "--db", store.path])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_search_jsonl_gives_code_point_offsets_and_snippets(tagged_store):
    article_id = _corpus(tagged_store)
    lines = [json.loads(line) for line in _run(tagged_store, "search", "soldiers", "--format", "jsonl").splitlines()]
    assert {(r["kind"], r["tag"]) for r in lines} == {("article", ""), ("annotation", "figure"), ("annotation", "claim")}
    for r in lines:
        assert r["article_id"] == article_id and TEXT[r["start"]:r["end"]] == "soldiers"
        assert "[soldiers]" in r["snippet"]
    only_claims = _run(tagged_store, "search", "soldiers", "--tag", "claim", "--scope", "annotations", "--format", "jsonl")
    assert [json.loads(line)["tag"] for line in only_claims.splitlines()] == ["claim"]
    assert "Clashes" in _run(tagged_store, "search", "sold*")


def test_sources_jsonl_lists_each_source_with_its_mentions(tagged_store):
    article_id = _corpus(tagged_store)
    lines = [json.loads(line) for line in _run(tagged_store, "sources", "--format", "jsonl").splitlines()]
    assert [(r["name"], r["count"]) for r in lines] == [("Ana Ruiz", 2)]
    assert [(m["article_id"], m["quote"]) for m in lines[0]["mentions"]] == [(article_id, "Ana Ruiz"), (article_id, "Ms. Ruiz")]
    assert all(TEXT[m["start"]:m["end"]] == m["quote"] for m in lines[0]["mentions"])
    assert lines[0]["by_month"] == {"2024-05": 2}
    rows = list(csv.DictReader(io.StringIO(_run(tagged_store, "sources", "--format", "csv"))))
    assert (rows[0]["name"], rows[0]["count"], rows[0]["outlets"]) == ("Ana Ruiz", "2", "Wire (2)")


def test_figures_groups_the_same_quantity(tagged_store):
    _corpus(tagged_store)
    (group,) = [json.loads(line) for line in _run(tagged_store, "figures", "--format", "jsonl").splitlines()]
    assert (group["noun"], group["count"], group["low"], group["high"]) == ("soldier", 2, 11, 12)
    assert [r["quote"] for r in group["reports"]] == ["At least 11 soldiers", "12 troops"]
    assert "soldier" in _run(tagged_store, "figures")


def test_search_finds_article_text_whatever_the_layer_before_anything_is_tagged(tagged_store):
    article_id, _ = tagged_store.insert_article(NewArticle(title="Clashes", text=TEXT))
    for layer in ("all", "curated"):  # (an analyst, "mine" too, narrows to the articles they tagged)
        lines = [json.loads(line) for line in
                 _run(tagged_store, "search", "soldiers", "--format", "jsonl", "--layer", layer).splitlines()]
        assert [(r["kind"], r["article_id"]) for r in lines] == [("article", article_id)], layer


def test_a_search_that_cannot_be_run_says_what_is_wrong(tagged_store):
    _corpus(tagged_store)
    for args, message in ((["(soldiers"], "“(” is not closed"), (["soldiers)"], "“)” closes no “(”"),
                          (["soldiers", "--from", "yesterday"], "“yesterday” (from) is not a date"),
                          (["soldiers", "--to", "2024-02-30"], "“2024-02-30” (to) is not a date"),
                          (["soldiers", "--tag", "claims"], "No tag “claims”")):
        result = CliRunner().invoke(cli, ["search", *args, "--db", tagged_store.path])
        assert result.exit_code == 1 and message in result.output, (args, result.output)
        assert "Traceback" not in result.output and "fts5" not in result.output
    result = CliRunner().invoke(cli, ["figures", "--from", "May", "--db", tagged_store.path])
    assert result.exit_code == 1 and "“May” (from) is not a date" in result.output
    # A month is a date range's edge too.
    lines = _run(tagged_store, "search", "soldiers", "--from", "2024-05", "--to", "2024-05", "--scope", "articles",
                 "--format", "jsonl").splitlines()
    assert len(lines) == 1


def test_an_emoji_that_sqlite_reads_as_a_word_is_found_where_it_is(tagged_store):
    # SQLite's unicode61 tokenizer predates these emoji and indexes them as words: the hit is
    # in the text (code points 1-2 and 10-11), not a title-only hit without offsets.
    text = "👍🏽 Melting 🫠 faces, said Ana Ruiz."
    article_id, _ = tagged_store.insert_article(NewArticle(title="Reactions", text=text))
    start = text.index("🫠")
    tagged_store.insert_annotation(article_id, tagged_store.tag_by_name("claim").id, start, start + 7,
                                   text[start:start + 7])
    for query, expected in (("🫠", "🫠"), ("🏽", "🏽")):
        lines = [json.loads(line) for line in _run(tagged_store, "search", query, "--format", "jsonl").splitlines()]
        assert lines and all(text[r["start"]:r["end"]] == expected for r in lines), (query, lines)
        assert {r["field"] for r in lines} <= {"text", "quote"} and f"[{expected}]" in lines[0]["snippet"]
    kinds = [json.loads(line)["kind"] for line in _run(tagged_store, "search", "🫠", "--format", "jsonl").splitlines()]
    assert kinds == ["article", "annotation"]
