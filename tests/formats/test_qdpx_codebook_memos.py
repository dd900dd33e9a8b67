"""REFI-QDA projects carry the memos (project, article, tag) and the nested codebook."""

from __future__ import annotations

import zipfile

from defusedxml.ElementTree import fromstring

from annotator.domain import NewArticle
from annotator.services.exchange import apply_import, plan_import
from annotator.services.exporting import export_annotations
from annotator.services.memos import set_memo
from annotator.store import open_store

NS = "{urn:QDA-XML:project:1.0}"
TEXT = "Colonel Henrik Malmberg said 40 tanks crossed the river at dawn."


def _project(tmp_path):
    store = open_store(tmp_path / "memos.db")
    who = store.insert_tag("attribution", "#F59E0B", description="Who says what.")
    source = store.insert_tag("source", "#F97316", description="A person or body quoted, e.g. “the ministry”.",
                              parent_id=who.id)
    claim = store.insert_tag("claim", "#3B82F6")
    article_id, _ = store.insert_article(NewArticle(title="Tanks", text=TEXT))
    for tag, phrase in ((source, "Colonel Henrik Malmberg"), (claim, "40 tanks crossed the river at dawn")):
        start = TEXT.index(phrase)
        store.insert_annotation(article_id, tag.id, start, start + len(phrase), phrase)
    set_memo(store, scope="project", text="Coding the border reports, spring 2026.")
    set_memo(store, scope="article", target_id=article_id, text="Single-source story; check the ministry.")
    path = tmp_path / "project.qdpx"
    export_annotations(store, "qdpx", path)
    store.close()
    return path


def test_qdpx_holds_the_memos_and_nested_codes_where_the_standard_puts_them(tmp_path):
    path = _project(tmp_path)
    with zipfile.ZipFile(path) as z:
        root = fromstring(z.read("project.qde"))
    assert [child.tag for child in root][-1] == f"{NS}Description"  # the Project's last element
    assert root.find(f"{NS}Description").text == "Coding the border reports, spring 2026."

    codes = root.find(f"{NS}CodeBook/{NS}Codes")
    top = {c.get("name"): c for c in codes.findall(f"{NS}Code")}
    assert sorted(top) == ["attribution", "claim"]
    (nested,) = top["attribution"].findall(f"{NS}Code")
    assert nested.get("name") == "source"
    assert nested.find(f"{NS}Description").text == "A person or body quoted, e.g. “the ministry”."
    assert top["attribution"].find(f"{NS}Description").text == "Who says what."

    source = root.find(f"{NS}Sources/{NS}TextSource")
    (ref,) = source.findall(f"{NS}NoteRef")
    notes = {n.get("guid"): n for n in root.findall(f"{NS}Notes/{NS}Note")}
    assert notes[ref.get("targetGUID")].find(f"{NS}PlainTextContent").text == "Single-source story; check the ministry."


def test_qdpx_import_keeps_the_codebook_hierarchy_descriptions_and_memos(tmp_path):
    path = _project(tmp_path)
    other = open_store(tmp_path / "other.db")
    plan = plan_import(other, [path])
    assert not plan.errors
    apply_import(other, plan)
    tags = {t.name: t for t in other.list_tags()}
    assert tags["source"].parent_id == tags["attribution"].id
    assert tags["claim"].parent_id is None and tags["attribution"].parent_id is None
    assert tags["attribution"].description == "Who says what."
    (article,) = other.list_articles()
    assert other.get_memo("article", article.id) == "Single-source story; check the ministry."
    assert other.get_memo("project") == "Coding the border reports, spring 2026."
    other.close()


def test_qdpx_import_never_overwrites_a_memo_the_analyst_wrote(tmp_path):
    path = _project(tmp_path)
    other = open_store(tmp_path / "other.db")
    article_id, _ = other.insert_article(NewArticle(title="Tanks", text=TEXT))
    other.set_memo("article", article_id, "Mine.")
    other.set_memo("project", 0, "Our project.")
    apply_import(other, plan_import(other, [path]))
    assert other.get_memo("article", article_id) == "Mine." and other.get_memo("project") == "Our project."
    other.close()


def test_import_dry_run_lists_the_memos_it_would_set_and_keep(tmp_path):
    from click.testing import CliRunner

    from annotator.cli import cli

    path = _project(tmp_path)
    other = open_store(tmp_path / "other.db")
    article_id, _ = other.insert_article(NewArticle(title="Tanks", text=TEXT))
    other.set_memo("project", 0, "Our project.")
    other.close()
    db = str(tmp_path / "other.db")

    dry = CliRunner().invoke(cli, ["import-annotations", "--db", db, str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 memo to set, 1 kept as it is (a memo already written is never overwritten)." in dry.output
    memos = dry.output.split("\nMemos:\n")[1].split("\n\n")[0].splitlines()
    assert memos == [
        "  Project memo: kept as it is (“Our project.”, 12 characters); the file's memo (“Coding the border"
        " reports, spring 2026.”, 39 characters) is not imported, a memo already written is never overwritten.",
        "  Memo on “Tanks”: set from the file (“Single-source story; check the ministry.”, 40 characters).",
    ]
    other = open_store(tmp_path / "other.db")
    assert other.get_memo("article", article_id) == "" and other.get_memo("project") == "Our project."
    other.close()

    done = CliRunner().invoke(cli, ["import-annotations", "--db", db, str(path)])
    assert done.exit_code == 0 and "memos set: 1." in done.output, done.output
    other = open_store(tmp_path / "other.db")
    assert other.get_memo("article", article_id) == "Single-source story; check the ministry."
    assert other.get_memo("project") == "Our project."
    other.close()
