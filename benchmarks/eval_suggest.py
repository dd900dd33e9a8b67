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
2018 from ``--shared`` (default ``../shared/eval`` beside the checkout) and the
project's fully annotated fixtures in ``tests/suggest/fixtures``.

    python benchmarks/eval_suggest.py
    python benchmarks/eval_suggest.py gold.jsonl --map currency=figure,number=figure
    python benchmarks/eval_suggest.py clef.jsonl --map claim=claim --level record
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.suggest import TAGS, suggest  # noqa: E402

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


def overlap_pairs(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index) of overlapping spans, largest overlap first."""
    cands = []
    for i, (ps, pe) in enumerate(pred):
        for j, (gs, ge) in enumerate(gold):
            ov = min(pe, ge) - max(ps, gs)
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


def evaluate(
    records: list[dict],
    mapping: dict[str, str],
    tags: list[str] | None,
    level: str,
    errors: int,
    exclude: tuple[str, ...] = (),
    prior: float | None = None,
) -> dict:
    """Score suggestions against ``records``.

    Gold spans whose label starts with one of ``exclude`` are out of scope:
    they are not counted as gold, and suggestions overlapping them are not
    counted as suggestions either. ``prior`` (record level) is the true share of
    positive records, for a re-weighted precision when the sample is enriched.
    """
    gold_by_rec, pred_by_rec = [], []
    excluded_by_rec = []
    seen_tags: set[str] = set()
    for rec in records:
        text = rec["text"]
        gold = defaultdict(list)
        excluded = []
        for sp in rec.get("spans", []):
            if sp["label"].startswith(exclude) and exclude:
                excluded.append((sp["start"], sp["end"]))
                continue
            tag = map_label(sp["label"], mapping)
            if tag:
                gold[tag].append((sp["start"], sp["end"], sp["label"]))
                seen_tags.add(tag)
        gold_by_rec.append(gold)
        excluded_by_rec.append(excluded)
    wanted = tags or sorted(seen_tags, key=TAGS.index)
    # Tags present in the mapping but absent from the gold are still scored when asked explicitly.
    for rec, excluded in zip(records, excluded_by_rec):
        pred = defaultdict(list)
        for s in suggest(rec["text"], wanted):
            if not any(s.start < e and b < s.end for b, e in excluded):
                pred[s.tag].append((s.start, s.end))
        pred_by_rec.append(pred)

    result: dict = {"records": len(records), "level": level, "tags": {}}
    if exclude:
        result["excluded_gold_labels"] = list(exclude)
    shown = 0
    for tag in wanted:
        if level == "record":
            tp = sum(1 for g, p in zip(gold_by_rec, pred_by_rec) if g[tag] and p[tag])
            n_pred = sum(1 for p in pred_by_rec if p[tag])
            n_gold = sum(1 for g in gold_by_rec if g[tag])
            result["tags"][tag] = {"record": prf(tp, n_pred, tp, n_gold)}
            negatives = len(records) - n_gold
            if prior is not None and n_gold and negatives:
                # Precision at the true share of positive records (the sample may be enriched).
                tpr, fpr = tp / n_gold, (n_pred - tp) / negatives
                p = tpr * prior / (tpr * prior + fpr * (1 - prior)) if tpr or fpr else 1.0
                result["tags"][tag]["record"]["precision_at_prior"] = {"prior": prior, "precision": round(p, 4)}
            for rec, g, p in zip(records, gold_by_rec, pred_by_rec):
                if shown < errors and bool(g[tag]) != bool(p[tag]):
                    shown += 1
                    kind = "FN" if g[tag] else "FP"
                    print(f"{kind} {tag}: {rec['text'][:160]!r}", file=sys.stderr)
            continue
        ex_tp = ov_tp = n_pred = n_gold = 0
        label_gold: Counter = Counter()
        label_hit: Counter = Counter()
        for rec, g, p in zip(records, gold_by_rec, pred_by_rec):
            gspans = g[tag]
            pspans = p[tag]
            n_pred += len(pspans)
            n_gold += len(gspans)
            exact = {(s, e) for s, e, _ in gspans} & set(pspans)
            ex_tp += len(exact)
            pairs = overlap_pairs(pspans, [(s, e) for s, e, _ in gspans])
            ov_tp += len(pairs)
            hit_g = {j for _, j in pairs}
            hit_p = {i for i, _ in pairs}
            for j, (_, _, label) in enumerate(gspans):
                label_gold[label] += 1
                label_hit[label] += j in hit_g
            text = rec["text"]
            for j, (s, e, label) in enumerate(gspans):
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
        }
        if len(label_gold) > 1:
            result["tags"][tag]["overlap_recall_by_gold_label"] = {
                label: {"recall": round(label_hit[label] / n, 4), "gold": n} for label, n in sorted(label_gold.items())
            }
    return result


def standard_suite(shared: Path, errors: int) -> dict:
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
    for name, (path, mapping, level, exclude, prior) in runs.items():
        if not path.exists():
            out[name] = {"skipped": f"{path} not found"}
            continue
        out[name] = evaluate(load(path), mapping, None, level, errors, exclude, prior)
    for path in sorted(FIXTURES.glob("*.jsonl")):
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
    ap.add_argument("--errors", type=int, default=0, help="print up to N misses and false alarms to stderr")
    args = ap.parse_args(argv)
    if not args.gold:
        result = standard_suite(args.shared, args.errors)
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
