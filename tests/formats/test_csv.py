"""CSV export contract: every value read back (csv module and pandas) equals the
database, offsets are code points, cells are spreadsheet-safe, RFC 4180 framing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from annotator.cli import cli
from annotator.domain import CONTEXT_CHARS, VERDICT_SCALE, NewArticle
from annotator.formats.csv import CSV_COLUMNS
from annotator.formats.safety import FORMULA_STARTS, neutralise, restore
from annotator.services.exchange import plan_import
from annotator.services.exporting import export_csv
from annotator.services.verdicts import get_verdict, set_verdict
from annotator.store import open_store

ARTICLE_TEXTS = [
    # Astral emoji (skin tone, ZWJ family, flag) before every span.
    "👍🏽👩‍👩‍👧‍👦🇺🇦 Crowds gathered. The minister wrote =HYPERLINK(\"x\") in a post, "
    "called +1 and @x, and said prices fell -3% while\tfoo stayed. "
    "He added \"we will, of course, win\" later.\n"
    "Second line, with commas, and a café (cafe\u0301) here.",
    # Right-to-left text with digits and a Latin tail.
    "قال المتحدث الرسمي إن 12 شخصا أصيبوا. ثم أضاف: \"لن نتراجع\". English tail 🚀 end.",
    # A span at the very start and one at the very end.
    "-5 degrees overnight, the forecaster said: =1+1",
]

QUOTES = [
    (0, "claim", "=HYPERLINK(\"x\")", "note, with \"quotes\"\nand a second line"),
    (0, "figure", "+1", "=SUM(A1:A9)"),
    (0, "source", "@x", "@handle"),
    (0, "figure", "-3%", "-3%"),
    (0, "claim", "\tfoo", "\ttab note"),
    (0, "claim", "\"we will, of course, win\"", "'=already escaped"),
    (0, "claim", "Second line, with commas", "'plain apostrophe"),
    (0, "claim", "cafe\u0301", "combining mark\r\nCRLF note"),
    (0, "claim", "Crowds gathered.", ""),
    (1, "source", "المتحدث الرسمي", "ملاحظة"),
    (1, "figure", "12", "+44 20 7946 0000"),
    (1, "claim", "\"لن نتراجع\"", "-"),
    (2, "figure", "-5 degrees", "-1e5"),
    (2, "claim", "=1+1", "+"),
]

# Verdicts on two claims, with cells a spreadsheet would run and several evidence links.
VERDICTS = {
    "=HYPERLINK(\"x\")": dict(
        rating="mostly false", explanation="=1+1, said the ministry; the data say 3.\nSecond line.",
        evidence=["https://stats.example.org/a?b=1&c=2", "https://archive.example.org/x"],
        reviewer="+rosa", date="2026-03-01",
    ),
    "=1+1": dict(rating="true", explanation="", evidence=[], reviewer="", date="2026-03-02"),
}


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "hard.db"
    store = open_store(path)
    tags = {
        name: store.insert_tag(name, colour, key)
        for name, colour, key in [("claim", "#3B82F6", "1"), ("source", "#16A34A", "2"), ("figure", "#E11D48", "3")]
    }
    ids = [
        store.insert_article(NewArticle(title=title, text=text, url=url))[0]
        for title, text, url in zip(
            ["=Emoji, \"quotes\" & commas", "تقرير عربي", "-Weather"],
            ARTICLE_TEXTS,
            ["https://example.org/a?x=1&y=2", "", "=cmd|' /C calc'!A0"],
        )
    ]
    for index, tag, quote, note in QUOTES:
        start, end = _span(ARTICLE_TEXTS[index], quote)
        added = store.insert_annotation(
            ids[index], tags[tag].id, start, end, quote, note=note, annotator="@nadia" if index else "nadia"
        )
        if quote in VERDICTS:
            set_verdict(store, annotation_id=added.id, **VERDICTS[quote])
    store.close()
    return path


def expected_rows(path: Path) -> list[list]:
    """What every exported row must say, computed from the database in Python."""
    store = open_store(path)
    try:
        tags = {t.id: t.name for t in store.list_tags()}
        rows = []
        for article in store.iter_articles():
            notes = store.list_annotations(article.id)
            quotes = {a.id: a.quote for a in notes}
            sources = {f: t for f, t, kind in store.list_links(article.id) if kind == "source"}
            for a in notes:
                assert article.text[a.start : a.end] == a.quote
                source = sources.get(a.id)
                verdict = get_verdict(store, a.id)
                rows.append([
                    article.id, article.title, article.url, tags[a.tag_id], a.start, a.end, a.quote, a.note,
                    a.annotator, a.created, a.updated,
                    article.text[max(0, a.start - CONTEXT_CHARS) : a.start], article.text[a.end : a.end + CONTEXT_CHARS],
                    str(a.id), "" if source is None else str(source), quotes.get(source, ""),
                    *(["", "", "", "", "", ""] if verdict is None else [
                        verdict.rating, str(len(VERDICT_SCALE) - VERDICT_SCALE.index(verdict.rating)),
                        verdict.explanation, "\n".join(verdict.evidence), verdict.reviewer, verdict.date,
                    ]),
                ])
        return rows
    finally:
        store.close()


def check_cells_are_safe(records: list[list[str]]) -> None:
    for record in records:
        for cell in record:
            if cell.startswith(FORMULA_STARTS):
                assert cell in {"-3%", "+1", "-1e5", "-5"}, f"formula cell not neutralised: {cell!r}"


def check_records(records: list[list[str]], path: Path) -> None:
    """Compare parsed CSV records (strings) with the database, value by value."""
    assert records[0] == list(CSV_COLUMNS)
    body = records[1:]
    check_cells_are_safe(body)
    want = expected_rows(path)
    assert len(body) == len(want) == len(QUOTES)
    texts = {i + 1: t for i, t in enumerate(ARTICLE_TEXTS)}
    for got, exp in zip(body, want):
        restored = [restore(cell) for cell in got]
        assert int(got[0]) == exp[0] and int(got[4]) == exp[4] and int(got[5]) == exp[5]
        assert restored[1:4] == exp[1:4]
        assert restored[6:] == exp[6:], f"row for {exp[6]!r}"
        start, end = int(got[4]), int(got[5])
        assert texts[int(got[0])][start:end] == restored[6]


def test_export_via_service_reads_back_with_csv_module(db, tmp_path):
    out = tmp_path / "out.csv"
    store = open_store(db)
    assert export_csv(store, out) == len(QUOTES)
    store.close()
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh))
    check_records(records, db)
    # Spot checks a person would make in a spreadsheet.
    by_quote = {restore(r[6]): r for r in records[1:]}
    assert by_quote["-3%"][6] == "-3%" and by_quote["-3%"][7] == "-3%"
    assert by_quote["=HYPERLINK(\"x\")"][6] == "'=HYPERLINK(\"x\")"
    assert by_quote["+1"][7] == "'=SUM(A1:A9)"
    assert by_quote["\tfoo"][6] == "'\tfoo"
    assert by_quote["@x"][6] == "'@x"
    assert by_quote["12"][8] == "'@nadia"
    # Offsets are code points: the emoji before the span count one per code point.
    first = ARTICLE_TEXTS[0]
    assert int(by_quote["=HYPERLINK(\"x\")"][4]) == first.index("=HYPERLINK")
    assert by_quote["Crowds gathered."][11] == "👍🏽👩‍👩‍👧‍👦🇺🇦 "
    assert by_quote["Crowds gathered."][12].startswith(" The minister wrote")
    # The verdict columns: rating, its place on the scale (1 = worst of 6), cells neutralised.
    col = {name: i for i, name in enumerate(CSV_COLUMNS)}
    reviewed = by_quote["=HYPERLINK(\"x\")"]
    assert reviewed[col["verdict"]] == "mostly false" and reviewed[col["verdict_rating_value"]] == "3"
    assert reviewed[col["verdict_explanation"]].startswith("'=1+1, said the ministry")
    assert reviewed[col["verdict_evidence"]] == "https://stats.example.org/a?b=1&c=2\nhttps://archive.example.org/x"
    assert reviewed[col["verdict_reviewer"]] == "'+rosa" and reviewed[col["verdict_date"]] == "2026-03-01"
    assert by_quote["=1+1"][col["verdict_rating_value"]] == "6"
    assert by_quote["Crowds gathered."][col["verdict"]:] == [""] * 6


def test_export_reads_back_with_pandas(db, tmp_path):
    out = tmp_path / "out.csv"
    store = open_store(db)
    export_csv(store, out)
    store.close()
    frame = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(frame.columns) == list(CSV_COLUMNS)
    records = [list(CSV_COLUMNS)] + frame.astype(str).values.tolist()
    check_records(records, db)


def test_rfc4180_framing(db, tmp_path):
    out = tmp_path / "out.csv"
    store = open_store(db)
    export_csv(store, out, bom=False)
    store.close()
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    assert text.endswith("\r\n")
    # Every record ends in CRLF; a bare LF or CR occurs only inside a quoted field.
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert len(records) == len(QUOTES) + 1
    assert text.count("\r\n") == len(records) + sum(
        cell.count("\r\n") for record in records for cell in record
    )
    embedded = '"note, with ""quotes""\nand a second line"'
    assert embedded in text


def test_export_of_one_article(db, tmp_path):
    out = tmp_path / "one.csv"
    store = open_store(db)
    assert export_csv(store, out, article_ids=[2]) == sum(1 for q in QUOTES if q[0] == 1)
    store.close()
    with open(out, encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh))
    assert {r[0] for r in records[1:]} == {"2"}


def test_failed_export_leaves_no_file(db, tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("previous export")
    store = open_store(db)

    def cancelled() -> bool:
        raise KeyboardInterrupt

    rows = list(store.iter_export_rows()) * 400  # enough rows to reach a progress check
    store.iter_export_rows = lambda article_ids=None: iter(rows)  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        export_csv(store, out, cancelled=cancelled)
    store.close()
    assert out.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


# -- through the command line ------------------------------------------------


def run(*args: str, **kw):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kw)


def test_cli_export_to_file_and_stdout(db, tmp_path):
    out = tmp_path / "cli.csv"
    result = run("export", "--db", str(db), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    with_bom = out.read_bytes()
    assert with_bom.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        check_records(list(csv.reader(fh)), db)

    result = run("export", "--db", str(db), "-o", str(out), "--no-bom")
    assert result.exit_code == 0
    assert out.read_bytes() == with_bom[3:]

    result = run("export", "--db", str(db))
    assert result.exit_code == 0
    assert result.stdout_bytes == with_bom[3:]  # no BOM in pipelines unless asked
    result = run("export", "--db", str(db), "--bom")
    assert result.stdout_bytes == with_bom


def test_cli_export_uses_annotator_db_variable(db, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_DB", str(db))
    result = run("export", "--article", "3")
    assert result.exit_code == 0
    records = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert [restore(r[6]) for r in records[1:]] == ["-5 degrees", "=1+1"]


def test_cli_export_of_missing_article_fails_clearly(db):
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--article", "99"])
    assert result.exit_code != 0
    assert "no article with id 99" in result.output


def test_cli_export_to_a_missing_folder_fails_clearly(db, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "-o", str(tmp_path / "nope" / "x.csv")])
    assert result.exit_code != 0
    assert "Cannot write" in result.output and "Traceback" not in result.output


# -- the escaping itself ---------------------------------------------------


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r0123456789.,%eE abc"), max_size=12) | st.text(max_size=12))
def test_neutralise_is_safe_and_restore_is_its_inverse(cell):
    safe = neutralise(cell)
    assert restore(safe) == cell
    if safe.startswith(FORMULA_STARTS):
        # Only plain numbers may start with a sign: a spreadsheet reads them as numbers.
        assert safe == cell and any(ch.isdigit() for ch in cell)
        assert all(ch in "+-0123456789.,%eE" for ch in cell)


@pytest.mark.parametrize("cell", ["-3%", "+1", "-1,200.5", "12", "-0.5", "+44"])
def test_plain_numbers_stay_readable(cell):
    assert neutralise(cell) == cell


@pytest.mark.parametrize("cell", ["=1+1", "-2+3", "+A1", "@SUM(A1)", "\t=1", "\r=1", "-", "+", "=", "-cmd|' /C calc'!A0",
                                  "\n=1+1", "\uff1dHYPERLINK(\"http://evil\")", "\uff0bA1", "\uff20SUM(A1)"])
def test_formulas_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell


def test_every_text_column_of_the_articles_csv_is_neutralised(tmp_path):
    store = open_store(tmp_path / "a.db")
    store.insert_article(NewArticle(
        title="=HYPERLINK(\"http://evil\")", text="Some text.", outlet="+cmd", author="@me",
        url="-x", published="=HYPERLINK(\"http://evil\",\"2026\")",
    ))
    store.close()
    result = run("articles", "--db", str(tmp_path / "a.db"), "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.output)))
    header, row = rows[0], rows[1]
    for column in ("title", "outlet", "author", "url", "published"):
        assert row[header.index(column)].startswith("'"), column


def test_a_cell_longer_than_the_csv_modules_limit_imports(tmp_path):
    note = "n" * 200_000
    store = open_store(tmp_path / "a.db")
    tag = store.insert_tag("claim", "#3B82F6")
    article_id, _ = store.insert_article(NewArticle(title="t", text="A long note here."))
    store.insert_annotation(article_id, tag.id, 2, 6, "long", note=note)
    out = tmp_path / "o.csv"
    export_csv(store, out)
    target = open_store(tmp_path / "b.db")
    target.insert_article(NewArticle(title="t", text="A long note here."))
    plan = plan_import(target, [out])
    assert plan.errors == [] and [a.note for a in plan.annotations] == [note]


@pytest.mark.parametrize("raw", ["²", "①", "9" * 5000, "٣"])
def test_article_ids_that_are_not_ascii_digits_do_not_crash(tmp_path, raw):
    path = tmp_path / "ids.csv"
    path.write_text(f"article_id,tag,start,end,quote\n{raw},claim,2,6,long\n{raw},claim,{raw},6,long\n", encoding="utf-8")
    target = open_store(tmp_path / "b.db")
    target.insert_article(NewArticle(title="t", text="A long note here."))
    plan = plan_import(target, [path])
    assert len(plan.annotations) == 1 and plan.annotations[0].quote == "long"
    assert len(plan.errors) == 1 and "row 3" in plan.errors[0] and "whole numbers" in plan.errors[0]
