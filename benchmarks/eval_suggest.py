"""Precision, recall and F1 of the suggesters against gold spans; prints JSON.

Gold is JSONL, one record a line: ``{"text": ..., "spans": [{"start", "end", "label"}]}``
with code-point offsets, end exclusive. ``--map`` turns gold labels into the
suggestion tags (``--map currency=figure,number=figure``); labels that map to
nothing are ignored, and only tags that occur in the mapped gold are scored
unless ``--tags`` says otherwise.

Matching:
  exact    a suggestion counts when start, end and tag equal a gold span's;
  overlap  suggestions and gold spans of the same tag that share at least one
           character are paired one to one (largest overlap first).
``--level record`` scores each record as a whole instead (does it contain any
span of the tag?), which is how sentence-level labels such as CLEF 2018's
check-worthiness are compared.

Without arguments the standard suite runs: the English figure sets and CLEF
2018 from ``--shared`` (default ``../shared/eval`` beside the checkout), PolNeAR's
political news (see below) and the project's fully annotated fixtures in
``tests/suggest/fixtures``.

PolNeAR (``polnear_attribution_train``, 839 US political news articles annotated for
attribution) is split once, by date, before any tuning: articles dated from
``POLNEAR_DEV_FROM`` on (August and September 2016, 97 articles, every publisher) are
the development part, never tuned on; the rest is the fit part. Gold "source" spans
are sources, "content" spans are claims; a discontinuous span (several fragments of one
attribution) is one gold item, overlapped by a suggestion that overlaps any fragment
and matched exactly by one equal to a fragment or to the whole stretch. Claims are
scored twice: all claims, and ``claim_attributed`` (quotes and reported speech only,
the ones with a source), since PolNeAR annotates attributions, not unattributed facts.
``overlap_pieces`` scores the same pairs, but a suggestion that marks a further fragment of a
discontinuous gold item already paired ('“We won,” she said. “They know it.”', one annotation in
two fragments that contiguous suggestions give as two claims) is not a false alarm: it raises
precision only, recall is the overlap recall. Both parts are also scored per publisher. ``--polnear dev|fit|both|none`` chooses;
``--polnear holdout`` scores the fit part's last month (from ``POLNEAR_HOLDOUT_FROM``), on
which the tagger's settings are chosen with weights fitted before it (``--model``).

    python benchmarks/eval_suggest.py
    python benchmarks/eval_suggest.py gold.jsonl --map currency=figure,number=figure
    python benchmarks/eval_suggest.py clef.jsonl --map claim=claim --level record
    python benchmarks/eval_suggest.py --only polnear --polnear dev --errors 40
    python benchmarks/eval_suggest.py --only polnear --polnear dev --rules-only
    python benchmarks/eval_suggest.py --only polnear --polnear holdout --model /tmp/tune.npz
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.suggest import TAGS, suggest, tagger  # noqa: E402

# Calendar dates, clock times and named periods ("Tuesday", "next month", "6 p.m."): figures of
# kind "date" since suggester 1.1. The run without them shows the quantities alone (durations
# and frequencies stay in), comparable with versions that did not propose dates.
CALENDAR = (
    "datetimeV2.date", "datetimeV2.daterange", "datetimeV2.datetime", "datetimeV2.datetimerange",
    "datetimeV2.time", "datetimeV2.timerange",
)
# CLEF 2018 task 1 (English): 94 check-worthy sentences of 4,064; the stored sample is enriched.
CLEF_PRIOR = round(94 / 4064, 4)
FIXTURES = ROOT / "tests" / "suggest" / "fixtures"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def parse_map(spec: str) -> dict[str, str]:
    mapping = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        label, _, tag = part.partition("=")
        if tag and tag not in TAGS:
            raise SystemExit(f"--map: {tag!r} is not one of {', '.join(TAGS)}")
        mapping[label.strip()] = tag.strip()
    return mapping


def map_label(label: str, mapping: dict[str, str]) -> str | None:
    if label in mapping:
        return mapping[label] or None
    if "*" in mapping:
        return mapping["*"] or None
    return label if label in TAGS else None


def prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict:
    p = tp_p / n_pred if n_pred else 1.0
    r = tp_g / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "predicted": n_pred, "gold": n_gold}


def overlap_pairs(pred: list[tuple[int, int]], gold: list[tuple[tuple[int, int], ...]]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index) of overlapping spans, largest overlap first.

    A gold item is a tuple of fragments (one for an ordinary span)."""
    cands = []
    for i, (ps, pe) in enumerate(pred):
        for j, frags in enumerate(gold):
            ov = sum(max(0, min(pe, ge) - max(ps, gs)) for gs, ge in frags)
            if ov > 0:
                cands.append((ov, i, j))
    cands.sort(reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def other_pieces(pred: list[tuple[int, int]], gold: list[tuple[tuple[int, int], ...]],
                 pairs: list[tuple[int, int]]) -> set[int]:
    """Unpaired suggestions that mark a further fragment of a discontinuous gold item already
    paired ('“We won,” she said. “They know it.”' is one brat annotation in two fragments,
    which contiguous suggestions can only give as two pieces); a fragment counts once."""
    hit_p = {i for i, _ in pairs}
    split_items = sorted({j for _, j in pairs if len(gold[j]) > 1})
    marked = set()  # (gold item, fragment) already marked by a suggestion
    for i, j in pairs:
        ps, pe = pred[i]
        marked.update((j, k) for k, (gs, ge) in enumerate(gold[j]) if ps < ge and gs < pe)
    out = set()
    for i, (ps, pe) in enumerate(pred):
        if i in hit_p:
            continue
        for j in split_items:
            touched = {(j, k) for k, (gs, ge) in enumerate(gold[j]) if ps < ge and gs < pe}
            if touched - marked:
                out.add(i)
                marked |= touched
                break
    return out


def gold_items(rec: dict, mapping: dict[str, str], exclude: tuple[str, ...]) -> tuple[dict, list]:
    """Gold of one record: {tag: [(fragments, label)]} and the excluded spans.

    Spans sharing an ``attribution`` id and a label are the fragments of one item;
    identical items (one source span annotated for two attributions) count once."""
    groups: dict = {}
    excluded = []
    for k, sp in enumerate(rec.get("spans", [])):
        if exclude and sp["label"].startswith(exclude):
            excluded.append((sp["start"], sp["end"]))
            continue
        tag = map_label(sp["label"], mapping)
        if not tag:
            continue
        key = (tag, sp["label"], sp["attribution"]) if "fragment" in sp else (tag, sp["label"], k)
        groups.setdefault(key, []).append((sp["start"], sp["end"]))
    gold: dict = defaultdict(list)
    seen = set()
    for (tag, label, _), frags in groups.items():
        item = (tag, tuple(sorted(frags)))
        if item not in seen:
            seen.add(item)
            gold[tag].append((item[1], label))
    return gold, excluded


# ``--rules-only`` scores the rules without the trained attribution tagger.
USE_MODEL = True


def predict(records: list[dict], tags: list[str], excluded_by_rec: list[list]) -> list[dict]:
    """Suggestions per record: {tag: [(start, end)]}, plus ``claim_attributed`` (quotes and reported speech)."""
    out = []
    for rec, excluded in zip(records, excluded_by_rec):
        pred: dict = defaultdict(set)
        for s in suggest(rec["text"], [t for t in tags if t in TAGS], model=USE_MODEL):
            if not any(s.start < e and b < s.end for b, e in excluded):
                pred[s.tag].add((s.start, s.end))
                if s.tag == "claim" and '"fact"' not in s.value:
                    pred["claim_attributed"].add((s.start, s.end))
        out.append({tag: sorted(spans) for tag, spans in pred.items()})
    return out


def evaluate(
    records: list[dict],
    mapping: dict[str, str],
    tags: list[str] | None,
    level: str,
    errors: int,
    exclude: tuple[str, ...] = (),
    prior: float | None = None,
    predictions: list[dict] | None = None,
) -> dict:
    """Score suggestions against ``records``.

    Gold spans whose label starts with one of ``exclude`` are out of scope:
    they are not counted as gold, and suggestions overlapping them are not
    counted as suggestions either. ``prior`` (record level) is the true share of
    positive records, for a re-weighted precision when the sample is enriched.
    ``predictions`` (from :func:`predict`) avoids suggesting twice for the same records.
    ``claim_attributed`` in ``tags`` scores the claims that have a source against the claim gold.
    """
    gold_by_rec, excluded_by_rec = [], []
    seen_tags: set[str] = set()
    for rec in records:
        gold, excluded = gold_items(rec, mapping, exclude)
        seen_tags.update(gold)
        gold_by_rec.append(gold)
        excluded_by_rec.append(excluded)
    wanted = tags or sorted(seen_tags, key=TAGS.index)
    if predictions is None:
        predictions = predict(records, wanted, excluded_by_rec)
    pred_by_rec = [defaultdict(list, p) for p in predictions]

    result: dict = {"records": len(records), "level": level, "tags": {}}
    if exclude:
        result["excluded_gold_labels"] = list(exclude)
    shown = 0
    for tag in wanted:
        gold_tag = "claim" if tag == "claim_attributed" else tag
        if level == "record":
            tp = sum(1 for g, p in zip(gold_by_rec, pred_by_rec) if g[gold_tag] and p[tag])
            n_pred = sum(1 for p in pred_by_rec if p[tag])
            n_gold = sum(1 for g in gold_by_rec if g[gold_tag])
            result["tags"][tag] = {"record": prf(tp, n_pred, tp, n_gold)}
            negatives = len(records) - n_gold
            if prior is not None and n_gold and negatives:
                # Precision at the true share of positive records (the sample may be enriched).
                tpr, fpr = tp / n_gold, (n_pred - tp) / negatives
                p = tpr * prior / (tpr * prior + fpr * (1 - prior)) if tpr or fpr else 1.0
                result["tags"][tag]["record"]["precision_at_prior"] = {"prior": prior, "precision": round(p, 4)}
            for rec, g, p in zip(records, gold_by_rec, pred_by_rec):
                if shown < errors and bool(g[gold_tag]) != bool(p[tag]):
                    shown += 1
                    kind = "FN" if g[gold_tag] else "FP"
                    print(f"{kind} {tag}: {rec['text'][:160]!r}", file=sys.stderr)
            continue
        ex_tp = ov_tp = piece_tp = n_pred = n_gold = 0
        label_gold: Counter = Counter()
        label_hit: Counter = Counter()
        for rec, g, p in zip(records, gold_by_rec, pred_by_rec):
            gitems = g[gold_tag]
            pspans = p[tag]
            n_pred += len(pspans)
            n_gold += len(gitems)
            exact_targets = set()
            for frags, _ in gitems:
                exact_targets.update(frags)
                exact_targets.add((frags[0][0], frags[-1][1]))
            ex_tp += min(len(gitems), sum(1 for sp in pspans if sp in exact_targets))
            pairs = overlap_pairs(pspans, [frags for frags, _ in gitems])
            ov_tp += len(pairs)
            hit_g = {j for _, j in pairs}
            hit_p = {i for i, _ in pairs}
            piece_tp += len(pairs) + len(other_pieces(pspans, [frags for frags, _ in gitems], pairs))
            for j, (_, label) in enumerate(gitems):
                label_gold[label] += 1
                label_hit[label] += j in hit_g
            text = rec["text"]
            for j, (frags, label) in enumerate(gitems):
                s, e = frags[0][0], frags[-1][1]
                if j not in hit_g and shown < errors:
                    shown += 1
                    print(f"FN {tag}/{label}: {text[s:e]!r} in {text[max(0, s - 60):e + 60]!r}", file=sys.stderr)
            for i, (s, e) in enumerate(pspans):
                if i not in hit_p and shown < errors:
                    shown += 1
                    print(f"FP {tag}: {text[s:e]!r} in {text[max(0, s - 60):e + 60]!r}", file=sys.stderr)
        result["tags"][tag] = {
            "exact": prf(ex_tp, n_pred, ex_tp, n_gold),
            "overlap": prf(ov_tp, n_pred, ov_tp, n_gold),
            "overlap_pieces": prf(piece_tp, n_pred, ov_tp, n_gold),
        }
        if len(label_gold) > 1:
            result["tags"][tag]["overlap_recall_by_gold_label"] = {
                label: {"recall": round(label_hit[label] / n, 4), "gold": n} for label, n in sorted(label_gold.items())
            }
    return result


# PolNeAR's development part: every article dated from this day on (97 of 839). Fixed before tuning.
POLNEAR_DEV_FROM = "2016-08-01"
# The last month of the fit part (86 articles): settings of the tagger are chosen on it, with
# weights fitted on the fit part before it (``train_attribution.py --before``).
POLNEAR_HOLDOUT_FROM = "2016-07-01"
POLNEAR_MAP = {"source": "source", "content": "claim", "cue": ""}
POLNEAR_TAGS = ["source", "claim", "claim_attributed"]


def polnear_split(records: list[dict]) -> dict[str, list[dict]]:
    """The fit part (before ``POLNEAR_DEV_FROM``), the development part (from it on) and the
    fit part's last month, ``holdout``, on which settings are chosen."""
    return {
        "fit": [r for r in records if r["date"] < POLNEAR_DEV_FROM],
        "dev": [r for r in records if r["date"] >= POLNEAR_DEV_FROM],
        "holdout": [r for r in records if POLNEAR_HOLDOUT_FROM <= r["date"] < POLNEAR_DEV_FROM],
    }


def polnear_suite(path: Path, parts: str, errors: int) -> dict:
    """PolNeAR scored on the chosen parts, as a whole and per publisher."""
    if not path.exists():
        return {"skipped": f"{path} not found"}
    split = polnear_split(load(path))
    out: dict = {"dev_from": POLNEAR_DEV_FROM}
    for part in ("dev", "fit", "holdout"):
        if parts != part and not (parts == "both" and part != "holdout"):
            continue
        records = split[part]
        preds = predict(records, POLNEAR_TAGS, [[] for _ in records])
        res = evaluate(records, POLNEAR_MAP, POLNEAR_TAGS, "span", errors, predictions=preds)
        res["per_publisher"] = {}
        for pub in sorted({r["publisher"] for r in records}):
            idx = [i for i, r in enumerate(records) if r["publisher"] == pub]
            sub = evaluate([records[i] for i in idx], POLNEAR_MAP, POLNEAR_TAGS, "span", 0,
                           predictions=[preds[i] for i in idx])
            res["per_publisher"][pub] = {
                tag: {m: sub["tags"][tag][m]["f1"] for m in ("overlap", "overlap_pieces", "exact")} | {
                    "overlap_p": sub["tags"][tag]["overlap"]["precision"],
                    "overlap_r": sub["tags"][tag]["overlap"]["recall"]}
                for tag in POLNEAR_TAGS
            } | {"records": len(idx)}
        out[part] = res
    return out


WORLDNEWS_GOLD = ROOT / "benchmarks" / "fixtures" / "worldnews_attribution.jsonl"


def worldnews_suite(pages: Path, errors: int) -> dict:
    """Sources and claims on English world-news pages of ``trafilatura_eval``, annotated here.

    ``WORLDNEWS_GOLD`` holds, per page, only offsets, labels and the SHA-256 of the article
    text as the program imports it (trafilatura, then furniture removal); the text is
    extracted again from the shared HTML and must hash the same. Gold claims are the content
    of every attribution and every unattributed checkable statement (a sentence or clause);
    gold sources every credited speaker, document or data ("a report", "New data")."""
    import gzip
    import hashlib

    from annotator.ingest.boilerplate import strip_boilerplate
    from annotator.ingest.webpage import extract_html

    if not pages.exists():
        return {"skipped": f"{pages} not found"}
    records = []
    for gold in load(WORLDNEWS_GOLD):
        data = gzip.decompress((pages / gold["html_file"]).read_bytes())
        text = strip_boilerplate(extract_html(data, gold["id"], url=gold["url"])["text"])[0]
        if hashlib.sha256(text.encode()).hexdigest() != gold["sha256"]:
            return {"skipped": f"{gold['id']}: the imported text differs from the one annotated"}
        records.append({"text": text, "spans": gold["spans"]})
    return evaluate(records, {"source": "source", "claim": "claim"}, ["source", "claim"],
                    "span", errors) | {"pages": [g["id"] for g in load(WORLDNEWS_GOLD)]}


def standard_suite(shared: Path, errors: int, polnear: str = "both", only: str = "") -> dict:
    figure_map = {"*": "figure"}
    # (path, label map, level, excluded gold labels, prior)
    runs = {
        "recognizers_text_figures_en": (shared / "recognizers_text_figures_en" / "records.jsonl", figure_map, "span", (), None),
        "recognizers_text_figures_en_without_calendar_dates": (
            shared / "recognizers_text_figures_en" / "records.jsonl", figure_map, "span", CALENDAR, None),
        "quantulum3_quantities": (shared / "quantulum3_quantities" / "records.jsonl", figure_map, "span", (), None),
        "clef2018_checkworthiness_en": (shared / "clef2018_checkworthiness" / "records_en.jsonl", {"claim": "claim"}, "record", (), CLEF_PRIOR),
        "clef2018_checkworthiness_en_spans": (shared / "clef2018_checkworthiness" / "records_en.jsonl", {"claim": "claim"}, "span", (), None),
    }
    out = {}
    if polnear != "none" and (not only or "polnear".startswith(only) or only.startswith("polnear")):
        out["polnear_attribution_train"] = polnear_suite(
            shared / "polnear_attribution_train" / "records.jsonl", polnear, errors)
    if not only or "worldnews".startswith(only) or only.startswith("worldnews"):
        out["worldnews_attribution"] = worldnews_suite(shared / "trafilatura_eval", errors)
    for name, (path, mapping, level, exclude, prior) in runs.items():
        if only and not name.startswith(only):
            continue
        if not path.exists():
            out[name] = {"skipped": f"{path} not found"}
            continue
        out[name] = evaluate(load(path), mapping, None, level, errors, exclude, prior)
    for path in sorted(FIXTURES.glob("*.jsonl")):
        if not only or f"fixtures/{path.name}".startswith(only):
            out[f"fixtures/{path.name}"] = evaluate(load(path), {}, list(TAGS), "span", errors)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="*", type=Path, help="gold JSONL file(s); none runs the standard suite")
    ap.add_argument("--map", default="", help="label=tag pairs, comma separated; '*=figure' maps every label")
    ap.add_argument("--tags", default="", help="tags to score (default: those in the mapped gold)")
    ap.add_argument("--level", choices=("span", "record"), default="span")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--exclude-labels", default="", help="gold label prefixes out of scope, comma separated")
    ap.add_argument("--prior", type=float, default=None,
                    help="record level: true share of positive records, for precision on an enriched sample")
    ap.add_argument("--polnear", choices=("dev", "fit", "holdout", "both", "none"), default="both",
                    help="standard suite: which PolNeAR parts to score (both: dev and fit)")
    ap.add_argument("--only", default="", help="standard suite: run only the sets whose name starts so")
    ap.add_argument("--errors", type=int, default=0, help="print up to N misses and false alarms to stderr")
    ap.add_argument("--rules-only", action="store_true", help="suggest without the trained attribution tagger")
    ap.add_argument("--model", type=Path, default=None,
                    help="the tagger's weights from this file instead of the shipped ones")
    args = ap.parse_args(argv)
    global USE_MODEL
    USE_MODEL = not args.rules_only
    if args.model:
        tagger.use_model(args.model)
    if not args.gold:
        result = standard_suite(args.shared, args.errors, args.polnear, args.only)
    else:
        mapping = parse_map(args.map)
        tags = [t for t in args.tags.split(",") if t] or None
        records = [r for path in args.gold for r in load(path)]
        exclude = tuple(x for x in args.exclude_labels.split(",") if x)
        result = evaluate(records, mapping, tags, args.level, args.errors, exclude, args.prior)
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
