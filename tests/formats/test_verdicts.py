"""Verdicts in exports: ClaimReview JSON-LD, and a claim's verdict through jsonl, W3C and the HTML report."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from annotator.domain import NewArticle, Verdict
from annotator.services.exporting import export_to_stream
from annotator.services.verdicts import set_verdict

TEXT = "At least 11 soldiers were killed, Colonel Henrik Malmberg said."


def test_claims_with_verdicts_become_claim_reviews(tagged_store):
    store = tagged_store
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT, url="https://news.example/a",
                                                    published="2024-05-03T10:00:00"))
    claim = store.insert_annotation(article_id, store.tag_by_name("claim").id, 0, 32, TEXT[:32])
    s = TEXT.index("Colonel")
    source = store.insert_annotation(article_id, store.tag_by_name("source").id, s, s + 23, TEXT[s:s + 23])
    store.insert_link(claim.id, source.id, "source")
    set_verdict(store, annotation_id=claim.id, rating="mostly false", explanation="Nine, says the ministry.",
                evidence=["https://gov.example/report"], reviewer="Ana", date="2024-05-04")
    out = io.StringIO()
    assert export_to_stream(store, "claimreview", out) == 1
    (review,) = json.loads(out.getvalue())["@graph"]
    assert review["claimReviewed"] == TEXT[:32]
    # The default scale's five truth ratings: "unverifiable" is on no truth scale.
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "mostly false", "bestRating": 5,
                                      "worstRating": 1, "ratingValue": 2}
    assert review["itemReviewed"]["author"]["name"] == "Colonel Henrik Malmberg"
    assert review["itemReviewed"]["appearance"]["url"] == "https://news.example/a"
    assert review["itemReviewed"]["datePublished"] == "2024-05-03"
    assert (review["author"]["name"], review["datePublished"]) == ("Ana", "2024-05-04")
    assert review["url"].startswith("https://news.example/a#:~:text=At%20least")
    lines = io.StringIO()
    export_to_stream(store, "jsonl", lines)
    spans = json.loads(lines.getvalue())["spans"]
    assert [s.get("verdict", {}).get("rating") for s in spans] == ["mostly false", None]
    assert spans[0]["verdict"]["evidence"] == ["https://gov.example/report"]
    set_verdict(store, annotation_id=claim.id, rating="unverifiable", date="2024-05-04")
    out = io.StringIO()
    export_to_stream(store, "claimreview", out)
    (review,) = json.loads(out.getvalue())["@graph"]
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "unverifiable", "bestRating": 5,
                                      "worstRating": 1}


def test_jsonl_verdicts_import_back_and_bad_ones_are_named(tagged_store, tmp_path):
    from annotator.services.exchange import apply_import, plan_import
    from annotator.services.verdicts import get_verdict
    from annotator.store import open_store

    store = tagged_store
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT))
    claim = store.insert_annotation(article_id, store.tag_by_name("claim").id, 0, 32, TEXT[:32])
    verdict = set_verdict(store, annotation_id=claim.id, rating="false", explanation="None died.",
                          evidence=["https://gov.example/r"], reviewer="Ben", date="2024-05-05").value
    path = tmp_path / "out.jsonl"
    with path.open("w", encoding="utf-8") as out:
        export_to_stream(store, "jsonl", out)
    other = open_store(tmp_path / "other.db")
    plan = plan_import(other, [path])
    assert not plan.errors and not plan.warnings
    apply_import(other, plan)
    (imported,) = other.list_annotations(other.article_ids()[0])
    assert get_verdict(other, imported.id) == dataclasses.replace(verdict, annotation_id=imported.id)
    record = json.loads(path.read_text(encoding="utf-8"))
    record["spans"][0]["verdict"] = {"rating": "pants on fire"}
    path.write_text(json.dumps(record), encoding="utf-8")
    warned = plan_import(open_store(tmp_path / "third.db"), [path])
    assert any("pants on fire" in w and "rating scale" in w for w in warned.warnings)
    record["spans"][0]["verdict"] = {"explanation": "no rating"}
    path.write_text(json.dumps(record), encoding="utf-8")
    bad = plan_import(open_store(tmp_path / "fourth.db"), [path])
    assert any("out.jsonl line 1, span 1" in e and "“verdict”" in e for e in bad.errors)


def test_evidence_or_a_date_an_import_cannot_keep_is_left_out_with_a_warning(tagged_store, tmp_path):
    """A link with a line break inside would become two links in CSV and xlsx (one a line): an
    imported verdict keeps its web addresses and names what it left out."""
    from annotator.services.exchange import apply_import, plan_import
    from annotator.services.verdicts import get_verdict
    from annotator.store import open_store

    record = {"text": TEXT, "spans": [{"start": 0, "end": 32, "label": "claim", "verdict": {
        "rating": "false", "date": "31/05/2024",
        "evidence": ["https://a.example/1\nhttps://b.example/2", "javascript:alert(1)", " https://c.example/3 "]}}]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record), encoding="utf-8")
    store = open_store(tmp_path / "new.db")
    plan = plan_import(store, [path])
    assert not plan.errors
    assert [w for w in plan.warnings if "in.jsonl line 1, span 1" in w and "not a web address" in w] == [
        "in.jsonl line 1, span 1 (claim “At least 11 soldiers were killed”): the verdict's evidence"
        " 'https://a.example/1\\nhttps://b.example/2' is not a web address (http:// or https://, one address,"
        " no line breaks); it is left out, with 1 more like it."
    ]
    assert any("the verdict's date '31/05/2024' is not a day written YYYY-MM-DD" in w for w in plan.warnings)
    apply_import(store, plan)
    (claim,) = store.list_annotations(store.article_ids()[0])
    assert get_verdict(store, claim.id).evidence == ("https://c.example/3",)
    assert get_verdict(store, claim.id).date == ""


def test_w3c_carries_the_verdict_as_an_assessing_body_and_html_shows_it(tagged_store, tmp_path):
    from annotator.services.exchange import apply_import, plan_import
    from annotator.services.verdicts import get_verdict
    from annotator.store import open_store

    store = tagged_store
    article_id, _ = store.insert_article(NewArticle(title="Clashes", text=TEXT))
    claim = store.insert_annotation(article_id, store.tag_by_name("claim").id, 0, 32, TEXT[:32], note="check")
    verdict = set_verdict(store, annotation_id=claim.id, rating="mixed", explanation="Some <b>were</b>.",
                          evidence=["https://gov.example/r", "https://b.example/"],
                          reviewer="Ana", date="2024-05-06").value
    path = tmp_path / "out.jsonld"
    with path.open("w", encoding="utf-8") as out:
        export_to_stream(store, "w3c", out)
    bodies = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(bodies)
    assert '"purpose": "assessing"' in text and '"value": "mixed"' in text
    other = open_store(tmp_path / "other.db")
    plan = plan_import(other, [path])
    assert not plan.errors
    apply_import(other, plan)
    (imported,) = other.list_annotations(other.article_ids()[0])
    assert imported.note == "check"  # the verdict is not read as a note
    assert get_verdict(other, imported.id) == dataclasses.replace(verdict, annotation_id=imported.id)
    other.close()
    html = io.StringIO()
    export_to_stream(store, "html", html)
    assert "Verdict: mixed</b> (Ana, 2024-05-06): Some &lt;b&gt;were&lt;/b&gt;." in html.getvalue()
    assert '<a href="https://gov.example/r">' in html.getvalue()


# -- verdicts through the tables (CSV, xlsx), REFI-QDA and brat ------------------------------

STORY = ("Officials said 40 per cent of the claims were false. 👍🏽 The minister said =1+1 was two, "
         "and the opposition said the budget grew by -3%.")
REVIEWED = {
    "40 per cent of the claims were false": dict(
        rating="mostly false", explanation="=SUM(A1) is not evidence; «the data» say 12 👍🏽.\nSecond line.",
        evidence=["https://stats.example.org/a?b=1&c=2", "https://archive.example.org/x"],
        reviewer="+Ana", date="2026-03-01",
    ),
    "=1+1 was two": dict(rating="true", date="2026-03-02"),
}
UNREVIEWED = "the budget grew by -3%"


@pytest.fixture
def reviewed_store(tagged_store):
    store = tagged_store
    article_id, _ = store.insert_article(NewArticle(title="Budget", text=STORY, url="https://news.example/b"))
    claim = store.tag_by_name("claim").id
    for quote in (*REVIEWED, UNREVIEWED):
        start = STORY.index(quote)
        added = store.insert_annotation(article_id, claim, start, start + len(quote), quote,
                                        note="a note" if quote == UNREVIEWED else "check the figure")
        if quote in REVIEWED:
            set_verdict(store, annotation_id=added.id, **REVIEWED[quote])
    return store


def verdicts_by_quote(store) -> dict:
    from annotator.services.verdicts import get_verdict

    found = {}
    for article_id in store.article_ids():
        for n in store.list_annotations(article_id):
            verdict = get_verdict(store, n.id)
            found[n.quote] = (n.note, verdict and dataclasses.replace(verdict, annotation_id=0))
    return found


def imported_into_new_store(source, path, tmp_path, fmt):
    from annotator.services.exchange import apply_import, plan_import
    from annotator.store import open_store

    from .test_xlsx import copy_articles

    target = open_store(tmp_path / f"{fmt}-target.db")
    if fmt in ("csv", "xlsx"):  # tables carry no article text: the articles are there already
        copy_articles(source, target)
    plan = plan_import(target, [path])
    assert plan.errors == [] and plan.warnings == [], (plan.errors, plan.warnings)
    apply_import(target, plan)
    return target


@pytest.mark.parametrize(("fmt", "name"), [
    ("csv", "out.csv"), ("xlsx", "out.xlsx"), ("jsonl", "out.jsonl"), ("qdpx", "out.qdpx"), ("brat", "brat.zip"),
])
def test_verdicts_go_out_and_come_back_exactly(reviewed_store, tmp_path, fmt, name):
    from annotator.services.exporting import export_annotations

    path = tmp_path / name
    export_annotations(reviewed_store, fmt, path)
    target = imported_into_new_store(reviewed_store, path, tmp_path, fmt)
    want = verdicts_by_quote(reviewed_store)
    assert want[UNREVIEWED][1] is None and want["=1+1 was two"][1].rating == "true"
    assert verdicts_by_quote(target) == want
    target.close()


def test_the_table_columns_read_well_in_pandas(reviewed_store, tmp_path):
    import pandas as pd

    from annotator.services.exporting import export_annotations

    export_annotations(reviewed_store, "csv", tmp_path / "out.csv")
    export_annotations(reviewed_store, "xlsx", tmp_path / "out.xlsx")
    table = pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    sheet = pd.read_excel(tmp_path / "out.xlsx", sheet_name="annotations")
    for frame in (table, sheet):
        row = frame[frame["quote"] == "40 per cent of the claims were false"].iloc[0]
        assert row["verdict"] == "mostly false" and int(row["verdict_rating_value"]) == 3
        assert row["verdict_evidence"].split("\n") == REVIEWED["40 per cent of the claims were false"]["evidence"]
        assert row["verdict_date"] == "2026-03-01"
    # In the workbook the explanation is the text itself; in the CSV it carries the apostrophe.
    first = "40 per cent of the claims were false"
    assert sheet.set_index("quote").loc[first, "verdict_explanation"].startswith("=SUM(A1) is not evidence")
    assert table.set_index("quote").loc[first, "verdict_explanation"].startswith("'=SUM(A1) is not evidence")
    assert sheet.set_index("quote").loc["=1+1 was two", "verdict_rating_value"] == 6
    assert table.set_index("quote").loc[UNREVIEWED, "verdict"] == ""


def test_a_qdpx_read_without_annotators_sidecar_keeps_the_verdict_apart_from_the_note(reviewed_store, tmp_path):
    import zipfile

    from annotator.services.exporting import export_annotations

    path = tmp_path / "out.qdpx"
    export_annotations(reviewed_store, "qdpx", path)
    bare = tmp_path / "bare.qdpx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bare, "w") as dst:
        for item in src.infolist():
            if item.filename != "annotator.json":
                dst.writestr(item, src.read(item))
        project = src.read("project.qde").decode("utf-8")
    assert 'name="Verdict: mostly false"' in project and "Evidence: https://archive.example.org/x" in project
    target = imported_into_new_store(reviewed_store, bare, tmp_path, "qdpx")
    assert verdicts_by_quote(target) == verdicts_by_quote(reviewed_store)


def test_brat_shows_the_verdict_as_an_attribute_and_reads_it_without_the_json(reviewed_store, tmp_path):
    from annotator.services.exporting import export_annotations

    folder = tmp_path / "brat"
    export_annotations(reviewed_store, "brat", folder)
    conf = (folder / "annotation.conf").read_text(encoding="utf-8")
    assert "Verdict\tArg:<ENTITY>, Value:true|mostly_true|mixed|mostly_false|false|unverifiable" in conf
    (ann,) = folder.glob("*.ann")
    attributes = [line for line in ann.read_text(encoding="utf-8").splitlines() if line.startswith("A")]
    assert attributes == ["A1\tVerdict T1 mostly_false", "A2\tVerdict T2 true"]
    for companion in folder.glob("*.json"):
        companion.unlink()
    target = imported_into_new_store(reviewed_store, folder, tmp_path, "brat")
    got = verdicts_by_quote(target)
    assert got["40 per cent of the claims were false"][1] == Verdict(0, "mostly false")
    assert got["=1+1 was two"][1] == Verdict(0, "true") and got[UNREVIEWED][1] is None
