"""Issue 14 on real data, printed as JSON.

1. PolNeAR attributions (source and content spans linked per attribution): stored as
   source/claim annotations with claim -> source links (and each number inside a claim
   as a figure, nested in it), exported as CSV, xlsx, REFI-QDA
   and HTML; counted: links each table/project carries back on import, HTML "Said by"
   lines, and HTML highlight colours that are not in the article's legend.
2. trafilatura's evaluation pages: imported as the window does (furniture removed), then
   every removed line restored through the service the Properties dialog calls; counted:
   articles restored, refused (and why), and must-contain snippets still present.

    python benchmarks/eval_first_hour.py [EVAL_DIR] [ARTICLES]
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.domain import NewArticle  # noqa: E402
from annotator.ingest import IngestError, read_path  # noqa: E402
from annotator.services.articles import restore_removed_lines  # noqa: E402
from annotator.services.exchange import apply_import, plan_import  # noqa: E402
from annotator.services.exporting import export_annotations  # noqa: E402
from annotator.store import StoreError, open_store  # noqa: E402

EVAL = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "eval"
ARTICLES = int(sys.argv[2]) if len(sys.argv) > 2 else 100
COLOURS = {"claim": "#3B82F6", "source": "#F59E0B", "figure": "#10B981"}
NUMBER = re.compile(r"\d[\d,.]*%?")


def _store(path):
    store = open_store(path)
    for name, colour in COLOURS.items():
        if store.tag_by_name(name) is None:
            store.insert_tag(name, colour)
    return store


def attribution(tmp: Path) -> dict:
    records = [json.loads(line) for line in (EVAL / "polnear_attribution_train" / "records.jsonl").open()][:ARTICLES]
    store = _store(tmp / "polnear.db")
    texts = {}
    links = 0
    for r in records:
        article_id, _ = store.insert_article(NewArticle(title=r["id"], text=r["text"]))
        texts[article_id] = r["text"]
        tags = {name: store.tag_by_name(name).id for name in COLOURS}
        by_attr: dict[str, dict[str, int]] = {}
        seen = {}
        for s in r["spans"]:
            tag = {"source": "source", "content": "claim"}.get(s["label"])
            if tag is None:
                continue
            key = (tag, s["start"], s["end"])
            if key not in seen:
                seen[key] = store.insert_annotation(article_id, tags[tag], s["start"], s["end"], s["text"]).id
            by_attr.setdefault(s["attribution"], {})[tag] = seen[key]
            if tag == "claim":  # numbers inside a claim as figures: a figure nested in a claim
                for m in NUMBER.finditer(s["text"]):
                    key = ("figure", s["start"] + m.start(), s["start"] + m.end())
                    if key not in seen:
                        seen[key] = store.insert_annotation(article_id, tags["figure"], key[1], key[2], m.group()).id
        made = set()
        for ends in by_attr.values():
            if "claim" in ends and "source" in ends and ends["claim"] not in made:
                store.insert_link(ends["claim"], ends["source"], "source")
                made.add(ends["claim"])
                links += 1
    out: dict = {"articles": len(records), "annotations": store.count_annotations(), "claims_linked": links}
    for fmt in ("csv", "xlsx", "qdpx"):
        path = tmp / f"polnear.{fmt}"
        export_annotations(store, fmt, path)
        other = _store(tmp / f"back-{fmt}.db")
        if fmt != "qdpx":
            for text in texts.values():
                other.insert_article(NewArticle(title="", text=text))
        plan = plan_import(other, [path])
        apply_import(other, plan)
        out[f"{fmt}_links_back"] = len(other.list_links())
        out[f"{fmt}_annotations_back"] = other.count_annotations()
        out[f"{fmt}_errors"] = len(plan.errors)
        other.close()
    page = tmp / "polnear.html"
    export_annotations(store, "html", page)
    html = page.read_text(encoding="utf-8")
    off_legend = drawn_total = 0
    for section in html.split("<section ")[1:]:
        legend = re.search(r'<p class="legend">(.*?)</p>', section)
        allowed = set(re.findall(r"background-color: (#[0-9a-f]{6})", legend.group(1))) if legend else set()
        text = re.search(r'<div class="text">(.*?)</div>', section, re.S).group(1)
        drawn = re.findall(r"background-color: (#[0-9a-f]{6})", text)
        drawn_total += len(drawn)
        off_legend += sum(1 for c in drawn if c not in allowed)
    out["html_said_by"] = html.count('<div class="said">Said by')
    out["html_highlights"] = drawn_total
    out["html_highlights_off_legend"] = off_legend
    store.close()
    return out


def restoring(tmp: Path) -> dict:
    store = _store(tmp / "pages.db")
    folder = EVAL / "trafilatura_eval"
    outcome: Counter = Counter()
    lines = kept = snippets = before = 0
    for r in map(json.loads, (folder / "records.jsonl").open()):
        try:
            article = read_path(folder / r["html_file"])
        except IngestError:
            outcome["not imported"] += 1
            continue
        article_id, created = store.insert_article(article)
        if not created:
            outcome["duplicate"] += 1
            continue
        removed = store.removed_lines(article_id)
        if not removed:
            outcome["nothing removed"] += 1
            continue
        flat = " ".join(store.get_article(article_id).text.split())
        before += sum(1 for s in r["must_contain"] if " ".join(s.split()) in flat)
        try:
            restore_removed_lines(store, article_id=article_id, lines=removed)
        except StoreError as error:
            outcome["refused: " + str(error).split(":")[0][:60]] += 1
            continue
        outcome["restored"] += 1
        lines += len(removed)
        text = " ".join(store.get_article(article_id).text.split())
        snippets += len(r["must_contain"])
        kept += sum(1 for s in r["must_contain"] if " ".join(s.split()) in text)
        assert all(" ".join(line.split()) in text for line in removed)
    store.close()
    return {"pages": sum(outcome.values()), "outcome": dict(outcome), "lines_restored": lines,
            "must_contain_present_before_restore": f"{before}/{snippets}",
            "must_contain_present_after_restore": f"{kept}/{snippets}"}


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps({"attribution": attribution(Path(tmp)), "restore_removed_lines": restoring(Path(tmp))},
                         indent=1))
