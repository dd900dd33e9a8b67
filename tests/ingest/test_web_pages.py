"""Saved web pages and clipboard HTML."""

import gzip

import pytest

from annotator.ingest import IngestError, read_clipboard, read_path

PARAS = [
    "The city council approved a plan on Tuesday to build 2,000 affordable homes by 2030, ending months of debate.",
    "Mayor Ana Ruiz said the vote was \u201ca turning point for families priced out of the centre\u201d.",
    "Opponents argued that the plan would cost \u20ac450 million and strain schools that are already full.",
    "The first sites will be chosen in the spring, according to the planning department.",
]

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Council approves housing plan | The Daily Ledger</title>
<meta property="og:title" content="Council approves housing plan">
<meta property="og:site_name" content="The Daily Ledger">
<meta name="author" content="Maria Lopez">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<link rel="canonical" href="https://ledger.example.com/news/housing-plan">
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Council approves housing plan</h1>
{paras}
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Celebrity wedding pictures</a></li><li><a href="/b">Weather warning for weekend</a></li></ul></aside>
<footer><p>Copyright 2024 The Daily Ledger. All rights reserved.</p><p>Subscribe to our newsletter for daily updates</p></footer>
</body></html>
"""


def page(paras=PARAS) -> str:
    return PAGE.format(paras="\n".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paras))


def test_article_and_metadata(tmp_path):
    path = tmp_path / "housing.html"
    path.write_text(page(), encoding="utf-8")
    article = read_path(path)
    for p in PARAS:
        assert p in article.text
    for furniture in ("Celebrity wedding", "All rights reserved", "Subscribe to our newsletter", "Sport"):
        assert furniture not in article.text
    assert article.title == "Council approves housing plan"
    assert article.outlet == "The Daily Ledger"
    assert article.author == "Maria Lopez"
    assert article.published == "2024-03-05"
    assert article.url == "https://ledger.example.com/news/housing-plan"
    assert article.source_format == "html"


def test_gzipped_page(tmp_path):
    path = tmp_path / "housing.html.gz"
    path.write_bytes(gzip.compress(page().encode("utf-8")))
    article = read_path(path)
    assert PARAS[1] in article.text
    assert article.original_name == "housing.html.gz"


def test_page_in_legacy_encoding(tmp_path):
    html = page().replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    path = tmp_path / "legacy.htm"
    path.write_bytes(html.encode("cp1252"))
    assert PARAS[1] in read_path(path).text


def test_truncated_page(tmp_path):
    html = page()
    path = tmp_path / "cut.html"
    path.write_text(html[: len(html) // 2], encoding="utf-8")
    with pytest.raises(IngestError) as info:
        read_path(path)
    assert str(info.value) == "cut.html: the page is truncated: it ends before </html>; save the page again"


def test_page_without_article(tmp_path):
    path = tmp_path / "front.html"
    path.write_text(
        "<html><head><title>Front page</title></head><body><nav><a href='/'>Home</a>"
        "<a href='/a'>World</a></nav><div class='promo'>Sign in</div></body></html>"
    )
    with pytest.raises(IngestError, match=r"^front.html: no article text found"):
        read_path(path)


def test_html_that_is_not_html(tmp_path):
    path = tmp_path / "fake.html"
    path.write_text("just some words, not a page at all\n" * 3)
    with pytest.raises(IngestError, match=r"^fake.html: this is not HTML"):
        read_path(path)


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "broken.html.gz"
    path.write_bytes(gzip.compress(page().encode())[:-40])
    with pytest.raises(IngestError, match=r"^broken.html.gz: this gzip file is corrupt or truncated"):
        read_path(path)


def test_boilerplate_rules_apply_to_page_text(tmp_path):
    path = tmp_path / "ad.html"
    path.write_text(page(PARAS[:2] + ["Advertisement"] + PARAS[2:]), encoding="utf-8")
    article = read_path(path)
    assert "Advertisement" not in article.text.split("\n")
    assert "Advertisement" in article.removed_lines
    kept = read_path(path, keep_boilerplate=True)
    assert "Advertisement" in kept.text.split("\n")
    assert kept.removed_lines == []


def test_clipboard_html_fragment():
    html = (
        "<p>Copied first paragraph about the <b>budget</b> vote.</p><div>Advertisement</div>"
        "<p>Second paragraph.</p><ul><li>one</li><li>two</li></ul>"
    )
    article = read_clipboard(html, "ignored plain text")
    assert "Copied first paragraph about the budget vote." in article.text
    assert "Advertisement" in article.removed_lines
    assert article.source_format.startswith("clipboard")


def test_clipboard_whole_page_extracted():
    article = read_clipboard(page(), None)
    assert PARAS[0] in article.text
    assert article.outlet == "The Daily Ledger"
    assert "Celebrity wedding" not in article.text


def test_clipboard_plain_text_fallback():
    article = read_clipboard(None, "Headline\r\n\r\nSubscribe now\r\nText of the story.")
    assert article.text == "Headline\n\nText of the story."
    assert article.removed_lines == ["Subscribe now"]


def test_empty_clipboard():
    with pytest.raises(IngestError, match="^clipboard: the clipboard holds no text"):
        read_clipboard("", "   ")


def test_paragraphs_are_separated_by_blank_lines_and_lists_stay_tight(tmp_path):
    path = tmp_path / "list.html"
    path.write_text(page(PARAS[:2] + ["<ul><li>First point of the plan</li><li>Second point of the plan</li></ul>"] + PARAS[2:]))
    text = read_path(path).text
    assert f"{PARAS[0]}\n\n{PARAS[1]}\n\n" in text
    assert "- First point of the plan\n- Second point of the plan" in text


def test_malformed_html(tmp_path):
    path = tmp_path / "broken.htm"
    path.write_text("<!-- a page that is only a comment, <p>never closed -->")
    with pytest.raises(IngestError, match=r"^broken.htm: the HTML is malformed"):
        read_path(path)


def test_html_fragment_file(tmp_path):
    path = tmp_path / "fragment.html"
    path.write_text("".join(f"<p>{p}</p>" for p in PARAS))
    assert read_path(path).text == "\n\n".join(PARAS)
