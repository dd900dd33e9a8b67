"""Agreement between analysts: kappa and alpha checked against values worked out by
hand and against the krippendorff package's own example, span F1 and the list of
disagreements."""

from __future__ import annotations

import json
import re

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain import NewArticle
from annotator.services.agreement import (
    ALL,
    _alpha,
    cohen_kappa,
    compute_agreement,
    word_starts,
)
from annotator.store import open_store

TEXT = "Officials said twelve people died. Witnesses said the toll was higher. Police declined to comment."


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "team.db")
    for name, colour in (("claim", "#c00"), ("source", "#0c0"), ("figure", "#00c")):
        s.insert_tag(name, colour)
    yield s
    s.close()


def _tag(store, analyst, article, tag, start, end):
    text = store.get_article(article).text
    store.insert_annotation(article, store.tag_by_name(tag).id, start, end, text[start:end], annotator=analyst)


def test_cohen_kappa_matches_a_worked_example():
    # 10 units, they agree on 9: po = .9; pe = .5*.6 + .5*.4 = .5; kappa = (.9 - .5) / (1 - .5) = .8
    ana = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    ben = np.array([1, 1, 1, 1, 1, 1, 0, 0, 0, 0])
    assert cohen_kappa(ana, ben) == pytest.approx(0.8)
    assert cohen_kappa(ana, ana) == 1.0


def test_alpha_from_counts_equals_the_packages_alpha_on_raw_data():
    raw = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5], [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5]])
    values = [1, 2, 3, 4, 5]
    counts = np.array([[int(np.sum(raw[:, u] == v)) for v in values] for u in range(raw.shape[1])])
    assert _alpha(counts) == pytest.approx(krippendorff.alpha(reliability_data=raw, level_of_measurement="nominal"))


def test_identical_work_agrees_fully_and_differences_are_listed(store):
    article, _ = store.insert_article(NewArticle(title="Toll", text=TEXT))
    for analyst in ("ana", "ben"):
        _tag(store, analyst, article, "source", 0, 9)          # Officials
        _tag(store, analyst, article, "figure", 15, 28)        # twelve people
    _tag(store, "ana", article, "claim", 35, 69)               # Witnesses said the toll was higher
    _tag(store, "ben", article, "claim", 50, 69)               # the toll was higher (boundary)
    _tag(store, "ben", article, "source", 71, 77)              # Police (missing for ana)
    report = compute_agreement(store)
    assert report.analysts == ["ana", "ben"]
    figure = report.score(tag="figure", pair="ana/ben")
    assert figure.kappa == pytest.approx(1.0) and figure.f1_exact == 1.0
    overall = report.score(pair="ana/ben")
    assert overall.f1_exact == pytest.approx(2 * 2 / (3 + 4))
    assert overall.f1_overlap == pytest.approx(2 * 3 / (3 + 4))
    assert 0 < overall.kappa < 1 and 0 < overall.alpha < 1
    assert report.score(article_id=article, pair="ana/ben").f1_exact == overall.f1_exact
    kinds = sorted((d.analyst, d.kind, d.quote) for d in report.disagreements)
    assert kinds == [
        ("ana", "boundary", "Witnesses said the toll was higher"),
        ("ben", "boundary", "the toll was higher"),
        ("ben", "missing", "Police"),
    ]


def test_an_article_only_one_analyst_started_does_not_count(store):
    shared, _ = store.insert_article(NewArticle(title="Toll", text=TEXT))
    alone, _ = store.insert_article(NewArticle(title="Other", text="Ben alone tagged this sentence."))
    for analyst in ("ana", "ben"):
        _tag(store, analyst, shared, "source", 0, 9)
    _tag(store, "ben", alone, "claim", 0, 9)
    report = compute_agreement(store)
    assert report.score(pair="ana/ben").f1_exact == 1.0
    assert report.score(article_id=alone, pair=ALL) is None
    assert not report.disagreements


def test_three_analysts_have_every_pair_and_one_alpha_for_all(store):
    article, _ = store.insert_article(NewArticle(title="Toll", text=TEXT))
    for analyst in ("ana", "ben", "cy"):
        _tag(store, analyst, article, "source", 0, 9)
    _tag(store, "cy", article, "figure", 15, 28)
    report = compute_agreement(store)
    assert {s.pair for s in report.scores if s.article_id is None and s.tag == ALL} == {"ana/ben", "ana/cy", "ben/cy", ALL}
    assert report.score(pair="ana/ben").alpha == pytest.approx(1.0)
    assert report.score(pair=ALL).alpha < 1.0


def test_the_agreement_command_prints_a_table_json_and_csv(store):
    import csv
    import io
    import json

    from click.testing import CliRunner

    from annotator.cli import cli

    article, _ = store.insert_article(NewArticle(title="Toll", text=TEXT))
    for analyst in ("ana", "ben"):
        _tag(store, analyst, article, "source", 0, 9)
    _tag(store, "ben", article, "source", 71, 77)
    runner = CliRunner()
    table = runner.invoke(cli, ["agreement", "--db", store.path])
    assert table.exit_code == 0, table.output
    assert "corpus" in table.output and "ana/ben" in table.output and "1 disagreements" in table.output
    data = json.loads(runner.invoke(cli, ["agreement", "--db", store.path, "--format", "json"]).output)
    assert data["analysts"] == ["ana", "ben"] and data["disagreements"][0]["quote"] == "Police"
    rows = list(csv.DictReader(io.StringIO(runner.invoke(cli, ["agreement", "--db", store.path, "--format", "csv"]).output)))
    assert {"corpus", str(article)} <= {r["article_id"] for r in rows}
    assert float(next(r for r in rows if r["pair"] == "ana/ben" and r["tag"] == "*")["f1_exact"]) == pytest.approx(2 / 3)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
       | st.text(alphabet="ab _-1\u00e9\u0301\u0660\U0001d7d8\U0001f600\u4e2d", max_size=60))
def test_word_starts_are_where_the_regex_finds_words(text):
    assert word_starts(text).tolist() == [m.start() for m in re.finditer(r"\w+", text)]


def test_the_curated_layer_takes_part_when_asked(tmp_path):
    from annotator.services.agreement import CURATED
    from annotator.services.curation import accept_span
    from annotator.services.workspace import open_workspace

    store = open_workspace(tmp_path / "lead.db")
    article, _ = store.insert_article(NewArticle(title="Toll", text=TEXT))
    _tag(store, "ana", article, "source", 0, 9)
    _tag(store, "ben", article, "source", 71, 77)
    ana_span = next(a.id for a in store.list_annotations(article) if a.annotator == "ana")
    accept_span(store, annotation_id=ana_span)
    assert compute_agreement(store).analysts == ["ana", "ben"]
    report = compute_agreement(store, with_curated=True)
    assert report.analysts == [CURATED, "ana", "ben"]
    assert report.score(pair=f"{CURATED}/ana").f1_exact == 1.0
    assert report.score(pair=f"{CURATED}/ben").f1_exact == 0.0
    store.close()

    from click.testing import CliRunner

    from annotator.cli import cli

    result = CliRunner().invoke(cli, ["agreement", "--db", str(tmp_path / "lead.db"), "--with-curated",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["analysts"] == [CURATED, "ana", "ben"]
