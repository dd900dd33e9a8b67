"""--layer mine|all|curated|ANALYST: one selection for exports, the corpus commands and the window."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services.curation import accept_span
from annotator.services.exporting import export_annotations
from annotator.services.layers import Layer, annotation_ids, layer_choices
from annotator.services.settings import save_setting
from annotator.services.workspace import open_workspace

TEXT = "At least 11 soldiers were killed, Ana Ruiz said. Ms. Ruiz added that 12 troops died.\n"


def _at(quote):
    start = TEXT.index(quote)
    return start, start + len(quote)


@pytest.fixture
def team_file(tmp_path):
    """ana's file (she is "mine") with ben's work merged in and the lead's curated claim."""
    store = open_workspace(tmp_path / "ana.db")
    save_setting(store, name="annotator_name", value="ana")
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT, outlet="Wire", source_format="txt"))
    tag = {name: store.tag_by_name(name).id for name in ("claim", "source", "figure")}

    def add(analyst, name, quote):
        start, end = _at(quote)
        return ops.add_annotation(store, article=article_id, tag_id=tag[name], start=start, end=end,
                                  annotator=analyst).value.id

    ids = {
        "ana_claim": add("ana", "claim", "At least 11 soldiers were killed"),
        "ana_source": add("ana", "source", "Ana Ruiz"),
        "ben_claim": add("ben", "claim", "12 troops died"),
        "ben_source": add("ben", "source", "Ms. Ruiz"),
        "ben_figure": add("ben", "figure", "12 troops"),
    }
    ops.set_source(store, claim_id=ids["ana_claim"], source_ids=[ids["ana_source"]])
    ops.set_source(store, claim_id=ids["ben_claim"], source_ids=[ids["ben_source"]])
    ids["curated"] = accept_span(store, annotation_id=ids["ana_claim"]).value.added[0].id
    # A curated claim attributed to an analyst's source: the link leaves the layer.
    ops.set_source(store, claim_id=ids["curated"], source_ids=[ids["ana_source"]])
    yield store, article_id, ids
    store.close()


def _run(store, *args):
    result = CliRunner().invoke(cli, [*args, "--db", store.path])
    assert result.exit_code == 0, result.output
    return result.stdout


def _csv(store, *args):
    return list(csv.DictReader(io.StringIO(_run(store, "export", "--format", "csv", *args))))


def test_one_selection_per_layer(team_file):
    store, article_id, ids = team_file
    analysts = {"ana": {ids["ana_claim"], ids["ana_source"]},
                "ben": {ids["ben_claim"], ids["ben_source"], ids["ben_figure"]}}
    assert annotation_ids(store, article_id, "mine") == analysts["ana"]
    assert annotation_ids(store, [article_id], Layer.parse("ben")) == analysts["ben"]
    assert annotation_ids(store, None, "all") == analysts["ana"] | analysts["ben"]
    assert annotation_ids(store, article_id, "curated") == {ids["curated"]}
    assert [str(layer) for layer in layer_choices(store)] == ["all", "mine", "curated", "ana", "ben"]
    assert Layer.parse("curated").label == "Curated" and str(Layer.parse(None)) == "all"


def test_export_csv_by_layer_through_the_command(team_file):
    store, _, ids = team_file
    every = _csv(store)
    assert sorted((r["annotator"], r["quote"]) for r in every) == [
        ("ana", "Ana Ruiz"), ("ana", "At least 11 soldiers were killed"),
        ("ben", "12 troops"), ("ben", "12 troops died"), ("ben", "Ms. Ruiz")]
    assert {r["annotator"] for r in _csv(store, "--layer", "mine")} == {"ana"}
    assert sorted(r["quote"] for r in _csv(store, "--layer", "ben")) == ["12 troops", "12 troops died", "Ms. Ruiz"]
    [curated] = _csv(store, "--layer", "curated")
    assert (curated["quote"], curated["annotation_id"]) == ("At least 11 soldiers were killed", str(ids["curated"]))
    # Its source is not in the curated layer: no "said by" pointing out of the file.
    assert (curated["source_id"], curated["source_quote"]) == ("", "")
    ben_claim = next(r for r in _csv(store, "--layer", "ben") if r["tag"] == "claim")
    assert ben_claim["source_quote"] == "Ms. Ruiz"

    nobody = CliRunner().invoke(cli, ["export", "--format", "csv", "--layer", "cem", "--db", store.path])
    assert nobody.exit_code == 1 and "No annotations by “cem”" in nobody.output and "ana, ben" in nobody.output


def test_export_files_by_layer(team_file, tmp_path):
    store, _, ids = team_file
    out = tmp_path / "ben.jsonl"
    assert export_annotations(store, "jsonl", out, layer="ben") == 3
    [record] = [r for line in out.read_text(encoding="utf-8").splitlines() if (r := json.loads(line))["spans"]]
    assert sorted(s["label"] for s in record["spans"]) == ["claim", "figure", "source"]
    claim = next(s for s in record["spans"] if s["label"] == "claim")
    assert claim["links"][0]["to"] == ids["ben_source"]
    progress = []
    assert export_annotations(store, "xlsx", tmp_path / "mine.xlsx", layer=Layer.parse("mine"),
                              progress=lambda done, total: progress.append((done, total))) == 2
    assert progress[-1] == (2, 2)


def test_corpus_commands_take_the_layer(team_file):
    store, _, _ = team_file
    def search(*args):
        return [json.loads(line) for line in _run(store, "search", "soldiers", "--scope", "annotations",
                                                   "--format", "jsonl", *args).splitlines()]
    assert [h["annotation_id"] for h in search("--layer", "curated")] == [
        i for i in annotation_ids(store, None, "curated")]
    assert len(search()) == 1 and len(search("--layer", "ben")) == 0
    sources = [json.loads(line) for line in _run(store, "sources", "--format", "jsonl", "--layer", "ben").splitlines()]
    assert [m["quote"] for s in sources for m in s["mentions"]] == ["Ms. Ruiz"]
    mine = [json.loads(line) for line in _run(store, "sources", "--format", "jsonl", "--layer", "mine").splitlines()]
    assert [m["quote"] for s in mine for m in s["mentions"]] == ["Ana Ruiz"]
    assert _run(store, "figures", "--format", "csv", "--layer", "mine").count("\n") == 1  # the header only
    assert "12 troops" in _run(store, "figures", "--format", "csv", "--analyst", "ben")
    both = CliRunner().invoke(cli, ["sources", "--analyst", "ana", "--layer", "ben", "--db", store.path])
    assert both.exit_code == 2 and "not both" in both.output
