"""How well the source registry groups real sources into the people and organisations
they name: PolNeAR's gold source spans, labelled here with the entity each refers to.
Prints JSON.

    python benchmarks/eval_source_registry.py [--shared ../shared/eval] [--errors 10] [--predicted]

The gold: ``benchmarks/data/polnear_source_entities.tsv`` (article id, start, end, entity;
no article text: the texts stay in ``../shared/eval``). PolNeAR (``polnear_attribution_train``)
marks every attribution's source span but not who the source is. A fixed sample of its
development part (articles dated from 2016-08-01, see ``eval_suggest.polnear_split``; the
43 articles whose SHA-1 of the id sorts first, 776 distinct source spans, every source span
of each) was labelled by a project engineer by reading each article, before the registry's
grouping had been run on any of them (blind to its output). Guideline followed:

* A person or organisation gets a canonical name ("Donald Trump", "Clinton campaign", "FBI",
  "New York Times"), the same across articles for the same real-world entity.
* A title, a description, a possessive or a pronoun ("Mr. Trump's", "the Republican nominee",
  "he", "his wife", "who", "the candidate") gets the entity the article ties it to;
  a headline's word ("Republican seeks new Clinton inquiry") likewise.
* A campaign, an office or a newspaper is its own entity, apart from its person ("Clinton
  campaign" is not "Hillary Clinton", "Colin Powell's office" is not Colin Powell); a country
  acting as its government is one entity ("the German government", "Germany").
* A document (a poll, a report, a filing, a statement, a book) is its own entity, not its
  author's; mentions of the same document in an article share a label.
* A generic, plural or unresolvable source ("officials", "critics", "Republicans", "a source
  on the call", "both parents") is a singleton, ``~singleton:<article>:<start>``; a group or
  an unnamed person the article mentions again ("people briefed on the reshuffling" ... "they",
  "the RNC member" twice) shares an article-local label, ``~local:<article>:<letter>``.

The sample is split in two halves by article, fixed (sorted by the SHA-1 of ``registry:<id>``,
every other article):
"tune" (the grouping may be improved looking at it) and "report" (never looked at while
tuning). Each half is imported into its own temporary store as an analyst would have tagged
it (plain ``source`` annotations, no value and no links: PolNeAR ties no source to another),
and ``source_registry`` (what ``annotator sources`` and the window show) groups it.

Scores, over the half's mentions: B-cubed precision, recall and F1 (per mention: the share
of its predicted group that is its gold entity, the share of its gold entity that is in its
group), pairwise (mention pairs put together / that belong together), the number of
predicted groups and of gold entities; and per kind of mention: ``pronoun`` (he, she, they,
who, his ...), ``title+name`` (a title or role before a name: "Mr. Trump", "Sen. Joe
Lieberman"), ``named`` (a name of a gold entity: "Trump", "the Clinton campaign",
"WikiLeaks") and ``description`` (the rest: "the candidate", "officials", "The poll"); a
kind's B-cubed averages over its mentions, its pairwise counts the pairs with one of them.
``--errors N`` lists the N worst merges (predicted groups that join most gold entities) and
splits (gold entities spread over most groups). ``--predicted`` also groups the sources the
suggester proposes for the same articles (accepted as they come, with their values),
scoring those that overlap a gold source span (their gold entity is that span's).

Measured (December 2026; the grouping as it was before, then as tuned on "tune" only; the
suggester as committed then):

    half     spans  B-cubed F1       pair F1          on the suggester's sources: B-cubed F1, pair F1
    tune     414    0.728 -> 0.918   0.250 -> 0.851   (289 scored) 0.821 -> 0.910, 0.590 -> 0.812
    report   362    0.683 -> 0.911   0.333 -> 0.838   (250 scored) 0.766 -> 0.870, 0.460 -> 0.687
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.domain import NewArticle  # noqa: E402
from annotator.services.sources import source_registry  # noqa: E402
from annotator.store import open_store  # noqa: E402

GOLD = ROOT / "benchmarks" / "data" / "polnear_source_entities.tsv"
RECORDS = Path("polnear_attribution_train") / "records.jsonl"
PRONOUNS = frozenset("he she they him her them his hers their its it i we you me us our your who whom whose which that".split())
TITLE_WORDS = frozenset(
    """mr mrs ms dr sen senator rep representative gov governor president gen general adm ambassador attorney
    director chairman chairwoman secretary speaker judge justice minister chancellor mayor lt col colonel prof
    professor host spokesman spokeswoman journalist leader manager adviser co-founder""".split()
)
DETERMINERS = frozenset("the a an some many most several both other others another this these those one two three few".split())
_WORD = re.compile(r"[\w’'.-]+")


def halves(article_ids) -> dict[str, str]:
    """``{article id: "tune" or "report"}``: sorted by the SHA-1 of ``registry:<id>``, every
    other article."""
    ordered = sorted(article_ids, key=lambda a: hashlib.sha1(f"registry:{a}".encode()).hexdigest())
    return {a: ("tune", "report")[i % 2] for i, a in enumerate(ordered)}


def kind_of(quote: str, entity: str) -> str:
    """The kind of a mention, for the per-kind scores (read from its words and its gold entity)."""
    words = _WORD.findall(quote)
    if not words:
        return "description"
    if quote.strip().lower() in PRONOUNS:
        return "pronoun"
    head = quote.split(",")[0]
    head_words = _WORD.findall(head)
    for i, w in enumerate(head_words[:-1]):
        if w.rstrip(".").lower() in TITLE_WORDS and head_words[i + 1][:1].isupper():
            return "title+name"
    if not entity.startswith("~") and words[0][:1].isupper() and words[0].lower() not in DETERMINERS:
        return "named"
    if not entity.startswith("~") and words[0].lower() == "the" and len(words) > 1 and words[1][:1].isupper():
        return "named"
    return "description"


def load_gold(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    gold: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            article, start, end, entity = line.rstrip("\n").split("\t")
            gold[article].append((int(start), int(end), entity))
    return gold


def build_store(folder: Path, records: list[dict], spans: dict[str, list[tuple[int, int, str]]]):
    """A store with the articles and ``spans[article] = [(start, end, value)]`` as source
    annotations; returns it and ``{annotation id: (article, start, end)}``."""
    store = open_store(folder / "registry.db")
    for name, key in (("claim", "1"), ("source", "2"), ("figure", "3")):
        if store.tag_by_name(name) is None:
            store.insert_tag(name, "#16A34A", key)
    tag = store.tag_by_name("source").id
    where: dict[int, tuple[str, int, int]] = {}
    for r in records:
        article_id, _ = store.insert_article(NewArticle(
            title=r["id"], text=r["text"], outlet=r["publisher"], published=r["date"]))
        for s, e, value in spans[r["id"]]:
            a = store.insert_annotation(article_id, tag, s, e, r["text"][s:e], value=value, annotator="eval")
            where[a.id] = (r["id"], s, e)
    return store, where


def _pairs_within(groups, inside: set, gold_of: dict) -> tuple[int, int]:
    """Mention pairs in the same group with at least one mention ``inside``, and how many of
    them are of one gold entity."""
    count = same = 0
    for group in groups:
        ms = sorted(group)
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                if a in inside or b in inside:
                    count += 1
                    same += gold_of[a] == gold_of[b]
    return count, same


def score(gold_of: dict, pred_of: dict, kinds: dict) -> dict:
    """B-cubed and pairwise scores of ``pred_of`` (mention -> group) against ``gold_of``."""
    mentions = list(gold_of)
    gold_sets: dict[str, set] = defaultdict(set)
    pred_sets: dict[object, set] = defaultdict(set)
    for m in mentions:
        gold_sets[gold_of[m]].add(m)
        pred_sets[pred_of[m]].add(m)

    def b3(subset):
        if not subset:
            return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "mentions": 0}
        p = r = 0.0
        for m in subset:
            g, q = gold_sets[gold_of[m]], pred_sets[pred_of[m]]
            both = len(g & q)
            p += both / len(q)
            r += both / len(g)
        p, r = p / len(subset), r / len(subset)
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0, 4),
                "mentions": len(subset)}

    def pairs(subset):
        inside = set(subset)
        pred_pairs, tp = _pairs_within(pred_sets.values(), inside, gold_of)
        gold_pairs, _ = _pairs_within(gold_sets.values(), inside, gold_of)
        p = tp / pred_pairs if pred_pairs else 0.0
        r = tp / gold_pairs if gold_pairs else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0, 4),
                "pairs_predicted": pred_pairs, "pairs_gold": gold_pairs}

    by_kind = defaultdict(list)
    for m in mentions:
        by_kind[kinds[m]].append(m)
    return {
        "mentions": len(mentions),
        "groups": len(pred_sets),
        "gold_entities": len(gold_sets),
        "gold_named_entities": sum(1 for g in gold_sets if not g.startswith("~")),
        "b_cubed": b3(mentions),
        "pairwise": pairs(mentions),
        "per_kind": {k: {"b_cubed": b3(v), "pairwise": pairs(v)} for k, v in sorted(by_kind.items())},
    }


def errors_of(gold_of: dict, pred_of: dict, names: dict, quotes: dict, n: int) -> dict:
    """The worst merges (a group's wrongly joined pairs) and splits (an entity's missed pairs)."""
    gold_sets, pred_sets = defaultdict(list), defaultdict(list)
    for m in gold_of:
        gold_sets[gold_of[m]].append(m)
        pred_sets[pred_of[m]].append(m)

    def wrong_pairs(counts: Counter) -> int:
        total = sum(counts.values())
        return (total * total - sum(c * c for c in counts.values())) // 2

    merges = []
    for group, ms in pred_sets.items():
        counts = Counter(gold_of[m] for m in ms)
        if len(counts) > 1:
            merges.append({"group": names[group], "mentions": len(ms), "wrong_pairs": wrong_pairs(counts),
                           "entities": [f"{e} ×{c}: {', '.join(sorted({quotes[m] for m in ms if gold_of[m] == e})[:4])}"
                                        for e, c in counts.most_common(6)]})
    splits = []
    for entity, ms in gold_sets.items():
        counts = Counter(pred_of[m] for m in ms)
        if len(counts) > 1:
            splits.append({"entity": entity, "mentions": len(ms), "missed_pairs": wrong_pairs(counts),
                           "groups": [f"{names[g]} ×{c}: {', '.join(sorted({quotes[m] for m in ms if pred_of[m] == g})[:4])}"
                                      for g, c in counts.most_common(6)]})
    merges.sort(key=lambda x: -x["wrong_pairs"])
    splits.sort(key=lambda x: -x["missed_pairs"])
    return {"merges": merges[:n], "splits": splits[:n]}


def group_half(records: list[dict], spans: dict, entity_of, errors: int) -> dict:
    """Import, group with the registry, score. ``entity_of(article, start, end)`` gives a
    mention's gold entity, or None when it has none (not scored)."""
    with tempfile.TemporaryDirectory() as tmp:
        store, where = build_store(Path(tmp), records, spans)
        t0 = time.perf_counter()
        entries = source_registry(store)
        seconds = time.perf_counter() - t0
        store.close()
    gold_of, pred_of, kinds, quotes, names = {}, {}, {}, {}, {}
    texts = {r["id"]: r["text"] for r in records}
    for i, entry in enumerate(entries):
        names[i] = entry.name
        for m in entry.mentions:
            place = where[m.annotation_id]
            entity = entity_of(*place)
            if entity is None:
                continue
            gold_of[place], pred_of[place] = entity, i
            quotes[place] = texts[place[0]][place[1]:place[2]]
            kinds[place] = kind_of(quotes[place], entity)
    out = score(gold_of, pred_of, kinds) | {"articles": len(records), "registry_seconds": round(seconds, 3)}
    if errors:
        out["errors"] = errors_of(gold_of, pred_of, names, quotes, errors)
    return out


