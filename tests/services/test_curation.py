"""Curation: the analysts' spans side by side, accepted, edited or rejected into the curated layer."""

from __future__ import annotations

import pytest

from annotator.domain import NewArticle, SpanError
from annotator.services import annotations as ops
from annotator.services.curation import (
    accept_span,
    curation_groups,
    curation_overview,
    reject_group,
    revert_curation,
)
from annotator.services.workspace import annotator_name, open_workspace
from annotator.store import StoreError
from annotator.store import team as local

TEXT = "The minister said on Monday that 40 schools would reopen. Critics disagreed.\n"
#       0         1         2         3         4         5         6         7
#       0123456789012345678901234567890123456789012345678901234567890123456789012345


@pytest.fixture
def store(tmp_path):
    store = open_workspace(tmp_path / "lead.db")
    yield store
    store.close()


def _tag(store, name):
    return store.tag_by_name(name).id


def _add(store, article_id, analyst, tag, start, end):
    return ops.add_annotation(store, article=article_id, tag_id=_tag(store, tag), start=start, end=end,
                              annotator=analyst).value.id


@pytest.fixture
def article(store):
    """ana and ben on one article: a claim with different ends, the same nested figure,
    and a source only ana saw."""
    article_id, _ = store.insert_article(NewArticle(title="Schools", text=TEXT, source_format="txt"))
    ids = {
        "ana_claim": _add(store, article_id, "ana", "claim", 0, 57),
        "ben_claim": _add(store, article_id, "ben", "claim", 4, 56),
        "ana_figure": _add(store, article_id, "ana", "figure", 33, 43),
        "ben_figure": _add(store, article_id, "ben", "figure", 33, 43),
        "ana_source": _add(store, article_id, "ana", "source", 58, 65),
    }
    return article_id, ids


def _curated(store, article_id):
    return sorted((s.start, s.end, s.tag) for g in curation_groups(store, article_id) for s in g.curated)


def test_spans_of_the_analysts_are_grouped_side_by_side(store, article):
    article_id, _ = article
    groups = curation_groups(store, article_id)
    assert [(g.start, g.end) for g in groups] == [(0, 57), (33, 43), (58, 65)]
    claim, figure, source = groups
    assert {a: [(s.start, s.end) for s in spans] for a, spans in claim.by_analyst().items()} == {
        "ana": [(0, 57)], "ben": [(4, 56)]}
    assert not claim.agreed and figure.agreed
    assert source.analysts == ("ana",)
    assert not any(g.settled for g in groups)
    assert curation_overview(store, [article_id])[0].state == "to do"


def test_a_tag_disagreement_on_the_same_words_is_one_group(store):
    article_id, _ = store.insert_article(NewArticle(title="Tags", text=TEXT, source_format="txt"))
    _add(store, article_id, "ana", "figure", 33, 43)
    _add(store, article_id, "ben", "claim", 33, 42)
    [group] = curation_groups(store, article_id)
    assert sorted(s.tag for s in group.candidates) == ["claim", "figure"]


def test_accept_edit_and_reject_until_the_article_is_fully_curated(store, article):
    article_id, ids = article
    change = accept_span(store, annotation_id=ids["ben_claim"]).value
    [curated] = change.added
    assert (curated.start, curated.end, curated.quote) == (4, 56, TEXT[4:56])
    assert store._query("SELECT layer FROM annotations WHERE id = ?", (curated.id,))[0][0] == "curated"
    state = curation_overview(store, [article_id])[0]
    assert (state.groups, state.settled, state.state) == (3, 1, "in progress")

    # Accept ana's figure, edited to take in "would reopen" as a claim of its own.
    edited = accept_span(store, annotation_id=ids["ana_figure"], start=33, end=56, tag_id=_tag(store, "claim"))
    assert [(a.start, a.end, a.quote) for a in edited.value.added] == [(33, 56, "40 schools would reopen")]
    reject_group(store, annotation_id=ids["ana_source"])
    state = curation_overview(store, [article_id])[0]
    assert (state.settled, state.fully_curated, state.state) == (3, True, "curated")
    assert _curated(store, article_id) == [(4, 56, "claim"), (33, 56, "claim")]
    # The edited span stays in the figure's group, not the claim's.
    assert [len(g.curated) for g in curation_groups(store, article_id)] == [1, 1, 0]


def test_accepting_another_version_replaces_the_curated_one(store, article):
    article_id, ids = article
    accept_span(store, annotation_id=ids["ana_claim"])
    op = accept_span(store, annotation_id=ids["ben_claim"])
    assert [(a.start, a.end) for a in op.value.removed] == [(0, 57)]
    assert _curated(store, article_id) == [(4, 56, "claim")]
    assert op.changes.touches_article(article_id)


def test_undo_and_redo_keep_ids_and_stable_ids(store, article):
    article_id, ids = article
    first = accept_span(store, annotation_id=ids["ana_claim"]).value
    second = accept_span(store, annotation_id=ids["ben_claim"]).value
    [kept] = second.added
    uuid = store._query("SELECT uuid FROM annotations WHERE id = ?", (kept.id,))[0][0]

    redo = revert_curation(store, change=second).value       # undo: ana's version is back
    assert _curated(store, article_id) == [(0, 57, "claim")]
    assert store._query("SELECT id FROM annotations WHERE layer = 'curated'")[0][0] == first.added[0].id
    revert_curation(store, change=redo)                        # redo: ben's again, same id and uuid
    assert store._tuples("SELECT id, uuid FROM annotations WHERE layer = 'curated'") == [(kept.id, uuid)]

    rejection = reject_group(store, annotation_id=ids["ana_source"]).value
    assert curation_groups(store, article_id)[2].rejected
    revert_curation(store, change=rejection)
    assert not curation_groups(store, article_id)[2].settled


