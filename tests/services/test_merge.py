"""Offline merge of another analyst's file: preview, then one transaction; each
analyst stays the authority on their own annotations."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from annotator.cli import cli
from annotator.domain import NewArticle
from annotator.services import annotations as ops
from annotator.services.merge import merge, plan_merge
from annotator.services.settings import save_setting
from annotator.services.workspace import open_workspace

TEXT = "The mayor said the bridge would reopen in May. Engineers said it would take a year.\n"


def _analyst(path, name):
    store = open_workspace(path)
    save_setting(store, name="annotator_name", value=name)
    return store


def _spans(store):
    return sorted((a.annotator, a.quote, a.note) for i in store.article_ids() for a in store.list_annotations(i))


def test_merge_brings_the_other_analysts_work_and_keeps_mine(tmp_path):
    ana = _analyst(tmp_path / "ana.db", "ana")
    article, _ = ana.insert_article(NewArticle(title="Bridge", text=TEXT, source_format="txt"))
    mine = ops.add_annotation(ana, article=article, tag_id=ana.tag_by_name("claim").id, start=0, end=46,
                              annotator="ana").value
    ana.close()
    shutil.copy(tmp_path / "ana.db", tmp_path / "ben.db")
    ben = _analyst(tmp_path / "ben.db", "ben")
    ops.add_annotation(ben, article=article, tag_id=ben.tag_by_name("source").id, start=47, end=56, annotator="ben")
    ben.close()
    ana = open_workspace(tmp_path / "ana.db")
    ops.set_note(ana, annotation_id=mine.id, note="mine, edited after the copy")

    plan = plan_merge(ana, tmp_path / "ben.db")
    assert (plan.articles, plan.added, plan.updated, plan.deleted, plan.kept_mine) == (0, 1, 0, 0, 1)
    assert _spans(ana) == [("ana", TEXT[:46], "mine, edited after the copy")]  # a preview writes nothing
    merge(ana, plan)
    assert _spans(ana) == [("ana", TEXT[:46], "mine, edited after the copy"), ("ben", "Engineers", "")]
    again = plan_merge(ana, tmp_path / "ben.db")
    assert (again.added, again.updated, again.deleted) == (0, 0, 0)
    ana.close()


def test_the_merge_command_previews_then_merges_and_takes_deletions_of_their_own_work(tmp_path):
    ben = _analyst(tmp_path / "ben.db", "ben")
    article, _ = ben.insert_article(NewArticle(title="Bridge", text=TEXT, source_format="txt"))
    theirs = ops.add_annotation(ben, article=article, tag_id=ben.tag_by_name("source").id, start=47, end=56,
                                annotator="ben").value
    ben.close()
    ana = _analyst(tmp_path / "ana.db", "ana")
    ana.close()
    runner = CliRunner()
    dry = runner.invoke(cli, ["merge", "--db", str(tmp_path / "ana.db"), str(tmp_path / "ben.db"), "--dry-run"])
    assert dry.exit_code == 0 and "1 new articles, 1 new annotations" in dry.output and "nothing was written" in dry.output
    done = runner.invoke(cli, ["merge", "--db", str(tmp_path / "ana.db"), str(tmp_path / "ben.db")])
    assert done.exit_code == 0 and "Merged: 1 articles, 1 annotations" in done.output
    ben = open_workspace(tmp_path / "ben.db")
    ops.delete_annotations(ben, annotation_ids=[theirs.id])
    ben.close()
    gone = runner.invoke(cli, ["merge", "--db", str(tmp_path / "ana.db"), str(tmp_path / "ben.db")])
    assert "1 deletions" in gone.output
    ana = open_workspace(tmp_path / "ana.db")
    assert _spans(ana) == []
    ana.close()
    missing = runner.invoke(cli, ["merge", "--db", str(tmp_path / "ana.db"), str(tmp_path / "nope.db")])
    assert missing.exit_code == 1 and "nope.db is not a file" in missing.output


def test_merge_brings_metadata_memos_statuses_and_rejections(tmp_path):
    from annotator.services.curation import curation_overview, reject_group
    from annotator.services.team import article_statuses

    ana = _analyst(tmp_path / "ana.db", "ana")
    article, _ = ana.insert_article(NewArticle(title="Bridge", text=TEXT, source_format="txt"))
    ops.add_annotation(ana, article=article, tag_id=ana.tag_by_name("claim").id, start=0, end=46, annotator="ana")
    ana.close()
    shutil.copy(tmp_path / "ana.db", tmp_path / "ben.db")
    ana = open_workspace(tmp_path / "ana.db")
    ana.set_article_status(article, "done")
    ana.update_article(article, outlet="Gazette")  # older than ben's outlet: his wins
    ben = _analyst(tmp_path / "ben.db", "ben")
    ben.update_article(article, title="Bridge to reopen", outlet="The Gazette")
    ben.set_memo("article", article, "Ask the engineers.")
    ben.set_article_status(article, "in progress")
    [claim] = [a.id for a in ben.list_annotations(article)]
    reject_group(ben, annotation_id=claim)
    ben.close()

    plan = plan_merge(ana, tmp_path / "ben.db")
    assert plan.about_articles == 5 and any("metadata, memo, status" in line for line in plan.lines())
    assert ana.get_article(article).title == "Bridge"  # a preview writes nothing
    merge(ana, plan)
    merged = ana.get_article(article)
    assert (merged.title, merged.outlet, merged.status) == ("Bridge to reopen", "The Gazette", "done")
    assert ana.get_memo("article", article) == "Ask the engineers."
    assert article_statuses(ana) == {article: {"ana": "done", "ben": "in progress"}}
    assert curation_overview(ana, [article])[0].state == "curated"
    again = plan_merge(ana, tmp_path / "ben.db")
    merge(ana, again)
    assert ana.get_article(article).title == "Bridge to reopen"
    ana.close()