def predicted_spans(records: list[dict]) -> dict[str, list[tuple[int, int, str]]]:
    """The suggester's sources for each article, with their values (kind, the quote a pronoun
    refers to), as accepting them all stores them."""
    from annotator.suggest import suggest

    return {r["id"]: [(s.start, s.end, s.value) for s in suggest(r["text"], ("source",))] for r in records}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--predicted", action="store_true", help="also group the suggester's sources")
    parser.add_argument("--half", choices=("tune", "report", "both"), default="both")
    args = parser.parse_args(argv)
    path = args.shared / RECORDS
    if not path.exists():
        print(json.dumps({"skipped": f"{path} not found"}))
        return 0
    gold = load_gold(GOLD)
    with path.open(encoding="utf-8") as fh:
        records = {r["id"]: r for r in map(json.loads, fh) if r["id"] in gold}
    missing = sorted(set(gold) - set(records))
    if missing:
        print(json.dumps({"error": f"{path}: gold articles not found: {missing[:3]}"}))
        return 1
    for article, spans in gold.items():
        text = records[article]["text"]
        for s, e, _ in spans:
            if not 0 <= s < e <= len(text):
                print(json.dumps({"error": f"{GOLD}: span {s}-{e} outside article {article}"}))
                return 1
    entities = {(a, s, e): ent for a, spans in gold.items() for s, e, ent in spans}
    out: dict = {"gold": str(GOLD.relative_to(ROOT)), "articles": len(gold), "mentions": len(entities)}
    half_of = halves(gold)
    for half in ("tune", "report"):
        if args.half not in (half, "both"):
            continue
        part = [records[a] for a in sorted(gold) if half_of[a] == half]
        spans = {r["id"]: [(s, e, "") for s, e, _ in gold[r["id"]]] for r in part}
        out[half] = group_half(part, spans, lambda a, s, e: entities[(a, s, e)], args.errors)
        if args.predicted:
            by_article = {r["id"]: sorted(gold[r["id"]]) for r in part}

            def overlapping(a, s, e, by_article=by_article):
                best = max(((min(e, ge) - max(s, gs), ent) for gs, ge, ent in by_article[a] if gs < e and s < ge),
                           default=None)
                return best[1] if best else None

            pred = predicted_spans(part)
            res = group_half(part, pred, overlapping, args.errors)
            res["suggested_sources"] = sum(map(len, pred.values()))
            out[f"{half}_predicted"] = res
    print(json.dumps(out, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