def test_reject_removes_the_curated_span_and_a_new_span_reopens_the_group(store, article):
    article_id, ids = article
    accept_span(store, annotation_id=ids["ana_claim"])
    reject_group(store, annotation_id=ids["ben_claim"])
    claim = curation_groups(store, article_id)[0]
    assert claim.settled and claim.rejected and not claim.curated

    _add(store, article_id, "cem", "claim", 0, 56)
    assert not curation_groups(store, article_id)[0].settled


def test_an_edit_outside_the_text_is_refused_and_nothing_changes(store, article):
    article_id, ids = article
    with pytest.raises(SpanError):
        accept_span(store, annotation_id=ids["ana_claim"], start=0, end=len(TEXT) + 5)
    assert _curated(store, article_id) == []


def test_only_curators_write_the_curated_layer_in_a_team(store, article):
    _, ids = article
    local.join(store, "server-1", "ana", curator=False)
    with pytest.raises(StoreError, match="not a curator"):
        accept_span(store, annotation_id=ids["ben_claim"])
    local.join(store, "server-1", "lead", curator=True)
    [added] = accept_span(store, annotation_id=ids["ben_claim"]).value.added
    assert added.annotator == "lead"
    # The database itself refuses a non-curator too (another program, or a stale window).
    local.join(store, "server-1", "ana", curator=False)
    with pytest.raises(StoreError, match="curated layer"):
        ops.delete_annotations(store, annotation_ids=[added.id])


def test_overview_of_articles_without_annotations(store):
    article_id, _ = store.insert_article(NewArticle(title="Empty", text=TEXT, source_format="txt"))
    [state] = curation_overview(store, [article_id])
    assert (state.groups, state.state, state.fully_curated) == (0, "nothing to curate", True)
    with pytest.raises(StoreError, match="no article"):
        curation_overview(store, [article_id + 100])


def test_curation_command_lists_where_each_article_stands(store, article, tmp_path):
    import json

    from click.testing import CliRunner

    from annotator.cli import cli

    article_id, ids = article
    accept_span(store, annotation_id=ids["ana_claim"])
    reject_group(store, annotation_id=ids["ana_source"])
    result = CliRunner().invoke(cli, ["curation", "--db", store.path, "--article", str(article_id)])
    assert result.exit_code == 0, result.output
    assert f"{article_id:>7}  in progress" in result.output and "2/3" in result.output and "ana, ben" in result.output
    accept_span(store, annotation_id=ids["ben_figure"])
    store.set_article_status(article_id, "done")  # this file's analyst's own status
    result = CliRunner().invoke(cli, ["curation", "--db", store.path, "--format", "json"])
    listed = {s["article_id"]: s for s in json.loads(result.stdout)}
    me = annotator_name(store)
    assert listed[article_id] == {"article_id": article_id, "title": "Schools", "analysts": ["ana", "ben"],
                                  "groups": 3, "settled": 3, "state": "curated", "statuses": {me: "done"}}
    assert f"{me} done" in CliRunner().invoke(cli, ["curation", "--db", store.path]).stdout
    missing = CliRunner().invoke(cli, ["curation", "--db", store.path, "--article", "999"])
    assert missing.exit_code == 1 and "no article with id 999" in missing.output


def test_curate_command_lists_groups_accepts_and_rejects(store, article):
    import json

    from click.testing import CliRunner

    from annotator.cli import cli

    article_id, _ = article

    def run(*args):
        result = CliRunner().invoke(cli, ["curate", "--db", store.path, "--article", str(article_id), *args])
        assert result.exit_code == 0, result.output
        return result

    listing = run().stdout
    assert "   1  0-57  open" in listing and "   2  33-43  open (agreed)" in listing and "'40 schools'" in listing
    assert "Accepted 1 spans" in run("--accept-agreed").stderr          # the figure both tagged alike
    assert "Accepted 1 spans" in run("--accept", "ben").stderr          # ben's claim (ana's source stays open)
    assert "Rejected 1 groups" in run("--group", "3", "--reject").stderr
    groups = json.loads(run("--format", "json").stdout)
    assert [g["settled"] for g in groups] == [True, True, True] and groups[2]["rejected"]
    assert [s["end"] for s in groups[0]["spans"] if s["layer"] == "curated"] == [56]
    assert curation_overview(store, [article_id])[0].state == "curated"

    bad = CliRunner().invoke(cli, ["curate", "--db", store.path, "--article", str(article_id), "--group", "9"])
    assert bad.exit_code == 1 and "no group 9" in bad.output
    both = CliRunner().invoke(cli, ["curate", "--db", store.path, "--article", str(article_id), "--reject",
                                    "--accept", "ana"])
    assert both.exit_code == 2


def test_any_undo_of_a_deleted_curated_span_keeps_it_curated(store, article):
    article_id, ids = article
    [curated] = accept_span(store, annotation_id=ids["ana_claim"]).value.added
    uuid = store._tuples("SELECT uuid FROM annotations WHERE id = ?", (curated.id,))[0][0]
    deleted, links = ops.delete_annotations(store, annotation_ids=[curated.id]).value  # the window's Delete
    ops.restore_annotations(store, annotations=deleted, links=links)                   # and its Ctrl+Z
    assert store._tuples("SELECT layer, uuid FROM annotations WHERE id = ?", (curated.id,)) == [("curated", uuid)]
    assert _curated(store, article_id) == [(0, 57, "claim")]
    # An analyst's own annotation comes back as theirs.
    deleted, links = ops.delete_annotations(store, annotation_ids=[ids["ben_claim"]]).value
    ops.restore_annotations(store, annotations=deleted, links=links)
    assert store._tuples("SELECT layer FROM annotations WHERE id = ?", (ids["ben_claim"],)) == [("",)]
